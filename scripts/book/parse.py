"""Parse step: a book file → chapters → (optional) sections → questions, plus its TOC.

The book is line-oriented where it matters (headings, TOC links, code fences), so a
line scanner is both exact about line numbers and fast; answers are kept raw for the
normalise step, which reads them with a real CommonMark parser.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from scripts.book.model import Book, BookError, Chapter, Diagnostic, Location, Question, Section, TocEntry
from scripts.book.source import read_source
from scripts.book.text import ZERO_WIDTH, code_points, invisible_characters, split_number, strip_invisible, strip_zero_width

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
# The closing "#"s are cut in code (_atx_text): a lazy regex for them retried a run of spaces at
# every position, which took a minute on one 100 KB line of spaces.
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*)$")
_HTML_HEADING = re.compile(r"^<h([1-3])\b([^>]*)>(.*?)</h\1\s*>\s*$", re.IGNORECASE)
_HTML_HEADING_START = re.compile(r"^<h[1-3](?:[\s>]|$)", re.IGNORECASE)
_ID_ATTR = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_ID_START = re.compile(r"""\bid\s*=\s*["']""", re.IGNORECASE)
_CHAPTER = re.compile(r"^(第\s*[0-9一二三四五六七八九十百零〇两]+\s*章)\s*(.*)$")
_SECTION = re.compile(r"^(【[^】]*】)\s*(.*)$")
_TOC_TITLE = "目录"
_TOC_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[(?P<text>(?:[^\[\]\\]|\\.)*)\]\((?P<dest>(?:[^()\\]|\\.|\([^()]*\))*)\)\s*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_TAG = re.compile(r"<[^>]+>")
# A heading with an id anywhere but where a question heading goes: a broken question, most likely.
_LOOKS_LIKE_HEADING = re.compile(r"<h[1-6]\b[^<>]*\bid\s*=", re.IGNORECASE)


def read_lines(path: Path) -> list[str]:
    """The book's lines, decoded strictly; a BOM and any line-ending style are accepted."""
    text = read_source(path, "the book")
    if not text.strip():
        raise BookError([Diagnostic(Location(path, 1), "the book is empty")])
    return _LINE_BREAK.split(text)


def _atx_text(rest: str) -> str:
    """The text of an ATX heading after its opening "#"s and spaces, without a closing sequence."""
    text = rest.rstrip(" \t")
    without_closing = text.rstrip("#")
    if text.endswith("#") and without_closing.endswith((" ", "\t")):
        return without_closing.rstrip(" \t")
    return text


def _heading_tag_characters(line: str) -> tuple[list[str], list[str]]:
    """The invisible characters inside a heading line's tags, and those in its text that are not
    the zero-width ones authors paste into titles (those were always dropped silently)."""
    head, _, rest = line.partition(">")
    closing = rest.rfind("<")
    text = rest[:closing] if closing >= 0 else rest
    tail = rest[closing:] if closing >= 0 else ""
    in_text = [char for char in invisible_characters(text) if ord(char) not in ZERO_WIDTH]
    return invisible_characters(head + ">" + tail), in_text


def _heading_title(inner_html: str) -> str:
    text = html.unescape(_TAG.sub("", inner_html))
    return " ".join(strip_zero_width(text).split())


def _is_internal_link(dest: str) -> bool:
    return "://" not in dest and not dest.startswith(("/", "./", "../", "mailto:"))


