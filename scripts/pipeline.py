"""The whole split, parse → check → identity → normalise → emit, as one call on plain data.

Used by the command line (`python -m scripts split`) and the MkDocs hook alike, so both always
produce the same pages.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from scripts.book.check import CheckReport, check_book
from scripts.book.identity import assign_slugs, check_chapter_slugs, load_registry, registry_path_for
from scripts.book.model import Book, BookError, Diagnostic, Location, Question
from scripts.book.normalise import LONG_INLINE, NormalisedAnswer, normalise_answer
from scripts.book.parse import parse_book
from scripts.book.shelf import assign_book_identity, check_book_slugs
from scripts.book.translations import TranslatedAnswer, answer_fingerprint, load_translated_answers
from scripts.emit.pages import EmittedSite, HomeText, Language, Translation, emit_site
from scripts.emit.related import Document, Mention, Segment, answer_text, load_concept_groups, mention_plan, relate
from scripts.emit.urls import RESERVED_SLUGS, chapter_path, place_books, question_key, question_path, section_path, to_site_root
from scripts.emit.words import segment_words
from scripts.settings import IMAGE_FOLDER, figure_file
from scripts.strings import load_strings

DEFAULT_LANGUAGE = "zh"  # the book's own, when the caller names no languages


@dataclass
class SplitResult:
    books: list[Book]
    site: EmittedSite
    languages: dict[str, Language]  # by code, the book's own first
    diagnostics: list[Diagnostic] = field(default_factory=list)
    merged: int = 0
    missing_figures: list[Diagnostic] = field(default_factory=list)  # also in diagnostics, as warnings
    related: dict[int, list[Question]] = field(default_factory=dict)  # id(question) → its related questions, best first
    # the first mentions a question's page may link (scripts/render/crosslinks.py)
    mentions: dict[str, list[Mention]] = field(default_factory=dict)  # by question key
    intros: dict[int, NormalisedAnswer] = field(default_factory=dict)  # id(chapter or section) → its intro

    def figures(self) -> set[str]:
        """Every figure a page links (in an answer or an intro) that the image folder holds."""
        texts = [*self.site.manifest, *self.intros.values()]
        return {i for t in texts for i in t.images} - self.missing_figure_paths()

    def missing_figure_paths(self) -> set[str]:
        return {m for t in [*self.site.manifest, *self.intros.values()] for m in t.missing_images}

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def summary(self) -> str:
        questions = [q for b in self.books for q in b.questions]
        missing = sorted(self.missing_figure_paths())
        lines = [
            f"books:     {len(self.books)}",
            f"chapters:  {sum(len(b.chapters) for b in self.books)}",
            f"sections:  {sum(len(c.sections) for b in self.books for c in b.chapters)}",
            f"questions: {len(questions)} ({self.merged} exact duplicate(s) merged)",
            f"answered:  {sum(q.answered for q in questions)}",
            f"formulas:  {sum(e.formulas for e in self.site.manifest)}",
            f"warnings:  {len(self.warnings)}",
        ]
        if missing:
            lines.append(f"missing images: {len(missing)} ({', '.join(missing)})")
        for code in list(self.languages)[1:]:
            translated = [e for e in self.site.manifest if e.translations[code] != "none"]
            if translated:
                outdated = [e.slug for e in translated if e.translations[code] == "outdated"]
                lines.append(f"answers in '{code}': {len(translated)}, outdated: {len(outdated)}" + (f" ({', '.join(outdated)})" if outdated else ""))
        return "\n".join(lines)


def image_checker(images_dir: Path | None) -> Callable[[str], bool] | None:
    """Book image paths look like 'imgs/x.png'; the files themselves live in `images_dir`."""
    if images_dir is None:
        return None
    return lambda path: figure_file(images_dir, path) is not None


def _missing_figure(path: str, location: Location, images_dir: Path) -> Diagnostic:
    name = path.removeprefix(IMAGE_FOLDER + "/")
    if name == path or ".." in path.split("/"):
        message = f"figure '{path}' is outside the image folder, so it is not published: link it as ./{IMAGE_FOLDER}/<file>"
    else:
        message = f"figure '{name}' is missing from {images_dir} ({IMAGE_FOLDER}/ unless QA_IMAGES names another folder)"
    return Diagnostic(location, message, "warning")


def _reference_line(markdown: str, first_line: int, path: str) -> int:
    """The line of `markdown` (which starts at `first_line`) that links the image `path`."""
    name = posixpath.basename(path)
    for offset, line in enumerate(markdown.split("\n")):
        if name in line or quote(name) in line:
            return first_line + offset
    return first_line


def display_path(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()
    except ValueError:
        return path.as_posix()


def split_books(
    book_paths: list[Path],
    *,
    strict: bool = False,
    images_dir: Path | None = None,
    source_root: Path | None = None,
    home: Mapping[str, HomeText] | None = None,
    strings: Callable[[str], Mapping] = load_strings,
    invite_edits: bool = False,
    segment: Segment = segment_words,
) -> SplitResult:
    """Raises BookError on any error, or on any warning when `strict`.

    `home` names the site's languages, the book's own first, with each one's home page text
    (default: the book's language alone); every other language gets its pages (`x.<code>.md`)
    beside the book's, with the answers translated in `<book>.<code>/`. `strings(code)` gives a
    language's UI strings. `invite_edits` when the pages will link their source (see emit_site).
    `segment` cuts texts into words the way the search does (scripts/emit/words.py)."""
    home = dict(home or {DEFAULT_LANGUAGE: HomeText("题库")})
    default = next(iter(home))
    languages = {code: Language.from_strings(code, default, strings(code)) for code in home}
    root = source_root or Path.cwd()
    diagnostics: list[Diagnostic] = []
    books: list[Book] = []
    errors: list[Diagnostic] = []
    merged = 0
    left_out: dict[int, frozenset[str]] = {}  # id(book) → the figures its registry says were never published
    translated: dict[tuple[str, int], tuple[TranslatedAnswer, str]] = {}
    for path in book_paths:
        try:
            book = parse_book(path)
        except BookError as error:
            errors.extend(error.diagnostics)
            continue
        report = CheckReport(diagnostics=list(book.diagnostics))
        check_book(book, report)
        merged += len(report.merged)
        if report.errors:
            errors.extend(report.errors)
            continue
        try:
            registry = load_registry(registry_path_for(path))
        except BookError as error:
            errors.extend(error.diagnostics)
            continue
        assign_slugs(book, registry, report.diagnostics, RESERVED_SLUGS)  # chapters are unique per book (each has its folder)
        assign_book_identity(book, registry)
        left_out[id(book)] = frozenset(f"{IMAGE_FOLDER}/{name}" for name in registry.absent_figures)
        try:
            for code in list(home)[1:]:
                translated |= _match_translations(book, code, load_translated_answers(path, code), report.diagnostics)
        except BookError as error:
            errors.extend(error.diagnostics)
            continue
        diagnostics.extend(report.diagnostics)
        books.append(book)
    place_books(books)
    # Chapter slugs are unique within their book; the top-level URL folders (chapters of a book
    # published alone, else the books) must not be the site's own.
    for book in books:
        check_chapter_slugs([book], diagnostics, frozenset() if book.folder else RESERVED_SLUGS)
    check_book_slugs(books, diagnostics, RESERVED_SLUGS)
    errors.extend(d for d in diagnostics if d.severity == "error")
    if strict:
        errors.extend(d for d in diagnostics if d.severity == "warning")
    if errors:
        raise BookError(errors)

    exists = image_checker(images_dir)
    answers: dict[int, NormalisedAnswer] = {}
    missing_figures: list[Diagnostic] = []

    answer_warnings: list[Diagnostic] = []

    def note_missing(answer: NormalisedAnswer, path: Path, markdown: str, first_line: int) -> None:
        for image in dict.fromkeys(answer.missing_images):
            missing_figures.append(_missing_figure(image, Location(path, _reference_line(markdown, first_line, image)), images_dir))
        for offset in answer.plain_text_lines:
            answer_warnings.append(Diagnostic(Location(path, first_line + offset), f"a paragraph of over {LONG_INLINE:,} characters "
                                         "is shown as plain text, not read as Markdown; break it up", "warning"))
        for offset, repaired in answer.slips:
            answer_warnings.append(Diagnostic(Location(path, first_line + offset), repaired, "warning"))

    for book in books:
        for question in book.questions:
            answer = normalise_answer(question.answer, image_prefix=to_site_root(question_path(question)), image_exists=exists,
                                      left_out=left_out[id(book)])
            answers[id(question)] = answer
            note_missing(answer, book.path, question.answer, question.answer_line)
    intros = normalised_intros(books, exists, left_out, note_missing)
    translations = {}
    questions = {id(question): question for book in books for question in book.questions}
    for key, (translation, fingerprint) in translated.items():
        prefix = to_site_root(question_path(questions[key[1]]))  # a translation is published beside its question
        translations[key] = Translation(normalise_answer(translation.markdown, image_prefix=prefix, image_exists=exists),
                                        outdated=translation.translates != fingerprint)
        note_missing(translations[key].answer, translation.path, translation.markdown, 1)
    if images_dir is None:
        missing_figures = []  # nothing was checked: every image counted as present
    diagnostics.extend(answer_warnings + missing_figures)
    if strict and answer_warnings + missing_figures:
        raise BookError(answer_warnings + missing_figures)
    sources = {id(book): display_path(book.path, root) for book in books}
    related = related_questions(books, segment)
    site = emit_site(books, answers, sources, languages=list(languages.values()), home=home, translations=translations,
                     invite_edits=invite_edits, related=related, intros=intros)
    return SplitResult(books=books, site=site, languages=languages, diagnostics=diagnostics, merged=merged,
                       missing_figures=missing_figures, related=related, mentions=first_mentions(books), intros=intros)


def normalised_intros(books: list[Book], exists: Callable[[str], bool] | None, left_out: dict[int, frozenset[str]],
                      note: Callable[[NormalisedAnswer, Path, str, int], None]) -> dict[int, NormalisedAnswer]:
    """{id(chapter or section): its intro, normalised like an answer}, its figures linked from the
    page it is shown on (a section's sits one folder deeper than its chapter's)."""
    intros: dict[int, NormalisedAnswer] = {}
    for book in books:
        for chapter in book.chapters:
            pages = [(chapter, chapter_path(chapter)), *((section, section_path(chapter, section)) for section in chapter.sections)]
            for heading, page in pages:
                if heading.intro:
                    intros[id(heading)] = normalise_answer(heading.intro, image_prefix=to_site_root(page), image_exists=exists,
                                                           left_out=left_out[id(book)])
                    note(intros[id(heading)], book.path, heading.intro, heading.intro_line)
    return intros


def related_questions(books: list[Book], segment: Segment = segment_words) -> dict[int, list[Question]]:
    """Every question's related questions (相关题目), within its book, computed once per build.
    Within the book: a reader studies one book at a time, and comparing every pair of questions
    of a site of many books would cost the square of all of them."""
    concepts = load_concept_groups()
    shelf = [[Document(q.title, q.title_en, answer_text(q.answer)) for q in book.questions] for book in books]
    # Every book's texts cut in one go: the segmenter is a Node process, and its start costs more than a book's words.
    texts = list(dict.fromkeys(text for documents in shelf for d in documents for text in (d.title, d.answer)))
    words = dict(zip(texts, segment(texts), strict=True))
    related: dict[int, list[Question]] = {}
    for book, documents in zip(books, shelf, strict=True):
        questions = book.questions
        relatedness = relate(documents, lambda book_texts: [words[text] for text in book_texts], concepts)
        related.update({id(q): [questions[other] for other in relatedness.related[number]] for number, q in enumerate(questions)})
    return related


def first_mentions(books: list[Book]) -> dict[str, list[Mention]]:
    """{question key (scripts/emit/urls.py): the subjects of other questions of its book its answer may link}."""
    concepts = load_concept_groups()
    mentions: dict[str, list[Mention]] = {}
    for book in books:
        plan = mention_plan(book.questions, concepts)
        mentions.update({question_key(q): plan[id(q)] for q in book.questions})
    return mentions


def _match_translations(book: Book, language: str, answers: dict[str, TranslatedAnswer],
                        diagnostics: list[Diagnostic]) -> dict[tuple[str, int], tuple[TranslatedAnswer, str]]:
    """{(language, id(question)): (its translated answer, the current fingerprint of the book's answer)}."""
    by_slug = {q.slug: q for q in book.questions}
    matched = {}
    for slug, answer in answers.items():
        question = by_slug.get(slug)
        if question is None:
            diagnostics.append(Diagnostic(Location(answer.path, 1), f"no question has the slug '{slug}'; rename the file after a slug in the registry", "warning"))
            continue
        matched[(language, id(question))] = (answer, answer_fingerprint(question.answer))
    return matched
