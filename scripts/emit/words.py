"""Words of the book's text, cut the way the site search cuts a query.

The search (Pagefind's index, and search.js for queries) segments Chinese with ICU's word
segmenter; Python has none, so the same `Intl.Segmenter` runs in Node, which every build
already needs (KaTeX, Pagefind): one short process for the whole book (js/segment-words.mjs).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "js" / "segment-words.mjs"


class WordSegmenterError(RuntimeError):
    """Node is missing or the segmenter failed; the message says what to do."""


def fold(text: str) -> str:
    """How the search compares words: full-width forms and case do not matter (NFKC, lower)."""
    return unicodedata.normalize("NFKC", text).lower()


def segment_words(texts: list[str], *, node: str = "node", script: Path = SCRIPT) -> list[list[str]]:
    """Each text's words (folded), in order; one Node process for all of them."""
    if not texts:
        return []
    executable = shutil.which(node)
    if executable is None:
        raise WordSegmenterError(f"Node.js ({node!r}) not found on PATH: install Node.js 20+ (the build needs it for KaTeX and search too)")
    done = subprocess.run([executable, str(script)], input=json.dumps(texts, ensure_ascii=False).encode("utf-8"),
                          capture_output=True, timeout=120)
    if done.returncode != 0:
        raise WordSegmenterError(f"the word segmenter failed ({script.name}): {done.stderr.decode('utf-8', 'replace').strip()[-500:]}")
    words = json.loads(done.stdout)
    if len(words) != len(texts):
        raise WordSegmenterError(f"the word segmenter answered {len(words)} texts for {len(texts)}")
    return [[fold(word) for word in text] for text in words]
