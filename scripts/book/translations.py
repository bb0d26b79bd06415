"""Translated answers, one optional file per question and language, kept beside the book:

    aigc-interview-book.en/<question-slug>.md      (aigc-interview-book.<language>/ for others)

    ---
    translates: 3f9a1c0b2e4d     # fingerprint of the Chinese answer this translation was made from
    ---
    The English answer, in the same markdown as the book.

When the Chinese answer changes, its fingerprint no longer matches and the English page says
the translation may be outdated (the build summary lists it too). `python -m scripts fingerprints`
prints the current fingerprint of every answered question.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from scripts.book.model import BookError, Diagnostic, Location
from scripts.book.source import read_source

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_FINGERPRINT = re.compile(r"^translates:\s*([0-9a-f]{12})\s*(?:#.*)?$", re.M)


@dataclass(frozen=True)
class TranslatedAnswer:
    slug: str
    markdown: str  # raw, as written; the normaliser reads it like a book answer
    translates: str
    path: Path


def translation_dir(book_path: Path, language: str = "en") -> Path:
    return book_path.with_name(f"{book_path.stem}.{language}")


def answer_fingerprint(answer: str) -> str:
    """Stable under whitespace-only edits of the Chinese answer."""
    return hashlib.sha256(" ".join(answer.split()).encode("utf-8")).hexdigest()[:12]


def load_translated_answers(book_path: Path, language: str = "en") -> dict[str, TranslatedAnswer]:
    folder = translation_dir(book_path, language)
    answers: dict[str, TranslatedAnswer] = {}
    errors: list[Diagnostic] = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        try:
            text = read_source(path, "a translated answer").replace("\r\n", "\n")
        except BookError as error:
            errors.extend(error.diagnostics)
            continue
        front = _FRONT_MATTER.match(text)
        fingerprint = _FINGERPRINT.search(front.group(1)) if front else None
        if fingerprint is None:
            errors.append(Diagnostic(Location(path, 1), "a translated answer starts with front matter naming what it translates: ---\\ntranslates: <12 hex digits>\\n---"))
            continue
        answers[path.stem] = TranslatedAnswer(path.stem, text[front.end():], fingerprint.group(1), path)
    if errors:
        raise BookError(errors)
    return answers
