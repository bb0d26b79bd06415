"""The Anki deck with the reader's practice state: marks set in practice mode, then the 带走
block's export, caught as a download and read as Anki reads it."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from ..anki_deck import parse_deck
from .test_pages import watch
from .test_practice import QUESTION, SDXL_QUESTION, VAE_QUESTION, storage_key

BOOK = "aigc-interview-book"
DUE_ONLY = "sd3/sd3-vs-sdxl-improvements/"  # no mark, but a card due since long ago


def _slug(url: str) -> str:
    return url.rstrip("/").split("/")[-1]


def _export(page, name: str, tmp_path):
    with page.expect_download() as download:
        page.get_by_role("button", name=name).click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path


@pytest.fixture
def marked(browser, site_url):
    """A browser whose reader marked one question mastered, one for review (so due today too),
    rated nothing on a third, and holds a card of a fourth that came due long ago."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    problems = watch(page, site_url)
    page.goto(site_url + QUESTION)
    page.evaluate("key => localStorage.setItem(key, '1')", storage_key(site_url, "on"))
    page.reload()
    page.get_by_role("button", name="已掌握").click()
    page.goto(site_url + VAE_QUESTION)
    page.get_by_role("button", name="需复习").click()
    cards = json.loads(page.evaluate("key => localStorage.getItem(key)", storage_key(site_url, "cards")))
    old = {**cards[_slug(VAE_QUESTION)], "due": 86_400_000, "last_review": 0, "log": [[0, 3]]}
    cards[_slug(DUE_ONLY)] = old
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [storage_key(site_url, "cards"), json.dumps(cards)])
    yield page, problems
    context.close()


@pytest.mark.parametrize("tree", ["", "en/"], ids=["zh", "en"])
def test_the_exported_deck_carries_the_marks_and_due_cards_as_tags(marked, site_url, tree, tmp_path):
    page, problems = marked
    page.goto(site_url + tree)
    button = page.get_by_role("button", name="带上我的练习记录导出" if not tree else "Export with my marks")
    expect(button).to_be_visible()
    path = _export(page, button.inner_text(), tmp_path)
    suffix = "" if not tree else ".en"
    assert path.name.startswith(f"{BOOK}{suffix}.practice-") and path.name.endswith(".anki.txt")
    deck = parse_deck(path.read_text(encoding="utf-8"))
    plain = parse_deck((page.context.request.get(site_url + f"downloads/{BOOK}{suffix}.anki.txt")).text())
    assert len(deck.rows) == len(plain.rows) > 4
    at = "" if not tree else "@en"
    tags = {deck.field(row, "guid"): deck.field(row, "tags").split(" ") for row in deck.rows}
    before = {plain.field(row, "guid"): plain.field(row, "tags").split(" ") for row in plain.rows}
    added = {guid: [tag for tag in tags[guid] if tag not in before[guid]] for guid in tags}
    assert {guid: extra for guid, extra in added.items() if extra} == {
        f"{BOOK}/{_slug(QUESTION)}{at}": ["mastered"],
        f"{BOOK}/{_slug(VAE_QUESTION)}{at}": ["review", "due"],
        f"{BOOK}/{_slug(DUE_ONLY)}{at}": ["due"],
    }
    assert f"{BOOK}/{_slug(SDXL_QUESTION)}{at}" in tags  # a question without a mark keeps its tags only
    assert [{k: v for k, v in row.items() if k != "tags"} for row in deck.rows] == [
        {k: v for k, v in row.items() if k != "tags"} for row in plain.rows]
    expect(page.locator(".qa-toast")).to_contain_text("3")
    assert problems == []


def test_without_javascript_the_control_is_not_offered(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    expect(page.locator("a[data-qa-anki]")).to_be_visible()  # the plain deck needs no script
    expect(page.locator("[data-qa-action=anki]")).to_be_hidden()
    context.close()
