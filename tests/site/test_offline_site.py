"""The built site carries what offline use needs: a worker listing every page of every language
and the search (on a site of several books, the books' pages once read), a manifest per language linked from its pages, and the offline control where
the site's home is, whether the site holds one book or several."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .test_many_books import books, site  # noqa: F401  (fixtures: a site of two books)


def worker_urls(site_dir: Path, listed: str = "PRECACHED") -> set[str]:
    script = (site_dir / "sw.js").read_text(encoding="utf-8")
    return {url for url, _ in json.loads(re.search(rf"const {listed} = (.*?);\n", script).group(1))}


def test_every_page_and_the_search_are_precached(built_site: Path):
    urls = worker_urls(built_site)
    pages = {p.relative_to(built_site).as_posix().removesuffix("index.html") for p in built_site.rglob("index.html")}
    assert any(page.startswith("en/") for page in pages) and "offline/" in pages and "en/offline/" in pages
    assert pages <= urls
    search = {p.relative_to(built_site).as_posix() for p in (built_site / "pagefind").rglob("*") if p.is_file()}
    assert search and search <= urls
    fonts = {p.relative_to(built_site).as_posix() for p in built_site.glob("assets/katex/fonts/*.woff2")}
    assert fonts and fonts <= urls
    assert {"assets/anchors.json", "assets/questions.json", "assets/javascripts/offline.js", "assets/javascripts/search.js"} <= urls
    assert not any(url.startswith("imgs/") for url in urls)


def test_pages_link_their_languages_manifest(built_site: Path):
    zh = (built_site / "index.html").read_text(encoding="utf-8")
    en = (built_site / "en" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="manifest" href="manifest.webmanifest">' in zh
    assert '<link rel="manifest" href="manifest.webmanifest">' in en  # en/index.html: en/manifest.webmanifest
    assert '<meta name="theme-color"' in zh and 'rel="apple-touch-icon"' in zh
    assert json.loads((built_site / "en" / "manifest.webmanifest").read_text(encoding="utf-8"))["lang"] == "en"
    assert "offline.js" in zh and "data-qa-offline" in zh


def test_a_site_of_several_books_offers_offline_use_on_its_home(site: Path):  # noqa: F811
    home = (site / "index.html").read_text(encoding="utf-8")
    book_home = (site / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "data-qa-offline" in home
    assert "data-qa-offline" not in book_home and "data-qa-anki" in book_home
    # A first visit brings every home and the search's runtime; a book's pages are kept once read.
    precached, later = worker_urls(site), worker_urls(site, "ON_DEMAND_FILES")
    search = {p.relative_to(site).as_posix() for p in (site / "pagefind").rglob("*") if p.is_file()}
    assert {"", "alpha/", "beta-book/", "en/", "en/alpha/", "en/beta-book/", *search} <= precached  # the search works offline
    assert {"alpha/basics/what-is-diffusion/", "beta-book/basics/what-is-diffusion/", "en/alpha/basics/what-is-diffusion/"} <= later
    assert not any(url.startswith(("alpha/basics/", "en/alpha/basics/")) for url in precached)
