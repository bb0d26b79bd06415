from types import SimpleNamespace

from jinja2 import Undefined
from mkdocs.utils import get_relative_url

from scripts.glue.nav_memo import NavMemo

URLS = ["", "review/", "book/", "book/ch1/", "book/ch1/q1/", "book/ch1/q2/", "book/ch2/", "book/ch2/q3/",
        "book/ch2/q3-more/", "other/", "other/ch/q/", "other/ch/q/deeper/"]


def _nav():
    return SimpleNamespace(pages=[SimpleNamespace(url=url) for url in URLS])


def test_a_reused_entry_links_exactly_as_a_fresh_one_from_every_page():
    nav, memo = _nav(), NavMemo()
    seen_from = [*nav.pages, SimpleNamespace(url="404.html")]
    for page in seen_from:
        for entry in nav.pages:
            if entry is page:
                continue  # a page's own entry is active: the template never asks the memo for it
            got = memo.once(lambda item, *_, at=page: get_relative_url(item.url, at.url), entry, "__nav_2", 1, Undefined(), page, nav)
            assert got == get_relative_url(entry.url, page.url), (entry.url, page.url)


def test_questions_of_one_chapter_share_their_neighbours_entries():
    nav, memo = _nav(), NavMemo()
    pages = {page.url: page for page in nav.pages}
    rendered = []

    def render(item, path, level, parent):
        rendered.append(item.url)
        return item.url

    for reader in ("book/ch1/q1/", "book/ch1/q2/"):
        memo.once(render, pages["book/ch2/"], "__nav_3_2", 2, pages["book/"], pages[reader], nav)
    assert rendered == ["book/ch2/"]
    for reader in ("book/", "book/ch1/"):  # pages lie under these: each stands on its own
        memo.once(render, pages["review/"], "__nav_2", 1, Undefined(), pages[reader], nav)
    assert rendered == ["book/ch2/", "review/", "review/"]


def test_position_is_part_of_the_key():
    nav, memo = _nav(), NavMemo()
    entry, page = nav.pages[1], nav.pages[4]
    assert memo.once(lambda item, path, *_: path, entry, "__nav_2", 1, Undefined(), page, nav) == "__nav_2"
    assert memo.once(lambda item, path, *_: path, entry, "__nav_3", 1, Undefined(), page, nav) == "__nav_3"
