"""Check step: retitle headings whose text was pasted from another question, merge exact duplicates,
keep conflicting ones as two pages with a warning, and match the TOC to the questions.

Every comparison goes through `text.match_key`, never the raw string: the book's TOC
links, heading ids and heading texts disagree on spaces, hyphens, underscores and
full/half-width punctuation while meaning the same question.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scripts.book.model import Book, Diagnostic, Question, TocEntry
from scripts.book.text import match_key, split_number


@dataclass
class CheckReport:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    merged: list[tuple[Question, Question]] = field(default_factory=list)  # (kept, dropped)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def _same_answer(a: Question, b: Question) -> bool:
    return a.answer.split() == b.answer.split()


def merge_duplicates(book: Book, report: CheckReport) -> None:
    """Keep the first of two questions with the same title or id; they must say the same thing."""
    first_by_key: dict[str, Question] = {}
    for question in book.questions:
        keys = [f"title:{match_key(question.title)}"]
        if question.anchor:
            keys.append(f"id:{match_key(question.anchor)}")
        original = next((first_by_key[k] for k in keys if k in first_by_key), None)
        if original is None:
            for key in keys:
                first_by_key[key] = question
            continue
        if _same_answer(original, question):
            original.merged_duplicates.append(question.location)
            _remove(question)
            report.merged.append((original, question))
            report.diagnostics.append(Diagnostic(question.location, f"duplicate of line {original.location.line} with the same answer; merged into one page", "note"))
        else:
            # Both answers are the author's: losing either would be worse than asking the question twice.
            report.diagnostics.append(Diagnostic(
                question.location,
                f"question '{question.heading_text}' is also asked at line {original.location.line} with a different answer; "
                "both are kept as pages: rename one or merge the answers",
                "warning",
            ))


def retitle_copied_headings(book: Book, report: CheckReport) -> None:
    """A heading whose text repeats an earlier question's while its id names another question was
    pasted and not edited: the id (and the TOC entry that links it) say which question it is."""
    toc_by_target = {}
    for entry in book.toc:
        toc_by_target.setdefault(match_key(entry.target), entry)
    first_by_title: dict[str, Question] = {}
    for question in book.questions:
        original = first_by_title.get(match_key(question.title))
        anchor_key = match_key(question.anchor)
        if (original is None or not question.anchor or match_key(split_number(question.anchor)[1]) == match_key(question.title)
                or anchor_key == match_key(original.anchor)):
            first_by_title.setdefault(match_key(question.title), question)
            continue
        entry: TocEntry | None = toc_by_target.get(anchor_key)
        number, title = split_number(entry.text if entry else question.anchor)
        if not title:
            continue
        named = f"its id and the TOC entry at line {entry.location.line} name" if entry else "its id names"
        report.diagnostics.append(Diagnostic(
            question.location,
            f"the heading's text '{question.heading_text}' repeats the question at line {original.location.line}, but {named} "
            f"'{entry.text if entry else question.anchor}'; using that title: correct the heading's text",
            "warning",
        ))
        question.title, question.number = title, number if number is not None else question.number
        first_by_title.setdefault(match_key(question.title), question)


def _remove(question: Question) -> None:
    question.chapter.questions.remove(question)
    if question.section is not None:
        question.section.questions.remove(question)


def match_toc(book: Book, report: CheckReport) -> dict[int, Question]:
    """Map each TOC entry (by index) to its question; report both kinds of mismatch as warnings."""
    by_id: dict[str, Question] = {}
    by_text: dict[str, Question] = {}
    for question in book.questions:
        if question.anchor:
            by_id.setdefault(match_key(question.anchor), question)
        by_text.setdefault(match_key(question.heading_text), question)
        by_text.setdefault(match_key(question.title), question)

    matched: dict[int, Question] = {}
    for index, entry in enumerate(book.toc):
        target_key, text_key = match_key(entry.target), match_key(entry.text)
        question = by_id.get(target_key) or by_text.get(target_key) or by_text.get(text_key)
        if question is None:
            report.diagnostics.append(Diagnostic(entry.location, f"TOC entry '{entry.text}' (#{entry.target}) matches no question", "warning"))
        else:
            matched[index] = question

    if book.has_toc:
        listed = {id(q) for q in matched.values()}
        for question in book.questions:
            if id(question) not in listed:
                report.diagnostics.append(Diagnostic(question.location, f"question '{question.heading_text}' is missing from the table of contents", "warning"))
    return matched


def check_book(book: Book, report: CheckReport) -> dict[int, Question]:
    retitle_copied_headings(book, report)
    merge_duplicates(book, report)
    return match_toc(book, report)
