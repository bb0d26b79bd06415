"""The navigation tree in the book's order (MkDocs' automatic nav would sort 1, 10, 11, …, 2).

Paths are the default language's; mkdocs-static-i18n swaps in each language's page. A site of
several books has a level above the chapters: each book, whose home page is its index.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from scripts.book.model import Book, Chapter
from scripts.emit.pages import Language, book_title, chapter_heading, question_title, section_heading
from scripts.emit.urls import book_path, chapter_path, download_path, home_path, page_url, question_path, review_path, section_path


def nav_title(text: str) -> Markup:
    """A title as the theme prints navigation titles: HTML, so the book's text is escaped once
    here (Markup, so a template's `| e` leaves it as it is)."""
    return escape(text)


def _chapter_nav(chapter: Chapter, language: Language) -> dict:
    def question(q):
        return {nav_title(question_title(q, language)): question_path(q)}

    items: list = [chapter_path(chapter)]
    items += [question(q) for q in chapter.questions if q.section is None]
    for section in chapter.sections:
        items.append({nav_title(section_heading(section, language)): [section_path(chapter, section), *map(question, section.questions)]})
    return {nav_title(chapter_heading(chapter, language)): items}


def build_nav(books: list[Book], language: Language) -> list:
    nav: list = [{nav_title(language.text["home"]): home_path()}, {nav_title(language.text["review_title"]): review_path()}]
    for book in books:
        chapters = [_chapter_nav(c, language) for c in book.chapters]
        nav += [{nav_title(book_title(book, language)): [book_path(book), *chapters]}] if book.folder else chapters
    return nav


def book_shelf(books: list[Book], language: Language) -> list[dict]:
    """The books as the templates list them (the home page's cards, the search's book filter):
    empty on a site of one book, which has no book level. `key` is the start of its questions'
    practice keys (scripts/emit/urls.py question_key), by which the cards count a reader's marks."""
    if len(books) < 2:
        return []
    return [{"title": book_title(book, language), "url": page_url(book_path(book)), "key": f"{book.folder}/",
             "questions": len(book.questions), "answered": sum(q.answered for q in book.questions)} for book in books]


def book_downloads(books: list[Book], language: Language, *, pdf: bool) -> list[dict]:
    """Each book's files to take away, in this language, as the home and book pages list them
    (partials/downloads.html): `pdf` when the build prints PDFs (they need Chromium), `anki` always.
    Paths are site-relative, like the files' own (scripts/emit/urls.py download_path)."""
    return [{"title": book_title(book, language), "key": f"{book.folder}/" if book.folder else "",
             "home": page_url(book_path(book)), "pdf": download_path(book, "pdf", language.suffix) if pdf else "",
             "anki": download_path(book, "anki", language.suffix)} for book in books]
