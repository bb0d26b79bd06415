"""Reading the hand-written inputs (book, registry, translated answers): strict UTF-8, and any
problem a `file:line` diagnostic instead of a traceback."""

from __future__ import annotations

from pathlib import Path

from scripts.book.model import BookError, Diagnostic, Location


def read_source(path: Path, what: str) -> str:
    """The text of `path`, a BOM removed; `what` names the file in messages ("the book")."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BookError([Diagnostic(Location(path, 0), f"cannot read {what}: {error.strerror or error}")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"not valid UTF-8 (byte 0x{data[error.start]:02x} at column {column}); save {what} as UTF-8"
        raise BookError([Diagnostic(Location(path, line), message)]) from None
    return text.removeprefix("\ufeff")
