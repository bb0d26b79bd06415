"""Check step: merge exact duplicates, refuse conflicting ones, and match the TOC to the questions.

Every comparison goes through `text.match_key`, never the raw string: the book's TOC
links, heading ids and heading texts disagree on spaces, hyphens, underscores and
full/half-width punctuation while meaning the same question.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scripts.book.model import Book, Diagnostic, Question
from scripts.book.text import match_key


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
            report.diagnostics.append(Diagnostic(
                question.location,
                f"duplicate question '{question.heading_text}' with a different answer than line {original.location.line}; "
                "rename one or merge the answers",
            ))


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
    merge_duplicates(book, report)
    return match_toc(book, report)
