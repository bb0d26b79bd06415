"""A bounded mutation fuzz of the splitter over our book and its registry.

Each example mutates one of them at a structural place (heading lines, ids, TOC lines, fences,
`$$`, long runs), deletes or duplicates lines, or corrupts bytes, then runs the command line in
process. Whatever the input: no traceback; exit 0, or 1 with every diagnostic as `file:line: …`;
every intact question heading becomes a page or is named by a diagnostic; a failed run leaves
the previous output as it was; no staging folder is left behind. The seed is fixed, so a
failure reproduces; the counts are printed for the record (pytest -s shows them).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scripts.cli import main

from ..conftest import BOOK

REGISTRY = BOOK.with_name(BOOK.stem + ".registry.yml")
BOOK_LINES = BOOK.read_text(encoding="utf-8").split("\n")
REGISTRY_LINES = REGISTRY.read_text(encoding="utf-8").split("\n")

HOSTILE_CHARACTERS = ["\u200b", "\u200c", "\u200d", "\ufeff", "\ufffe", "\x7f", "\x00", "\x01", "\x1b", "\x85", "\u2028",
                      "\r", "\t", " ", "\\", "<", ">", '"', "'", "`", "$", "#", "|", "*", "[", "]", "(", ")", "&", ":", "\n"]
BOOK_SNIPPETS = ["```", "~~~", "$$", "---", '<h3 id="x">', "</h3>", '<h3 id="999.新">999.新</h3>', '<h4 id="9.x">9.x</h4>',
                 "## 第九章 新章", "### 【九】新节", "- [新](#新)", "<!--", "<details>", "&#0;", "<b>" * 3000, "[" * 20000,
                 "# a" + " " * 20000 + "#", "*" * 5000, "`" * 3000]
REGISTRY_SNIPPETS = ["? [a, b]\n  : {slug: x}", "formerly: [[old]]", "- x", "{", "[", "&a", "*a", "!!binary", "\t", ": :",
                     "slug: {x: 1}", "questions: 1", "---", "...", "%YAML 1.1", "\x00", "\ufeff", "a: b: c"]
DIAGNOSTIC = re.compile(r"^[^\n:]+:\d+: (error|warning|note): \S.*$")
INTACT_HEADING = re.compile(r'^<h([1-6]) id="[^"]+">[^<]+</h\1>$')
STRUCTURAL = re.compile(r"^(<h\d|#|\s*[-*] \[|```|~~~|\$\$)")


def _structural_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if STRUCTURAL.match(line)]


@st.composite
def mutated(draw, lines: list[str], snippets: list[str]) -> tuple[str, bytes]:
    lines = list(lines)
    places = _structural_lines(lines)
    kind = draw(st.sampled_from(["character", "snippet", "delete", "duplicate", "bytes"]))
    at = draw(st.sampled_from(places) if places and draw(st.booleans()) else st.integers(0, len(lines) - 1))
    if kind == "character":
        column = draw(st.integers(0, len(lines[at])))
        lines[at] = lines[at][:column] + draw(st.sampled_from(HOSTILE_CHARACTERS)) + lines[at][column:]
    elif kind == "snippet":
        snippet = draw(st.sampled_from(snippets))
        if draw(st.booleans()):
            lines.insert(at, snippet)
        else:
            column = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:column] + snippet + lines[at][column:]
    elif kind == "delete":
        del lines[at : at + draw(st.integers(1, 3))]
    elif kind == "duplicate":
        lines.insert(at, lines[at])
    data = "\n".join(lines).encode("utf-8")
    if kind == "bytes":
        position = draw(st.integers(0, len(data) - 1))
        data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1 :]
    return kind, data


def _intact_headings(data: bytes) -> list[int]:
    """Lines holding a question heading the mutation left whole (outside a valid UTF-8 file, none count)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return []
    return [number for number, line in enumerate(text.split("\n"), start=1) if INTACT_HEADING.match(line.strip())]


class Run:
    outcomes: Counter = Counter()
    started = 0.0

    def __init__(self, folder: Path):
        self.folder = folder
        self.book = folder / BOOK.name
        self.registry = folder / REGISTRY.name
        self.out = folder / "pages"

    def split(self, book: bytes, registry: bytes, label: str) -> None:
        self.book.write_bytes(book)
        self.registry.write_bytes(registry)
        link_before = self.out.readlink()
        manifest_before = (self.out / "manifest.json").read_bytes()
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            status = main(["split", str(self.book), "--out", str(self.out)])
        Run.outcomes[f"{label} exit {status}"] += 1
        lines = stderr.getvalue().splitlines()
        assert status in (0, 1), stderr.getvalue()
        if status == 1:
            assert lines and re.fullmatch(r"\d+ problem\(s\); nothing written", lines[-1]), lines[-3:]
            lines = lines[:-1]
            assert self.out.readlink() == link_before and (self.out / "manifest.json").read_bytes() == manifest_before
        bad = [line for line in lines if not DIAGNOSTIC.match(line)]
        assert not bad, bad[:3]
        named = {int(m.group(1)) for m in (re.match(rf"^{re.escape(str(self.book))}:(\d+):", line) for line in lines) if m}
        if status == 0:
            pages = {entry["line"] for entry in json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))}
            lost = [line for line in _intact_headings(book) if line not in pages | named]
            assert not lost, f"question headings at lines {lost} became neither a page nor a diagnostic"
        leftovers = sorted(p.name for p in self.folder.iterdir() if p.name.startswith(".pages.") and p.name not in (".pages.lock", self.out.readlink().name))
        assert not leftovers


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copy(BOOK, folder / BOOK.name)
    shutil.copy(REGISTRY, folder / REGISTRY.name)
    run = Run(folder)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["split", str(run.book), "--out", str(run.out)]) == 0
    Run.started = time.perf_counter()
    yield run
    elapsed = time.perf_counter() - Run.started
    total = sum(Run.outcomes.values())
    print(f"\nfuzz: {total} mutants in {elapsed:.1f} s: " + ", ".join(f"{key}: {count}" for key, count in sorted(Run.outcomes.items())))


# Each example splits and writes our whole book, about 0.1 s: 100 of them stay well under 30 s.
_SETTINGS = settings(derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
ORIGINAL_BOOK = BOOK.read_bytes()
ORIGINAL_REGISTRY = REGISTRY.read_bytes()


@settings(_SETTINGS, max_examples=60)
@given(mutation=mutated(BOOK_LINES, BOOK_SNIPPETS))
def test_mutated_books_fail_cleanly_or_lose_nothing(run: Run, mutation):
    kind, book = mutation
    run.split(book, ORIGINAL_REGISTRY, "book")


@settings(_SETTINGS, max_examples=40)
@given(mutation=mutated(REGISTRY_LINES, REGISTRY_SNIPPETS))
def test_mutated_registries_fail_cleanly(run: Run, mutation):
    kind, registry = mutation
    run.split(ORIGINAL_BOOK, registry, "registry")