def _clean_answer(lines: list[str], first_line: int) -> tuple[str, int]:
    """Drop surrounding blank lines and the `---` separators that close a section."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and (not lines[end - 1].strip() or _THEMATIC_BREAK.match(lines[end - 1])):
        end -= 1
    body = "\n".join(strip_zero_width(line) for line in lines[start:end])
    return (body + "\n" if body else ""), first_line + start


class _Scanner:
    def __init__(self, path: Path, lines: list[str]):
        self.path = path
        self.lines = lines
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []
        self.chapters: list[Chapter] = []
        self.toc: list[TocEntry] = []
        self.book_title = ""
        self._question: Question | None = None
        self._answer: list[str] = []
        self._answer_start = 0
        self._seen_question = False
        self._last_heading = 0  # the line of the chapter or section heading read last
        self._intro_of: Chapter | Section | None = None  # the heading whose intro is being read
        self.orphans: dict[int, int] = {}  # heading line → first line of text under it, after the first question

    def at(self, line_number: int) -> Location:
        return Location(self.path, line_number)

    def scan(self) -> None:
        fence: tuple[str, int, int] | None = None  # (marker char, length, opening line)
        for number, line in enumerate(self.lines, start=1):
            fence_match = _FENCE.match(line)
            if fence is not None:
                if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= fence[1] and not fence_match.group(2).strip():
                    fence = None
                elif "<h" in line.lower() and _LOOKS_LIKE_HEADING.match(strip_invisible(line.strip())):
                    # A stray fence above swallows questions as code: say so rather than lose them.
                    self.warnings.append(Diagnostic(self.at(number), f"a question heading inside the code block opened at line {fence[2]} "
                                                    "is shown as code; close that code block above it", "warning"))
                self._answer.append(line)
                continue
            if fence_match and not (fence_match.group(1)[0] == "`" and "`" in fence_match.group(2)):
                fence = (fence_match.group(1)[0], len(fence_match.group(1)), number)
                self._answer.append(line)
                if self._question is None and self._seen_question:
                    self._orphan(number)
                continue
            if not self._structural(number, line):
                self._answer.append(line)
                if self._question is None and self._seen_question and line.strip() and not _THEMATIC_BREAK.match(line):
                    self._orphan(number)
        if fence is not None:
            self.errors.append(Diagnostic(self.at(fence[2]), f"code fence {fence[0] * fence[1]} is never closed"))
        self._close_question()

    def _structural(self, number: int, line: str) -> bool:
        """Handle a heading or TOC line; False when the line belongs to an answer or the preamble."""
        stripped = line.strip()
        visible = strip_invisible(stripped).strip()
        if _HTML_HEADING_START.match(visible):
            if visible != stripped:
                self._warn_invisible(number, stripped)
            return self._html_heading(number, visible)
        if _LOOKS_LIKE_HEADING.search(visible):
            self.warnings.append(Diagnostic(self.at(number), "this line holds a heading with an id but is not a question: "
                                            'a question heading is a line of its own, <h1>–<h3>, like <h3 id="anchor">1.question</h3>', "warning"))
        atx = _ATX.match(line)
        if atx:
            text = strip_zero_width(_atx_text(atx.group(2)))
            if hidden := invisible_characters(text):
                text = strip_invisible(text)
                self._title_warning(number, hidden)
            text = " ".join(text.split())
            if chapter := _CHAPTER.match(text):
                self._close_question()
                self._last_heading = number
                self.chapters.append(Chapter(title=chapter.group(2).strip(), prefix=chapter.group(1), location=self.at(number)))
                self._open_intro(self.chapters[-1], number)
                return True
            if section := _SECTION.match(text):
                if self._question is not None and not any(line.strip() for line in self._answer) and self._text_follows(number):
                    # GitHub shows it as a heading inside the answer that follows it; a section of the
                    # book's sits between questions, so this one belongs to the answer.
                    self.warnings.append(Diagnostic(self.at(number), f"'{text}' right under a question heading is read as part of "
                                                    f"that question's answer; if it opens a section, move it above the question", "warning"))
                    return False
                self._close_question()
                self._last_heading = number
                self._current_chapter(number).sections.append(Section(title=section.group(2).strip(), marker=section.group(1), location=self.at(number)))
                self._open_intro(self._current_chapter(number).sections[-1], number)
                return True
            if self._question is None and not self.chapters and len(atx.group(1)) == 1 and text != _TOC_TITLE and not self.book_title:
                self.book_title = text
        if not self._seen_question and (item := _TOC_ITEM.match(line)):
            dest = item.group("dest").strip().removeprefix("<").removesuffix(">")
            if _is_internal_link(dest):
                self.toc.append(TocEntry(text=_heading_title(item.group("text")), target=dest.removeprefix("#"), location=self.at(number)))
        return False

    def _orphan(self, number: int) -> None:
        """Text after a chapter or section heading is its intro; remembered in case the heading has
        no questions, so no page of its own (parse_book says so then)."""
        self.orphans.setdefault(self._last_heading, number)

    def _open_intro(self, heading: Chapter | Section, number: int) -> None:
        self._intro_of = heading
        self._answer, self._answer_start = [], number + 1

    def _text_follows(self, number: int) -> bool:
        """Whether the next non-blank line after line `number` is answer text, not a heading of the book's."""
        for line in self.lines[number:]:
            if not line.strip():
                continue
            if _HTML_HEADING_START.match(strip_invisible(line.strip())):
                return False
            atx = _ATX.match(line)
            text = " ".join(strip_invisible(strip_zero_width(_atx_text(atx.group(2)))).split()) if atx else ""
            return not (_CHAPTER.match(text) or _SECTION.match(text))
        return False

    def _warn_invisible(self, number: int, line: str) -> None:
        in_tags, in_text = _heading_tag_characters(line)
        if in_tags:
            self.warnings.append(Diagnostic(self.at(number), f"invisible character(s) {code_points(in_tags)} inside the heading's tags were ignored; delete them", "warning"))
        if in_text:
            self._title_warning(number, in_text)

    def _title_warning(self, number: int, characters: list[str]) -> None:
        self.warnings.append(Diagnostic(self.at(number), f"control character(s) {code_points(characters)} removed from the title; delete them", "warning"))

    def _html_heading(self, number: int, stripped: str) -> bool:
        match = _HTML_HEADING.match(stripped)
        if not match:
            if _ID_START.search(stripped) and not _ID_ATTR.search(stripped.split(">", 1)[0] + ">"):
                self.errors.append(Diagnostic(self.at(number), "question heading has an id whose quote is never closed"))
            else:
                self.errors.append(Diagnostic(self.at(number), "question heading must open and close on one line: <h3 id=\"…\">N.question</h3>"))
            return True
        level, attrs, inner = int(match.group(1)), match.group(2), match.group(3)
        title_text = _heading_title(inner)
        if title_text == _TOC_TITLE:
            return True
        id_match = _ID_ATTR.search(attrs)
        anchor = html.unescape(next(g for g in id_match.groups() if g is not None)) if id_match else ""
        if (opened := _ID_START.search(attrs)) and not id_match:
            # GitHub's HTML reader runs the value on past the line; the author meant the id to end at ">".
            anchor = html.unescape(attrs[opened.end():].strip())
            self.warnings.append(Diagnostic(self.at(number), f"the heading's id has no closing quote; read as '{anchor}' "
                                            f"(up to '>'): add the quote", "warning"))
        question_number, title = split_number(title_text)
        if not title:
            self.errors.append(Diagnostic(self.at(number), "question heading has no text"))
            return True
        self._close_question()
        self._seen_question = True
        chapter = self._current_chapter(number)
        section = chapter.sections[-1] if chapter.sections else None
        self._question = Question(
            title=title, number=question_number, anchor=anchor, answer="", location=self.at(number),
            answer_line=number + 1, heading_level=level, chapter=chapter, section=section,
        )
        self._answer, self._answer_start = [], number + 1
        return True

    def _current_chapter(self, number: int) -> Chapter:
        if not self.chapters:
            self.chapters.append(Chapter(title="", prefix="", location=self.at(number)))
        return self.chapters[-1]

    def _close_question(self) -> None:
        question = self._question
        if question is not None:
            question.answer, question.answer_line = _clean_answer(self._answer, self._answer_start)
            question.chapter.questions.append(question)
            if question.section is not None:
                question.section.questions.append(question)
        elif self._intro_of is not None:
            self._intro_of.intro, self._intro_of.intro_line = self._intro(self._answer, self._answer_start)
        self._question = None
        self._intro_of = None
        self._answer = []

    def _intro(self, lines: list[str], first_line: int) -> tuple[str, int]:
        """A heading's intro, cleaned like an answer; none when it is only TOC entries (a chapter's own
        TOC: those link to the questions, which the chapter page lists anyway)."""
        toc_lines = {entry.location.line for entry in self.toc}
        if all(not line.strip() or _THEMATIC_BREAK.match(line) or first_line + offset in toc_lines for offset, line in enumerate(lines)):
            return "", 0
        return _clean_answer(lines, first_line)


