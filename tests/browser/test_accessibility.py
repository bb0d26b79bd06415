"""axe-core over every kind of page, in both languages and both palettes, on a desktop and a phone:
no violation."""

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


# A phone lays pages out otherwise: formulas and code scroll sideways, the navigation is a drawer.
SCREENS = {"desktop": {"viewport": {"width": 1280, "height": 800}},
           "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}}
# Material picks its palette from the reader's preference: light is "default", dark is "slate".
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("language", ["", "en/"], ids=["zh", "en"])
def test_no_page_has_an_accessibility_violation(browser, site_url, screen, scheme, language):
    context = browser.new_context(color_scheme=scheme, **SCREENS[screen])
    page = context.new_page()
    problems, palettes = {}, set()
    for kind, url in PAGES.items():
        page.goto(site_url + language + url, wait_until="load")
        palettes.add(page.evaluate("document.body.getAttribute('data-md-color-scheme')"))
        if found := violations(page):
            problems[kind] = found
    context.close()
    assert palettes == {SCHEMES[scheme]}
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


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_open_navigation_drawer_on_a_phone_has_no_violation(browser, site_url, scheme):
    context = browser.new_context(color_scheme=scheme, **SCREENS["phone"])
    page = context.new_page()
    page.goto(site_url + PAGES["answered"], wait_until="load")
    page.get_by_role("button", name="导航栏").click()
    expect(page.locator(".md-sidebar--primary")).to_be_visible()
    found = violations(page)
    context.close()
    assert found == []
