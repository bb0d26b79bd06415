"""The printable book's document (scripts/export/pdf_document.py), without a browser: the book's
order, a contents whose every link lands on a heading, unanswered questions said so, the
answers' links made to work from a PDF, and the book's texts escaped (they are untrusted)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from scripts.emit.pages import Language
from scripts.export.pdf_document import (
    MissingAnswer,
    PrintBook,
    PrintChapter,
    PrintQuestion,
    PrintSection,
    PrintText,
    answer_of_page,
    book_to_print,
    compose,
    printable_answer,
)
from scripts.strings import load_strings

from ..conftest import FIXTURES, slugged_book

SMALL_BOOK = FIXTURES / "books" / "small-book.md"
TEXT = PrintText("目录", "暂无参考答案", "构建于 {date}")
SITE = "https://books.site/qa/"


def book(chapters: list[PrintChapter], title: str = "题库", site_name: str = "AIGC 题库") -> PrintBook:
    return PrintBook(title, site_name, SITE, "2026-12-02", "zh", chapters, TEXT)


def question(title: str, answer: str | None = "<p>答案</p>", url: str = "") -> PrintQuestion:
    return PrintQuestion(title, url or f"c/{title}/", answer)


def sample() -> PrintBook:
    return book([
        PrintChapter("第一章 基础", [PrintSection("", [question("开篇")]),
                                    PrintSection("【一】概念", [question("甲"), question("乙", None)]),
                                    PrintSection("【二】进阶", [question("丙")])]),
        PrintChapter("第二章 应用", [PrintSection("", [question("丁")])]),
    ])


def parsed(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def test_questions_follow_the_books_order_under_their_chapter_and_section_headings():
    tree = parsed(compose(sample()))
    headings = [(node.tag, node.text()) for node in tree.css("main h1, main h2, main h3")]
    assert headings == [("h1", "第一章 基础"), ("h3", "开篇"), ("h2", "【一】概念"), ("h3", "甲"), ("h3", "乙"),
                        ("h2", "【二】进阶"), ("h3", "丙"), ("h1", "第二章 应用"), ("h3", "丁")]


def test_every_contents_link_lands_on_the_heading_of_the_same_title_in_the_same_order():
    tree = parsed(compose(sample()))
    links = [(a.attributes["href"], a.text()) for a in tree.css("nav.qa-print-toc a")]
    targets = [(f"#{h.attributes['id']}", h.text()) for h in tree.css("main h1, main h2, main h3")]
    assert links == targets
    ids = [node.attributes["id"] for node in tree.css("[id]")]
    assert len(ids) == len(set(ids))


def test_the_cover_names_the_book_the_site_its_address_and_the_build_date():
    cover = parsed(compose(sample())).css_first(".qa-print-cover")
    assert cover.css_first("h1").text() == "题库"
    assert "AIGC 题库" in cover.text() and "构建于 2026-12-02" in cover.text()
    assert cover.css_first("a").attributes["href"] == SITE


def test_an_unanswered_question_says_so_in_one_line_and_an_answered_one_shows_its_answer():
    tree = parsed(compose(sample()))
    articles = {a.css_first("h3").text(): a for a in tree.css("article.qa-print-question")}
    assert articles["乙"].css_first(".qa-print-unanswered").text() == "暂无参考答案"
    assert articles["乙"].css_first(".qa-print-answer") is None
    assert articles["甲"].css_first(".qa-print-answer").text() == "答案"
    assert len(tree.css(".qa-print-unanswered")) == 1


HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">"&'


def test_hostile_titles_are_text_everywhere_they_are_printed():
    hostile = book([PrintChapter(HOSTILE, [PrintSection(HOSTILE, [question(HOSTILE, None)])])], title=HOSTILE, site_name=HOSTILE)
    html = compose(hostile)
    tree = parsed(html)
    assert tree.css("script") == [] and tree.css("img") == []
    assert not [node for node in tree.css("*") if "onerror" in node.attributes]
    assert tree.css_first("title").text() == HOSTILE
    assert [node.text() for node in tree.css("main h1, main h2, main h3")] == [HOSTILE] * 3
    assert tree.css_first(".qa-print-cover__title").text() == HOSTILE


def test_the_answers_links_work_from_the_pdf():
    anchors = {"c/other/": "qa-q7"}
    answer = ('<h2 id="x">小节<a class="headerlink" href="#x">¶</a></h2>'
              '<p><a href="../other/">另一题</a> <a href="../../about/">关于</a> <a href="https://arxiv.org/abs/1">论文</a> '
              '<a href="#x">本页</a></p>'
              '<img alt="图" src="../../imgs/a%20b.png" srcset="../../imgs/a%20b.480w.webp 480w, ../../imgs/a%20b.png 900w" loading="lazy">')
    html = printable_answer(answer, "c/here/", SITE, anchors)
    tree = parsed(html)
    hrefs = [a.attributes["href"] for a in tree.css("a")]
    assert hrefs == ["#qa-q7", f"{SITE}about/", "https://arxiv.org/abs/1", "#x"]
    image = tree.css_first("img")
    assert image.attributes["src"] == "imgs/a%20b.png"
    assert image.attributes["srcset"] == "imgs/a%20b.480w.webp 480w, imgs/a%20b.png 900w"
    assert "loading" not in image.attributes  # a lazy figure might not be loaded when the page is printed
    assert tree.css_first("h4").text() == "小节"  # below the question's own <h3>
    assert "¶" not in html


def test_a_pages_content_gives_up_its_title_and_related_list():
    page = '<h1 id="t">题目<a class="headerlink" href="#t">¶</a></h1><p>答案</p><div class="qa-related"><h2>相关题目</h2></div>'
    assert answer_of_page(page) == "<p>答案</p>"


def language(code: str) -> Language:
    return Language.from_strings(code, "zh", load_strings(code))


def test_a_book_of_the_split_prints_in_its_order_with_its_sections_and_its_unanswered_questions():
    small = slugged_book(SMALL_BOOK)
    answers = {q.slug: f"<h1>{q.title}</h1><p>答：{q.title}</p>" for q in small.questions if q.answered}
    printed = book_to_print(small, language("zh"), answers, site_name="题库", site_url=SITE, built_on="2026-12-02")
    assert [q.title for q in printed.questions()] == [q.title for q in small.questions]
    first, second = printed.chapters
    assert [s.title for s in first.sections] == ["【一】概念"] and [s.title for s in second.sections] == [""]
    vae = next(q for q in printed.questions() if q.title == "什么是VAE？")
    assert vae.answer_html is None
    assert printed.questions()[0].answer_html == "<p>答：什么是扩散模型？</p>"
    assert printed.text.unanswered == load_strings("zh")["pages"]["unanswered_title"]


def test_the_english_book_uses_the_english_pages_and_strings():
    small = slugged_book(SMALL_BOOK)
    answers = {q.slug: "<p>answer</p>" for q in small.questions if q.answered}
    printed = book_to_print(small, language("en"), answers, site_name="Questions", site_url=SITE, built_on="2026-12-02")
    assert all(q.page_url.startswith("en/") for q in printed.questions())
    assert printed.site_url == SITE + "en/" and printed.language == "en"
    assert printed.text.unanswered == load_strings("en")["pages"]["unanswered_title"]


def test_an_answered_question_without_its_rendered_answer_is_an_error_not_an_unanswered_one():
    small = slugged_book(SMALL_BOOK)
    with pytest.raises(MissingAnswer, match=r"small-book\.md:\d+: .*什么是扩散模型"):
        book_to_print(small, language("zh"), {}, site_name="题库", site_url=SITE, built_on="2026-12-02")


def test_a_book_of_a_site_of_several_lives_under_its_folder_in_the_pdf_too():
    small = slugged_book(SMALL_BOOK)
    small.folder = "small"
    answers = {f"small/{q.slug}": "<p>答</p>" for q in small.questions if q.answered}
    printed = book_to_print(small, language("zh"), answers, site_name="题库", site_url=SITE, built_on="2026-12-02")
    assert all(q.page_url.startswith("small/") for q in printed.questions())
    assert printed.site_url == SITE + "small/"
