"""Redirects for renamed slugs: every URL a chapter, section or question was published under
keeps working. The registry's `formerly:` lists say what the old slugs were; mkdocs-redirects
writes the redirect pages.
"""

from __future__ import annotations

from itertools import product

from scripts.book.model import Book


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
                add(f"{old_chapter}/index.md", f"{chapter.slug}/index.md")
            for section in chapter.sections:
                for old_chapter, old_section in product(chapter_slugs, (section.slug, *section.former_slugs)):
                    add(f"{old_chapter}/{old_section}/index.md", f"{chapter.slug}/{section.slug}/index.md")
            for question in chapter.questions:
                for old_chapter, old_question in product(chapter_slugs, (question.slug, *question.former_slugs)):
                    add(f"{old_chapter}/{old_question}.md", f"{chapter.slug}/{question.slug}.md")
    return dict(sorted(redirects.items()))
