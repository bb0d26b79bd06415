"""Emit step: checked, slugged, normalised books → markdown pages and a manifest.

Pure: returns {relative path: text}. Writing to disk is `output.write_tree`'s job, so
this step is easy to test and its output is byte-identical for identical input.

Chinese pages are `x.md`; English pages, when asked for, are `x.en.md` beside them
(mkdocs-static-i18n's suffix layout), built from the same questions and answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from scripts.book.model import Book, Chapter, Question, Section
from scripts.book.normalise import NormalisedAnswer
from scripts.emit.schema import ChapterPage, HomePage, ManifestEntry, QuestionPage, ReviewPage, SectionPage
from scripts.emit.urls import chapter_path, home_path, link_between, question_path, question_url, review_path, section_path

_MARKDOWN_SPECIALS = str.maketrans({"&": "&amp;", "\\": "\\\\", "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "]": "\\]", "<": "&lt;", "$": "&#36;"})


@dataclass(frozen=True)
class Language:
    """A language of the site: its code, its file suffix and its page texts (the `pages`
    section of scripts/strings/<code>.yml). The default language is the book's own; every
    other one is a translation whose titles come from the registry where it has them."""

    code: str
    suffix: str  # "" for the default language, ".<code>" for the others (mkdocs-static-i18n's suffix layout)
    text: Mapping[str, str]
    is_default: bool

    @classmethod
    def from_strings(cls, code: str, default: str, strings: Mapping) -> Language:
        return cls(code, "" if code == default else f".{code}", strings["pages"], code == default)

    def notice(self, kind: str, name: str, **fields: str) -> str:
        """An admonition of the `<name>_title` / `<name>_body` texts."""
        body = self.text[f"{name}_body"].format(**fields)
        return f'!!! {kind} qa-notice "{self.text[f"{name}_title"]}"\n\n    {body}\n'


@dataclass(frozen=True)
class Translation:
    """An English answer written for one question; `outdated` when the Chinese answer changed since."""

    answer: NormalisedAnswer
    outdated: bool


@dataclass(frozen=True)
class EmittedSite:
    files: dict[str, str]
    manifest: list[ManifestEntry]


def escape_inline(text: str) -> str:
    """Plain heading text → markdown that renders as exactly that text (no emphasis, math, tags or
    entities: a title reading `&lt;` shows `&lt;`, as on GitHub)."""
    return text.translate(_MARKDOWN_SPECIALS)


# What JSON leaves raw but YAML refuses (DEL, C1 controls, U+FFFE/U+FFFF) or
# reads as a line break (NEL, U+2028/9), and a BOM: one of them made MkDocs drop a page's front matter.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _yaml_scalar(value: str | int | bool | None) -> str:
    # A JSON string is a valid YAML double-quoted scalar, and far cheaper to write than yaml.dump.
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def _front_matter(data: dict) -> str:
    return "---\n" + "".join(f"{key}: {_yaml_scalar(value)}\n" for key, value in data.items()) + "---\n\n"


def _registry_title(item: Chapter | Section | Question, language: Language) -> str:
    """The registry's title in `language`; it holds English ones (`en:`), other languages fall
    back to the book's own titles."""
    return item.title_en if language.code == "en" else ""


def chapter_heading(chapter: Chapter, language: Language) -> str:
    if language.is_default:
        return chapter.heading_text
    return language.text["chapter_heading"].format(number=chapter.number, title=_registry_title(chapter, language) or chapter.title)


def chapter_short(chapter: Chapter, language: Language) -> str:
    if language.is_default:
        return chapter.short or chapter.title
    return _registry_title(chapter, language) or chapter.short or chapter.title


def section_heading(section: Section, language: Language) -> str:
    return section.heading_text if language.is_default else (_registry_title(section, language) or section.heading_text)


def question_title(question: Question, language: Language) -> str:
    return question.title if language.is_default else (_registry_title(question, language) or question.title)


def _status(question: Question, language: Language) -> str:
    if question.answered:
        return f'<span class="qa-status qa-status--answered">{language.text["answered_badge"]}</span>'
    return f'<span class="qa-status qa-status--open">{language.text["open_badge"]}</span>'


def _question_list(questions: list[Question], page: str, language: Language) -> str:
    """The questions as a list of links from the page at `page` (a source path)."""
    lines = []
    for question in questions:
        number = f"{question.number}\\. " if question.number is not None else ""
        link = link_between(page, question_path(question, language.suffix))
        lines.append(f"- {number}[{escape_inline(question_title(question, language))}]({link}) {_status(question, language)}")
    return "\n".join(lines) + "\n"


def _counts(questions: list[Question], language: Language) -> str:
    return language.text["counts"].format(total=len(questions), answered=sum(q.answered for q in questions))


def chapter_page(chapter: Chapter, language: Language) -> str:
    heading = chapter_heading(chapter, language)
    parts = [
        _front_matter(ChapterPage(heading, chapter.slug, chapter_short(chapter, language)).front_matter()),
        f"# {escape_inline(heading)}\n\n{_counts(chapter.questions, language)}\n\n",
    ]
    here = chapter_path(chapter, language.suffix)
    loose = [q for q in chapter.questions if q.section is None]
    if loose:
        parts.append(_question_list(loose, here, language))
    for section in chapter.sections:
        link = link_between(here, section_path(chapter, section, language.suffix))
        parts.append(f"\n## [{escape_inline(section_heading(section, language))}]({link})\n\n{_counts(section.questions, language)}\n\n")
        parts.append(_question_list(section.questions, here, language))
    return "".join(parts)


