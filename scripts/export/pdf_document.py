"""The printable book as one HTML document: a cover, a table of contents that links every
chapter, section and question, then each question with its answer, in the book's order.

Plain data in, an HTML string out; no browser and no MkDocs. Every text of the book is
untrusted and escaped here; the answers arrive as the site's own sanitized, KaTeX-rendered
HTML (scripts/glue/site_build.py collects them), whose links are made to work from a PDF:
figures resolve against the site's root (the printer serves the built site), links to a
question of this book jump inside the PDF, any other link names its published address.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scripts.book.model import Book
from scripts.emit.pages import Language, book_title, chapter_heading, question_title, section_heading
from scripts.emit.urls import book_path, page_url, question_key, question_url
from scripts.export import MissingAnswer

# The document's own sources only: the answers are sanitized already, and nothing in them runs.
CONTENT_SECURITY_POLICY = ("default-src 'none'; img-src 'self' data:; font-src 'self' data:; "
                           "style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'")
STYLESHEETS = ("assets/katex/katex.min.css", "assets/stylesheets/print.css")


@dataclass(frozen=True)
class PrintQuestion:
    title: str
    page_url: str  # the question's page, site-relative ("sd15/x/", "en/sd15/x/"): the answer's links are relative to it
    answer_html: str | None  # None: the book has no answer to it yet


@dataclass(frozen=True)
class PrintSection:
    title: str  # "" for the questions of a chapter that stand before its first section
    questions: list[PrintQuestion] = field(default_factory=list)


@dataclass(frozen=True)
class PrintChapter:
    title: str
    sections: list[PrintSection] = field(default_factory=list)


@dataclass(frozen=True)
class PrintText:
    """The document's own words, in its language (scripts/strings, pages.print_*)."""
    contents: str  # 目录
    unanswered: str  # 暂无参考答案
    built: str  # "构建于 {date}"


@dataclass(frozen=True)
class PrintBook:
    title: str
    site_name: str
    site_url: str  # absolute, ends with "/": links that leave the PDF point there
    built_on: str  # the build's date, ISO
    language: str  # the <html lang>
    chapters: list[PrintChapter]
    text: PrintText

    def questions(self) -> list[PrintQuestion]:
        return [q for c in self.chapters for s in c.sections for q in s.questions]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def chapter_id(number: int) -> str:
    return f"qa-c{number}"


def section_id(chapter: int, section: int) -> str:
    return f"qa-c{chapter}-s{section}"


def question_id(number: int) -> str:
    return f"qa-q{number}"


# Attributes that hold a URL in the answers' HTML; the serializers behind it always quote with ".
_URL_ATTRIBUTE = re.compile(r'\s(src|href)="([^"]*)"')
_SRCSET = re.compile(r'\ssrcset="([^"]*)"')
_LAZY = re.compile(r'\sloading="lazy"')
_HEADING = re.compile(r"<(/?)h([1-6])\b", re.I)
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)


def _site_path(url: str, page_url: str) -> str | None:
    """A relative URL of the page at `page_url` as a path from the site's root; None when it is absolute or only a fragment."""
    parts = urlsplit(html.unescape(url))
    if parts.scheme or parts.netloc or url.startswith(("/", "#")) or not parts.path:
        return None
    joined = posixpath.normpath(posixpath.join("/" + page_url, parts.path))
    path = joined.lstrip("/")
    return path + ("/" if parts.path.endswith("/") and path else "") + (f"#{parts.fragment}" if parts.fragment else "")


def printable_answer(answer_html: str, page_url: str, site_url: str, anchors: dict[str, str]) -> str:
    """One answer's HTML as it reads inside the book: figures from the site's root, links to a
    question of the book (`anchors`: page URL → id) jump to it, other links name the published
    address; its headings sit below the question's (<h3>), and every figure loads before printing."""
    def url(match: re.Match) -> str:
        attribute, value = match.groups()
        path = _site_path(value, page_url)
        if path is None:
            return match.group()
        if attribute == "src":
            return f' src="{_e(path)}"'
        page = path.split("#", 1)[0]
        if page in anchors:
            return f' href="#{anchors[page]}"'
        return f' href="{_e(site_url + path)}"'

    def srcset(match: re.Match) -> str:
        candidates = []
        for candidate in html.unescape(match.group(1)).split(","):
            parts = candidate.split()
            if parts:
                parts[0] = _site_path(parts[0], page_url) or parts[0]
                candidates.append(" ".join(parts))
        return f' srcset="{_e(", ".join(candidates))}"'

    text = _PERMALINK.sub("", answer_html)
    text = _URL_ATTRIBUTE.sub(url, text)
    text = _SRCSET.sub(srcset, text)
    text = _LAZY.sub("", text)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}", text)


