"""A site of several books: a book level above the chapters, each book under its own folder with
its own home page in both languages, search filtered by book, practice marks that never collide,
and every URL a book published while it was the site's only book still resolving."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from pathlib import Path

import pytest

from scripts.book.model import BookError
from scripts.emit.redirects import RedirectClash, redirect_map
from scripts.emit.url_lock import lock_path_for, read_lock, write_lock
from scripts.emit.urls import book_urls
from scripts.pipeline import split_books

from ..conftest import FIXTURES, built_manifest, mkdocs_build

SMALL_BOOK = FIXTURES / "books" / "small-book.md"
REGISTRY = """\
{book}chapters:
  基础{mark}: {{slug: basics, en: Basics}}
  进阶{mark}: {{slug: advanced, en: Advanced}}
sections:
  概念{mark}: {{slug: concepts, en: Concepts}}
questions:
  什么是扩散模型？{mark}: {{slug: what-is-diffusion, en: What is a diffusion model?}}
  什么是VAE？{mark}: {{slug: what-is-vae, en: What is a VAE?}}
  什么是LoRA？{mark}: {{slug: what-is-lora, en: What is LoRA?}}
"""


def with_figure(path: Path) -> Path:
    """The book with a figure in its LoRA answer."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("低秩适配：只训练两个小矩阵。", f"低秩适配：只训练两个小矩阵。\n\n![LoRA](./imgs/{FIGURE})"), encoding="utf-8")
    return path


def make_book(folder: Path, name: str, mark: str, book: str = "") -> Path:
    """The small fixture book as `name`.md, its headings marked with `mark`, with a registry
    (`book` is its `book:` entry) that gives every book the same chapter and question slugs."""
    text = SMALL_BOOK.read_text(encoding="utf-8")
    text = re.sub(r"^(##+ .+?)$", rf"\1{mark}", text, flags=re.MULTILINE)
    text = re.sub(r'(<h3 id="[^"]+">)(.+?)(</h3>)', rf"\1\2{mark}\3", text)
    text = re.sub(r"^(- \[.+?)\]\(#", rf"\1{mark}](#", text, flags=re.MULTILINE)
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    path.with_name(f"{name}.registry.yml").write_text(REGISTRY.format(book=book, mark=mark), encoding="utf-8")
    return path


FIGURE = "LDMs.png"  # one of our book's, so `book_figures` has it
ALPHA_BOOK = "book:\n  slug: alpha\n  title: 甲书\n  en: Book Alpha\n"


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> tuple[Path, Path]:
    """Alpha, published alone before (its lock lists root URLs), and beta, added since: beta's
    registry names no book slug, so it gets the fallback from its file name."""
    folder = tmp_path_factory.mktemp("books")
    alpha = with_figure(make_book(folder, "alpha", "", ALPHA_BOOK))
    (alone,) = split_books([alpha]).books
    write_lock(lock_path_for(alpha), book_urls(alone))
    beta = with_figure(make_book(folder, "beta-book", "（乙）"))
    # `make urls` after adding beta: alpha's lock keeps its root URLs and gains the new ones.
    (shelved, _) = split_books([alpha, beta]).books
    write_lock(lock_path_for(alpha), read_lock(lock_path_for(alpha)) + book_urls(shelved))
    return alpha, beta


