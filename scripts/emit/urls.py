"""The URL scheme, in one place: where every page of the model lives, per language.

Pages are markdown source paths in the generated docs folder ("sd15/x.md", and "sd15/x.en.md"
for a translation, mkdocs-static-i18n's suffix layout); MkDocs publishes each at a directory
URL ("sd15/x/", "en/sd15/x/"). Slugs come from the registry; nothing else in the project
writes a path or URL of a page by hand, and the browser gets URLs as data.
"""

from __future__ import annotations

import posixpath

from scripts.book.model import Book, Chapter, Question, Section

# Top-level folders the site itself uses; a chapter slug must not shadow them.
RESERVED_SLUGS = frozenset({"assets", "imgs", "search", "en", "404", "sitemap", "stylesheets", "javascripts", "pagefind", "about", "review"})


def home_path(suffix: str = "") -> str:
    return f"index{suffix}.md"


def review_path(suffix: str = "") -> str:
    """The review page: the questions this reader's schedule says are due (review.js)."""
    return f"review/index{suffix}.md"


def chapter_path(chapter: Chapter, suffix: str = "") -> str:
    return chapter_path_of(chapter.slug, suffix)


def section_path(chapter: Chapter, section: Section, suffix: str = "") -> str:
    return section_path_of(chapter.slug, section.slug, suffix)


def question_path(question: Question, suffix: str = "") -> str:
    return question_path_of(question.chapter.slug, question.slug, suffix)


# The same, from slugs alone: what a page was published as under a former slug.
def chapter_path_of(chapter: str, suffix: str = "") -> str:
    return f"{chapter}/index{suffix}.md"


def section_path_of(chapter: str, section: str, suffix: str = "") -> str:
    return f"{chapter}/{section}/index{suffix}.md"


def question_path_of(chapter: str, question: str, suffix: str = "") -> str:
    return f"{chapter}/{question}{suffix}.md"


def link_between(source: str, target: str) -> str:
    """The relative markdown link from the page at `source` to the page at `target`."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def page_url(source_path: str) -> str:
    """'sd15/index.md' → 'sd15/', 'sd15/x.md' → 'sd15/x/' (directory URLs)."""
    stem = source_path.removesuffix(".md")
    return stem.removesuffix("index") if stem.endswith("/index") or stem == "index" else stem + "/"


def question_url(question: Question) -> str:
    return page_url(question_path(question))


def is_translation(source_path: str, suffixes: tuple[str, ...]) -> bool:
    """A page in one of the other languages, whose file suffixes (".en") are given."""
    return bool(suffixes) and source_path.removesuffix(".md").endswith(suffixes)


def book_urls(book: Book) -> list[str]:
    """Every URL a book publishes in the default language, in book order: what the lock holds."""
    urls = []
    for chapter in book.chapters:
        urls.append(page_url(chapter_path(chapter)))
        urls += [page_url(section_path(chapter, section)) for section in chapter.sections]
        urls += [question_url(question) for question in chapter.questions]
    return urls
