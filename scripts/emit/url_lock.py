"""The URL lock: a committed list of every URL a book has published, next to the book.

A build fails when a locked URL is neither a page nor a redirect any more, so a shared link
can only break on purpose. A new URL missing from the lock is a warning (an error under
--strict, as in CI) until the lock is updated:

    python -m scripts urls --update      # or: make urls
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HEADER = (
    "# Every URL this book has published, one per line, relative to the site root.\n"
    "# The build fails if one of them stops resolving: rename a slug with `formerly:` in the\n"
    "# registry so the old URL redirects. Add new URLs with: make urls\n"
)


def lock_path_for(book_path: Path) -> Path:
    return book_path.with_name(book_path.stem + ".urls.txt")


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
