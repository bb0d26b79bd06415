"""Redirects for renamed slugs: every URL a chapter, section or question was published under
keeps working. The registry's `formerly:` lists say what the old slugs were; mkdocs-redirects
writes the redirect pages.
"""

from __future__ import annotations

from itertools import product

from scripts.book.model import Book
from scripts.emit.urls import chapter_path, chapter_path_of, question_path, question_path_of, section_path, section_path_of


def redirect_map(books: list[Book]) -> dict[str, str]:
    """{old page source path: current page source path}, the format of mkdocs-redirects."""
    redirects: dict[str, str] = {}

    def add(old: str, new: str) -> None:
        if old != new:
            redirects[old] = new

    for book in books:
        for chapter in book.chapters:
            chapter_slugs = (chapter.slug, *chapter.former_slugs)
            for old_chapter in chapter.former_slugs:
                add(chapter_path_of(old_chapter), chapter_path(chapter))
            for section in chapter.sections:
                for old_chapter, old_section in product(chapter_slugs, (section.slug, *section.former_slugs)):
                    add(section_path_of(old_chapter, old_section), section_path(chapter, section))
            for question in chapter.questions:
                for old_chapter, old_question in product(chapter_slugs, (question.slug, *question.former_slugs)):
                    add(question_path_of(old_chapter, old_question), question_path(question))
    return dict(sorted(redirects.items()))
