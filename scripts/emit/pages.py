"""Emit step: checked, slugged, normalised books → markdown pages and a manifest.

Pure: returns {relative path: text}. Writing to disk is `output.write_tree`'s job, so
this step is easy to test and its output is byte-identical for identical input.

Chinese pages are `x.md`; English pages, when asked for, are `x.en.md` beside them
(mkdocs-static-i18n's suffix layout), built from the same questions and answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from scripts.book.model import Book, Chapter, Question, Section
from scripts.book.normalise import NormalisedAnswer
from scripts.emit.urls import chapter_path, home_path, question_path, question_url, section_path

_MARKDOWN_SPECIALS = str.maketrans({"\\": "\\\\", "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "]": "\\]", "<": "&lt;", "$": "&#36;"})


@dataclass(frozen=True)
class Language:
    code: str
    suffix: str  # file suffix before .md
    answered_badge: str
    open_badge: str
    counts: str  # format with total, answered
    home_columns: str
    unanswered_notice: str  # format with invitation: answer_invitation, or "" without a 纠错 link
    answer_invitation: str
    chinese_answer_notice: str = ""  # format with title_zh; shown above an untranslated answer
    outdated_notice: str = ""


ZH = Language(
    code="zh",
    suffix="",
    answered_badge="有答案",
    open_badge="待补充",
    counts="共 {total} 题，其中 {answered} 题有参考答案。",
    home_columns="| 章节 | 题目 | 有参考答案 |",
    unanswered_notice=(
        '!!! info qa-notice "暂无参考答案"\n\n'
        "    这道题目前还没有参考答案。先试着自己作答吧。{invitation}\n"
    ),
    answer_invitation="也欢迎通过本页的“纠错”链接补充答案。",
)
EN = Language(
    code="en",
    suffix=".en",
    answered_badge="answered",
    open_badge="open",
    counts="{total} questions, {answered} with a reference answer.",
    home_columns="| Chapter | Questions | Answered |",
    unanswered_notice=(
        '!!! info qa-notice "No reference answer yet"\n\n'
        "    This question has no reference answer yet. Try answering it yourself first.{invitation}\n"
    ),
    answer_invitation=" Corrections and answers are welcome through the “Edit” link on this page.",
    chinese_answer_notice=(
        '!!! note qa-notice "The answer is in Chinese"\n\n'
        "    No English answer has been written for this question yet, so the reference answer below is the "
        "Chinese original. The question in Chinese: {title_zh}\n"
    ),
    outdated_notice=(
        '!!! warning qa-notice "This translation may be outdated"\n\n'
        "    The Chinese answer changed after this English answer was written. "
        "The Chinese page has the current version.\n"
    ),
)
LANGUAGES = {language.code: language for language in (ZH, EN)}


@dataclass(frozen=True)
class Translation:
    """An English answer written for one question; `outdated` when the Chinese answer changed since."""

    answer: NormalisedAnswer
    outdated: bool


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


# Localised names: English falls back to the Chinese text where the registry has none.
def chapter_heading(chapter: Chapter, language: Language) -> str:
    if language is ZH:
        return chapter.heading_text
    return f"Chapter {chapter.number}: {chapter.title_en or chapter.title}"


def chapter_short(chapter: Chapter, language: Language) -> str:
    if language is ZH:
        return chapter.short or chapter.title
    return chapter.title_en or chapter.short or chapter.title


def section_heading(section: Section, language: Language) -> str:
    return section.heading_text if language is ZH else (section.title_en or section.heading_text)


def question_title(question: Question, language: Language) -> str:
    return question.title if language is ZH else (question.title_en or question.title)


def _status(question: Question, language: Language) -> str:
    if question.answered:
        return f'<span class="qa-status qa-status--answered">{language.answered_badge}</span>'
    return f'<span class="qa-status qa-status--open">{language.open_badge}</span>'


def _question_list(questions: list[Question], link_prefix: str, language: Language) -> str:
    lines = []
    for question in questions:
        number = f"{question.number}\\. " if question.number is not None else ""
        link = f"{link_prefix}{question.slug}{language.suffix}.md"
        lines.append(f"- {number}[{escape_inline(question_title(question, language))}]({link}) {_status(question, language)}")
    return "\n".join(lines) + "\n"


def _counts(questions: list[Question], language: Language) -> str:
    return language.counts.format(total=len(questions), answered=sum(q.answered for q in questions))


def chapter_page(chapter: Chapter, language: Language = ZH) -> str:
    heading = chapter_heading(chapter, language)
    parts = [
        _front_matter({"title": heading, "kind": "chapter", "chapter_slug": chapter.slug, "chapter_short": chapter_short(chapter, language)}),
        f"# {escape_inline(heading)}\n\n{_counts(chapter.questions, language)}\n\n",
    ]
    loose = [q for q in chapter.questions if q.section is None]
    if loose:
        parts.append(_question_list(loose, "", language))
    for section in chapter.sections:
        link = f"{section.slug}/index{language.suffix}.md"
        parts.append(f"\n## [{escape_inline(section_heading(section, language))}]({link})\n\n{_counts(section.questions, language)}\n\n")
        parts.append(_question_list(section.questions, "", language))
    return "".join(parts)


def section_page(chapter: Chapter, section: Section, language: Language = ZH) -> str:
    heading = section_heading(section, language)
    return (
        _front_matter({"title": heading, "kind": "section", "chapter_slug": chapter.slug, "chapter_short": chapter_short(chapter, language), "section_slug": section.slug})
        + f"# {escape_inline(heading)}\n\n"
        + f"{escape_inline(chapter_heading(chapter, language))} · {_counts(section.questions, language)}\n\n"
        + _question_list(section.questions, "../", language)
    )


def _question_fields(question: Question, source: str, language: Language = ZH) -> dict:
    """What both the page's front matter and the manifest say about a question."""
    return {
        "title": question_title(question, language),
        "slug": question.slug,
        "chapter": chapter_heading(question.chapter, language),
        "chapter_slug": question.chapter.slug,
        "chapter_short": chapter_short(question.chapter, language),
        "section": section_heading(question.section, language) if question.section else None,
        "section_slug": question.section.slug if question.section else None,
        "number": question.number,
        "source": source,
        "line": question.location.line,
        "answered": question.answered,
        "anchor": question.anchor,
    }


