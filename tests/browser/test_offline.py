"""The site offline and installed, in Chromium: after a first visit every page and the search
work without a network, a new deploy is offered as a new version and fetches only what changed
(practice marks stay), the download-all control brings every figure, and each language's
manifest makes the site installable. On a small book with figures, built here and rebuilt
in place, as a deploy does."""

from __future__ import annotations

import functools
import json
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from scripts.dev.browser import CHROMIUM, LAUNCH_ARGS, _QuietServer, _SiteHandler
from scripts.dev.figures import make_figures

from ..conftest import ROOT, mkdocs_build
from ..site.test_many_books import make_book
from .test_search import type_query

FIGURE_QUESTION = "basics/what-is-diffusion/"
CHANGED_QUESTION = "advanced/what-is-lora/"
OLD_ANSWER = "低秩适配：只训练两个小矩阵。"
NEW_ANSWER = "低秩适配：这是新版本的答案。"


class RecordingSite:
    """The site served under `prefix` like scripts/dev/browser.StaticSite, noting each path asked for."""

    def __init__(self, directory: Path, prefix: str):
        self.requests: list[str] = []
        requests = self.requests

        class Handler(_SiteHandler):
            def log_request(self, code="-", size="-"):
                requests.append(urlsplit(self.path).path.removeprefix(prefix))

        handler = type("Handler", (Handler,), {"prefix": prefix})
        self.httpd = _QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{prefix}"


class Deploy:
    """The small book, its figures and its built site; `build()` publishes the book as it stands."""

    def __init__(self, folder: Path):
        self.book = make_book(folder, "offline-book", "")
        text = self.book.read_text(encoding="utf-8").replace(
            "学习去噪过程 $x_{t-1}$。", "学习去噪过程 $x_{t-1}$。\n\n![加噪](./imgs/forward.png)\n\n![去噪](./imgs/reverse.png)")
        self.book.write_text(text, encoding="utf-8")
        self.figures = make_figures(folder / "figures", ["forward.png", "reverse.png"])
        self.site = folder / "out" / "site"

    def build(self) -> None:
        result = mkdocs_build(self.site, self.figures, QA_BOOKS=str(self.book))
        assert result.returncode == 0, result.stderr[-3000:]

    def change_answer(self) -> None:
        text = self.book.read_text(encoding="utf-8")
        assert OLD_ANSWER in text
        self.book.write_text(text.replace(OLD_ANSWER, NEW_ANSWER), encoding="utf-8")

    def precached(self) -> dict[str, str]:
        script = (self.site / "sw.js").read_text(encoding="utf-8")
        return dict(json.loads(re.search(r"const PRECACHED = (.*?);\n", script).group(1)))

    def figure_files(self) -> list[str]:
        return [path for path, _, _ in json.loads((self.site / "offline.json").read_text())["files"]]


@pytest.fixture
def deploy(tmp_path: Path):
    """A fresh build per test: the update test rebuilds it, and a worker must start from nothing."""
    from mkdocs.config import load_config

    deploy = Deploy(tmp_path)
    deploy.build()
    prefix = urlsplit(load_config(str(ROOT / "mkdocs.yml")).site_url).path or "/"
    server = RecordingSite(deploy.site, prefix)
    deploy.url = server.url
    deploy.requests = server.requests
    yield deploy
    server.httpd.shutdown()


@pytest.fixture
def app_browser(browser, tmp_path: Path):
    """A Chromium with a profile on disk: an incognito context (Playwright's default) is never installable."""
    context = browser.browser_type.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM, args=LAUNCH_ARGS)
    yield context
    context.close()


