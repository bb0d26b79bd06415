"""The book level of a site of several books: each book's slug (its URL folder) and titles.

A book's registry may name them under `book:` (slug, en, title, formerly); a book it does not
name gets a readable slug from its file name or romanised title, so adding a second book never needs a registry edit.
"""

from __future__ import annotations

from pathlib import Path

from scripts.book.identity import Registry
from scripts.book.model import Book, Diagnostic, Location
from scripts.book.slugs import book_slug


def assign_book_identity(book: Book, registry: Registry) -> None:
    entry = registry.book
    book.slug = (entry.slug if entry else "") or book_slug(book.path, book.title)
    book.former_slugs = entry.formerly if entry else ()
    book.title_en = entry.en if entry else ""
    if entry and entry.title and book.title == book.path.stem:  # the book has no `# title` heading of its own
        book.title = entry.title


def check_book_slugs(books: list[Book], diagnostics: list[Diagnostic], reserved: frozenset[str]) -> None:
    """On a site of several books, book slugs are the top-level URL folders: unique, and not the site's own."""
    if len(books) < 2:
        return
    seen: dict[str, Path] = {}
    for book in books:
        where = Location(book.path, 1)
        if book.slug in reserved:
            diagnostics.append(Diagnostic(where, f"book slug '{book.slug}' is reserved for the site itself; set another under `book: slug:` in its registry"))
        elif book.slug in seen:
            diagnostics.append(Diagnostic(where, f"book slug '{book.slug}' is already used by {seen[book.slug]}; set another under `book: slug:` in its registry"))
        seen.setdefault(book.slug, book.path)
