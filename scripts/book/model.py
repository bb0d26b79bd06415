"""Plain data passed between the pipeline steps (parse → check → identity → normalise → emit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in a source file, printed the way editors and CI annotate: ``file:line``."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    message: str
    severity: str = "error"  # "error" | "warning" | "note"

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


class BookError(Exception):
    """The input cannot be turned into a site; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


@dataclass
class TocEntry:
    text: str
    target: str  # the link destination as written, without the leading '#'
    location: Location


@dataclass
class Question:
    title: str  # visible heading text without its leading number
    number: int | None
    anchor: str  # the heading's id as written in the book
    answer: str  # raw markdown between this heading and the next structural line
    location: Location  # the heading line
    answer_line: int  # first line of the answer in the source file
    heading_level: int = 3
    chapter: Chapter | None = field(default=None, repr=False, compare=False)
    section: Section | None = field(default=None, repr=False, compare=False)
    slug: str = ""
    former_slugs: tuple[str, ...] = ()
    title_en: str = ""
    merged_duplicates: list[Location] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return bool(self.answer.strip())

    @property
    def heading_text(self) -> str:
        return f"{self.number}.{self.title}" if self.number is not None else self.title


@dataclass
class Section:
    title: str  # heading text without the 【一】 marker
    marker: str  # the marker as written, e.g. "【一】"
    location: Location
    questions: list[Question] = field(default_factory=list)
    intro: str = ""  # raw markdown between this heading and its first question (or subsection)
    intro_line: int = 0  # first line of the intro in the source file
    slug: str = ""
    former_slugs: tuple[str, ...] = ()
    title_en: str = ""

    @property
    def heading_text(self) -> str:
        return f"{self.marker}{self.title}"


@dataclass
class Chapter:
    title: str  # heading text without the "第N章" prefix
    prefix: str  # e.g. "第一章"; empty for a book without chapter headings
    location: Location
    sections: list[Section] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)  # all questions, in book order
    intro: str = ""  # raw markdown between this heading and its first section or question
    intro_line: int = 0  # first line of the intro in the source file
    slug: str = ""
    former_slugs: tuple[str, ...] = ()
    short: str = ""  # short name for page titles and link previews, e.g. "SD 1.5"
    title_en: str = ""
    number: int = 0  # position in its book, from 1
    book: Book | None = field(default=None, repr=False, compare=False)

    @property
    def heading_text(self) -> str:
        return f"{self.prefix} {self.title}".strip()


@dataclass
class Book:
    path: Path
    title: str
    chapters: list[Chapter]
    toc: list[TocEntry]
    has_toc: bool
    diagnostics: list[Diagnostic] = field(default_factory=list)  # the parse step's warnings
    slug: str = ""  # the book's URL folder on a site of several books (registry `book: slug:`, else a fallback)
    former_slugs: tuple[str, ...] = ()
    title_en: str = ""
    folder: str = ""  # where its pages live under the site root: "" while the site publishes it alone

    def __post_init__(self):
        for chapter in self.chapters:
            chapter.book = self

    @property
    def questions(self) -> list[Question]:
        return [q for c in self.chapters for q in c.questions]