def kept_by_the_worker(page) -> None:
    """Wait until the worker controls the page: it activates only once its precache is complete."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")


def errors_of(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: message.type == "error" and "ERR_INTERNET_DISCONNECTED" not in message.text
            and problems.append(f"console: {message.text}"))
    return problems


def test_after_the_first_visit_every_page_and_the_search_work_offline(context, deploy):
    page = context.new_page()
    problems = errors_of(page)
    page.goto(deploy.url)
    kept_by_the_worker(page)
    context.set_offline(True)

    page.goto(deploy.url + CHANGED_QUESTION)  # never visited
    expect(page.locator("h1")).to_contain_text("什么是LoRA")
    expect(page.locator("#qa-article")).to_contain_text(OLD_ANSWER)
    page.goto(deploy.url + "en/basics/what-is-vae/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("What is a VAE?")

    page.goto(deploy.url)
    page.click(".md-search__input")
    assert type_query(page, "低秩") == [urlsplit(deploy.url).path + CHANGED_QUESTION]  # Pagefind's files, pagefind-entry.json?ts=… included

    page.goto(deploy.url + "no-such-page/")  # neither cached nor reachable: the offline page, in Chinese
    assert page.url == deploy.url + "offline/"
    expect(page.locator("h1")).to_have_text("现在没有网络")
    page.locator("[data-qa-offline-home]").click()
    assert page.url == deploy.url
    page.goto(deploy.url + "en/no-such-page/")
    assert page.url == deploy.url + "en/offline/"
    expect(page.locator("h1")).to_have_text("You are offline")
    page.locator("[data-qa-offline-home]").click()
    assert page.url == deploy.url + "en/"
    assert problems == []


def test_online_an_unknown_address_still_gets_the_not_found_page(context, deploy):
    page = context.new_page()
    page.goto(deploy.url)
    kept_by_the_worker(page)
    response = page.goto(deploy.url + "no-such-page/")
    assert response.status == 404 and "offline" not in page.url


def stored_marks(page, deploy) -> dict:
    key = urlsplit(deploy.url).path + "qa-practice.marks"
    return json.loads(page.evaluate("key => localStorage.getItem(key)", key) or "{}")


def test_a_new_deploy_fetches_only_what_changed_and_is_offered_as_a_new_version(context, deploy):
    page = context.new_page()
    problems = errors_of(page)
    page.goto(deploy.url + FIGURE_QUESTION)
    kept_by_the_worker(page)
    page.get_by_role("button", name="已掌握").click()
    marks = stored_marks(page, deploy)
    assert set(marks) == {"what-is-diffusion"}
    page.goto(deploy.url + CHANGED_QUESTION)
    expect(page.locator("#qa-article")).to_contain_text(OLD_ANSWER)

    before = deploy.precached()
    # From here on every request counts: the browser may look for a new worker as soon as the
    # build has written one (the last page's registration can run late on a busy machine).
    deploy.requests.clear()
    deploy.change_answer()
    deploy.build()
    after = deploy.precached()
    changed = {url for url in after if after[url] != before.get(url)}
    # The answer's pages and the search index change (and the related-question lists beside it);
    # the home page, the chapters and every asset do not.
    assert CHANGED_QUESTION in changed and not changed & {"", "basics/", "en/", "assets/stylesheets/extra.css"}
    assert len(after.keys() - changed) > 30
    page.reload()
    notice = page.locator(".qa-update")
    expect(notice).to_be_visible(timeout=60_000)
    expect(notice).to_contain_text("题库有新版本")
    expect(page.locator("#qa-article")).to_contain_text(OLD_ANSWER)  # the reader decides when
    fetched = set(deploy.requests) - {"sw.js"}
    assert changed <= fetched, changed - fetched
    assert not fetched & (after.keys() - changed), "unchanged files were fetched again"

    notice.get_by_role("button", name="刷新").click()
    expect(page.locator("#qa-article")).to_contain_text(NEW_ANSWER, timeout=30_000)
    expect(page.locator(".qa-update")).to_have_count(0)
    assert stored_marks(page, deploy) == marks
    page.goto(deploy.url + FIGURE_QUESTION)
    expect(page.get_by_role("button", name="已掌握")).to_have_attribute("aria-pressed", "true")
    kept = page.evaluate("() => caches.open('qa-precache').then(c => c.keys()).then(keys => keys.map(r => r.url))")
    assert len(kept) == len(after)  # the old revisions are gone
    assert problems == []


def test_download_all_brings_every_figure_for_offline_use(context, deploy):
    page = context.new_page()
    problems = errors_of(page)
    page.goto(deploy.url)
    kept_by_the_worker(page)
    figures = deploy.figure_files()
    assert len(figures) >= 3  # two figures, one with a resized WebP copy
    control = page.locator("[data-qa-offline]")
    expect(control).to_be_visible()
    control.get_by_role("button", name="下载全部以离线使用").click()
    count = control.locator(".qa-offline__count")
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_contain_text(f"{len(figures)} / {len(figures)}")
    expect(count).to_contain_text("全部内容已在本机")
    assert control.locator("progress").evaluate("p => [p.value, p.max]") == [len(figures), len(figures)]

    context.set_offline(True)
    page.goto(deploy.url + FIGURE_QUESTION)  # never visited: its figures come from the download
    images = page.locator("#qa-article img")
    expect(images).to_have_count(2)
    for image in images.all():
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=image.element_handle())
        assert image.evaluate("img => img.naturalWidth") > 0, image.get_attribute("src")
    assert problems == []


def test_without_the_download_an_unseen_figure_is_not_there_offline(context, deploy):
    """The counterpart of the test above: figures are not precached, so it is the download that brings them."""
    page = context.new_page()
    page.goto(deploy.url)
    kept_by_the_worker(page)
    context.set_offline(True)
    page.goto(deploy.url + FIGURE_QUESTION)
    image = page.locator("#qa-article img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") == 0


@pytest.mark.parametrize(("home", "name"), [("", "AIGC 算法面试题库"), ("en/", "AIGC Interview Questions")])
def test_each_language_is_installable(app_browser, deploy, home, name):
    page = app_browser.new_page()
    page.goto(deploy.url + home)
    kept_by_the_worker(page)
    cdp = app_browser.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"] == deploy.url + home + "manifest.webmanifest"
    assert not manifest.get("errors"), manifest["errors"]
    assert json.loads(manifest["data"])["name"] == name
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []


@pytest.fixture
def shelf(tmp_path: Path):
    """A site of two books, served: its first visit must not bring both books along."""
    from mkdocs.config import load_config

    books = [make_book(tmp_path, "alpha", "", "book:\n  slug: alpha\n  title: 甲书\n  en: Book Alpha\n"), make_book(tmp_path, "beta", "（乙）")]
    site = tmp_path / "out" / "site"
    result = mkdocs_build(site, make_figures(tmp_path / "figures", []), QA_BOOKS=":".join(map(str, books)))
    assert result.returncode == 0, result.stderr[-3000:]
    server = RecordingSite(site, urlsplit(load_config(str(ROOT / "mkdocs.yml")).site_url).path or "/")
    yield server
    server.httpd.shutdown()


def test_on_a_site_of_several_books_what_was_read_works_offline_and_the_rest_was_never_fetched(context, shelf):
    page = context.new_page()
    problems = errors_of(page)
    page.goto(shelf.url)
    kept_by_the_worker(page)
    assert not [path for path in shelf.requests if path.startswith(("alpha/basics/", "beta/basics/", "en/alpha/basics/"))]
    assert {"alpha/", "beta/", "en/alpha/"} <= set(shelf.requests)  # the books' homes are precached

    page.goto(shelf.url + "alpha/" + CHANGED_QUESTION)  # read online: kept from now on
    expect(page.locator("#qa-article")).to_contain_text(OLD_ANSWER)
    context.set_offline(True)

    page.goto(shelf.url + "alpha/" + CHANGED_QUESTION)
    expect(page.locator("#qa-article")).to_contain_text(OLD_ANSWER)
    page.goto(shelf.url + "beta/")  # a book's home
    expect(page.locator("h1")).to_contain_text("beta")
    page.click(".md-search__input")
    assert type_query(page, "低秩") == [urlsplit(shelf.url).path + "beta/" + CHANGED_QUESTION]  # the whole search works offline
    page.goto(shelf.url + "beta/" + CHANGED_QUESTION)  # never read: the offline page says so
    assert page.url == shelf.url + "offline/"
    assert problems == []
