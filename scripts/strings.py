"""UI strings, one data file per language (scripts/strings/<language>.yml).

English is complete and the fallback: a key a language lacks reads as English, and a language
without a file reads as English throughout, so a missing translation never breaks a page.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

STRINGS_DIR = Path(__file__).resolve().parent / "strings"
FALLBACK = "en"


class StringsError(PluginError):
    """A strings file cannot be read; the message names file:line."""


def load_strings(language: str, directory: Path = STRINGS_DIR) -> dict:
    """Every section of `language`'s strings, English filling whatever it does not say."""
    path = directory / f"{language}.yml"
    own = _read(path) if language != FALLBACK and path.exists() else {}
    return copy.deepcopy(_merged(_read(directory / f"{FALLBACK}.yml"), own))  # callers may not touch the cache


def _merged(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merged(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


def _read(path: Path) -> dict:
    return _parse(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)  # each language build reads them again; `mkdocs serve` sees edits by mtime
def _parse(path: Path, _mtime: int) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise StringsError(f"{path}:{line}: not valid YAML: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise StringsError(f"{path}:1: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise StringsError(f"{path}:1: expected sections (js: ...), got {type(data).__name__}")
    return data