def section_page(chapter: Chapter, section: Section, language: Language) -> str:
    heading = section_heading(section, language)
    return (
        _front_matter(SectionPage(heading, chapter.slug, chapter_short(chapter, language), section.slug).front_matter())
        + f"# {escape_inline(heading)}\n\n"
        + f"{escape_inline(chapter_heading(chapter, language))} · {_counts(section.questions, language)}\n\n"
        + _question_list(section.questions, section_path(chapter, section, language.suffix), language)
    )


def _question_fields(question: Question, source: str, language: Language) -> dict:
    """The QuestionFields of a question in `language`, as keyword arguments."""
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
    return language.notice("info", "unanswered", invitation=language.text["answer_invitation"] if invite_edits else "")


def _translation_state(translation: Translation | None) -> str:
    return "none" if translation is None else ("outdated" if translation.outdated else "current")


def question_page(question: Question, answer: NormalisedAnswer, source: str, language: Language, invite_edits: bool = False) -> str:
    body = answer.markdown if question.answered else _unanswered_notice(language, invite_edits)
    front = QuestionPage(**_question_fields(question, source, language)).front_matter()
    return _front_matter(front) + f"# {escape_inline(question.title)}\n\n" + body


def translated_question_page(question: Question, answer: NormalisedAnswer, translation: Translation | None, source: str,
                             language: Language, invite_edits: bool = False) -> str:
    """A question in a language other than the book's: its answer where one was written, else the
    book's answer under a notice that says so."""
    front = QuestionPage(**_question_fields(question, source, language), source_title=question.title,
                         translation=_translation_state(translation)).front_matter()
    if not question.answered:
        body = _unanswered_notice(language, invite_edits)
    elif translation is None:
        body = language.notice("note", "source_answer", title_source=escape_inline(question.title)) + "\n" + answer.markdown
    else:
        body = (language.notice("warning", "outdated") + "\n" if translation.outdated else "") + translation.answer.markdown
    return _front_matter(front) + f"# {escape_inline(question_title(question, language))}\n\n" + body


def home_page(books: list[Book], intro: str, title: str, language: Language) -> str:
    parts = [_front_matter(HomePage().front_matter()), f"# {escape_inline(title)}\n\n"]
    if intro:
        parts.append(intro.strip() + "\n\n")
    for book in books:
        if len(books) > 1:
            parts.append(f"## {escape_inline(book.title)}\n\n")
        parts.append(f"{language.text['home_columns']}\n| --- | ---: | ---: |\n")
        for chapter in book.chapters:
            answered = sum(q.answered for q in chapter.questions)
            link = link_between(home_path(language.suffix), chapter_path(chapter, language.suffix))
            parts.append(f"| [{escape_inline(chapter_heading(chapter, language))}]({link}) | {len(chapter.questions)} | {answered} |\n")
        parts.append("\n")
    return "".join(parts).rstrip("\n") + "\n"


def review_page(language: Language) -> str:
    """The review page's title and lead; the questions due come from this browser (review.js)."""
    title = language.text["review_title"]
    return _front_matter(ReviewPage(title).front_matter()) + f"# {escape_inline(title)}\n\n{language.text['review_lead']}\n"


def manifest_entry(question: Question, answer: NormalisedAnswer, source: str, default: Language,
                   translations: Mapping[str, Translation | None]) -> ManifestEntry:
    return ManifestEntry(
        **_question_fields(question, source, default),
        url=question_url(question),
        path=question_path(question),
        title_en=question.title_en,
        translations={code: _translation_state(translation) for code, translation in translations.items()},
        formulas=answer.formulas,
        images=answer.images,
        missing_images=answer.missing_images,
    )


@dataclass(frozen=True)
class HomeText:
    title: str
    intro: str = ""


def emit_site(
    books: list[Book],
    answers: dict[int, NormalisedAnswer],
    sources: dict[int, str],
    *,
    languages: list[Language],
    home: dict[str, HomeText],
    translations: dict[tuple[str, int], Translation] | None = None,
    invite_edits: bool = False,
) -> EmittedSite:
    """`answers` are keyed by `id(question)`, `translations` by (language code, `id(question)`),
    `sources` by `id(book)`; `languages` lists the default language first, `home` gives each its
    home page text. `invite_edits` when pages link their source (纠错): unanswered pages then
    ask for an answer."""
    translations = translations or {}
    default, others = languages[0], languages[1:]
    files: dict[str, str] = {}
    manifest: list[ManifestEntry] = []
    for language in languages:
        files[home_path(language.suffix)] = home_page(books, home[language.code].intro, home[language.code].title, language)
        files[review_path(language.suffix)] = review_page(language)
    for book in books:
        source = sources[id(book)]
        for chapter in book.chapters:
            for language in languages:
                files[chapter_path(chapter, language.suffix)] = chapter_page(chapter, language)
                for section in chapter.sections:
                    files[section_path(chapter, section, language.suffix)] = section_page(chapter, section, language)
            for question in chapter.questions:
                answer = answers[id(question)]
                files[question_path(question)] = question_page(question, answer, source, default, invite_edits)
                mine = {language.code: translations.get((language.code, id(question))) for language in others}
                for language in others:
                    files[question_path(question, language.suffix)] = translated_question_page(
                        question, answer, mine[language.code], source, language, invite_edits)
                manifest.append(manifest_entry(question, answer, source, default, mine))
    files["manifest.json"] = json.dumps([entry.to_json() for entry in manifest], ensure_ascii=False, indent=2) + "\n"
    return EmittedSite(files=files, manifest=manifest)
