"""A book full of hostile HTML (tests/fixtures/hostile/), built and opened in Chromium: no
payload runs, the built pages hold no live script, handler or javascript: URL of the book's,
and every removal is a warning naming the book's line (an error under --strict)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from selectolax.lexbor import LexborHTMLParser

from scripts.dev.browser import StaticSite

from ..conftest import FIXTURES, ROOT, mkdocs_build

BOOK = FIXTURES / "hostile" / "hostile-book.md"
PAYLOAD = re.compile(r"__pwned|alert\(|msgbox", re.I)  # a slug may read "…-pwned-…": that is text
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "srcdoc", "xlink:href", "poster", "background")
# In the article, the book's part of a page (the header's search and palette forms are ours).
FORBIDDEN = ", ".join(f"article {tag}" for tag in ("iframe", "object", "embed", "form", "base", "meta", "link", "style", "frame", "applet"))
# Recorded before the page's own scripts: dialogs, and whatever a payload would set.
TRAP = """
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { (window.__dialogs = window.__dialogs || []).push([name, ...args].join(" ")); };
}
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> tuple[Path, str]:
    site = tmp_path_factory.mktemp("hostile") / "site"
    result = mkdocs_build(site, broken_figure(site.parent), strict=False, QA_BOOKS=str(BOOK))
    assert result.returncode == 0, result.stderr
    return site, result.stderr


def broken_figure(folder: Path) -> Path:
    """The one figure the book links: there, but no image, so an onerror= would fire."""
    figures = folder / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    (figures / "broken.png").write_bytes(b"not a png")
    return figures


def built_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts and "assets" not in p.parts)


def test_every_removal_is_a_warning_with_the_book_line(hostile_site):
    _, log = hostile_site
    warnings = [line for line in log.splitlines() if "which GitHub does not show either" in line]
    lines = BOOK.read_text(encoding="utf-8").splitlines()
    for needle in ("onerror", "<script", "onload", "ontoggle", "onclick", "<iframe", "<object", "<embed", "<form",
                   "<meta", "<base", "<style", "style=", "javascript:", "<math", "data-description"):
        named = [w for w in warnings if f"{BOOK.name}:" in w and needle.strip("<=") in w.lower()]
        assert named, f"no warning names {needle}"
    for warning in warnings:
        number = int(re.search(rf"{re.escape(BOOK.name)}:(\d+)", warning)[1])
        assert 1 <= number <= len(lines), warning


def test_a_strict_build_refuses_the_hostile_book(tmp_path):
    result = mkdocs_build(tmp_path / "site", broken_figure(tmp_path), strict=True, QA_BOOKS=str(BOOK))
    assert result.returncode != 0
    assert "which GitHub does not show either" in result.stderr


def test_built_pages_hold_nothing_live_from_the_book(hostile_site):
    site, _ = hostile_site
    pages = built_pages(site)
    assert len(pages) > 10
    problems = []
    for path in pages:
        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        where = path.relative_to(site)
        for node in tree.css("*"):
            for name, value in node.attributes.items():
                if name.startswith("on"):
                    problems.append(f"{where}: {name}= on <{node.tag}>")
                if name in URL_ATTRIBUTES and re.match(r"\s*(javascript|vbscript|data):", value or "", re.I):
                    problems.append(f"{where}: {name}={value!r} on <{node.tag}>")
        for script in tree.css("script"):
            data = script.attributes.get("type") in ("application/json", "application/ld+json")  # never run
            if not data and PAYLOAD.search(script.text() or ""):
                problems.append(f"{where}: a payload's <script>")
            src = script.attributes.get("src")
            if src and urlsplit(src).netloc:
                problems.append(f"{where}: script from {src}")
        problems += [f"{where}: <{node.tag}>" for node in tree.css(FORBIDDEN)]
    assert problems == []


def test_titles_show_as_text(hostile_site):
    site, _ = hostile_site
    # The question's own page: its slug reads "…-title-img" too, so every page linking it has the words.
    trees = (LexborHTMLParser(p.read_text(encoding="utf-8")) for p in built_pages(site))
    tree = next(t for t in trees if t.css_first("article h1") and "title-img" in t.css_first("article h1").text())
    assert "<img src=x onerror=" in tree.css_first("article h1").text()
    assert "<img src=x onerror=" in tree.css_first("title").text()
    assert "<img src=x onerror=" in tree.css_first(".md-header__topic[data-md-component=header-topic]").text()


def test_no_payload_runs_in_chromium(browser, hostile_site):
    site, _ = hostile_site
    from mkdocs.config import load_config

    prefix = urlsplit(load_config(str(ROOT / "mkdocs.yml")).site_url).path or "/"
    with StaticSite(site, prefix) as server:
        context = browser.new_context()
        context.add_init_script(TRAP)
        page = context.new_page()
        fired = []
        origin = urlsplit(server.url).netloc
        page.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == origin else route.abort())
        page.on("dialog", lambda dialog: (fired.append(f"dialog {dialog.message}"), dialog.dismiss()))
        page.on("console", lambda message: re.search(r"PWNED|__pwned", message.text) and fired.append(f"console {message.text}"))
        for path in built_pages(site):
            url = server.url + path.relative_to(site).as_posix().removesuffix("index.html")
            page.goto(url, wait_until="load")
            for target in page.locator("article p, article a, article img, article summary").all()[:40]:
                try:
                    target.hover(timeout=500, force=True)
                except PlaywrightError:
                    pass  # not on screen: nothing a reader could point at either
            page.wait_for_timeout(50)
            state = page.evaluate("[window.__pwned, window.__dialogs, location.href]")
            if state[0] is not None or state[1]:
                fired.append(f"{url}: {state}")
            if not state[2].startswith(server.url):
                fired.append(f"{url}: navigated to {state[2]}")
        context.close()
    assert fired == []


def test_the_anki_decks_hold_nothing_live_and_keep_their_columns(hostile_site):
    from ..anki_deck import parse_deck

    site, _ = hostile_site
    decks = sorted((site / "downloads").glob("*.anki.txt"))
    assert len(decks) == 2  # the book's language and English
    problems = []
    for path in decks:
        deck = parse_deck(path.read_text(encoding="utf-8"))  # every record has exactly the declared columns
        assert len(deck.rows) >= 5
        for row in deck.rows:
            fronts = LexborHTMLParser(f"<p>{row['Front']}</p>")
            if fronts.css("p *"):
                problems.append(f"{path.name} {row['guid']}: markup in the front: {row['Front']}")
            tree = LexborHTMLParser(row["Back"])
            for node in tree.css("*"):
                for name, value in node.attributes.items():
                    if name.startswith("on") or (name in URL_ATTRIBUTES and re.match(r"\s*(javascript|vbscript|data):", value or "", re.I)):
                        problems.append(f"{path.name} {row['guid']}: {name}={value!r} on <{node.tag}>")
            problems += [f"{path.name} {row['guid']}: <{node.tag}>" for node in tree.css("script, iframe, object, embed, form, style, base, meta, link")]
        titles = [row["Front"] for row in deck.rows]
        assert any("&lt;img src=x onerror=" in title for title in titles), titles  # shown as the text it is
    assert problems == []
