"""`mkdocs serve` regenerates the pages when the book changes, and settles when it does not."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from scripts.dev.figures import linked_figures, make_figures

from ..conftest import BOOK, ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"condition not met within {seconds} s")


@contextmanager
def serving(tmp_path: Path, figures: Path):
    """`mkdocs serve` of a copy of our book in `tmp_path`: yields (book, server, page URL); its
    log is tmp_path/serve.log. Stopped with SIGTERM, as serve ignores SIGINT in the background."""
    book = tmp_path / BOOK.name
    for source in (BOOK, BOOK.with_name(BOOK.stem + ".registry.yml"), BOOK.with_name(BOOK.stem + ".urls.txt")):
        shutil.copy(source, tmp_path)
    port = free_port()
    env = {**os.environ, "QA_BOOKS": str(book), "QA_PAGES": str(tmp_path / "pages"), "QA_IMAGES": str(figures), "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(tmp_path / "serve.log").open("w"), text=True,
    )
    try:
        yield book, server, f"http://127.0.0.1:{port}/aigc-interview-site/sd15/aspect-ratio-bucketing-workflow/"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_editing_the_book_while_serving_updates_the_page(tmp_path: Path):
    figures = make_figures(tmp_path / "figures", [name for name in linked_figures() if name != "unet.jpg"])
    with serving(tmp_path, figures) as (book, _, url):
        wait_for(lambda: "具体流程" in fetch(url), 60)
        # A missing figure does not stop a preview: a warning names it, the page shows a placeholder.
        warnings = [line for line in (tmp_path / "serve.log").read_text(encoding="utf-8").splitlines() if "figure '" in line]
        assert len(warnings) == 1 and "WARNING" in warnings[0] and f"{BOOK.name}:873: warning: figure 'unet.jpg' is missing" in warnings[0]
        unet = fetch(url.replace("sd15/aspect-ratio-bucketing-workflow/", "sd15/sd-unet-architecture/"))
        assert '<span class="qa-missing-image" role="img" aria-label="图片缺失：unet">' in unet
        book.write_text(book.read_text(encoding="utf-8").replace("我们先介绍如何对训练数据进行分桶", "我们先说明分桶的做法"), encoding="utf-8")
        wait_for(lambda: "我们先说明分桶的做法" in fetch(url), 60)
        # Unchanged output is not rewritten, so the watcher goes quiet instead of rebuilding forever.
        manifest = tmp_path / "pages" / "manifest.json"
        stamp = manifest.stat().st_mtime_ns
        time.sleep(3)
        assert manifest.stat().st_mtime_ns == stamp


def descendants(pid: int) -> list[str]:
    """The command lines of every process below `pid`."""
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                queue.append(child)
                try:
                    found.append(Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode())
                except OSError:
                    pass
    return found


def test_a_broken_rebuild_says_why_every_time_and_keeps_serving_the_last_good_site(tmp_path: Path, book_figures: Path):
    with serving(tmp_path, book_figures) as (book, server, url):
        good = book.read_text(encoding="utf-8")

        def log_text() -> str:
            return (tmp_path / "serve.log").read_text(encoding="utf-8")

        wait_for(lambda: "具体流程" in fetch(url), 60)
        renderers = sum("render-math" in c for c in descendants(server.pid))
        # A slug renamed without `formerly:` breaks a published URL: the build fails after it has
        # started KaTeX's Node process, which a failed build used to leave running.
        registry = book.with_name(book.stem + ".registry.yml")
        renamed = registry.read_text(encoding="utf-8").replace("slug: aspect-ratio-bucketing-workflow\n", "slug: bucketing-steps\n")
        for attempt in (1, 2):  # the same error twice: MkDocs alone prints a repeated error once
            registry.write_text(renamed + f"# attempt {attempt}\n", encoding="utf-8")
            wait_for(lambda attempt=attempt: f"rebuild failed (#{attempt})" in log_text(), 60)
            started = time.monotonic()
            page = fetch(url)
            assert time.monotonic() - started < 5  # answered, not left waiting for a good build
            assert "具体流程" in page and "Build failed, showing the last good build" in page and "would break" in page
        failures = re.findall(r"rebuild failed \(#\d\): (.*?)Serving the last good build", log_text(), re.S)
        assert len(failures) == 2 and all("would break" in reason for reason in failures), failures
        # None left behind: a rebuild serve may still be running ends with its renderer stopped.
        wait_for(lambda: sum("render-math" in c for c in descendants(server.pid)) <= renderers, 20)
        registry.write_text(renamed.replace("slug: bucketing-steps\n", "slug: aspect-ratio-bucketing-workflow\n"), encoding="utf-8")
        book.write_text(good.replace("我们先介绍如何对训练数据进行分桶", "我们先说明分桶的做法"), encoding="utf-8")
        wait_for(lambda: "我们先说明分桶的做法" in fetch(url), 60)
        assert "Build failed" not in fetch(url)
