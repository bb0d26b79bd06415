"""Command line: split one or more books into one page per question.

    python -m scripts.split BOOK.md [MORE.md …] --out DIR [--check] [--strict] [--images DIR] [--english]

Exit 0 on success, 1 when a book has errors (or warnings under --strict), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .emit import HomeText
from .model import BookError
from .output import OutputError, write_tree
from .pipeline import split_books


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.split", description="Split Q&A books into one markdown page per question.")
    parser.add_argument("books", nargs="+", type=Path, help="book files (markdown)")
    parser.add_argument("--out", type=Path, help="output folder (replaced atomically)")
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--images", type=Path, help="folder holding the books' images (default: none checked)")
    parser.add_argument("--english", action="store_true", help="also write the English pages (x.en.md)")
    args = parser.parse_args(argv)
    if not args.check and args.out is None:
        parser.error("--out DIR is required unless --check is given")
    for book in args.books:
        if not book.is_file():
            parser.error(f"{book}: no such file")

    started = time.perf_counter()
    try:
        english = HomeText("AIGC Interview Questions") if args.english else None
        result = split_books(args.books, strict=args.strict, images_dir=args.images, english_home=english)
    except BookError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic, file=sys.stderr)
        print(f"{len(error.diagnostics)} problem(s); nothing written", file=sys.stderr)
        return 1
    for diagnostic in result.diagnostics:
        print(diagnostic, file=sys.stderr)
    if not args.check:
        try:
            changed = write_tree(args.out, result.site.files)
        except OutputError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        state = "written" if changed else "unchanged"
        print(f"{len(result.site.files)} files {state} in {args.out}")
    print(result.summary())
    print(f"time:      {(time.perf_counter() - started) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
