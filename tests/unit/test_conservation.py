"""Conservation: every non-blank line of a book's body reaches a page, or is one of the book's
structural lines (TOC, chapter, section and question headings, `---` separators).

Each source line is mapped to the question whose answer holds it, or to the chapter or section
whose intro (shown on its page) holds it, using the parse model's own spans, which are checked to be the source lines they claim; so a construct that drops
text (a heading misread as a section, a stray fence, …) fails here instead of vanishing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts.book.check import CheckReport, check_book
from scripts.book.model import Book, Chapter, Question, Section
from scripts.book.parse import parse_book, read_lines
from scripts.book.text import strip_zero_width

from ..conftest import BOOK, FIXTURES

_SEPARATOR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
FIXTURE_BOOKS = sorted([*FIXTURES.glob("books/*.md"), *FIXTURES.glob("slips/*.md"), *FIXTURES.glob("hostile/*.md")])
# Text the parser cannot place on any page (under a heading with no questions, so with no page):
# it says so with a warning at the text's first line, naming the heading. {warning's line: lines lost}
REPORTED_LOSSES = {"text-on-no-page.md": {9: [7, 9]}}


def answer_span(question: Question) -> range:
    return range(question.answer_line, question.answer_line + question.answer.count("\n"))


def intro_span(heading: Chapter | Section) -> range:
    return range(heading.intro_line, heading.intro_line + heading.intro.count("\n"))


def headings(book: Book) -> list[Chapter | Section]:
    return [*book.chapters, *(s for c in book.chapters for s in c.sections)]


def lost_lines(book: Book, merged: list[Question], lines: list[str]) -> list[int]:
    """The body's non-blank lines that no page shows and that are not structural, by line number."""
    held: dict[int, Question | Chapter | Section] = {}
    for question in [*book.questions, *merged]:
        span = answer_span(question)
        source = "\n".join(strip_zero_width(lines[n - 1]) for n in span)
        assert question.answer == (source + "\n" if source else ""), f"{question.location}: the answer is not the lines it claims"
        held |= dict.fromkeys(span, question)
    for heading in headings(book):  # on the chapter's or section's page
        span = intro_span(heading)
        source = "\n".join(strip_zero_width(lines[n - 1]) for n in span)
        assert heading.intro == (source + "\n" if source else ""), f"{heading.location}: the intro is not the lines it claims"
        held |= dict.fromkeys(span, heading)
    structural = {q.location.line for q in [*book.questions, *merged]}
    structural |= {c.location.line for c in book.chapters} | {s.location.line for c in book.chapters for s in c.sections}
    structural |= {entry.location.line for entry in book.toc}
    body_start = min(c.location.line for c in book.chapters)
    return [
        number
        for number in range(body_start, len(lines) + 1)
        if lines[number - 1].strip() and number not in held and number not in structural and not _SEPARATOR.match(lines[number - 1])
    ]


def checked_losses(path: Path) -> tuple[list[int], Book, CheckReport]:
    book = parse_book(path)
    report = CheckReport(diagnostics=list(book.diagnostics))
    check_book(book, report)
    merged = [dropped for _, dropped in report.merged]
    assert all(kept.answer.split() == dropped.answer.split() for kept, dropped in report.merged)
    return lost_lines(book, merged, read_lines(path)), book, report


def test_every_line_of_our_book_is_on_a_page_or_structural():
    lost, _, _ = checked_losses(BOOK)
    assert lost == []


@pytest.mark.parametrize("path", FIXTURE_BOOKS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_line_of_a_fixture_book_is_on_a_page_or_structural(path: Path):
    lost, _, report = checked_losses(path)
    reported = REPORTED_LOSSES.get(path.name, {})
    assert lost == sorted(line for lines in reported.values() for line in lines)
    warned = {d.location.line for d in report.warnings if "on no page" in d.message}
    assert warned == set(reported)


def test_the_check_finds_text_a_parse_left_out():
    book = parse_book(FIXTURES / "slips" / "section-under-question.md")
    lines = read_lines(FIXTURES / "slips" / "section-under-question.md")
    question = book.questions[0]
    cut = question.answer.split("\n")
    question.answer = "\n".join(cut[:3]) + "\n"  # as if the parse had stopped after the first paragraph
    assert lost_lines(book, [], lines) == [11, 12]


def test_intros_are_on_their_pages():
    path = FIXTURES / "books" / "intros.md"
    book = parse_book(path)
    lines = read_lines(path)
    assert lost_lines(book, [], lines) == []
    held = {number: heading.heading_text for heading in headings(book) for number in intro_span(heading)}
    assert held[5] == held[13] == "第一章 基础" and held[17] == held[19] == "【一】 概念".replace(" ", "")
    assert held[29] == "第二章 进阶"


def test_the_check_finds_an_intro_line_a_parse_left_out():
    path = FIXTURES / "books" / "intros.md"
    book = parse_book(path)
    chapter = book.chapters[0]
    chapter.intro = "\n".join(chapter.intro.split("\n")[:3]) + "\n"  # as if the parse had stopped after the figure
    assert lost_lines(book, [], read_lines(path)) == [9, 11, 12, 13]


def test_the_check_refuses_an_intro_that_is_not_its_lines():
    path = FIXTURES / "books" / "intros.md"
    book = parse_book(path)
    book.chapters[1].intro_line += 1
    with pytest.raises(AssertionError, match="intro is not the lines it claims"):
        lost_lines(book, [], read_lines(path))


def test_the_check_refuses_an_answer_that_is_not_its_lines():
    path = FIXTURES / "books" / "no-toc.md"
    book = parse_book(path)
    book.questions[0].answer_line += 1
    with pytest.raises(AssertionError, match="not the lines it claims"):
        lost_lines(book, [], read_lines(path))
