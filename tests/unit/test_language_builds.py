"""The child process that builds the site's other languages: what it hands back, what it keeps
from the console, how it fails, and the sitemap both processes write half of."""

from __future__ import annotations

import gzip
import logging
import threading
import time

import pytest
from click import ClickException

from scripts.glue.language_builds import ONCE, ForwardedRecord, LanguageChild, can_fork, merge_sitemaps, rewrite_sitemap


def test_the_child_hands_back_its_result_and_its_records_without_printing_them(capfd):
    def work():
        logging.getLogger("mkdocs").setLevel(logging.INFO)  # as `mkdocs build` without -q; the records below it are never made
        logging.getLogger("mkdocs.hooks.qa").warning("book.md:3: removed a script")
        logging.getLogger("mkdocs.hooks.qa").info("rendered 2 formulas", extra={ONCE: ("book.md:3", "x")})
        return {"printable": {("en", "a/b"): "<p>b</p>"}}

    outcome = LanguageChild.fork(work).join()
    assert outcome.error is None
    assert outcome.result == {"printable": {("en", "a/b"): "<p>b</p>"}}
    assert outcome.records == [
        ForwardedRecord("mkdocs.hooks.qa", logging.WARNING, "book.md:3: removed a script"),
        ForwardedRecord("mkdocs.hooks.qa", logging.INFO, "rendered 2 formulas", ("book.md:3", "x")),
    ]
    assert "removed a script" not in capfd.readouterr().err  # shown by the parent, when it replays them


def test_a_nested_builds_news_of_itself_is_left_out():
    def work():
        logging.getLogger("mkdocs").setLevel(logging.INFO)
        logging.getLogger("mkdocs.commands.build").info("Documentation built in 1.20 seconds")
        logging.getLogger("mkdocs.commands.build").info("Template skipped: '404.html' generated empty output.")
        logging.getLogger("mkdocs.commands.build").warning("Template skipped: 'x.html' not found in theme directories.")

    records = LanguageChild.fork(work).join().records
    assert [record.message for record in records] == ["Template skipped: 'x.html' not found in theme directories."]


def test_a_failed_build_in_the_child_is_reported_with_its_records():
    def aborted():
        logging.getLogger("mkdocs.commands.build").error("the en page x.en.md has errors")
        raise ClickException("Aborted with a BuildError!")

    outcome = LanguageChild.fork(aborted).join()
    assert outcome.error == "Aborted with a BuildError!"
    assert [record.message for record in outcome.records] == ["the en page x.en.md has errors"]

    def crashed():
        raise KeyError("en")

    outcome = LanguageChild.fork(crashed).join()
    assert outcome.error.startswith("KeyError: 'en'") and "Traceback" in outcome.error


def test_a_result_that_cannot_be_sent_back_is_an_error_not_a_silent_loss():
    outcome = LanguageChild.fork(lambda: {"lock": threading.Lock()}).join()
    assert outcome.error.startswith("cannot report back")


def test_a_large_result_comes_back_whole():
    # More than a pipe holds: the parent reads while the child writes.
    outcome = LanguageChild.fork(lambda: "页" * 3_000_000).join()
    assert outcome.result == "页" * 3_000_000


def test_a_child_that_dies_is_reported():
    import os

    outcome = LanguageChild.fork(lambda: os._exit(3)).join()
    assert outcome.error == "the process building the other languages ended (exit status 3) without a report"


def test_killing_the_child_ends_it_at_once():
    child = LanguageChild.fork(lambda: time.sleep(60))
    started = time.perf_counter()
    child.kill()
    assert time.perf_counter() - started < 5
    with pytest.raises(ChildProcessError):
        import os

        os.waitpid(child.pid, os.WNOHANG)


def test_replayed_records_show_a_report_once_for_all_languages(caplog):
    shown = {("book.md:3", "a script")}  # the parent's own build showed this one
    caplog.set_level(logging.INFO, logger="mkdocs")
    for record in [ForwardedRecord("mkdocs.hooks.qa", logging.WARNING, "book.md:3: removed a script", ("book.md:3", "a script")),
                   ForwardedRecord("mkdocs.hooks.qa", logging.WARNING, "x.en.md:1: removed a style", ("x.en.md:1", "a style")),
                   ForwardedRecord("mkdocs.hooks.qa", logging.WARNING, "x.en.md:1: removed a style", ("x.en.md:1", "a style")),
                   ForwardedRecord("mkdocs.plugins", logging.INFO, "100% done")]:
        record.replay(shown)
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("mkdocs.hooks.qa", logging.WARNING, "x.en.md:1: removed a style"),
        ("mkdocs.plugins", logging.INFO, "100% done"),
    ]
    assert ("x.en.md:1", "a style") in shown


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
    finally:
        stop.set()
        thread.join()


SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">{}
</urlset>"""


def entry(url: str) -> str:
    return f"\n    <url>\n        <loc>{url}</loc>\n    </url>"


def test_the_sitemaps_merge_as_one_build_of_both_languages_writes_it():
    zh, en = SITEMAP.format(entry("/a/") + entry("/b/")), SITEMAP.format(entry("/en/a/"))
    assert merge_sitemaps(zh, en) == SITEMAP.format(entry("/a/") + entry("/b/") + entry("/en/a/"))
    assert merge_sitemaps(zh) == zh


def test_the_rewritten_sitemap_keeps_the_gzip_time_of_the_one_mkdocs_wrote(tmp_path):
    with gzip.GzipFile(tmp_path / "sitemap.xml.gz", "wb", mtime=1_700_000_000) as old:
        old.write(b"<urlset></urlset>")
    rewrite_sitemap(tmp_path, SITEMAP.format(entry("/a/")))
    packed = (tmp_path / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(packed[4:8], "little") == 1_700_000_000
    assert gzip.decompress(packed).decode() == (tmp_path / "sitemap.xml").read_text(encoding="utf-8") == SITEMAP.format(entry("/a/"))
