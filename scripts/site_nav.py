"""The navigation tree in the book's order (MkDocs' automatic nav would sort 1, 10, 11, …, 2).

Paths are the default language's; mkdocs-static-i18n swaps in each language's page.
"""

from __future__ import annotations

from .emit import LANGUAGES, Language, chapter_heading, question_path, question_title, section_heading
from .model import Book, Chapter

HOME_LABEL = {"zh": "首页", "en": "Home"}


def _chapter_nav(chapter: Chapter, language: Language) -> dict:
    def question(q):
        return {question_title(q, language): question_path(q)}

    items: list = [f"{chapter.slug}/index.md"]
    items += [question(q) for q in chapter.questions if q.section is None]
    for section in chapter.sections:
        items.append({section_heading(section, language): [f"{chapter.slug}/{section.slug}/index.md", *map(question, section.questions)]})
    return {chapter_heading(chapter, language): items}


def build_nav(books: list[Book], language_code: str = "zh") -> list:
    language = LANGUAGES[language_code]
    nav: list = [{HOME_LABEL[language_code]: "index.md"}]
    for book in books:
        chapters = [_chapter_nav(c, language) for c in book.chapters]
        nav += chapters if len(books) == 1 else [{book.title: chapters}]
    return nav
