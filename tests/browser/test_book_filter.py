"""The search's book filter in Chromium, on a site of two books: it starts on the book being read,
can widen to every book or move to another, and a site of one book shows no such control."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scripts.dev.browser import StaticSite

from ..conftest import ROOT, mkdocs_build
from ..site.test_many_books import ALPHA_BOOK, make_book
from .test_pages import watch
from .test_search import type_query


@pytest.fixture(scope="module")
def shelf_url(tmp_path_factory, book_figures: Path):
    from mkdocs.config import load_config

    folder = tmp_path_factory.mktemp("shelf")
    books = [make_book(folder, "alpha", "", ALPHA_BOOK), make_book(folder, "beta-book", "（乙）")]
    site = folder / "out" / "site"
    result = mkdocs_build(site, book_figures, QA_BOOKS=":".join(map(str, books)))
    assert result.returncode == 0, result.stderr[-3000:]
    prefix = urlsplit(load_config(str(ROOT / "mkdocs.yml")).site_url).path or "/"
    with StaticSite(site, prefix) as server:
        yield server.url


def books_of(links: list[str]) -> set[str]:
    return {link.split("/")[-4] for link in links}  # …/<book>/<chapter>/<question>/


def test_the_filter_starts_on_the_book_being_read_and_can_widen_or_move(context, shelf_url):
    page = context.new_page()
    problems = watch(page, shelf_url)
    page.goto(shelf_url + "alpha/basics/what-is-diffusion/", wait_until="load")
    page.click(".md-search__input")
    book = page.locator("select[name=book]")
    chapter = page.locator("select[name=chapter]")
    assert books_of(type_query(page, "什么是VAE")) == {"alpha"}  # the filters show with the results
    assert book.is_visible() and book.input_value() == "甲书" and chapter.is_visible()

    page.select_option("select[name=book]", "")
    page.wait_for_selector("[data-qa-search][data-qa-state=done]", state="attached")
    assert books_of(type_query(page, "什么是VAE")) == {"alpha", "beta-book"}
    assert chapter.is_hidden()  # its chapters are alpha's: no use across every book

    page.select_option("select[name=book]", "beta-book")
    assert books_of(type_query(page, "什么是VAE")) == {"beta-book"}
    page.select_option("select[name=book]", "甲书")
    assert chapter.is_visible()
    assert problems == []


def links_named(page, words: str) -> list[str]:
    """The result links whose accessible name (what a screen reader reads out) holds `words`."""
    named = page.locator(".md-search-result__list").get_by_role("link", name=words)
    return named.evaluate_all("links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("language, titles", [("", {"alpha": "甲书", "beta-book": "beta-book"}),
                                               ("en/", {"alpha": "Book Alpha", "beta-book": "beta-book"})])
def test_results_across_every_book_name_their_book(context, shelf_url, language, titles):
    page = context.new_page()
    problems = watch(page, shelf_url)
    page.goto(shelf_url + language + "alpha/basics/what-is-diffusion/", wait_until="load")
    page.click(".md-search__input")
    links = type_query(page, "VAE")
    # Filtered on one book, a result needs no book name.
    assert links and page.locator(".qa-search__from").count() == 0
    assert links_named(page, titles["alpha"]) == []

    page.select_option("select[name=book]", "")
    links = type_query(page, "VAE")
    assert books_of(links) == {"alpha", "beta-book"}
    for book, title in titles.items():  # its name is part of the link's name, not only a badge
        assert links_named(page, title) == [link for link in links if link.split("/")[-4] == book]
    assert problems == []


def test_the_home_page_searches_every_book(context, shelf_url):
    page = context.new_page()
    page.goto(shelf_url, wait_until="load")
    page.click(".md-search__input")
    assert books_of(type_query(page, "LoRA")) == {"alpha", "beta-book"}
    assert page.locator("select[name=book]").is_visible() and page.locator("select[name=book]").input_value() == ""
    assert page.locator("select[name=chapter]").is_hidden()


def test_a_site_of_one_book_has_no_book_filter(context, site_url):
    page = context.new_page()
    page.goto(site_url + "sd15/", wait_until="load")
    page.click(".md-search__input")
    type_query(page, "LoRA")
    assert page.locator("select[name=book]").count() == 0
    assert page.locator("select[name=chapter]").is_visible()
