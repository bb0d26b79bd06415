"""The navigation tree in the book's order (MkDocs' automatic nav would sort 1, 10, 11, …, 2).

Paths are the default language's; mkdocs-static-i18n swaps in each language's page.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from scripts.book.model import Book, Chapter
from scripts.emit.pages import Language, chapter_heading, question_title, section_heading
from scripts.emit.urls import chapter_path, home_path, question_path, review_path, section_path


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
        nav += chapters if len(books) == 1 else [{nav_title(book.title): chapters}]
    return nav