def parse_book(path: Path) -> Book:
    """Read and parse one book; raises BookError with `file:line` diagnostics when it is malformed."""
    lines = read_lines(path)
    scanner = _Scanner(path, lines)
    scanner.scan()
    if scanner.errors:
        raise BookError(scanner.errors)
    title = scanner.book_title or path.stem
    chapters = []
    dropped: list[Chapter | Section] = []
    for chapter in scanner.chapters:
        if not chapter.questions:
            dropped.append(chapter)
            continue  # the TOC repeats every chapter heading; only the body's carry questions
        dropped.extend(s for s in chapter.sections if not s.questions)
        chapter.sections = [s for s in chapter.sections if s.questions]
        if not chapter.title:
            chapter.title = title
        chapters.append(chapter)
        chapter.number = len(chapters)
    if not chapters:
        raise BookError([Diagnostic(Location(path, 1), 'no questions found: each question is a heading like <h3 id="anchor">1.question</h3>')])
    for heading in dropped:
        if (text_line := scanner.orphans.get(heading.location.line)) is not None:
            scanner.warnings.append(Diagnostic(Location(path, text_line), f"this text sits under the heading at line {heading.location.line}, "
                                               "which has no questions, so it is on no page; move it into an answer", "warning"))
    return Book(path=path, title=title, chapters=chapters, toc=scanner.toc, has_toc=bool(scanner.toc), diagnostics=scanner.warnings)
