"""The page schema: what a generated page says about itself, in one place.

A page's front matter (which templates read as `page.meta.<field>`), the splitter's record of
each question (manifest.json, which the build reads back) and the list the browser fetches
(assets/questions.json) are all written from these dataclasses, so a field is added or renamed
here and nowhere else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import ClassVar


@dataclass(frozen=True)
class QuestionFields:
    """What both a question's page and its manifest entry say about it."""

    title: str  # in the page's language
    slug: str
    chapter: str  # the chapter's heading
    chapter_slug: str
    chapter_short: str  # the chapter's short name, for titles and link previews
    section: str | None
    section_slug: str | None
    number: int | None  # its number in the book, if it has one
    source: str  # the book's path from the site's root folder, for the 纠错 link
    line: int  # the heading's line in the book
    answered: bool
    anchor: str  # the heading's id in the book, for old #links
    # Sites of several books only (left out of a one-book site's pages):
    book: str | None = None  # the book's title in the page's language: search filters by it
    key: str | None = None  # the question's practice key, `<book>/<slug>` (scripts/emit/urls.py question_key)
    chapter_key: str | None = None  # the chapter's, `<book>/<chapter slug>`


@dataclass(frozen=True)
class QuestionPage(QuestionFields):
    kind: ClassVar[str] = "question"
    source_title: str | None = None  # a translated page: the book's own title
    translation: str | None = None  # a translated page: "none" | "current" | "outdated"
    search_alias: str | None = None  # words the search index holds for it beyond its text (emit/search_alias.py)

    def front_matter(self) -> dict:
        data = {"kind": self.kind, **asdict(self)}
        return {key: value for key, value in data.items() if value is not None or key in _QUESTION_KEYS}


@dataclass(frozen=True)
class ChapterPage:
    kind: ClassVar[str] = "chapter"
    title: str
    chapter_slug: str
    chapter_short: str
    book: str | None = field(default=None, kw_only=True)  # sites of several books: the book's title
    chapter_key: str | None = field(default=None, kw_only=True)

    def front_matter(self) -> dict:
        data = {"title": self.title, "kind": self.kind, "chapter_slug": self.chapter_slug, "chapter_short": self.chapter_short,
                "book": self.book, "chapter_key": self.chapter_key}
        return {key: value for key, value in data.items() if value is not None}


@dataclass(frozen=True)
class SectionPage(ChapterPage):
    kind: ClassVar[str] = "section"
    section_slug: str

    def front_matter(self) -> dict:
        return {**super().front_matter(), "section_slug": self.section_slug}


@dataclass(frozen=True)
class BookPage:
    """A book's home on a site of several books: its chapters with counts and progress."""

    kind: ClassVar[str] = "book"
    title: str  # the book's title in the page's language
    questions: int
    answered: int

    def front_matter(self) -> dict:
        return {"title": self.title, "kind": self.kind, "book": self.title, "questions": self.questions, "answered": self.answered}


@dataclass(frozen=True)
class HomePage:
    kind: ClassVar[str] = "home"

    def front_matter(self) -> dict:
        # No title: Material then titles the home page with the site name alone.
        return {"kind": self.kind}


@dataclass(frozen=True)
class ReviewPage:
    kind: ClassVar[str] = "review"
    title: str

    def front_matter(self) -> dict:
        return {"title": self.title, "kind": self.kind}


@dataclass(frozen=True)
class ManifestEntry(QuestionFields):
    """One question of the site, in the book's language, as the build and the browser need it."""

    url: str = ""
    path: str = ""  # the page's markdown source in the generated docs folder
    title_en: str = ""
    translations: dict[str, str] | None = None  # language code → "none" | "current" | "outdated"
    formulas: int = 0
    images: tuple[str, ...] = ()  # book paths ("imgs/a.png") the page shows, in order
    missing_images: tuple[str, ...] = ()

    def to_json(self) -> dict:
        data = asdict(self)
        first = {"url": data.pop("url"), "path": data.pop("path")}
        return {**first, **data, "images": list(self.images), "missing_images": list(self.missing_images)}

    @classmethod
    def from_json(cls, data: dict) -> ManifestEntry:
        return cls(**{**data, "images": tuple(data["images"]), "missing_images": tuple(data["missing_images"])})

    def for_browser(self) -> dict:
        """assets/questions.json: what practice mode's progress and random draw need. Practice
        knows a question and a chapter by their keys, which are the slugs on a site of one book."""
        data = {key: getattr(self, key) for key in BROWSER_KEYS}
        return {**data, "slug": self.key or self.slug, "chapter_slug": self.chapter_key or self.chapter_slug}


_SEVERAL_BOOKS_KEYS = frozenset({"book", "key", "chapter_key"})
_QUESTION_KEYS = (frozenset(f.name for f in fields(QuestionFields)) - _SEVERAL_BOOKS_KEYS) | {"kind"}
BROWSER_KEYS = ("slug", "url", "title", "title_en", "chapter_slug", "chapter", "section_slug", "section", "answered")
