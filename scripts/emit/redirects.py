"""Redirects for renamed slugs and moved books: every URL a chapter, section or question was
published under keeps working. The registry's `formerly:` lists say what the old slugs were;
a book's URL lock says where it was published before the site changed between one book (pages at
the root) and several (pages under the book's folder). mkdocs-redirects writes the redirect pages.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from itertools import product
from pathlib import Path

from scripts.book.model import Book
from scripts.emit.urls import (
    book_path,
    book_path_of,
    chapter_path,
    chapter_path_of,
    page_url,
    question_path,
    question_path_of,
    section_path,
    section_path_of,
)


class RedirectClash(ValueError):
    """Two books' locks claim the same old URL: it cannot redirect to both."""


def _book_redirects(book: Book, folders: Iterable[str]) -> dict[str, str]:
    """{old source path: current source path} for the book's pages as published from each of `folders`,
    under every current and former slug."""
    redirects: dict[str, str] = {}

    def add(old: str, new: str) -> None:
        if old != new:
            redirects[old] = new

    for folder in folders:
        if folder:
            add(book_path_of(folder), book_path(book))
        for chapter in book.chapters:
            chapter_slugs = (chapter.slug, *chapter.former_slugs)
            for old_chapter in chapter_slugs:
                add(chapter_path_of(old_chapter, folder=folder), chapter_path(chapter))
            for section in chapter.sections:
                for old_chapter, old_section in product(chapter_slugs, (section.slug, *section.former_slugs)):
                    add(section_path_of(old_chapter, old_section, folder=folder), section_path(chapter, section))
            for question in chapter.questions:
                for old_chapter, old_question in product(chapter_slugs, (question.slug, *question.former_slugs)):
                    add(question_path_of(old_chapter, old_question, folder=folder), question_path(question))
    return redirects


def redirect_map(books: list[Book], locked: Mapping[Path, Iterable[str]] | None = None) -> dict[str, str]:
    """{old page source path: current page source path}, the format of mkdocs-redirects.

    Renamed slugs always redirect. The other layout's URLs (the root for a book of a site of
    several, the book's folder for a book published alone) redirect where the book's lock
    (`locked`, by book path) lists them: those are the links that were shared."""
    redirects: dict[str, str] = {}
    owner: dict[str, Path] = {}
    for book in books:
        here = (book.folder, *(book.former_slugs if book.folder else ()))
        redirects.update(_book_redirects(book, here))
        elsewhere = ("",) if book.folder else (book.slug, *book.former_slugs)
        listed = set((locked or {}).get(book.path, ()))
        for old, new in _book_redirects(book, elsewhere).items():
            if page_url(old) not in listed:
                continue
            if old in owner and owner[old] != book.path:
                raise RedirectClash(f"{page_url(old)} is in the URL locks of both {owner[old]} and {book.path}; "
                                    "it can redirect to one of them only: rename a chapter slug and keep the old one under `formerly:`")
            owner[old] = book.path
            redirects[old] = new
    return dict(sorted(redirects.items()))


def translated_redirects(redirects: Mapping[str, str], codes: Iterable[str]) -> dict[str, str]:
    """{old URL: new URL} in every other language's tree (`<code>/…`): an old URL that redirects in
    the book's language redirects there too, to the page in that language. mkdocs-redirects reads
    the source files before mkdocs-static-i18n has placed the translated ones, so it cannot."""
    return {f"{code}/{page_url(old)}": f"{code}/{page_url(new)}" for code in codes for old, new in redirects.items()}


def redirect_href(old_url: str, new_url: str) -> str:
    """The link a redirect page at `old_url` follows to `new_url`, relative as mkdocs-redirects writes it."""
    return posixpath.relpath(new_url or ".", old_url or ".") + "/"
