"""Slips a book of this format makes and GitHub tolerates: each becomes one warning naming its
line, and every question and answer still reaches a page (tests/fixtures/slips/expected.yml)."""

from __future__ import annotations

import pytest
import yaml

from scripts.book.check import CheckReport, check_book
from scripts.book.model import BookError
from scripts.book.parse import parse_book
from scripts.pipeline import split_books

from ..conftest import FIXTURES, slugged

SLIPS = FIXTURES / "slips"
EXPECTED = yaml.safe_load((SLIPS / "expected.yml").read_text(encoding="utf-8"))


def test_every_slip_fixture_has_its_expectations():
    assert set(EXPECTED) == {path.name for path in SLIPS.glob("*.md")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_slip_gives_the_expected_pages(name: str):
    book, _ = slugged(SLIPS / name)
    pages = [[q.heading_text, q.slug, q.answer.split("\n", 1)[0]] for q in book.questions]
    assert pages == EXPECTED[name]["pages"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_slip_is_one_warning_per_place_and_no_error(name: str):
    result = split_books([SLIPS / name])
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    warnings = {d.location.line: d.message for d in result.diagnostics if d.severity == "warning"}
    assert set(warnings) == set(EXPECTED[name]["warnings"])
    for line, fragment in EXPECTED[name]["warnings"].items():
        assert fragment in warnings[line]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_slip_is_an_error_under_strict(name: str):
    with pytest.raises(BookError) as raised:
        split_books([SLIPS / name], strict=True)
    assert {d.location.line for d in raised.value.diagnostics} == set(EXPECTED[name]["warnings"])


def test_repaired_formulas_are_what_the_author_meant():
    page = next(text for path, text in split_books([SLIPS / "math-slips.md"]).site.files.items() if path.endswith("/q.md"))
    assert "\\(P(X|\\theta)\\)" in page and "$$\n\\mathrm{softmax}(QK^T)V\n$$" in page
    assert "\\(\\sigma^2\\)" in page and "＄5＄" in page


def test_a_retitled_heading_is_found_by_its_toc_entry():
    book = parse_book(SLIPS / "copied-heading-text.md")
    report = CheckReport()
    matched = check_book(book, report)
    assert len(matched) == 3 and len({id(q) for q in matched.values()}) == 3


def test_a_heading_whose_id_agrees_with_its_text_is_a_duplicate_not_a_copy(tmp_path):
    path = tmp_path / "b.md"
    path.write_text('## 第一章 a\n\n<h3 id="1.q">1.q</h3>\n\n甲\n\n<h3 id="2.q">2.q</h3>\n\n乙\n', encoding="utf-8")
    book = parse_book(path)
    report = CheckReport()
    check_book(book, report)
    assert [q.title for q in book.questions] == ["q", "q"]
    assert ["also asked at line 3" in d.message for d in report.diagnostics] == [True]


def test_a_section_heading_followed_by_a_question_still_opens_a_section(tmp_path):
    path = tmp_path / "b.md"
    path.write_text('## 第一章 a\n\n<h3 id="1.q">1.q</h3>\n\n### 【一】 节\n\n<h3 id="2.r">2.r</h3>\n\nr\n', encoding="utf-8")
    book = parse_book(path)
    assert [s.title for s in book.chapters[0].sections] == ["节"]
    assert book.questions[0].answer == "" and book.diagnostics == []


def test_a_code_block_on_no_page_is_reported_too(tmp_path):
    path = tmp_path / "b.md"
    path.write_text('## 第一章 a\n\n<h3 id="1.q">1.q</h3>\n\nq\n\n### 【一】 节\n\n```\ncode\n```\n\n### 【二】 节二\n\n<h3 id="2.r">2.r</h3>\n\nr\n',
                    encoding="utf-8")
    [warning] = parse_book(path).diagnostics
    assert warning.location.line == 9 and "under the heading at line 7, which has no questions" in warning.message


def test_a_code_block_under_a_section_heading_is_its_intro(tmp_path):
    path = tmp_path / "b.md"
    path.write_text('## 第一章 a\n\n<h3 id="1.q">1.q</h3>\n\nq\n\n### 【一】 节\n\n```\ncode\n```\n\n<h3 id="2.r">2.r</h3>\n\nr\n',
                    encoding="utf-8")
    book = parse_book(path)
    assert book.diagnostics == []
    assert (book.chapters[0].sections[0].intro, book.chapters[0].sections[0].intro_line) == ("```\ncode\n```\n", 9)
