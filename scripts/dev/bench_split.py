"""Benchmark the splitter: our book and a 30× copy of it, to show the time grows linearly,
and a book whose answer is one 5 MB line, which must not take longer than a normal book.

    python -m scripts bench split [--copies 30] [--runs 15]

Prints the median time of parse → check → identity → normalise → emit (in memory) and of
writing the pages, for both books, then the long line's best time of a few runs.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from scripts.emit.output import write_tree
from scripts.pipeline import split_books

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "aigc-interview-book.md"
REGISTRY = ROOT / "aigc-interview-book.registry.yml"
_BODY_START = re.compile(r"^---$", re.MULTILINE)


def make_copies(copies: int, folder: Path) -> Path:
    """One book holding `copies` renamed copies of ours, with a registry that knows them all."""
    text = BOOK.read_text(encoding="utf-8")
    toc, body = _BODY_START.split(text, maxsplit=1)
    registry = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    tocs, bodies = [], []
    big_registry: dict = {"chapters": {}, "sections": {}, "questions": {}}
    for k in range(1, copies + 1):
        mark = f"（第{k}份）"
        def rename_headings(s, mark=mark):
            return re.sub(r"^(##+ .+?)$", rf"\1{mark}", s, flags=re.MULTILINE)
        tocs.append(rename_headings(re.sub(r"\[(.+?)\]\(#(.+?)\)$", rf"[\1{mark}](#\2-c{k})", toc, flags=re.MULTILINE).replace("# 目录", "")))
        bodies.append(rename_headings(re.sub(r'<h3 id="(.+?)">(.+?)\s*</h3>', rf'<h3 id="\1-c{k}">\2{mark}</h3>', body)))
        for kind in big_registry:
            for key, entry in registry[kind].items():
                big_registry[kind][key + mark] = {"slug": f"{entry['slug']}-c{k}" if kind != "sections" else entry["slug"], "en": entry["en"]}
    if registry.get("absent_figures"):  # the copies link the same figures as ours
        big_registry["absent_figures"] = registry["absent_figures"]
    book = folder / f"book-x{copies}.md"
    book.write_text("# 目录\n" + "".join(tocs) + "\n---\n" + "".join(bodies), encoding="utf-8")
    (folder / f"book-x{copies}.registry.yml").write_text(yaml.safe_dump(big_registry, allow_unicode=True), encoding="utf-8")
    return book


def measure(book: Path, runs: int, out: Path) -> tuple[float, float, int]:
    split_times, write_times = [], []
    for _ in range(runs):
        started = time.perf_counter()
        result = split_books([book], strict=True)
        split_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        write_tree(out, result.site.files)
        write_times.append(time.perf_counter() - started)
        for path in out.rglob("*.md"):
            path.unlink()  # force a real write next run
            break
    return statistics.median(split_times) * 1000, statistics.median(write_times) * 1000, len(result.site.manifest)


LONG_LINE_TARGET_S = 2.0


def long_line_book(folder: Path, unit: str = "<b>", size: int = 5_000_000) -> Path:
    """A book whose one answer is a single line of `unit` repeated: 5 MB of "<b>" took 37 s."""
    book = folder / "long-line.md"
    line = unit * (size // len(unit))
    book.write_text(f'## 第一章 长行\n\n<h3 id="1.长行">1.长行</h3>\n\n{line}\n', encoding="utf-8")
    return book


def measure_long_line(folder: Path, runs: int = 3) -> dict[str, float]:
    times = {}
    for unit in ("<b>", "["):
        book = long_line_book(folder, unit)
        best = float("inf")
        for _ in range(runs):
            started = time.perf_counter()
            split_books([book])
            best = min(best, time.perf_counter() - started)
        times[unit] = best
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=30)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    split_books([BOOK])  # warm imports and the parser so both books pay the same
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        big = make_copies(args.copies, folder)
        ours = measure(BOOK, args.runs, folder / "out-1")
        copy = measure(big, max(3, args.runs // 5), folder / f"out-{args.copies}")
        long_line = measure_long_line(folder)
    print(f"{'book':<14}{'questions':>10}{'split ms':>10}{'write ms':>10}{'ms/question':>13}")
    for name, (split_ms, write_ms, questions) in [("ours", ours), (f"{args.copies}x copy", copy)]:
        print(f"{name:<14}{questions:>10}{split_ms:>10.1f}{write_ms:>10.1f}{split_ms / questions:>13.3f}")
    print(f"growth: {copy[0] / ours[0]:.1f}x time for {copy[2] / ours[2]:.0f}x questions (linear = {copy[2] / ours[2]:.0f}x)")
    print(f"target: < 100 ms for ours -> {'met' if ours[0] < 100 else 'NOT met'}")
    for unit, seconds in long_line.items():
        print(f"one 5 MB line of {unit!r}: {seconds:.2f} s; target: < {LONG_LINE_TARGET_S:.0f} s -> {'met' if seconds < LONG_LINE_TARGET_S else 'NOT met'}")


if __name__ == "__main__":
    main()
