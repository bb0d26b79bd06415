"""The printable book: a build with extra.qa.pdf on writes each book's PDF in every language,
read back with poppler's pdftotext, and links it from the home page; a build without links none.
And any single page prints as its content alone, its answer shown even when practice mode folds it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from playwright.sync_api import expect
from selectolax.lexbor import LexborHTMLParser

from scripts.dev.browser import StaticSite
from scripts.dev.figures import make_figures

from ..conftest import FIXTURES, mkdocs_build

BOOK = FIXTURES / "books" / "print-book.md"
# The fixture's questions in book order, as each language titles them; the cover's title; the unanswered line.
TITLES = {"zh": ["什么是扩散模型？", "什么是VAE？", "什么是LoRA？"],
          "en": ["What is a diffusion model?", "What is a VAE?", "What is LoRA?"]}
COVER = {"zh": "打印之书", "en": "打印之书"}  # the registry gives the book no English title
UNANSWERED = {"zh": "暂无参考答案", "en": "No reference answer yet"}
PDFS = {"zh": "downloads/print-book.pdf", "en": "downloads/print-book.en.pdf"}


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"no {tool}: install poppler-utils (make browser)"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must check the PDFs)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def printed_site(tmp_path_factory, browser) -> Path:  # `browser`: skipped, or failed under CI, without Chromium
    root = tmp_path_factory.mktemp("printed")
    figures = make_figures(root / "figures", ["print-figure.png"])
    site = root / "site"
    result = mkdocs_build(site, figures, QA_BOOKS=str(BOOK), QA_PDF="1")
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def pdf_text(path: Path) -> str:
    return subprocess.run([_poppler("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run([_poppler("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_pdf_holds_the_cover_contents_and_every_question_in_book_order(printed_site: Path, language: str):
    text = pdf_text(printed_site / PDFS[language])
    pages = int(pdf_info(printed_site / PDFS[language])["Pages"])
    cover = text.split("\f")[0]
    assert COVER[language] in cover and "AIGC" in cover and re.search(r"\d{4}-\d\d-\d\d", cover)
    assert "http://127.0.0.1:8000/aigc-interview-site/" in cover
    # Each title twice in turn: first the contents in book order, then the questions themselves.
    position = 0
    for title in TITLES[language] + TITLES[language]:
        found = text.find(title, position)
        assert found >= 0, f"{title!r} missing or out of order after offset {position}"
        position = found + len(title)
    assert text.count(UNANSWERED[language]) == 1  # 什么是VAE？ has no answer
    for page in range(1, pages + 1):
        assert re.search(rf"(?<!\d){page}\s*/\s*{pages}(?!\d)", text.split("\f")[page - 1]), f"no page number on page {page}"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_math_is_rendered_and_the_figure_printed(printed_site: Path, language: str):
    path = printed_site / PDFS[language]
    text = pdf_text(path)
    for raw in ("$$", "\\(", "\\[", "$", "\\sqrt", "\\mathcal", "\\lVert"):
        assert raw not in text, f"TeX source {raw!r} left in the PDF"
    assert "ΔW" in text and "torch.randn_like" in text  # KaTeX's output, and the code block
    images = subprocess.run([_poppler("pdfimages"), "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) > 2, "the figure is not in the PDF"
    assert pdf_info(path)["Tagged"] == "yes"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_contents_are_clickable_and_the_pdf_has_an_outline(printed_site: Path, language: str):
    raw = (printed_site / PDFS[language]).read_bytes()
    assert b"/Outlines" in raw
    # The contents link 2 chapters, 1 section and 3 questions; the cover links the site.
    assert len(re.findall(rb"/Subtype\s*/Link", raw)) >= 7


def _download_links(page: Path) -> list[str]:
    tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
    return [a.attributes["href"] for a in tree.css(".qa-downloads a") if a.attributes.get("href", "").endswith(".pdf")]


@pytest.mark.parametrize(("home", "language"), [("index.html", "zh"), ("en/index.html", "en")])
def test_the_home_page_links_its_languages_pdf_and_the_file_is_there(printed_site: Path, home: str, language: str):
    (link,) = _download_links(printed_site / home)
    target = urlsplit(urljoin(f"http://site/{home}", link)).path.lstrip("/")
    assert unquote(target) == PDFS[language]
    assert (printed_site / target).stat().st_size > 10_000


def test_a_build_without_the_pdfs_links_none(built_site: Path):
    assert _download_links(built_site / "index.html") == []
    assert not (built_site / "downloads").exists() or not list((built_site / "downloads").glob("*.pdf"))


def test_a_printed_page_is_its_question_and_answer_alone_even_when_practice_folds_it(printed_site: Path, context):
    with StaticSite(printed_site, "/aigc-interview-site/") as server:
        page = context.new_page()
        question = server.url + "basics/what-is-diffusion/"
        page.goto(question)
        page.evaluate("key => localStorage.setItem(key, '1')", "/aigc-interview-site/qa-practice.on")
        page.reload()
        answer = page.locator(".md-content__inner h1 ~ p").first
        expect(page.locator("html")).to_have_class(re.compile(r"\bqa-folded\b"))
        expect(answer).to_be_hidden()  # on screen, practice mode folds the answer
        page.emulate_media(media="print")
        expect(answer).to_be_visible()
        expect(page.locator(".katex").first).to_be_visible()
        expect(page.locator(".md-content img").first).to_be_visible()
        expect(page.locator(".md-content__inner h1")).to_be_visible()
        for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", "section.qa-practice",
                       ".md-search", ".qa-copy-link", ".md-content__button"):
            for element in page.locator(chrome).all():
                expect(element).to_be_hidden()
        # The article takes the page's width: nothing beside it, nothing cut off at its edges.
        width = page.evaluate("document.querySelector('.md-content').getBoundingClientRect().width / innerWidth")
        assert width > 0.9
