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
from scripts.emit.schema import BookPage, ChapterPage, HomePage, ManifestEntry, QuestionPage, ReviewPage, SectionPage
from scripts.emit.search_alias import search_alias
from scripts.emit.urls import (
    book_path,
    chapter_key,
    chapter_path,
    home_path,
    link_between,
    question_key,
    question_path,
    question_url,
    review_path,
    section_path,
)

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


def book_title(book: Book, language: Language) -> str:
    return book.title if language.is_default else (book.title_en if language.code == "en" and book.title_en else book.title)


def _book_fields(chapter: Chapter, language: Language) -> dict:
    """What a page of a site of several books says about its book; nothing on a site of one."""
    book = chapter.book
    if book is None or not book.folder:
        return {}
    return {"book": book_title(book, language), "chapter_key": chapter_key(chapter)}


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


# In another language's tree an intro sits between these two marks; once the page's HTML is safe
# and balanced, what lies between them becomes one block in the book's language (site_build). A
# wrapper written here in Markdown would end at the first </div> of the book's own HTML. The end
# mark, in every tree, is where the chapter's own text ends: the progress card goes there
# (partials/practice.html, which removes it).
INTRO_START = '<div class="qa-intro-start"></div>'
INTRO_END = '<div class="qa-intro-end"></div>'


def intro_block(intro: NormalisedAnswer | None, language: Language, book_language: str) -> str:
    """The text under a chapter or section heading, before its questions; in another language's
    tree it is still the book's text, and says so (as a question page showing the book's answer does)."""
    if intro is None or not intro.markdown:
        return ""
    if language.is_default:
        return f"{intro.markdown}\n{INTRO_END}\n\n"
    return f"{INTRO_START}\n\n{intro.markdown}\n{INTRO_END}\n\n"


