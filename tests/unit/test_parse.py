from __future__ import annotations

from pathlib import Path

import pytest

from scripts.book.model import BookError
from scripts.book.parse import parse_book

from ..conftest import BOOK, FIXTURES


def test_our_book_shape():
    book = parse_book(BOOK)
    assert [c.prefix for c in book.chapters] == ["第一章", "第二章", "第三章", "第四章"]
    assert [len(c.sections) for c in book.chapters] == [2, 4, 0, 0]
    assert len(book.questions) == 96  # one question is written twice; check merges it
    assert len(book.toc) == 95


def test_question_fields_come_from_the_heading():
    book = parse_book(BOOK)
    question = next(q for q in book.questions if q.title.startswith("介绍一下长宽比分桶训练策略"))
    assert question.number == 17
    assert question.title == "介绍一下长宽比分桶训练策略（Aspect Ratio Bucketing）的具体流程"
    assert question.anchor == "17.介绍一下长宽比分桶训练策略（AspectRatioBucketing）的具体流程"
    assert question.location.line == 585
    assert question.answer.startswith("**AI绘画领域中的长宽比分桶训练策略")
    assert question.answer_line == 587
    assert question.chapter.prefix == "第二章" and question.section.marker == "【一】"


def test_trailing_space_inside_heading_is_not_part_of_the_title():
    titles = [q.title for q in parse_book(BOOK).questions]
    assert "SD模型中的CFG(Classifier-Free-Guidance)的原理？" in titles
    assert not any(t != t.strip() for t in titles)


def test_section_separators_are_not_answer_content():
    for question in parse_book(BOOK).questions:
        assert not question.answer.rstrip().endswith("---"), question.location


def test_empty_answers_are_unanswered():
    book = parse_book(BOOK)
    assert sum(q.answered for q in book.questions) == 40
    assert all(q.answer == "" for q in book.questions if not q.answered)


@pytest.mark.parametrize(
    ("fixture", "chapters", "sections", "questions", "toc"),
    [
        ("mixed-levels.md", 2, 0, 3, 3),  # <h1>/<h2>/<h3> questions, single-quoted id, indented heading
        ("html-toc-title.md", 1, 2, 2, 2),  # <h1 id="目录"> TOC title, nested TOC list
        ("crlf-bom.md", 1, 0, 2, 2),  # CRLF, BOM, user-content- prefix, link without '#'
        ("zero-width.md", 1, 0, 1, 1),  # U+200B/U+200C/U+FEFF inside ids and text
        ("no-toc.md", 1, 0, 2, 0),  # questions, no TOC, no chapter heading
    ],
)
def test_format_variations(fixture, chapters, sections, questions, toc):
    book = parse_book(FIXTURES / "books" / fixture)
    assert len(book.chapters) == chapters
    assert sum(len(c.sections) for c in book.chapters) == sections
    assert len(book.questions) == questions
    assert len(book.toc) == toc


def test_mixed_levels_keep_levels_and_quotes():
    book = parse_book(FIXTURES / "books" / "mixed-levels.md")
    assert [q.heading_level for q in book.questions] == [1, 2, 3]
    assert book.questions[1].anchor == "2.什么是VAE？"


def test_crlf_and_bom_do_not_leak_into_text():
    book = parse_book(FIXTURES / "books" / "crlf-bom.md")
    first = book.questions[0]
    assert first.title == "Q one" and first.answer == "Answer line 1.\nAnswer line 2.\n"
    assert first.location.line == 10
    assert book.questions[1].title == "第二题？"


def test_zero_width_characters_are_removed():
    book = parse_book(FIXTURES / "books" / "zero-width.md")
    question = book.questions[0]
    assert question.title == "零宽字符"
    assert question.answer == "正文内容。\n"


def test_book_without_chapters_gets_one_named_after_its_title():
    book = parse_book(FIXTURES / "books" / "no-toc.md")
    assert book.chapters[0].title == "一本没有目录的书"
    assert not book.has_toc


