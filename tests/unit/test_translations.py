from __future__ import annotations

from pathlib import Path

import pytest

from scripts.book.model import BookError
from scripts.book.translations import load_translated_answers


def test_a_translated_answer_that_is_not_utf8_is_a_file_line_error(tmp_path: Path):
    book = tmp_path / "book.md"
    folder = tmp_path / "book.en"
    folder.mkdir()
    (folder / "good.md").write_text("---\ntranslates: 0123456789ab\n---\nFine.\n", encoding="utf-8")
    bad = folder / "bad.md"
    bad.write_bytes(b"---\ntranslates: 0123456789ab\n---\nCaf\xe9\n")
    with pytest.raises(BookError) as raised:
        load_translated_answers(book)
    (diagnostic,) = raised.value.diagnostics
    assert (diagnostic.location.path, diagnostic.location.line) == (bad, 4)
    assert "not valid UTF-8 (byte 0xe9 at column 4)" in diagnostic.message
