"""A language is configuration plus a strings file: a third language needs no code."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ..conftest import ROOT, mkdocs_build

JAPANESE = """\
pages:
  answered_badge: 回答あり
  home: ホーム
theme:
  practice:
    practice: 練習モード
"""


@pytest.fixture(scope="module")
def three_languages(tmp_path_factory, book_figures: Path) -> Path:
    """Our site with Japanese added in the test's own configuration and strings folder."""
    scratch = tmp_path_factory.mktemp("ja")
    (scratch / "strings").mkdir()
    (scratch / "strings" / "ja.yml").write_text(JAPANESE, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    japanese = "        - locale: ja\n          name: 日本語\n          build: true\n          site_name: AIGC 面接問題集\n"
    assert "  - redirects" in config and "    images: imgs\n" in config
    config = config.replace("  - redirects", japanese + "  - redirects", 1)
    config = config.replace("    images: imgs\n", f"    images: imgs\n    strings: {scratch / 'strings'}\n", 1)
    # MkDocs resolves the relative paths of a configuration from its folder: it sits beside mkdocs.yml.
    path = ROOT / f".mkdocs-test-{os.getpid()}.yml"
    path.write_text(config, encoding="utf-8")
    try:
        result = mkdocs_build(scratch / "site", book_figures, config=path)
    finally:
        path.unlink()
    assert result.returncode == 0, result.stderr[-3000:]
    return scratch / "site"


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_the_third_language_gets_every_page_in_its_own_tree(three_languages: Path):
    for language in ("", "en/", "ja/"):
        page = read(three_languages, f"{language}sd15/aspect-ratio-bucketing-workflow/")
        assert f'<html lang="{language.rstrip("/") or "zh"}"' in page
    assert read(three_languages, "ja/").count('lang="ja"') >= 1


def test_its_strings_file_speaks_where_it_has_a_word_and_english_where_it_has_none(three_languages: Path):
    chapter = read(three_languages, "ja/sd15/")
    assert "回答あり" in chapter and "有答案" not in chapter  # pages.answered_badge, given
    assert "ホーム" in chapter and "練習モード" in chapter  # the navigation, a template
    assert "questions, " in chapter  # pages.counts, not given: English
    question = read(three_languages, "ja/sd15/aspect-ratio-bucketing-workflow/")
    assert "The answer is in Chinese" in question  # the notice, not given: English


def test_titles_without_a_translation_are_the_books_own(three_languages: Path):
    question = read(three_languages, "ja/sd15/aspect-ratio-bucketing-workflow/")
    (heading,) = re.findall(r"<h1[^>]*>([^<]*)", question)
    assert heading.startswith("介绍一下长宽比分桶训练策略")
    english = read(three_languages, "en/sd15/aspect-ratio-bucketing-workflow/")
    assert re.findall(r"<h1[^>]*>([^<]*)", english)[0].startswith("Walk through the Aspect Ratio Bucketing")


def test_the_scripts_get_the_third_languages_strings(three_languages: Path):
    found = re.search(r'<script type="application/json" id="qa-strings">(.*?)</script>', read(three_languages, "ja/sd15/"), re.S)
    assert found and '"Copy link"' in found.group(1)  # js.copyLink.idle, not given: English
