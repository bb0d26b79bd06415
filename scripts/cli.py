"""The project's one command line: `python -m scripts <command>` (see --help).

    split [BOOK.md …] --out DIR [--check] [--strict] [--images DIR] [--english]
    urls [--update]            check or extend each book's URL lock (make urls)
    propose [--write] [BOOK.md …]  registry entries for new headings (make propose)
    fingerprints [BOOK.md …]   each answer's fingerprint, to start or refresh a translation
    index SITE_DIR             index a built site for search (the build does this itself)
    bench split|site|search|related|offline|lighthouse|pdf …  benchmarks (make bench, make lighthouse)

Exit 0 on success, 1 when a book has errors (or warnings under --strict), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from scripts.book.model import BookError
from scripts.pipeline import split_books
from scripts.settings import settings_from_mkdocs_yml

BENCHMARKS = ("split", "site", "search", "related", "offline", "lighthouse", "pdf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts", description="Build steps and tools of the interview-prep site.")
    commands = parser.add_subparsers(dest="command", required=True)

    split = commands.add_parser("split", help="split books into one markdown page per question")
    split.add_argument("books", nargs="*", type=Path, help="book files (markdown; default: those mkdocs.yml publishes)")
    split.add_argument("--out", type=Path, help="output folder (replaced atomically)")
    split.add_argument("--check", action="store_true", help="validate only; write nothing")
    split.add_argument("--strict", action="store_true", help="treat warnings as errors")
    split.add_argument("--images", type=Path, help="folder holding the books' figures (default: none checked)")
    split.add_argument("--english", action="store_true", help="also write the English pages (x.en.md)")

    urls = commands.add_parser("urls", help="check or update the published-URL lock of each book")
    urls.add_argument("--update", action="store_true", help="add every live URL to the lock files")
    urls.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the site configuration")

    propose = commands.add_parser("propose", help="propose registry entries for headings the registry does not know")
    propose.add_argument("books", nargs="*", type=Path, help="books (default: those mkdocs.yml publishes)")
    propose.add_argument("--write", action="store_true", help="add them to each book's registry file")

    fingerprints = commands.add_parser("fingerprints", help="print each answered question's fingerprint")
    fingerprints.add_argument("books", nargs="*", type=Path, help="books (default: those mkdocs.yml publishes)")

    index = commands.add_parser("index", help="index a built site for search")
    index.add_argument("site", type=Path, help="the built site (mkdocs build's site_dir)")

    bench = commands.add_parser("bench", help="run a benchmark; options after the name go to it")
    bench.add_argument("name", choices=BENCHMARKS)

    args, rest = parser.parse_known_args(argv)
    if rest and args.command != "bench":
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.command == "split":
        if not args.check and args.out is None:
            split.error("--out DIR is required unless --check is given")
        args.books = args.books or list(settings_from_mkdocs_yml(Path("mkdocs.yml")).books)
        for book in args.books:
            if not book.is_file():
                split.error(f"{book}: no such file")
        return _split(args)
    if args.command == "urls":
        return _urls(args.config, args.update)
    if args.command == "propose":
        args.books = args.books or list(settings_from_mkdocs_yml(Path("mkdocs.yml")).books)
        for book in args.books:
            if not book.is_file():
                propose.error(f"{book}: no such file")
        return _propose(args.books, args.write)
    if args.command == "fingerprints":
        return _fingerprints(args.books or list(settings_from_mkdocs_yml(Path("mkdocs.yml")).books))
    if args.command == "index":
        return _index(args.site)
    return _bench(args.name, rest)


def _split(args) -> int:
    from scripts.emit.output import OutputError, write_tree
    from scripts.emit.pages import HomeText
    from scripts.emit.words import WordSegmenterError

    started = time.perf_counter()
    try:
        home = {"zh": HomeText("题库")} | ({"en": HomeText("AIGC Interview Questions")} if args.english else {})
        result = split_books(args.books, strict=args.strict, images_dir=args.images, home=home)
    except BookError as error:
        for diagnostic in error.diagnostics:
            print(diagnostic, file=sys.stderr)
        print(f"{len(error.diagnostics)} problem(s); nothing written", file=sys.stderr)
        return 1
    except WordSegmenterError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for diagnostic in result.diagnostics:
        print(diagnostic, file=sys.stderr)
    if not args.check:
        try:
            changed = write_tree(args.out, result.site.files)
        except OutputError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"{len(result.site.files)} files {'written' if changed else 'unchanged'} in {args.out}")
    print(result.summary())
    print(f"time:      {(time.perf_counter() - started) * 1000:.0f} ms")
    return 0


def _urls(config: Path, update: bool) -> int:
    from scripts.emit.redirects import redirect_map
    from scripts.emit.url_lock import check_lock, lock_path_for, read_lock, write_lock
    from scripts.emit.urls import book_urls, page_url

    settings = settings_from_mkdocs_yml(config)
    try:
        result = split_books(list(settings.books), source_root=settings.root)
    except BookError as error:
        print("\n".join(map(str, error.diagnostics)), file=sys.stderr)
        return 1
    redirected = {page_url(old) for old in redirect_map(result.books, {b.path: read_lock(lock_path_for(b.path)) for b in result.books})}
    status = 0
    for book in result.books:
        path = lock_path_for(book.path)
        live = book_urls(book)
        report = check_lock(read_lock(path), set(live), redirected)
        for url in report.vanished:
            print(f"{path}: {url} was published but is no longer a page or a redirect", file=sys.stderr)
            status = 1
        if update:
            write_lock(path, read_lock(path) + live)
            print(f"{path}: {len(report.unlisted)} new URL(s) added")
        elif report.unlisted:
            print(f"{path}: {len(report.unlisted)} URL(s) not in the lock yet; run: python -m scripts urls --update")
    return status


def _propose(books: list[Path], write: bool) -> int:
    """Every book's missing registry entries: shown as the diff they make, or written (--write)."""
    import difflib

    from scripts.book.proposals import propose, write_proposal
    from scripts.book.slugs import KIND_WORDS

    try:
        proposals = [propose(book) for book in split_books(books).books]
    except BookError as error:  # every registry is read before any is written
        print("\n".join(map(str, error.diagnostics)), file=sys.stderr)
        return 1
    status, written = 0, 0
    for proposal in proposals:
        name = proposal.registry.name
        for heading in proposal.reworded:
            old = heading.reworded
            print(f"{heading.location}: {KIND_WORDS[heading.kind]} '{heading.title}' looks like '{old.text}' reworded "
                  f"({name}:{old.line}, slug '{old.slug}'): to keep its URL, change that key to the new wording; "
                  "if it is a new one, add its entry by hand", file=sys.stderr)
            status = 1
        if not proposal.entries:
            print(f"{proposal.registry}: nothing to add")
            continue
        for heading in proposal.entries:
            print(f"{heading.location}: new {KIND_WORDS[heading.kind]} '{heading.title}' → {heading.slug}")
        if write:
            try:
                write_proposal(proposal)
            except BookError as error:
                print("\n".join(map(str, error.diagnostics)), file=sys.stderr)
                return 1
            written += len(proposal.entries)
            print(f"{proposal.registry}: {len(proposal.entries)} entr{'y' if len(proposal.entries) == 1 else 'ies'} added")
        else:
            sys.stdout.writelines(difflib.unified_diff(proposal.before.splitlines(keepends=True), proposal.text.splitlines(keepends=True),
                                                       str(proposal.registry), str(proposal.registry)))
    if written:
        print("Review the slugs and fill in `en:`, then lock the new URLs: make urls (python -m scripts urls --update)")
    elif any(p.entries for p in proposals):
        print("Nothing written: add --write (or run make propose) to add these entries")
    return status


def _fingerprints(books: list[Path]) -> int:
    from scripts.book.translations import answer_fingerprint

    try:
        result = split_books(books)
    except BookError as error:
        print("\n".join(map(str, error.diagnostics)), file=sys.stderr)
        return 1
    for question in (q for book in result.books for q in book.questions if q.answered):
        print(f"{answer_fingerprint(question.answer)}  {question.slug}")
    return 0


def _index(site: Path) -> int:
    from scripts.render.search_index import SearchIndexError, build_search_index

    try:
        print(build_search_index(site, quiet=False))
    except SearchIndexError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def _bench(name: str, argv: list[str]) -> int:
    from importlib import import_module

    return import_module(f"scripts.dev.bench_{name}").main(argv) or 0
