"""Text under a chapter or section heading, before its first question, is that heading's intro:
normalised like an answer and shown on the chapter's or section's page, above its questions."""

from __future__ import annotations

from pathlib import Path

from scripts.book.parse import parse_book
from scripts.emit.pages import INTRO_END, INTRO_START, HomeText
from scripts.pipeline import split_books

from ..conftest import FIXTURES

INTROS = FIXTURES / "books" / "intros.md"
BOTH = {"zh": HomeText("题库"), "en": HomeText("Questions")}


def test_the_parse_keeps_each_headings_intro_and_where_it_starts():
    book = parse_book(INTROS)
    basics, advanced = book.chapters
    assert basics.intro.startswith("本章讲**扩散模型**的基础") and basics.intro.endswith('print("intro")\n```\n')
    assert basics.intro_line == 5
    assert (basics.sections[0].intro, basics.sections[0].intro_line) == ("这一节先讲概念，再看 ＄\\beta_t＄。\n\n![概念图](imgs/intro-section.png)\n", 17)
    assert (advanced.intro, advanced.intro_line) == (
        '进阶一章没有分节，介绍写在这里。\n\n- 先读基础一章 <div align="right">（见上）</div>\n\n结尾这句也是书的语言。\n', 29)
    assert book.diagnostics == []


def test_a_chapters_own_toc_is_not_its_intro(tmp_path: Path):
    path = tmp_path / "b.md"
    path.write_text('## 第一章 a\n\n- [1.q](#1.q)\n\n<h3 id="1.q">1.q</h3>\n\nq\n', encoding="utf-8")
    (chapter,) = parse_book(path).chapters
    assert chapter.intro == ""


def pages(**options) -> dict[str, str]:
    return split_books([INTROS], home=BOTH, **options).site.files


def test_the_intro_is_on_the_chapter_page_between_its_heading_and_its_questions():
    page = pages()["basics/index.md"]
    heading, intro, section = page.index("# 第一章 基础"), page.index("本章讲**扩散模型**的基础"), page.index("## [【一】概念]")
    assert heading < intro < page.index('print("intro")') < section
    assert "共 1 题，其中 1 题有参考答案。\n\n本章讲" in page  # as an answer is: no wrapper in the book's language
    assert "![加噪示意](../imgs/intro-chapter.png)" in page


def test_the_intro_is_on_the_section_page_above_its_questions_with_images_one_folder_up():
    page = pages()["basics/concepts/index.md"]
    assert page.index("这一节先讲概念，再看 \\(\\beta_t\\)。") < page.index("- 1\\. [什么是扩散模型？]")
    assert "![概念图](../../imgs/intro-section.png)" in page


def test_in_the_english_tree_the_intro_is_marked_as_the_books_language():
    files = pages()
    # Marks, not a wrapper: the book's own </div> would close a wrapper written in Markdown.
    assert f"{INTRO_START}\n\n进阶一章没有分节" in files["advanced/index.en.md"]
    assert files["advanced/index.en.md"].count(INTRO_START) == files["advanced/index.en.md"].count(INTRO_END) == 1
    assert "结尾这句也是书的语言。\n\n" + INTRO_END in files["advanced/index.en.md"]
    assert f"{INTRO_START}\n\n这一节先讲概念" in files["basics/concepts/index.en.md"]
    assert INTRO_START not in files["advanced/index.md"] and 'lang="zh"' not in files["advanced/index.md"]


def test_a_page_without_an_intro_has_no_intro_block(tmp_path: Path):
    path = tmp_path / "b.md"
    path.write_text('## 第一章 a\n\n<h3 id="1.q">1.q</h3>\n\nq\n', encoding="utf-8")
    files = split_books([path]).site.files
    assert files["a/index.md"].endswith("有参考答案。\n\n- 1\\. [q](q.md) <span class=\"qa-status qa-status--answered\">有答案</span>\n")


def test_an_intros_slips_and_missing_figures_are_warned_at_their_lines(tmp_path: Path):
    result = split_books([INTROS], images_dir=tmp_path)
    warnings = {d.location.line: d.message for d in result.warnings}
    assert set(warnings) == {7, 17, 19}
    assert "full-width ＄" in warnings[17]
    assert "'intro-chapter.png' is missing" in warnings[7] and "'intro-section.png' is missing" in warnings[19]
    assert all(str(d.location.path) == str(INTROS) for d in result.warnings)
    assert "图片缺失" in result.site.files["basics/index.md"]


def test_the_sites_figures_include_those_of_intros(tmp_path: Path):
    from scripts.dev.figures import make_figures

    figures = make_figures(tmp_path / "figures", ["intro-chapter.png"])
    result = split_books([INTROS], images_dir=figures)
    assert result.figures() == {"imgs/intro-chapter.png"}
    assert result.missing_figure_paths() == {"imgs/intro-section.png"}
    assert "missing images: 1 (imgs/intro-section.png)" in result.summary()
