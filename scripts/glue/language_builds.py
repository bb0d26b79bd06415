"""The site's other languages, built in a second process while this one builds the book's language.

mkdocs-static-i18n builds the languages one after the other in one process, so on a machine of two
cores one core idles through the half of the build that is the second language. Once the work every
language shares is done (the split, the figures), this process forks: the child builds the other
languages into the same site folder, exactly as the plugin's own loop would, and this process goes on
with the book's language. What the child leaves for the steps after the build, besides its files,
comes back through a pipe when the book's language is done: its log records, shown and counted by
`--strict` here (so one warning for both languages is still shown once), and a result of its own.

Only fork hands the child the build as it stands (config, plugins, the split) without redoing it,
and fork is only safe while this process runs a single thread: otherwise, or where there is no
fork or no second core, `can_fork` says no and the languages build one after the other as before.
"""

from __future__ import annotations

import gzip
import logging
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from click import ClickException

ONCE = "qa_once"  # a log record's `extra` key: what it reports, so the same report shows once for all languages
# What a nested build says of itself that the outer build says once (mkdocs-static-i18n filters the
# same in its own loop), and the templates the child leaves to the parent: news, not problems.
_NESTED_BUILD_NEWS = ("Documentation built in", "Building documentation to directory", "Template skipped: ")


@dataclass(frozen=True)
class ForwardedRecord:
    logger: str
    level: int
    message: str
    once: object = None  # the record's ONCE key, if it has one

    def replay(self, shown: set) -> None:
        """Log it here, unless a record of the same ONCE key was shown already."""
        if self.once is not None:
            if self.once in shown:
                return
            shown.add(self.once)
        logging.getLogger(self.logger).log(self.level, self.message)


@dataclass
class ChildOutcome:
    records: list[ForwardedRecord] = field(default_factory=list)
    result: object = None
    error: str | None = None  # why the child's builds failed; its records say more


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[ForwardedRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "mkdocs.commands.build" and record.levelno < logging.WARNING and record.getMessage().startswith(_NESTED_BUILD_NEWS):
            return
        self.records.append(ForwardedRecord(record.name, record.levelno, record.getMessage(), getattr(record, ONCE, None)))


def can_fork() -> bool:
    """Whether building the other languages in a forked child is possible and worth it here."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1 and cores > 1


class LanguageChild:
    """A forked child running `work`; `join` waits for it and returns what it reported."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid, self._reader = pid, reader

    @classmethod
    def fork(cls, work: Callable[[], object], logger: str = "mkdocs") -> LanguageChild:
        """Runs `work` in a child whose `logger` records are kept for the parent instead of shown.
        The child never returns into the caller's code: it ends when `work` does."""
        reader, writer = os.pipe()
        pid = os.fork()
        if pid:
            os.close(writer)
            return cls(pid, reader)
        status = 1
        try:
            os.close(reader)
            capture = _Capture()
            captured = logging.getLogger(logger)
            for handler in list(captured.handlers):  # the console and --strict's counter are the parent's
                captured.removeHandler(handler)
            captured.addHandler(capture)
            outcome = ChildOutcome()
            try:
                outcome.result = work()
            except ClickException as error:  # MkDocs' Abort: the error itself was logged
                outcome.error = error.message
            except BaseException as error:  # noqa: BLE001 - whatever it is, the parent must hear of it
                outcome.error = f"{type(error).__name__}: {error}\n{traceback.format_exc()}"
            outcome.records = capture.records
            with os.fdopen(writer, "wb") as pipe:
                try:
                    pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception as error:  # noqa: BLE001 - an unpicklable result
                    pickle.dump(ChildOutcome(outcome.records, None, f"cannot report back: {error}"), pipe)
            status = 0 if outcome.error is None else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)

    def join(self) -> ChildOutcome:
        chunks = []
        with os.fdopen(self._reader, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        _, status = os.waitpid(self.pid, 0)
        try:
            return pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 - the child died before it could report
            return ChildOutcome(error=f"the process building the other languages ended ({_describe(status)}) without a report")

    def kill(self) -> None:
        """Ends the child at once (the build failed here); its report is dropped."""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(self._reader)
        except OSError:
            pass


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def merge_sitemaps(first: str, *others: str) -> str:
    """One sitemap holding the <url> entries of each, in order, as one build of them all writes it."""
    end = first.rindex("</urlset>")
    entries = []
    for other in others:
        start = other.index(">", other.index("<urlset")) + 1
        entries.append(other[start: other.rindex("</urlset>")].rstrip())
    return first[:end].rstrip() + "".join(entries) + "\n" + first[end:]


def rewrite_sitemap(site_dir: Path, xml: str) -> None:
    """sitemap.xml and its .gz, the gzip header's time kept from the one the build wrote."""
    path = Path(site_dir) / "sitemap.xml"
    gz = path.with_name("sitemap.xml.gz")
    mtime = int.from_bytes(gz.read_bytes()[4:8], "little") if gz.exists() else None
    path.write_bytes(xml.encode("utf-8"))
    with open(gz, "wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(gz), mode="wb", mtime=mtime) as packed:
        packed.write(xml.encode("utf-8"))
