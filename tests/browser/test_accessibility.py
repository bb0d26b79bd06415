"""axe-core over every kind of page, in both languages and both palettes: no violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PAGES = {
    "home": "",
    "chapter": "sd15/",
    "section": "sd15/basics/",
    "answered": "sd15/aspect-ratio-bucketing-workflow/",
    "unanswered": "sd3/sd3-official-training-tricks/",
    "figures": "sd3/sd3-vae-innovations/",
    "review": "review/",
    "404": "no-such-page/",
}


def violations(page) -> list[str]:
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {node['target']} {(node.get('any') or [{}])[0].get('message', '')[:120]}" for v in found for node in v["nodes"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["", "en/"])
def test_no_page_has_an_accessibility_violation(browser, site_url, scheme, language):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    problems = {}
    for kind, url in PAGES.items():
        page.goto(site_url + language + url, wait_until="load")
        if found := violations(page):
            problems[kind] = found
    context.close()
    assert problems == {}


def test_practice_mode_and_an_open_search_have_no_violation(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + PAGES["answered"], wait_until="load")
    switch = page.get_by_role("switch", name="练习模式")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true")
    folded = violations(page)
    page.locator(".md-search__input").click()
    page.keyboard.insert_text("CFG")
    page.wait_for_selector("[data-qa-search][data-qa-state=done]", state="attached")
    searching = violations(page)
    context.close()
    assert folded == [] and searching == []
