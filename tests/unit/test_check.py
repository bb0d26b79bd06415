from __future__ import annotations

from scripts.book.check import CheckReport, check_book, match_toc
from scripts.book.parse import parse_book
from scripts.book.text import match_key

from ..conftest import BOOK, FIXTURES


def test_every_toc_entry_of_our_book_resolves_to_exactly_one_question():
    book = parse_book(BOOK)
    report = CheckReport()
    matched = check_book(book, report)
    assert len(matched) == len(book.toc) == 95
    assert len({id(q) for q in matched.values()}) == 95
    assert report.warnings == [] and report.errors == []


def test_exact_duplicate_is_merged_and_noted():
    book = parse_book(BOOK)
    report = CheckReport()
    check_book(book, report)
    assert len(book.questions) == 95
    ((kept, dropped),) = report.merged
    assert kept.title == dropped.title == "如何处理Prompt和生成的图像不对齐的问题？"
    assert (kept.location.line, dropped.location.line) == (931, 934)
    assert [d.severity for d in report.diagnostics] == ["note"]


def test_duplicate_with_a_different_answer_keeps_both_and_names_both_lines():
    book = parse_book(FIXTURES / "slips" / "conflicting-duplicate.md")
    report = CheckReport()
    check_book(book, report)
    assert report.errors == [] and [q.answer for q in book.questions] == ["答案甲。\n", "答案乙。\n"]
    (warning,) = report.warnings
    assert warning.location.line == 7 and "line 3" in warning.message


def test_toc_mismatches_are_warnings_with_locations():
    path = FIXTURES / "books" / "toc-mismatch.md"
    book = parse_book(path)
    report = CheckReport()
    match_toc(book, report)
    messages = sorted((d.location.line, d.message) for d in report.warnings)
    assert messages == [
        (4, "TOC entry '2.不存在的题目' (#2.不存在的题目) matches no question"),
        (10, "question '3.目录里没有' is missing from the table of contents"),
    ]


def test_match_key_ignores_what_github_and_authors_vary():
    pairs = [
        ("#16.长宽比分桶训练策略（AspectRatioBucketing）有什么作用?", "16.长宽比分桶训练策略（Aspect Ratio Bucketing）有什么作用?"),
        ("user-content-1.Q-one", "1.Q one"),
        ("#13.Stable_Diffusion文本信息", "13.Stable Diffusion文本信息"),
        ("5.DDPM存在什么问题?", "5.DDPM存在什么问题？"),
        ("%E4%BB%80%E4%B9%88", "什么"),
        ("零\u200b宽\ufeff", "零宽"),
    ]
    for left, right in pairs:
        assert match_key(left) == match_key(right), (left, right)
    assert match_key("什么是VAE") != match_key("什么是GAN")


def test_variant_tocs_all_resolve():
    for name in ["mixed-levels.md", "html-toc-title.md", "crlf-bom.md", "zero-width.md"]:
        book = parse_book(FIXTURES / "books" / name)
        report = CheckReport()
        matched = check_book(book, report)
        assert len(matched) == len(book.toc) == len(book.questions), name
        assert report.warnings == [], name