def _unanswered_notice(language: Language, invite_edits: bool) -> str:
    return language.unanswered_notice.format(invitation=language.answer_invitation if invite_edits else "")


def question_page(question: Question, answer: NormalisedAnswer, source: str, invite_edits: bool = False) -> str:
    body = answer.markdown if question.answered else _unanswered_notice(ZH, invite_edits)
    return _front_matter({"kind": "question", **_question_fields(question, source)}) + f"# {escape_inline(question.title)}\n\n" + body


def english_question_page(question: Question, answer: NormalisedAnswer, translation: Translation | None, source: str,
                          invite_edits: bool = False) -> str:
    state = "none" if translation is None else ("outdated" if translation.outdated else "current")
    front = {"kind": "question", **_question_fields(question, source, EN), "title_zh": question.title, "translation": state}
    if not question.answered:
        body = _unanswered_notice(EN, invite_edits)
    elif translation is None:
        body = EN.chinese_answer_notice.format(title_zh=escape_inline(question.title)) + "\n" + answer.markdown
    else:
        body = (EN.outdated_notice + "\n" if translation.outdated else "") + translation.answer.markdown
    return _front_matter(front) + f"# {escape_inline(question_title(question, EN))}\n\n" + body


def home_page(books: list[Book], intro: str, title: str, language: Language = ZH) -> str:
    # No front-matter title: Material then titles the home page with the site name alone.
    parts = [_front_matter({"kind": "home"}), f"# {escape_inline(title)}\n\n"]
    if intro:
        parts.append(intro.strip() + "\n\n")
    for book in books:
        if len(books) > 1:
            parts.append(f"## {escape_inline(book.title)}\n\n")
        parts.append(f"{language.home_columns}\n| --- | ---: | ---: |\n")
        for chapter in book.chapters:
            answered = sum(q.answered for q in chapter.questions)
            link = f"{chapter.slug}/index{language.suffix}.md"
            parts.append(f"| [{escape_inline(chapter_heading(chapter, language))}]({link}) | {len(chapter.questions)} | {answered} |\n")
        parts.append("\n")
    return "".join(parts).rstrip("\n") + "\n"


def manifest_entry(question: Question, answer: NormalisedAnswer, source: str, translation: Translation | None = None) -> dict:
    return {
        "url": question_url(question),
        "path": question_path(question),
        **_question_fields(question, source),
        "title_en": question.title_en,
        "translation": "none" if translation is None else ("outdated" if translation.outdated else "current"),
        "formulas": answer.formulas,
        "images": list(answer.images),
        "missing_images": list(answer.missing_images),
    }


@dataclass(frozen=True)
class HomeText:
    title: str
    intro: str = ""


def emit_site(
    books: list[Book],
    answers: dict[int, NormalisedAnswer],
    sources: dict[int, str],
    *,
    home: dict[str, HomeText],
    translations: dict[int, Translation] | None = None,
    invite_edits: bool = False,
) -> EmittedSite:
    """`answers` and `translations` are keyed by `id(question)`, `sources` by `id(book)`;
    `home` names the languages to emit ("zh" always, "en" optionally) and their home page text.
    `invite_edits` when pages link their source (纠错): unanswered pages then ask for an answer."""
    translations = translations or {}
    languages = [LANGUAGES[code] for code in home]
    files: dict[str, str] = {}
    manifest: list[dict] = []
    for language in languages:
        files[home_path(language.suffix)] = home_page(books, home[language.code].intro, home[language.code].title, language)
    for book in books:
        source = sources[id(book)]
        for chapter in book.chapters:
            for language in languages:
                files[chapter_path(chapter, language.suffix)] = chapter_page(chapter, language)
                for section in chapter.sections:
                    files[section_path(chapter, section, language.suffix)] = section_page(chapter, section, language)
            for question in chapter.questions:
                answer, translation = answers[id(question)], translations.get(id(question))
                files[question_path(question)] = question_page(question, answer, source, invite_edits)
                if EN in languages:
                    files[question_path(question, EN.suffix)] = english_question_page(question, answer, translation, source, invite_edits)
                manifest.append(manifest_entry(question, answer, source, translation))
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    return EmittedSite(files=files, manifest=manifest)
