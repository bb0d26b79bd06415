"""Site search, build side: index the built site with Pagefind and publish the synonyms.

    python -m scripts index SITE_DIR      # what the MkDocs hook runs after every build

Pagefind (npm `pagefind`, pinned in scripts/js/package.json; its extended binary segments Chinese)
reads the built HTML and writes `pagefind/` into the site: one index per `<html lang>`, split into
chunks the browser fetches only when a query needs them. What gets indexed is decided by the pages
themselves (docs/overrides/partials/content.html): only question pages carry `data-pagefind-body`,
titles weigh most, chapters and answered status are filters and metadata. Rendered math and
permalink anchors are left out here.

Next to the index goes `pagefind/qa-search.json`, read by docs/assets/javascripts/search.js:
the synonyms (scripts/search/synonyms.yml) the browser expands queries with, per language the
words that make Pagefind load every index chunk when a reader opens the box, while the index is
small (PRELOAD_BUDGET): the first query then waits for no download; and the Latin words of the
index with the number of pages holding each (`vocabulary`), against which the browser corrects a
one-letter typo ("classifer" is also searched as "classifier").
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
SYNONYMS = ROOT / "scripts" / "search" / "synonyms.yml"
NODE_PROJECT = ROOT / "scripts" / "js"
BUNDLE = "pagefind"
CONFIG_FILE = "qa-search.json"
# The typo vocabulary comes from the index of the book's language: Pagefind does not stem Chinese
# pages, so their Latin words are whole words as written (the English index holds stems: "classifi").
VOCABULARY_LANGUAGE = "zh"
VOCABULARY_MIN_LENGTH = 5  # shorter words have too many neighbours one letter away
PRELOAD_BUDGET = 160 * 1024  # index chunks of one language fetched up front when the reader opens the box
UNUSED = ["pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js"]
# KaTeX output (HTML and MathML, whose TeX annotation is noise to a reader's query), the ¶ anchors,
# missing-image placeholders, and boilerplate notices the emitter marks with `qa-notice`.
# `qa-related`: the 相关题目 list names other questions on every page; indexed, a query for a
# title would also match every page that merely links it.
# One list for Pagefind and for scripts/dev/bench_search.py, which reads pages the way Pagefind does.
EXCLUDED_CLASSES = ("katex", "katex-display", "headerlink", "qa-missing-image", "qa-notice", "qa-related")
EXCLUDE_SELECTORS = [f".{name}" for name in EXCLUDED_CLASSES]


class SearchIndexError(PluginError):
    """The index could not be built; the message says what to do."""


@dataclass
class IndexReport:
    pages: dict[str, int] = field(default_factory=dict)  # language -> pages indexed
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        languages = ", ".join(f"{count} {lang}" for lang, count in sorted(self.pages.items())) or "no"
        return (f"search index: {languages} page(s), {self.files} files, {self.bytes / 1024:.0f} KB "
                f"in {self.seconds:.2f} s")


def pagefind_command(node_project: Path = NODE_PROJECT) -> list[str]:
    """The pinned Pagefind, as installed by `npm ci --prefix scripts/js`.

    npm installs the binary for this platform as an optional dependency; calling it directly
    skips the Node launcher, which costs more than the indexing itself (0.2 of 0.4 s)."""
    binaries = sorted((node_project / "node_modules" / "@pagefind").glob("*/bin/pagefind_extended"))
    if binaries and os.access(binaries[0], os.X_OK):
        return [str(binaries[0])]
    launcher = node_project / "node_modules" / ".bin" / ("pagefind.cmd" if os.name == "nt" else "pagefind")
    if not launcher.exists():
        raise SearchIndexError(f"Pagefind is not installed ({launcher} is missing): run `npm ci --prefix {node_project.relative_to(ROOT) if node_project.is_relative_to(ROOT) else node_project}` (or `make setup`)")
    return [str(launcher)]


def load_synonyms(path: Path = SYNONYMS) -> list[list[str]]:
    """Synonym groups, checked: at least two words each, no word in two groups."""
    groups = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(groups, list):
        raise SearchIndexError(f"{path}: expected a list of groups, each a list of words")
    seen: dict[str, int] = {}
    clean: list[list[str]] = []
    for number, group in enumerate(groups, 1):
        if not isinstance(group, list) or not all(isinstance(word, str) and word.strip() for word in group):
            raise SearchIndexError(f"{path}: group {number} must be a list of non-empty words, got {group!r}")
        words = list({synonym_key(word): re.sub(r"\s+", " ", word.strip()) for word in reversed(group)}.values())[::-1]
        if len(words) < 2:
            raise SearchIndexError(f"{path}: group {number} ({words[0]}) needs at least two words")
        for word in words:
            key = synonym_key(word)
            if key in seen:
                raise SearchIndexError(f"{path}: {word!r} is in group {seen[key]} and group {number}; a word belongs to one group")
            seen[key] = number
        clean.append(words)
    return clean


def synonym_key(word: str) -> str:
    """How the browser compares words (lib/synonyms.js:synonymKey): full-width forms, case, spaces,
    hyphens and underscores do not matter. NFKC because the browser folds every query with it."""
    return re.sub(r"[\s\-_]+", " ", unicodedata.normalize("NFKC", word).lower()).strip()


def build_search_index(site_dir: Path, *, synonyms: Path = SYNONYMS, node_project: Path = NODE_PROJECT,
                       quiet: bool = True, log=None) -> IndexReport:
    """Index `site_dir` in place: writes `site_dir/pagefind/` (index and synonyms) and reports it."""
    site_dir = Path(site_dir)
    groups = load_synonyms(synonyms)
    pagefind = pagefind_command(node_project)
    started = time.perf_counter()
    if not any("data-pagefind-body" in html.read_text(encoding="utf-8", errors="replace") for html in site_dir.rglob("*.html")):
        # Without the marker Pagefind would index whole pages: navigation, chapter lists and all.
        raise SearchIndexError(f"no page in {site_dir} carries data-pagefind-body: the question pages must "
                               "(docs/overrides/partials/content.html), or the index would hold navigation and theme")
    command = [*pagefind, "--site", str(site_dir), "--output-subdir", BUNDLE,
               "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS)]
    result = subprocess.run([*command, "--quiet"] if quiet else command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({result.returncode}):\n{(result.stdout + result.stderr).strip()[-3000:]}")
    bundle = site_dir / BUNDLE
    for unused in UNUSED:  # Pagefind's ready-made UIs: our box is partials/search.html + search.js
        for path in bundle.glob(unused):
            path.unlink()
    preload = {}
    for meta in sorted(bundle.glob("pagefind.*.pf_meta")):
        chunks = index_chunks(meta)
        size = sum((bundle / "index" / f"{chunk_hash}.pf_index").stat().st_size for _, _, chunk_hash in chunks)
        if chunks and size <= PRELOAD_BUDGET:
            preload[meta.name.split(".")[1].rsplit("_", 1)[0]] = " ".join(first for first, _, _ in chunks)
    config = {"synonyms": groups, "preload": preload, "vocabulary": latin_vocabulary(bundle)}
    (bundle / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    report = IndexReport(seconds=time.perf_counter() - started)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    report.pages = {lang: info.get("page_count", 0) for lang, info in entry.get("languages", {}).items()}
    files = [p for p in bundle.rglob("*") if p.is_file()]
    report.files, report.bytes = len(files), sum(p.stat().st_size for p in files)
    if not report.pages or not sum(report.pages.values()):
        raise SearchIndexError(f"Pagefind indexed no page in {site_dir}: question pages must carry data-pagefind-body "
                               "(docs/overrides/partials/content.html)")
    if log is not None:
        log.info(str(report))
    return report


def index_words(bundle: Path, meta: Path, between: tuple[str, str] | None = None) -> list[tuple[str, int]]:
    """(word, number of pages holding it) for every word of one language's index; with `between`
    (low, high), those of the chunks that may hold a word low <= word < high only."""
    import gzip

    words = []
    for first, last, chunk_hash in index_chunks(meta):
        if between and (first >= between[1] or last < between[0]):
            continue  # chunks are sorted by word: decoding one is most of the time this takes
        raw = gzip.decompress((bundle / "index" / f"{chunk_hash}.pf_index").read_bytes())
        if not raw.startswith(b"pagefind_dcd"):
            raise SearchIndexError(f"{chunk_hash}.pf_index: not a Pagefind index chunk this code understands")
        chunk, _ = _cbor(raw, len(b"pagefind_dcd"))
        words += [(str(entry[0]), len(entry[1])) for entry in chunk[0]]  # [word, [[page, locations, meta locations]…], …]
    return words


def latin_vocabulary(bundle: Path, language: str = VOCABULARY_LANGUAGE) -> dict[str, int]:
    """Latin words of `language`'s index, at least VOCABULARY_MIN_LENGTH letters, most common first."""
    counts: dict[str, int] = {}
    for meta in sorted(bundle.glob(f"pagefind.{language}*.pf_meta")):
        for word, pages in index_words(bundle, meta, between=("a", "{")):  # "{" follows "z"
            if len(word) >= VOCABULARY_MIN_LENGTH and re.fullmatch(r"[a-z]+", word):
                counts[word] = counts.get(word, 0) + pages
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def index_chunks(meta: Path) -> list[tuple[str, str, str]]:
    """(first word, last word, hash) of each index chunk, from Pagefind's metadata file
    (gzip, the signature `pagefind_dcd`, then CBOR: version, pages, chunks, filters, …)."""
    import gzip

    raw = gzip.decompress(meta.read_bytes())
    if not raw.startswith(b"pagefind_dcd"):
        raise SearchIndexError(f"{meta}: not a Pagefind metadata file this code understands")
    value, _ = _cbor(raw, len(b"pagefind_dcd"))
    return [(str(first), str(last), str(chunk_hash)) for first, last, chunk_hash in value[2]]


def _cbor(data: bytes, at: int):
    """A minimal CBOR reader: integers, strings, arrays, maps and simple values are all Pagefind writes."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        value = info
    elif info <= 27:
        width = 1 << (info - 24)
        value, at = int.from_bytes(data[at:at + width], "big"), at + width
    else:
        raise SearchIndexError(f"unexpected CBOR item {head:#x} in Pagefind's metadata")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        chunk = data[at:at + value]
        return (chunk.decode("utf-8") if major == 3 else chunk), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _cbor(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(value):
            key, at = _cbor(data, at)
            mapping[key], at = _cbor(data, at)
        return mapping, at
    if major == 7:
        return {20: False, 21: True, 22: None}.get(info), at
    raise SearchIndexError(f"unexpected CBOR major type {major} in Pagefind's metadata")