@pytest.fixture(scope="module")
def site(books, book_figures: Path, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("many") / "site"
    result = mkdocs_build(site, book_figures, QA_BOOKS=":".join(map(str, books)))
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_a_lone_book_keeps_its_root_urls(tmp_path: Path):
    (book,) = split_books([make_book(tmp_path, "alpha", "", ALPHA_BOOK)]).books
    assert book.slug == "alpha" and book.folder == ""
    assert book_urls(book)[:3] == ["basics/", "basics/concepts/", "basics/what-is-diffusion/"]


def test_the_home_page_shows_a_card_per_book_in_both_languages(site: Path):
    home = read(site, "")
    cards = re.findall(r'<li class="qa-book-card" data-qa-book-key="([^"]+)"[^>]*>\s*<a class="qa-book-card__link" href="([^"]+)">\s*'
                       r'<span class="qa-book-card__title">([^<]+)</span>\s*<span class="qa-book-card__counts">([^<]+)</span>', home)
    assert [(key, href, title) for key, href, title, _ in cards] == [("alpha/", "alpha/", "甲书"), ("beta-book/", "beta-book/", "beta-book")]
    assert cards[0][3] == "3 题 · 2 题有答案"
    english = read(site, "en/")
    assert '<span class="qa-book-card__title">Book Alpha</span>' in english
    assert '<span class="qa-book-card__counts">3 questions · 2 answered</span>' in english
    assert "qa-progress__table" not in home  # each card carries its book's progress; no site-wide table


def test_each_book_has_its_home_with_its_chapters_and_progress(site: Path):
    for url, lang, chapter in (("alpha/", "zh", "第一章 基础"), ("beta-book/", "zh", "第一章 基础（乙）"), ("en/alpha/", "en", "Chapter 1: Basics")):
        page = read(site, url)
        assert f'<html lang="{lang}"' in page
        assert chapter in page and 'href="basics/"' in page
        rows = re.findall(r'<tr class="qa-progress__row qa-progress__row--(\w+)" data-qa-slugs="([^"]*)"', page)
        assert rows[0][0] == "chapter" and rows[-1][0] == "total"
        book = url.removeprefix("en/").rstrip("/")
        assert rows[-1][1].split() == [f"{book}/what-is-diffusion", f"{book}/what-is-vae", f"{book}/what-is-lora"]


def test_question_urls_are_book_chapter_question(site: Path):
    urls = [entry["url"] for entry in built_manifest(site)]
    assert len(urls) == 6
    assert all(re.fullmatch(r"(alpha|beta-book)/(basics|advanced)/[a-z0-9]+(-[a-z0-9]+)*/", url) for url in urls), urls
    for url in urls:
        assert (site / url / "index.html").is_file() and (site / "en" / url / "index.html").is_file()


def test_every_figure_a_book_links_is_found_from_its_page_in_both_languages(site: Path):
    """A book's pages sit a folder deeper than on a site of one book; the figures stay at the root."""
    shown = 0
    for page in site.rglob("index.html"):
        url = page.parent.relative_to(site).as_posix() + "/"
        for src in re.findall(r'<img[^>]* src="([^"]+)"', page.read_text(encoding="utf-8")):
            if src.startswith("data:"):
                continue
            target = posixpath.normpath(posixpath.join(url, src.split("?")[0]))
            assert (site / target).is_file(), f"/{url}: {src} is not published"
            shown += src.endswith(FIGURE)
    assert shown == 4  # the LoRA answer of each book, in each language


def test_the_sidebar_holds_the_book_being_read(site: Path):
    page = read(site, "alpha/basics/what-is-diffusion/")
    nav = page[page.index('<nav class="md-nav md-nav--primary"'):page.index("</nav>", page.index('<nav class="md-nav md-nav--primary"'))]
    assert "甲书" in page and "beta-book" not in nav


def test_question_pages_are_filtered_by_their_book_and_the_search_starts_on_it(site: Path):
    for url, book in (("alpha/basics/what-is-vae/", "甲书"), ("beta-book/basics/what-is-vae/", "beta-book"), ("en/alpha/basics/what-is-vae/", "Book Alpha")):
        page = read(site, url)
        assert f'data-pagefind-filter="book">{book}</span>' in page
        select = re.search(r'<select name="book"[^>]*data-qa-reading="([^"]*)">(.*?)</select>', page, re.S)
        assert select and select.group(1) == book
        assert re.search(rf"<option selected[^>]*>{re.escape(book)}</option>", select.group(2))
    chapters = re.search(r'<select name="chapter".*?</select>', read(site, "beta-book/basics/"), re.S).group(0)
    assert "第一章 基础（乙）" in chapters and "第一章 基础<" not in chapters  # the book's own chapters only
    # A site of one book has no book filter: tests/browser/test_book_filter.py, which also runs it.


def test_practice_keys_of_two_books_never_collide(site: Path):
    questions = json.loads((site / "assets" / "questions.json").read_text(encoding="utf-8"))
    keys = [q["slug"] for q in questions]
    assert len(set(keys)) == 6 and "alpha/what-is-vae" in keys and "beta-book/what-is-vae" in keys
    assert {q["chapter_slug"] for q in questions} == {"alpha/basics", "alpha/advanced", "beta-book/basics", "beta-book/advanced"}
    head = read(site, "beta-book/basics/what-is-vae/")
    assert '"slug": "beta-book/what-is-vae"' in head or '"slug":"beta-book/what-is-vae"' in head


def test_a_url_of_the_one_book_lock_redirects_into_the_books_folder(site: Path, books):
    alpha, _ = books
    assert "basics/what-is-diffusion/" in read_lock(lock_path_for(alpha))
    for url, target in (("basics/what-is-diffusion/", "../../alpha/basics/what-is-diffusion/"), ("basics/", "../alpha/basics/"),
                        ("basics/concepts/", "../../alpha/basics/concepts/")):
        assert f'url={target}"' in read(site, url), url
    assert 'url=../../alpha/advanced/what-is-lora/"' in read(site, "advanced/what-is-lora/")  # alpha's, though beta has the same slug


def test_a_url_of_the_one_book_lock_redirects_in_the_english_tree_too(site: Path, books):
    alpha, _ = books
    for url in read_lock(lock_path_for(alpha)):
        if url.startswith("alpha/"):
            continue  # a live page
        moved = f"alpha/{url}"
        assert f'url={posixpath.relpath(moved, url)}/"' in read(site, f"en/{url}"), url
        assert '<html lang="en"' in read(site, f"en/{moved}")  # where it lands: the English page, in alpha's folder
    assert 'url=../../alpha/basics/what-is-diffusion/"' in read(site, "en/basics/what-is-diffusion/")


def test_a_url_locked_by_two_books_cannot_redirect_to_both(books, tmp_path: Path):
    alpha, _ = books
    other = make_book(tmp_path, "gamma", "（丙）", "book:\n  slug: gamma\n")
    shutil.copy(lock_path_for(alpha), lock_path_for(other))
    result = split_books([alpha, other])
    with pytest.raises(RedirectClash, match="basics/"):
        redirect_map(result.books, {book.path: read_lock(lock_path_for(book.path)) for book in result.books})


def test_book_slugs_are_unique_and_not_the_sites_own(tmp_path: Path):
    one = make_book(tmp_path, "one", "", "book:\n  slug: assets\n")
    two = make_book(tmp_path, "two", "（二）", "book:\n  slug: twin\n")
    three = make_book(tmp_path, "three", "（三）", "book:\n  slug: twin\n")
    with pytest.raises(BookError) as error:
        split_books([one, two, three])
    messages = [str(d) for d in error.value.diagnostics]
    assert any("one.md:1: error: book slug 'assets' is reserved" in m for m in messages)
    assert any("three.md:1: error: book slug 'twin' is already used by" in m for m in messages)
    # Chapter slugs are per book: the same `basics` in two books is fine, and `assets` is a
    # fine chapter slug inside a book's folder, but not at the root of a site of one book.
    assert len(split_books([two, make_book(tmp_path, "four", "（四）")]).books) == 2
    registry = one.with_name("one.registry.yml")
    registry.write_text(registry.read_text(encoding="utf-8").replace("book:\n  slug: assets\n", "").replace("slug: basics", "slug: assets"),
                        encoding="utf-8")
    assert [c.slug for c in split_books([one, two]).books[0].chapters] == ["assets", "advanced"]
    with pytest.raises(BookError, match="chapter slug 'assets' is reserved"):
        split_books([one])


def test_a_bad_book_entry_in_the_registry_names_its_line(tmp_path: Path):
    book = make_book(tmp_path, "bad", "", "book:\n  slug: Not A Slug\n")
    with pytest.raises(BookError, match=r"bad.registry.yml:1: error: 'book' needs slugs"):
        split_books([book])


def test_the_browser_keeps_each_books_marks_apart(site: Path):
    from .test_js_parity import NODE, run_js

    if not NODE:
        pytest.skip("needs Node")
    keys = [q["slug"] for q in json.loads((site / "assets" / "questions.json").read_text(encoding="utf-8"))]
    marks = {key: {"mark": "review" if key.startswith("beta") else "mastered", "at": 1} for key in keys}
    program = "const kept = lib.validMarks(data, new Set(Object.keys(data))); return [kept.kept, kept.marks['alpha/what-is-vae'], kept.marks['beta-book/what-is-vae']];"
    assert run_js("practice-storage.js", program, marks) == [6, {"mark": "mastered", "at": 1}, {"mark": "review", "at": 1}]
    assert run_js("practice-storage.js", "return ['a//b', 'a/b/c', 'Alpha/x'].map((k) => lib.MARK_KEY.test(k));", None) == [False, False, False]


def test_a_book_without_a_registry_slug_is_named_after_its_file_or_its_title():
    from scripts.book.slugs import book_slug

    assert book_slug(Path("My Book_v2.md"), "x") == "my-book-v2"
    assert book_slug(Path("面试题.md"), "AIGC面试宝典") == "aigc-mian-shi-bao-dian"


def test_each_book_has_its_own_anki_deck_whose_guids_never_collide(site: Path):
    from ..anki_deck import parse_deck

    guids = []
    for book, key in (("alpha", "alpha/"), ("beta-book", "beta-book/")):
        page = read(site, book)
        link = re.search(r'<a href="([^"]+)" download data-qa-anki="([^"]*)"', page)
        assert link and link.group(2) == key  # practice keys of this book start with it
        deck = parse_deck((site / book / link.group(1)).resolve().read_text(encoding="utf-8"))
        assert [row["guid"] for row in deck.rows] == [f"{book}/what-is-diffusion", f"{book}/what-is-lora"]  # the answered ones
        guids += [row["guid"] for row in deck.rows]
        english = parse_deck((site / "downloads" / f"{book}.en.anki.txt").read_text(encoding="utf-8"))
        guids += [row["guid"] for row in english.rows]
        assert english.rows[0]["Front"] == "What is a diffusion model?"
    assert len(guids) == len(set(guids)) == 8