def test_headings_inside_code_fences_are_answer_text(tmp_path: Path):
    path = tmp_path / "fenced.md"
    path.write_text('## 第一章 a\n\n<h3 id="1.q">1.q</h3>\n\n```html\n<h3 id="2.x">2.x</h3>\n## 第二章 b\n```\n', encoding="utf-8")
    book = parse_book(path)
    assert len(book.questions) == 1 and len(book.chapters) == 1
    assert '<h3 id="2.x">' in book.questions[0].answer


@pytest.mark.parametrize(
    ("fixture", "line", "message"),
    [
        ("empty.md", 1, "the book is empty"),
        ("not-utf8.md", 7, "not valid UTF-8"),
        ("unclosed-fence.md", 5, "code fence ``` is never closed"),
        ("no-questions.md", 1, "no questions found"),
    ],
)
def test_malformed_books_name_file_and_line(fixture, line, message):
    path = FIXTURES / "bad" / fixture
    with pytest.raises(BookError) as raised:
        parse_book(path)
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.location.path == path and diagnostic.location.line == line
    assert message in diagnostic.message
    assert str(diagnostic).startswith(f"{path}:{line}: error: ")


def _book(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "book.md"
    path.write_text("# Book\n## 第1章 Chapter\n" + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\ufeff", "\ufffe", "\x7f", "\x01"])
@pytest.mark.parametrize("template", ['<h3{c} id="1.a">1.a</h3>', '{c}<h3 id="1.a">1.a</h3>', '<h3 id="1.a">1.a</h3{c}>'])
def test_invisible_characters_in_heading_tags_are_ignored_with_a_warning(tmp_path: Path, char: str, template: str):
    book = parse_book(_book(tmp_path, "<h3 id=\"0.z\">0.z</h3>\nZ\n" + template.format(c=char) + "\nA\n"))
    assert [q.title for q in book.questions] == ["z", "a"]
    assert book.questions[0].answer == "Z\n"  # not Z plus a raw heading
    [warning] = book.diagnostics
    assert (warning.location.line, warning.severity) == (5, "warning")
    assert f"U+{ord(char):04X}" in warning.message


@pytest.mark.parametrize("code", [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF])  # not CR: it ends the line
def test_control_characters_are_removed_from_titles_with_a_warning(tmp_path: Path, code: int):
    char = chr(code)
    book = parse_book(_book(tmp_path, f'<h3 id="1.a">1.a{char}b</h3>\nA\n### 【一】sec{char}tion\n<h3 id="2.b">2.b</h3>\n'))
    assert [q.title for q in book.questions] == ["ab", "b"]
    assert book.chapters[0].sections[0].title == "section"
    assert [d.location.line for d in book.diagnostics] == [3, 5]
    assert all(f"U+{code:04X}" in d.message for d in book.diagnostics)


@pytest.mark.parametrize("line", ['<h4 id="1.a">1.a</h4>', 'see <h3 id="1.a">1.a</h3>', '> <h2 id="1.a">1.a</h2>'])
def test_a_heading_with_an_id_that_is_no_question_is_a_warning(tmp_path: Path, line: str):
    book = parse_book(_book(tmp_path, f'<h3 id="0.z">0.z</h3>\n{line}\n'))
    assert [(d.location.line, d.severity) for d in book.diagnostics] == [(4, "warning")]


def test_a_long_run_of_spaces_in_a_heading_line_is_fast(tmp_path: Path):
    # The closing-"#" regex used to retry the run at every position: a minute for this line.
    book = parse_book(_book(tmp_path, "# a" + " " * 200_000 + "#\n" + '<h3 id="1.a">1.a</h3>\n'))
    assert len(book.questions) == 1


def test_a_question_heading_swallowed_by_a_stray_fence_is_a_warning(tmp_path: Path):
    book = parse_book(_book(tmp_path, '<h3 id="0.z">0.z</h3>\n```\n<h3 id="1.a">1.a</h3>\nA\n```\n'))
    [warning] = book.diagnostics
    assert (warning.location.line, warning.severity) == (5, "warning") and "opened at line 4" in warning.message
