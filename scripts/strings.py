"""UI strings, one data file per language (scripts/strings/<language>.yml).

English is complete and the fallback: a key a language lacks reads as English, and a language
without a file reads as English throughout, so a missing translation never breaks a page.
A site may add a folder of its own (extra.qa.strings): its files add languages or override
single keys of ours. Sections: js (the scripts), pages (generated pages), meta (link previews),
theme (templates).
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import yaml

STRINGS_DIR = Path(__file__).resolve().parent / "strings"
FALLBACK = "en"


class StringsError(ValueError):
    """A strings file cannot be read; the message names file:line."""


def load_strings(language: str, directory: Path = STRINGS_DIR, extra: Path | None = None) -> dict:
    """Every section of `language`'s strings, English filling whatever it does not say; files
    in `extra` override ours key by key."""
    layers = [directory / f"{FALLBACK}.yml"]
    if extra is not None:
        layers.append(extra / f"{FALLBACK}.yml")
    if language != FALLBACK:
        layers += [directory / f"{language}.yml"] + ([extra / f"{language}.yml"] if extra is not None else [])
    merged: dict = {}
    for path in layers:
        if path.exists() or path == layers[0]:
            merged = _merged(merged, _read(path))
    return copy.deepcopy(merged)  # callers may not touch the cache


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
