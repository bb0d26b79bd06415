"""The URL lock: a committed list of every URL a book has published, next to the book.

A build fails when a locked URL is neither a page nor a redirect any more, so a shared link
can only break on purpose. A new URL missing from the lock is a warning (an error under
--strict, as in CI) until the lock is updated:

    python -m scripts.url_lock --update      # or: make urls
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from .model import Book, BookError

HEADER = (
    "# Every URL this book has published, one per line, relative to the site root.\n"
    "# The build fails if one of them stops resolving: rename a slug with `formerly:` in the\n"
    "# registry so the old URL redirects. Add new URLs with: python -m scripts.url_lock --update\n"
)


def lock_path_for(book_path: Path) -> Path:
    return book_path.with_name(book_path.stem + ".urls.txt")


def book_urls(book: Book) -> list[str]:
    urls = []
    for chapter in book.chapters:
        urls.append(f"{chapter.slug}/")
        urls += [f"{chapter.slug}/{section.slug}/" for section in chapter.sections]
        urls += [f"{chapter.slug}/{question.slug}/" for question in chapter.questions]
    return urls


def read_lock(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def write_lock(path: Path, urls: list[str]) -> None:
    path.write_text(HEADER + "".join(f"{url}\n" for url in sorted(set(urls))), encoding="utf-8")


@dataclass(frozen=True)
class LockReport:
    vanished: list[str]  # locked URLs that are no page and no redirect: shared links would break
    unlisted: list[str]  # live URLs the lock does not list yet


def check_lock(locked: list[str], live: set[str], redirected: set[str]) -> LockReport:
    return LockReport(
        vanished=[url for url in locked if url not in live and url not in redirected],
        unlisted=sorted(live - set(locked)),
    )


def main(argv: list[str] | None = None) -> int:
    from .pipeline import split_books
    from .redirects import page_url, redirect_map
    from .settings import settings_from_mkdocs_yml

    parser = argparse.ArgumentParser(prog="python -m scripts.url_lock", description="Check or update the published-URL lock of each book.")
    parser.add_argument("--update", action="store_true", help="add every live URL to the lock files")
    parser.add_argument("--config", default="mkdocs.yml", help="the site configuration (default: mkdocs.yml)")
    args = parser.parse_args(argv)
    settings = settings_from_mkdocs_yml(Path(args.config))
    try:
        result = split_books(list(settings.books), source_root=settings.root)
    except BookError as error:
        print("\n".join(map(str, error.diagnostics)), file=sys.stderr)
        return 1
    redirected = {page_url(old) for old in redirect_map(result.books)}
    status = 0
    for book in result.books:
        path = lock_path_for(book.path)
        live = book_urls(book)
        report = check_lock(read_lock(path), set(live), redirected)
        for url in report.vanished:
            print(f"{path}: {url} was published but is no longer a page or a redirect", file=sys.stderr)
            status = 1
        if args.update:
            write_lock(path, read_lock(path) + live)
            print(f"{path}: {len(report.unlisted)} new URL(s) added")
        elif report.unlisted:
            print(f"{path}: {len(report.unlisted)} URL(s) not in the lock yet; run with --update")
    return status


if __name__ == "__main__":
    sys.exit(main())
