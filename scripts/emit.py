"""Emit step: checked, slugged, normalised books → markdown pages and a manifest.

Pure: returns {relative path: text}. Writing to disk is `output.write_tree`'s job, so
this step is easy to test and its output is byte-identical for identical input.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .model import Book, Chapter, Question, Section
from .normalise import NormalisedAnswer

UNANSWERED_NOTICE = (
    '!!! info "暂无参考答案"\n\n'
    "    这道题目前还没有参考答案。先试着自己作答吧；也欢迎通过本页的“纠错”链接补充答案。\n"
)
_MARKDOWN_SPECIALS = str.maketrans({"\\": "\\\\", "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "]": "\\]", "<": "&lt;", "$": "&#36;"})


@dataclass(frozen=True)
class EmittedSite:
    files: dict[str, str]
    manifest: list[dict]


def escape_inline(text: str) -> str:
    """Plain heading text → markdown that renders as exactly that text (no emphasis, math or tags)."""
    return text.translate(_MARKDOWN_SPECIALS)


def _yaml_scalar(value: str | int | bool | None) -> str:
    # A JSON string is a valid YAML double-quoted scalar, and far cheaper to write than yaml.dump.
    return json.dumps(value, ensure_ascii=False)


def _front_matter(data: dict) -> str:
    return "---\n" + "".join(f"{key}: {_yaml_scalar(value)}\n" for key, value in data.items()) + "---\n\n"


def question_path(question: Question) -> str:
    return f"{question.chapter.slug}/{question.slug}.md"


def question_url(question: Question) -> str:
    return f"{question.chapter.slug}/{question.slug}/"


def _status(question: Question) -> str:
    if question.answered:
        return '<span class="qa-status qa-status--answered">有答案</span>'
    return '<span class="qa-status qa-status--open">待补充</span>'


def _question_list(questions: list[Question], link_prefix: str) -> str:
    lines = []
    for question in questions:
        number = f"{question.number}\\. " if question.number is not None else ""
        lines.append(f"- {number}[{escape_inline(question.title)}]({link_prefix}{question.slug}.md) {_status(question)}")
    return "\n".join(lines) + "\n"


def _counts(questions: list[Question]) -> str:
    answered = sum(q.answered for q in questions)
    return f"共 {len(questions)} 题，其中 {answered} 题有参考答案。"


def chapter_page(chapter: Chapter) -> str:
    parts = [
        _front_matter({"title": chapter.heading_text, "kind": "chapter", "chapter_slug": chapter.slug, "chapter_short": chapter.short or chapter.title}),
        f"# {escape_inline(chapter.heading_text)}\n\n{_counts(chapter.questions)}\n\n",
    ]
    loose = [q for q in chapter.questions if q.section is None]
    if loose:
        parts.append(_question_list(loose, ""))
    for section in chapter.sections:
        parts.append(f"\n## [{escape_inline(section.heading_text)}]({section.slug}/index.md)\n\n{_counts(section.questions)}\n\n")
        parts.append(_question_list(section.questions, ""))
    return "".join(parts)


def section_page(chapter: Chapter, section: Section) -> str:
    return (
        _front_matter({"title": section.heading_text, "kind": "section", "chapter_slug": chapter.slug, "chapter_short": chapter.short or chapter.title, "section_slug": section.slug})
        + f"# {escape_inline(section.heading_text)}\n\n"
        + f"{escape_inline(chapter.heading_text)} · {_counts(section.questions)}\n\n"
        + _question_list(section.questions, "../")
    )


def _question_fields(question: Question, source: str) -> dict:
    """What both the page's front matter and the manifest say about a question."""
    return {
        "title": question.title,
        "slug": question.slug,
        "chapter": question.chapter.heading_text,
        "chapter_slug": question.chapter.slug,
        "chapter_short": question.chapter.short or question.chapter.title,
        "section": question.section.heading_text if question.section else None,
        "section_slug": question.section.slug if question.section else None,
        "number": question.number,
        "source": source,
        "line": question.location.line,
        "answered": question.answered,
        "anchor": question.anchor,
    }


def question_page(question: Question, answer: NormalisedAnswer, source: str) -> str:
    body = answer.markdown if question.answered else UNANSWERED_NOTICE
    return _front_matter({"kind": "question", **_question_fields(question, source)}) + f"# {escape_inline(question.title)}\n\n" + body


def home_page(books: list[Book], intro: str, title: str) -> str:
    parts = [_front_matter({"title": title, "kind": "home"}), f"# {escape_inline(title)}\n\n"]
    if intro:
        parts.append(intro.strip() + "\n\n")
    for book in books:
        if len(books) > 1:
            parts.append(f"## {escape_inline(book.title)}\n\n")
        parts.append("| 章节 | 题目 | 有参考答案 |\n| --- | ---: | ---: |\n")
        for chapter in book.chapters:
            answered = sum(q.answered for q in chapter.questions)
            parts.append(f"| [{escape_inline(chapter.heading_text)}]({chapter.slug}/index.md) | {len(chapter.questions)} | {answered} |\n")
        parts.append("\n")
    return "".join(parts).rstrip("\n") + "\n"


def manifest_entry(question: Question, answer: NormalisedAnswer, source: str, english_title: str) -> dict:
    return {
        "url": question_url(question),
        "path": question_path(question),
        **_question_fields(question, source),
        "title_en": english_title,
        "formulas": answer.formulas,
        "images": list(answer.images),
        "missing_images": list(answer.missing_images),
    }


def emit_site(
    books: list[Book],
    answers: dict[int, NormalisedAnswer],
    sources: dict[int, str],
    english_titles: dict[int, str],
    *,
    home_title: str,
    home_intro: str = "",
) -> EmittedSite:
    """`answers`, `sources` and `english_titles` are keyed by `id(question)` / `id(book)`."""
    files: dict[str, str] = {"index.md": home_page(books, home_intro, home_title)}
    manifest: list[dict] = []
    for book in books:
        source = sources[id(book)]
        for chapter in book.chapters:
            files[f"{chapter.slug}/index.md"] = chapter_page(chapter)
            for section in chapter.sections:
                files[f"{chapter.slug}/{section.slug}/index.md"] = section_page(chapter, section)
            for question in chapter.questions:
                answer = answers[id(question)]
                files[question_path(question)] = question_page(question, answer, source)
                manifest.append(manifest_entry(question, answer, source, english_titles.get(id(question), "")))
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    return EmittedSite(files=files, manifest=manifest)