_TITLE = re.compile(r"\s*<h1\b.*?</h1>", re.S)
_RELATED = '<div class="qa-related">'


def answer_of_page(content_html: str) -> str:
    """A question page's content without what the book shows around the answer: the page's
    own <h1> title (the book prints its own) and the 相关题目 list after it."""
    text = _TITLE.sub("", content_html, count=1)
    end = text.find(_RELATED)
    return text if end < 0 else text[:end]


def _question(question: PrintQuestion, number: int, book: PrintBook, anchors: dict[str, str]) -> str:
    if question.answer_html is None:
        body = f'<p class="qa-print-unanswered">{_e(book.text.unanswered)}</p>'
    else:
        body = f'<div class="qa-print-answer">{printable_answer(question.answer_html, question.page_url, book.site_url, anchors)}</div>'
    return (f'<article class="qa-print-question"><h3 id="{question_id(number)}">{_e(question.title)}</h3>'
            f"{body}</article>")


def compose(book: PrintBook) -> str:
    """The whole printable book: cover, contents, then chapters → sections → questions."""
    anchors, number = {}, 0
    for question in book.questions():
        number += 1
        anchors.setdefault(question.page_url, question_id(number))
    toc, body, number = [], [], 0
    for c, chapter in enumerate(book.chapters, 1):
        toc.append(f'<li><a href="#{chapter_id(c)}">{_e(chapter.title)}</a><ol>')
        body.append(f'<section class="qa-print-chapter"><h1 id="{chapter_id(c)}">{_e(chapter.title)}</h1>')
        for s, section in enumerate(chapter.sections, 1):
            if section.title:
                toc.append(f'<li><a href="#{section_id(c, s)}">{_e(section.title)}</a><ol>')
                body.append(f'<section class="qa-print-section"><h2 id="{section_id(c, s)}">{_e(section.title)}</h2>')
            for question in section.questions:
                number += 1
                toc.append(f'<li><a href="#{question_id(number)}">{_e(question.title)}</a></li>')
                body.append(_question(question, number, book, anchors))
            if section.title:
                toc.append("</ol></li>")
                body.append("</section>")
        toc.append("</ol></li>")
        body.append("</section>")
    links = "".join(f'<link rel="stylesheet" href="{href}">' for href in STYLESHEETS)
    return (
        f'<!DOCTYPE html><html lang="{_e(book.language)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        f"<title>{_e(book.title)}</title>{links}</head>"
        f'<body class="qa-print"><section class="qa-print-cover">'
        f'<p class="qa-print-cover__site">{_e(book.site_name)}</p>'
        f'<h1 class="qa-print-cover__title">{_e(book.title)}</h1>'
        f'<p class="qa-print-cover__url"><a href="{_e(book.site_url)}">{_e(book.site_url)}</a></p>'
        f'<p class="qa-print-cover__date">{_e(book.text.built.format(date=book.built_on))}</p></section>'
        f'<nav class="qa-print-toc" aria-labelledby="qa-print-toc"><h1 id="qa-print-toc">{_e(book.text.contents)}</h1>'
        f'<ol>{"".join(toc)}</ol></nav>'
        f'<main class="md-typeset">{"".join(body)}</main></body></html>'
    )


def book_to_print(book: Book, language: Language, answers: Mapping[str, str], *, site_name: str, site_url: str,
                  built_on: str) -> PrintBook:
    """A book of the split, in its order, as one language's pages show it: `answers` holds each
    answered question's page content by question key (scripts/emit/urls.py question_key)."""
    prefix = "" if language.is_default else f"{language.code}/"
    chapters = []
    for chapter in book.chapters:
        sections: list[PrintSection] = []
        current = None
        for question in chapter.questions:  # the book's order; a section is a run of its questions
            if not sections or question.section is not current:
                current = question.section
                sections.append(PrintSection(section_heading(current, language) if current else ""))
            answer = None
            if question.answered:
                if question_key(question) not in answers:  # never print a question as unanswered that has an answer
                    raise MissingAnswer(f"{question.location.path}:{question.location.line}: no rendered answer of "
                                        f"'{question.title}' in '{language.code}' to print")
                answer = answer_of_page(answers[question_key(question)])
            sections[-1].questions.append(PrintQuestion(question_title(question, language), prefix + question_url(question), answer))
        chapters.append(PrintChapter(chapter_heading(chapter, language), sections))
    text = PrintText(language.text["print_contents"], language.text["unanswered_title"], language.text["print_built"])
    return PrintBook(book_title(book, language), site_name, site_url + prefix + page_url(book_path(book)), built_on,
                     language.code, chapters, text)