def chapter_page(chapter: Chapter, language: Language, intro: NormalisedAnswer | None = None, book_language: str = "") -> str:
    heading = chapter_heading(chapter, language)
    parts = [
        _front_matter(ChapterPage(heading, chapter.slug, chapter_short(chapter, language), **_book_fields(chapter, language)).front_matter()),
        f"# {escape_inline(heading)}\n\n{_counts(chapter.questions, language)}\n\n",
        intro_block(intro, language, book_language),
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


def section_page(chapter: Chapter, section: Section, language: Language, intro: NormalisedAnswer | None = None,
                 book_language: str = "") -> str:
    heading = section_heading(section, language)
    return (
        _front_matter(SectionPage(heading, chapter.slug, chapter_short(chapter, language), section.slug,
                                  **_book_fields(chapter, language)).front_matter())
        + f"# {escape_inline(heading)}\n\n"
        + f"{escape_inline(chapter_heading(chapter, language))} · {_counts(section.questions, language)}\n\n"
        + intro_block(intro, language, book_language)
        + _question_list(section.questions, section_path(chapter, section, language.suffix), language)
    )


def _question_fields(question: Question, source: str, language: Language) -> dict:
    """The QuestionFields of a question in `language`, as keyword arguments."""
    several = _book_fields(question.chapter, language)
    if several:
        several["key"] = question_key(question)
    return {
        **several,
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


def related_block(question: Question, related: list[Question], language: Language) -> str:
    """相关题目: the related questions as links, each with its chapter and status. A block of its
    own class, which the search leaves out (it names other questions on every page)."""
    if not related:
        return ""
    here = question_path(question, language.suffix)
    items = []
    for other in related:
        link = link_between(here, question_path(other, language.suffix))
        chapter = escape_inline(chapter_short(other.chapter, language))
        items.append(f'- [{escape_inline(question_title(other, language))}]({link}) '
                     f'<span class="qa-related__chapter">{chapter}</span> {_status(other, language)}')
    return (f'\n<div class="qa-related" markdown>\n\n## {escape_inline(language.text["related_heading"])}\n\n'
            + "\n".join(items) + "\n\n</div>\n")


def question_page(question: Question, answer: NormalisedAnswer, source: str, language: Language, invite_edits: bool = False,
                  related: list[Question] | None = None) -> str:
    body = answer.markdown if question.answered else _unanswered_notice(language, invite_edits)
    front = QuestionPage(**_question_fields(question, source, language),
                         search_alias=search_alias(question.title, question.title_en) or None).front_matter()
    return _front_matter(front) + f"# {escape_inline(question.title)}\n\n" + body + related_block(question, related or [], language)


def translated_question_page(question: Question, answer: NormalisedAnswer, translation: Translation | None, source: str,
                             language: Language, invite_edits: bool = False, related: list[Question] | None = None) -> str:
    """A question in a language other than the book's: its answer where one was written, else the
    book's answer under a notice that says so."""
    own = question_title(question, language)
    front = QuestionPage(**_question_fields(question, source, language), source_title=question.title,
                         translation=_translation_state(translation),
                         search_alias=search_alias(question.title, question.title if own != question.title else "") or None).front_matter()
    if not question.answered:
        body = _unanswered_notice(language, invite_edits)
    elif translation is None:
        body = language.notice("note", "source_answer", title_source=escape_inline(question.title)) + "\n" + answer.markdown
    else:
        body = (language.notice("warning", "outdated") + "\n" if translation.outdated else "") + translation.answer.markdown
    return (_front_matter(front) + f"# {escape_inline(question_title(question, language))}\n\n" + body
            + related_block(question, related or [], language))


def _chapter_table(book: Book, here: str, language: Language) -> str:
    rows = [f"{language.text['home_columns']}\n| --- | ---: | ---: |\n"]
    for chapter in book.chapters:
        answered = sum(q.answered for q in chapter.questions)
        link = link_between(here, chapter_path(chapter, language.suffix))
        rows.append(f"| [{escape_inline(chapter_heading(chapter, language))}]({link}) | {len(chapter.questions)} | {answered} |\n")
    return "".join(rows)


def home_page(books: list[Book], intro: str, title: str, language: Language) -> str:
    """The site's home: a site of one book lists its chapters; of several, its books (the theme
    shows them as cards, partials/book-cards.html), each with its own home page."""
    here = home_path(language.suffix)
    parts = [_front_matter(HomePage().front_matter()), f"# {escape_inline(title)}\n\n"]
    if intro:
        parts.append(intro.strip() + "\n\n")
    if len(books) == 1:
        parts.append(_chapter_table(books[0], here, language))
        return "".join(parts).rstrip("\n") + "\n"
    parts.append(f"{language.text['books_columns']}\n| --- | ---: | ---: |\n")
    for book in books:
        link = link_between(here, book_path(book, language.suffix))
        parts.append(f"| [{escape_inline(book_title(book, language))}]({link}) | {len(book.questions)} | {sum(q.answered for q in book.questions)} |\n")
    return "".join(parts).rstrip("\n") + "\n"


def book_page(book: Book, language: Language) -> str:
    """A book's home on a site of several books: what the site's home is for a site of one."""
    title = book_title(book, language)
    answered = sum(q.answered for q in book.questions)
    return (_front_matter(BookPage(title, len(book.questions), answered).front_matter())
            + f"# {escape_inline(title)}\n\n{_counts(book.questions, language)}\n\n"
            + _chapter_table(book, book_path(book, language.suffix), language))


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
    related: Mapping[int, list[Question]] | None = None,
    intros: Mapping[int, NormalisedAnswer] | None = None,
) -> EmittedSite:
    """`answers` are keyed by `id(question)`, `translations` by (language code, `id(question)`),
    `sources` by `id(book)`; `languages` lists the default language first, `home` gives each its
    home page text. `invite_edits` when pages link their source (纠错): unanswered pages then
    ask for an answer. `related` gives each question's related questions (by `id(question)`),
    listed at the end of its page. `intros` gives chapters' and sections' intros (by their `id`),
    shown on their pages above the questions."""
    translations = translations or {}
    intros = intros or {}
    related = related or {}
    default, others = languages[0], languages[1:]
    files: dict[str, str] = {}
    manifest: list[ManifestEntry] = []
    for language in languages:
        files[home_path(language.suffix)] = home_page(books, home[language.code].intro, home[language.code].title, language)
        files[review_path(language.suffix)] = review_page(language)
    for book in books:
        source = sources[id(book)]
        if book.folder:
            for language in languages:
                files[book_path(book, language.suffix)] = book_page(book, language)
        for chapter in book.chapters:
            for language in languages:
                files[chapter_path(chapter, language.suffix)] = chapter_page(chapter, language, intros.get(id(chapter)), default.code)
                for section in chapter.sections:
                    files[section_path(chapter, section, language.suffix)] = section_page(
                        chapter, section, language, intros.get(id(section)), default.code)
            for question in chapter.questions:
                answer = answers[id(question)]
                mine_related = related.get(id(question), [])
                files[question_path(question)] = question_page(question, answer, source, default, invite_edits, mine_related)
                mine = {language.code: translations.get((language.code, id(question))) for language in others}
                for language in others:
                    files[question_path(question, language.suffix)] = translated_question_page(
                        question, answer, mine[language.code], source, language, invite_edits, mine_related)
                manifest.append(manifest_entry(question, answer, source, default, mine))
    files["manifest.json"] = json.dumps([entry.to_json() for entry in manifest], ensure_ascii=False, indent=2) + "\n"
    return EmittedSite(files=files, manifest=manifest)
