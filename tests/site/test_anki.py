"""The Anki decks of the built site: where the home pages link them, read as Anki reads them."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from scripts.strings import load_strings

from ..anki_deck import BASIC_ZH, ParsedDeck, parse_deck
from ..conftest import built_manifest

BOOK_SLUG = "aigc-interview-book"  # the registry's `book: slug:`


def _linked_deck(site: Path, home: str) -> tuple[Path, str]:
    """The file the 带走 block of the home page at `home` links as the Anki deck."""
    page = (site / home / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<a href="([^"]+)" download data-qa-anki="([^"]*)"', page)
    assert found, f"no Anki link on /{home}"
    return site / posixpath.normpath(posixpath.join(home, found.group(1))), found.group(2)


@pytest.fixture(scope="module")
def decks(built_site: Path) -> dict[str, ParsedDeck]:
    files = {language: _linked_deck(built_site, home)[0] for language, home in (("zh", ""), ("en", "en/"))}
    assert files["zh"].name == f"{BOOK_SLUG}.anki.txt" and files["en"].name == f"{BOOK_SLUG}.en.anki.txt"
    return {language: parse_deck(path.read_text(encoding="utf-8")) for language, path in files.items()}


def test_the_home_pages_link_decks_that_exist_with_the_practice_key_prefix(built_site: Path):
    for home in ("", "en/"):
        path, key = _linked_deck(built_site, home)
        assert path.is_file(), path
        assert key == ""  # a site of one book: practice keys are bare slugs


def test_one_note_per_answered_question_with_unique_guids(built_site: Path, decks):
    answered = [entry for entry in built_manifest(built_site) if entry["answered"]]
    assert answered and len(answered) < len(built_manifest(built_site)), "the fixture book has questions of both kinds"
    for language, suffix in (("zh", ""), ("en", "@en")):
        guids = [decks[language].field(row, "guid") for row in decks[language].rows]
        assert guids == [f"{BOOK_SLUG}/{entry['slug']}{suffix}" for entry in answered]
        assert len(set(guids)) == len(guids)


def test_the_english_deck_uses_the_registrys_english_titles(built_site: Path, decks):
    answered = [entry for entry in built_manifest(built_site) if entry["answered"]]
    fronts = {row["guid"]: row["Front"] for row in decks["en"].rows}
    english = [entry for entry in answered if entry["title_en"]]
    assert english, "the registry has English titles"
    for entry in english:
        assert fronts[f"{BOOK_SLUG}/{entry['slug']}@en"] == entry["title_en"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    zh_decks = {decks["zh"].field(row, "deck") for row in decks["zh"].rows}
    en_decks = {decks["en"].field(row, "deck") for row in decks["en"].rows}
    assert all(name.startswith("AIGC") and "::第" in name for name in zh_decks)
    assert all("::Chapter " in name for name in en_decks) and not zh_decks & en_decks


def test_math_is_tex_for_anki_and_figures_are_absolute(built_site: Path, decks):
    by_slug = {entry["slug"]: entry for entry in built_manifest(built_site)}
    deck = decks["zh"]
    with_math = [row for row in deck.rows if by_slug[row["guid"].split("/", 1)[1]]["formulas"]]
    with_figures = [row for row in deck.rows if by_slug[row["guid"].split("/", 1)[1]]["images"]]
    assert with_math and with_figures
    for row in with_math:
        assert re.search(r'class="arithmatex">\\[(\[]', row["Back"]), row["guid"]
        assert "math" in deck.field(row, "tags").split(" ")
    for row in deck.rows:
        assert "katex" not in row["Back"] and "headerlink" not in row["Back"] and "qa-related" not in row["Back"]
    for row in with_figures:
        sources = re.findall(r'<img [^>]*src="([^"]+)"', row["Back"])
        assert sources and all(re.match(r"https?://[^/]+/.*imgs/", src) for src in sources), sources
        assert "figure" in deck.field(row, "tags").split(" ")
    links = [href for row in deck.rows for href in re.findall(r'href="([^"]+)"', row["Back"])]
    assert links and all(re.match(r"(https?|mailto):", href) for href in links), [h for h in links if not h.startswith("http")]


def test_the_english_deck_carries_no_site_notice(built_site: Path, decks):
    notice = load_strings("en")["pages"]["source_answer_title"]
    in_chinese = [e for e in built_manifest(built_site) if e["answered"] and e["translations"]["en"] == "none"]
    page = (built_site / "en" / in_chinese[0]["url"] / "index.html").read_text(encoding="utf-8")
    assert notice in page  # the site says the answer is the book's, in Chinese; a card has no use for it
    backs = {row["guid"]: row["Back"] for row in decks["en"].rows}
    assert backs and not any("qa-notice" in back or notice in back for back in backs.values())
    for entry in in_chinese:  # still marked as Chinese, for Anki's reader and fonts
        assert backs[f"{BOOK_SLUG}/{entry['slug']}@en"].startswith('<div lang="zh">')


def test_both_decks_fill_a_basic_notetype_named_in_english_or_chinese(built_site: Path, decks):
    for language, home in (("zh", ""), ("en", "en/")):
        chinese = parse_deck(_linked_deck(built_site, home)[0].read_text(encoding="utf-8"), BASIC_ZH)
        assert [(row["正面"], row["背面"]) for row in chinese.rows] == [(row["Front"], row["Back"]) for row in decks[language].rows]
