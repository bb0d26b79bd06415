"""Text helpers shared by the steps: matching keys and small cleanups."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# Punctuation NFKC leaves full-width but authors mix freely with ASCII.
_CJK_PUNCTUATION = str.maketrans({"、": ",", "。": ".", "【": "[", "】": "]", "“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "·": "."})
# GitHub turns spaces into '-', authors use '_' or drop spaces: none of them may decide a match.
_SEPARATORS = re.compile(r"[\s\-_]+")
_LEADING_NUMBER = re.compile(r"^\s*(\d+)\s*[.、．]\s*")


def strip_zero_width(text: str) -> str:
    return text.translate(ZERO_WIDTH)


def match_key(text: str) -> str:
    """A key under which a TOC link, a heading id and a heading text of one question agree."""
    text = unquote(text.strip())
    text = text.removeprefix("#")
    text = text.removeprefix("user-content-")
    text = unicodedata.normalize("NFKC", strip_zero_width(text))
    text = text.translate(_CJK_PUNCTUATION).casefold()
    return _SEPARATORS.sub("", text)


def split_number(text: str) -> tuple[int | None, str]:
    """'17.介绍一下…' → (17, '介绍一下…')."""
    match = _LEADING_NUMBER.match(text)
    if not match:
        return None, text.strip()
    return int(match.group(1)), text[match.end():].strip()


def title_key(title: str) -> str:
    """Registry key of a title: the number is gone, so renumbering never changes it."""
    return match_key(split_number(title)[1])


def _is_invisible(char: str) -> bool:
    """Control characters (but tab and newline), zero-width ones and Unicode noncharacters:
    nothing a reader sees, and DEL or U+FFFE even make YAML front matter unparsable."""
    code = ord(char)
    if char in "\t\n":
        return False
    return (unicodedata.category(char) in ("Cc", "Cs") or code in ZERO_WIDTH
            or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE)


def invisible_characters(text: str) -> list[str]:
    """The invisible characters of `text`, each once, in order."""
    if text.isprintable():  # the common case, in C: no control or format character at all
        return []
    return list(dict.fromkeys(char for char in text if _is_invisible(char)))


def strip_invisible(text: str) -> str:
    return "".join(char for char in text if not _is_invisible(char)) if invisible_characters(text) else text


def code_points(chars: list[str]) -> str:
    """['\\x7f', '\\u200b'] → 'U+007F, U+200B': how a warning names what nobody can see."""
    return ", ".join(f"U+{ord(char):04X}" for char in chars)
