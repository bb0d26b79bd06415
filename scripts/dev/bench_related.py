"""Benchmark the related questions (相关题目): how many of the pairs a reader should be offered
are found, against what a page offers without them and against parts of the method left out.

    python -m scripts bench related [--pairs tests/related/pairs.yml] [--misses] [--check]

A pair (A, B) is found when B is among A's related questions or A among B's. Baselines in the
same run: the book-order neighbours (the 4 nearest questions, what previous/next leads to), and
the method without answers, without the registry's English titles, without the search's synonyms.
--check exits 1 when the shipped method finds fewer than TARGET of the pairs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import yaml

from scripts.emit.related import Document, answer_text, load_concept_groups, relate
from scripts.emit.words import segment_words
from scripts.pipeline import split_books
from scripts.settings import settings_from_mkdocs_yml

ROOT = Path(__file__).resolve().parents[2]
PAIRS = ROOT / "tests" / "related" / "pairs.yml"
TARGET = 0.85


def load_pairs(path: Path = PAIRS) -> list[tuple[str, str, str]]:
    return [(*entry["pair"], entry["why"]) for entry in yaml.safe_load(path.read_text(encoding="utf-8"))]


def hits(related: list[list[int]], slugs: list[str], pairs: list[tuple[str, str, str]]) -> list[bool]:
    index = {slug: number for number, slug in enumerate(slugs)}
    unknown = sorted({s for a, b, _ in pairs for s in (a, b) if s not in index})
    if unknown:
        raise SystemExit(f"{PAIRS.relative_to(ROOT)}: no question has the slug(s) {', '.join(unknown)}")
    return [index[b] in related[index[a]] or index[a] in related[index[b]] for a, b, _ in pairs]


def neighbours(count: int, how_many: int = 4) -> list[list[int]]:
    return [sorted((b for b in range(count) if b != a), key=lambda b: (abs(a - b), b))[:how_many] for a in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--misses", action="store_true", help="list the pairs not found and what each side lists instead")
    parser.add_argument("--check", action="store_true", help=f"exit 1 below {TARGET:.0%} of the pairs")
    args = parser.parse_args(argv)
    pairs = load_pairs(args.pairs)
    result = split_books(list(settings_from_mkdocs_yml(ROOT / "mkdocs.yml").books))
    questions = [q for book in result.books for q in book.questions]
    slugs = [q.slug for q in questions]
    documents = [Document(q.title, q.title_en, answer_text(q.answer)) for q in questions]
    synonyms = load_concept_groups()

    started = time.perf_counter()
    shipped = relate(documents, segment_words, synonyms)
    seconds = time.perf_counter() - started
    variants = {
        "shipped (titles, answers, English titles, synonyms)": shipped.related,
        "book-order neighbours (4 nearest)": neighbours(len(questions)),
        "without answers": relate([replace(d, answer="") for d in documents], segment_words, synonyms).related,
        "without English titles": relate([replace(d, title_en="") for d in documents], segment_words, synonyms).related,
        "without synonyms": relate(documents, segment_words, ()).related,
    }
    print(f"related questions: {len(questions)} questions ({sum(q.answered for q in questions)} answered), "
          f"{len(pairs)} pairs ({args.pairs.name}); computed in {seconds * 1000:.0f} ms (Node segmenter included)")
    for name, related in variants.items():
        found = hits(related, slugs, pairs)
        print(f"  {name:<54}{sum(found):>3}/{len(pairs)}  hit rate {sum(found) / len(pairs):.2f}")
    counts = Counter(len(r) for r in shipped.related)
    print("links per page: " + ", ".join(f"{n}: {counts[n]} pages" for n in sorted(counts)))
    found = hits(shipped.related, slugs, pairs)
    if args.misses:
        for (a, b, why), ok in zip(pairs, found, strict=True):
            if not ok:
                ia, ib = slugs.index(a), slugs.index(b)
                print(f"  miss: {a} ↔ {b} ({why})\n    {a}: {[slugs[j] for j in shipped.related[ia]]}\n    {b}: {[slugs[j] for j in shipped.related[ib]]}")
    rate = sum(found) / len(pairs)
    print(f"target: hit rate {rate:.2f} (>= {TARGET})" + ("" if rate >= TARGET else "  MISSED"))
    return 1 if args.check and rate < TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
