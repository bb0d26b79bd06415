"""The navigation tree in the book's order (MkDocs' automatic nav would sort 1, 10, 11, …, 2)."""

from __future__ import annotations

from .emit import question_path
from .model import Book, Chapter


def _chapter_nav(chapter: Chapter) -> dict:
    items: list = [f"{chapter.slug}/index.md"]
    items += [{q.title: question_path(q)} for q in chapter.questions if q.section is None]
    for section in chapter.sections:
        items.append({section.heading_text: [f"{chapter.slug}/{section.slug}/index.md", *({q.title: question_path(q)} for q in section.questions)]})
    return {chapter.heading_text: items}


def build_nav(books: list[Book], home_label: str = "首页") -> list:
    nav: list = [{home_label: "index.md"}]
    for book in books:
        chapters = [_chapter_nav(c) for c in book.chapters]
        nav += chapters if len(books) == 1 else [{book.title: chapters}]
    return nav
