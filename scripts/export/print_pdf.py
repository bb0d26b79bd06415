"""Print composed books (scripts/export/pdf_document.py) to PDF files with Chromium: one launch
for every book and language, each document loaded from the built site so its figures, KaTeX's
stylesheet and fonts come from there, printed once its fonts and figures have loaded."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scripts.book.model import Book
from scripts.dev.browser import StaticSite, chromium_executable, launch_chromium
from scripts.emit.pages import Language
from scripts.emit.urls import download_path
from scripts.export.pdf_document import book_to_print, compose

# The document is served at the built site's root (its links are relative to it), from memory: it is never published.
DOCUMENT = "__print__.html"
PAGE_FORMAT = "A4"
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}
FOOTER = ('<div style="width:100%;font-size:8px;color:#666;text-align:center;font-family:sans-serif">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
_READY = """async () => {
  await document.fonts.ready;
  await Promise.all([...document.images].map(img => img.complete ? null : new Promise(done => {
    img.addEventListener("load", done, {once: true});
    img.addEventListener("error", done, {once: true});
  })));
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  await document.fonts.ready;
}"""


class PrintError(RuntimeError):
    """The PDFs cannot be printed; the message says why, in one line."""


@dataclass(frozen=True)
class PrintJob:
    html: str  # the composed document
    target: Path  # the PDF file to write (its title, in the PDF's metadata, is the document's <title>)


@dataclass(frozen=True)
class Printed:
    target: Path
    seconds: float
    size: int  # bytes


def _serving(document: str):
    def fulfill(route, request):
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=document)
    return fulfill


def print_pdfs(site_dir: Path, jobs: list[PrintJob], executable: str | None = None) -> list[Printed]:
    if not jobs:
        return []
    executable = executable or chromium_executable()
    if not Path(executable).exists():
        raise PrintError(f"printing the PDFs needs Chromium, and there is none at {executable}: "
                         "install Debian's chromium (make browser) or set QA_CHROMIUM to a Chrome or Chromium")
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    printed = []
    try:
        with StaticSite(site_dir) as site, sync_playwright() as playwright:
            browser = launch_chromium(playwright, executable)
            try:
                page = browser.new_page()
                for job in jobs:
                    started = time.perf_counter()
                    page.route(site.url + DOCUMENT, _serving(job.html))
                    page.goto(site.url + DOCUMENT, wait_until="load")
                    page.evaluate(_READY)
                    job.target.parent.mkdir(parents=True, exist_ok=True)
                    page.pdf(path=str(job.target), format=PAGE_FORMAT, margin=MARGIN, print_background=True,
                             display_header_footer=True, header_template="<span></span>", footer_template=FOOTER,
                             outline=True, tagged=True)
                    page.unroute(site.url + DOCUMENT)
                    printed.append(Printed(job.target, time.perf_counter() - started, job.target.stat().st_size))
            finally:
                browser.close()
    except PlaywrightError as error:
        first = next((line for line in str(error).splitlines() if line.strip()), str(error))
        raise PrintError(f"printing the PDFs failed in Chromium ({executable}): {first}") from None
    return printed


def print_books(site_dir: Path, books: list[Book], languages: Mapping[str, Language], answers: Mapping[tuple[str, str], str], *,
                site_names: Mapping[str, str], site_url: str, built_on: str) -> list[Printed]:
    """Every book in every language, into the built site at its download path (scripts/emit/urls.py):
    `answers` holds each question page's content by (language, question key), `site_names` the
    site's name by language. Raises MissingAnswer (pdf_document) or PrintError."""
    jobs = []
    for code, language in languages.items():
        mine = {key: html for (lang, key), html in answers.items() if lang == code}
        for book in books:
            document = book_to_print(book, language, mine, site_name=site_names[code], site_url=site_url, built_on=built_on)
            jobs.append(PrintJob(compose(document), site_dir / download_path(book, "pdf", language.suffix)))
    return print_pdfs(site_dir, jobs)
