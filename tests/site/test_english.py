"""The English tree: same questions, English titles and navigation, Chinese answers until translated."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from scripts.book.translations import answer_fingerprint, translation_dir

from ..conftest import BOOK, ROOT, built_manifest, mkdocs_build, slugged_book

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def test_every_question_has_an_english_title_without_chinese():
    book = slugged_book(BOOK)
    for question in book.questions:
        assert question.title_en.strip(), question.title
        assert not CJK.search(question.title_en), question.title_en
    for chapter in book.chapters:
        assert chapter.title_en and not CJK.search(chapter.title_en)
        assert all(s.title_en and not CJK.search(s.title_en) for s in chapter.sections)


def alternates(html: str) -> dict[str, str]:
    return dict((lang, href) for href, lang in re.findall(r'<link rel=" ?alternate" href="([^"]*)" hreflang="([^"]*)">', html))


def test_every_english_question_page_exists_and_links_both_ways(built_site: Path):
    for entry in built_manifest(built_site):
        english = built_site / "en" / entry["url"] / "index.html"
        chinese = built_site / entry["url"] / "index.html"
        english_html, chinese_html = english.read_text(encoding="utf-8"), chinese.read_text(encoding="utf-8")
        assert '<html lang="en"' in english_html and '<html lang="zh"' in chinese_html
        assert "<h1" in english_html and entry["title_en"].replace("'", "&#39;")[:20] in english_html
        # The language switcher and the hreflang alternates lead to the same question.
        assert alternates(english_html) == {"zh": f"../../../{entry['url']}", "en": "./"}
        assert alternates(chinese_html) == {"zh": "./", "en": f"../../en/{entry['url']}"}
        assert f'href="../../../{entry["url"]}" hreflang="zh" class="md-select__link"' in english_html


def test_english_pages_say_the_answer_is_chinese_or_missing(built_site: Path):
    manifest = built_manifest(built_site)
    answered = next(e for e in manifest if e["answered"])
    open_question = next(e for e in manifest if not e["answered"])
    answered_html = (built_site / "en" / answered["url"] / "index.html").read_text(encoding="utf-8")
    assert "The answer is in Chinese" in answered_html and 'og:locale" content="en_US"' in answered_html
    assert "No reference answer yet" in (built_site / "en" / open_question["url"] / "index.html").read_text(encoding="utf-8")


def test_english_home_lists_the_chapters_in_english(built_site: Path):
    html = (built_site / "en" / "index.html").read_text(encoding="utf-8")
    assert "<title>AIGC Interview Questions</title>" in html
    assert "Chapter 2: Stable Diffusion 1.5 Series" in html and 'href="sd15/"' in html


def _build_with_translation(book_copy: Path, site: Path, fingerprint: str, figures: Path):
    folder = translation_dir(book_copy)
    folder.mkdir(exist_ok=True)
    (folder / "aspect-ratio-bucketing-workflow.md").write_text(
        f"---\ntranslates: {fingerprint}\n---\nBucketing groups images **by aspect ratio** before batching.\n", encoding="utf-8")
    result = mkdocs_build(site, figures, strict=False, QA_BOOKS=str(book_copy))
    page = site / "en" / "sd15" / "aspect-ratio-bucketing-workflow" / "index.html"
    return result, page.read_text(encoding="utf-8") if page.exists() else ""


def test_an_english_answer_replaces_the_chinese_one_and_an_outdated_one_is_reported(book_copy: Path, tmp_path: Path, book_figures: Path):
    question = next(q for q in slugged_book(book_copy).questions if q.slug == "aspect-ratio-bucketing-workflow")
    current, html = _build_with_translation(book_copy, tmp_path / "current" / "site", answer_fingerprint(question.answer), book_figures)
    assert current.returncode == 0, current.stderr
    assert "<strong>by aspect ratio</strong>" in html and "may be outdated" not in html and "The answer is in Chinese" not in html

    outdated, html = _build_with_translation(book_copy, tmp_path / "outdated" / "site", "0" * 12, book_figures)
    assert outdated.returncode == 0, outdated.stderr
    assert "This translation may be outdated" in html and "<strong>by aspect ratio</strong>" in html
    assert "answer(s) in 'en' may be outdated" in outdated.stderr and "aspect-ratio-bucketing-workflow" in outdated.stderr
    manifest = yaml.safe_load((tmp_path / "outdated" / "pages" / "manifest.json").read_text(encoding="utf-8"))
    assert next(e for e in manifest if e["slug"] == "aspect-ratio-bucketing-workflow")["translations"] == {"en": "outdated"}


def test_english_question_pages_carry_their_own_preview_tags(built_site: Path):
    from mkdocs.config import load_config

    site_url = load_config(str(ROOT / "mkdocs.yml")).site_url
    for entry in built_manifest(built_site)[:20]:
        html = (built_site / "en" / entry["url"] / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{site_url}en/{entry["url"]}">' in html
        assert f'<meta property="og:url" content="{site_url}en/{entry["url"]}">' in html
        title = re.search(r"<title>([^<]*)</title>", html).group(1)
        assert title.startswith(entry["title_en"].replace("'", "&#39;")[:15]) and title.endswith(" – AIGC Interview Questions")
        description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
        assert description.startswith("A ") and "\\" not in description and "$" not in description
        assert '"inLanguage": "en"' in html


def test_the_books_answer_on_an_english_page_is_marked_as_chinese(built_site: Path):
    entry = next(e for e in built_manifest(built_site) if e["answered"])
    html = (built_site / "en" / entry["url"] / "index.html").read_text(encoding="utf-8")
    notice_end = html.index("The question in Chinese")
    answer = re.search(r'</div><div lang="zh">(.*?)</div>', html[notice_end:], re.S)
    assert answer and CJK.search(answer.group(1))
    assert '<html lang="en"' in html and "The answer is in Chinese" in html[:notice_end + 30]
    from selectolax.lexbor import LexborHTMLParser

    related = LexborHTMLParser(html).css_first(".qa-related")  # English titles: outside the Chinese answer
    assert related is not None and related.css_first("h2").text().strip().rstrip("¶") == "Related questions"
    ancestor = related.parent
    while ancestor is not None:
        assert ancestor.attributes.get("lang") != "zh"
        ancestor = ancestor.parent
