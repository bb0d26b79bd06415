"""Small JSON files the browser fetches on demand, built from the splitter's manifest."""

from __future__ import annotations

from scripts.book.text import match_key
from scripts.emit.schema import ManifestEntry


def old_anchor_map(manifest: list[ManifestEntry]) -> dict[str, str]:
    """{match key of a GitHub anchor or heading text: question URL}, for old links' #fragments."""
    anchors: dict[str, str] = {}
    for entry in manifest:
        heading = f"{entry.number}.{entry.title}" if entry.number is not None else entry.title
        for text in (entry.anchor, heading):
            if text:
                anchors.setdefault(match_key(text), entry.url)
    return anchors


def question_index(manifest: list[ManifestEntry]) -> list[dict]:
    """The questions as the browser needs them (practice marks, random draw): small, in book order."""
    return [entry.for_browser() for entry in manifest]
