"""The keyboard alone: the search overlay never outlives the focus, Tab meets a question's own
controls before the navigation, the skip link lands on them, and the phone's menu button works."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from scripts.dev.browser import StaticSite

from ..conftest import ROOT, mkdocs_build

QUESTION = "sd15/aspect-ratio-bucketing-workflow/"  # answered, in a section: a long navigation before it
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# What the focused element is, in words: its tag, where it sits, and its name.
FOCUSED = """() => {
  const e = document.activeElement;
  const where = e.closest('.md-header') ? 'header' : e.closest('.md-sidebar') ? 'nav' : e.closest('article') ? 'article' : 'page';
  return {where, name: (e.getAttribute('aria-label') || e.innerText || e.value || '').trim(), search: document.getElementById('__search').checked};
}"""


@pytest.fixture(scope="module")
def site_with_repository(tmp_path_factory, book_figures):
    """Our site as published from a repository, so question pages carry 纠错 beside 复制链接."""
    site = tmp_path_factory.mktemp("with-repository") / "site"
    result = mkdocs_build(site, book_figures, QA_REPO_URL="https://gitee.com/acme/ai-book")
    assert result.returncode == 0, result.stdout + result.stderr
    with StaticSite(site, site_prefix()) as server:
        yield server.url


def site_prefix() -> str:
    from mkdocs.config import load_config

    return urlsplit(load_config(str(ROOT / "mkdocs.yml")).site_url).path or "/"


def tab_until(page, done, limit=80) -> list[dict]:
    """Press Tab until `done(focused)` holds; every stop on the way, the last one included."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
        if done(stops[-1]):
            return stops
    raise AssertionError(f"not reached in {limit} Tabs: {[s['name'][:12] for s in stops]}")


def test_tabbing_past_the_empty_search_box_closes_its_overlay(browser, site_url):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(site_url + QUESTION, wait_until="load")
    tab_until(page, lambda focused: focused["search"])  # the box opens the overlay as focus arrives
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-search__overlay')).opacity === '1'")
    after = tab_until(page, lambda focused: not page.evaluate("document.querySelector('[data-qa-search]').contains(document.activeElement)"))
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-search__overlay')).opacity === '0'")
    context.close()
    assert after[-1]["search"] is False and after[-1]["where"] == "article"


def test_shift_tab_out_of_the_search_closes_it_too(browser, site_url):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(site_url + QUESTION, wait_until="load")
    page.locator(".md-search__input").focus()
    page.keyboard.insert_text("CFG")
    page.wait_for_selector("[data-qa-search][data-qa-state=done]", state="attached")
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate(FOCUSED)
    context.close()
    assert focused["where"] == "header" and focused["search"] is False


def test_escape_closes_the_search_wherever_the_focus_is(browser, site_url):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(site_url + QUESTION, wait_until="load")
    page.keyboard.press("/")  # the shortcut opens the box
    assert page.evaluate(FOCUSED)["search"] is True
    page.evaluate("document.activeElement.blur()")  # focus gone to the page, the overlay still up
    assert page.evaluate(FOCUSED)["search"] is True
    page.keyboard.press("Escape")
    closed = page.evaluate(FOCUSED)["search"] is False
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-search__overlay')).opacity === '0'")
    context.close()
    assert closed


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_tab_meets_the_question_controls_before_the_navigation(browser, site_with_repository, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(site_with_repository + QUESTION, wait_until="load")
    stops = tab_until(page, lambda focused: focused["name"] == "复制链接")
    then = tab_until(page, lambda focused: focused["name"] != "纠错", limit=2)
    context.close()
    header = sum(stop["where"] == "header" for stop in stops)
    # Before: 46 Tabs to 复制链接, 36 of them through the navigation (all of it, even in a phone's
    # shut drawer). Now: the skip link, the header's controls, 复制链接; then 纠错, then the title
    # and its answer.
    assert [s["name"] for s in stops if s["where"] != "header"] == ["跳转至", "复制链接"]
    assert len(stops) - header == 2 and header <= 9
    assert [s["name"] for s in then][0] == "纠错" and then[-1]["where"] == "article"


def test_the_skip_link_lands_on_the_question_controls(browser, site_with_repository):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(site_with_repository + QUESTION, wait_until="load")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["name"] == "跳转至"
    page.keyboard.press("Enter")
    names = [s["name"] for s in tab_until(page, lambda focused: focused["name"] == "纠错", limit=2)]
    context.close()
    assert names == ["复制链接", "纠错"]


def test_on_a_phone_the_menu_button_opens_the_navigation_from_the_keyboard(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + QUESTION, wait_until="load")
    stops = tab_until(page, lambda focused: focused["name"] == "导航栏", limit=3)
    assert [s["where"] for s in stops] == ["page", "header"]  # the skip link, then the menu button
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary')")
    # This page's link; a page with headings shows its table of contents there instead of the link.
    opened = page.evaluate("(e => e.matches('.md-nav__link--active') ? 'page' : e.closest('.md-nav--secondary') ? 'contents' : e.className)"
                           "(document.activeElement)")
    expanded = page.get_by_role("button", name="导航栏").get_attribute("aria-expanded")
    page.keyboard.press("Escape")
    after = page.evaluate(FOCUSED)
    shut = page.evaluate("document.getElementById('__drawer').checked") is False
    context.close()
    assert opened in ("page", "contents") and expanded == "true"
    assert shut and after["name"] == "导航栏"


def test_formulas_that_scroll_sideways_on_a_phone_are_tab_stops(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + "diffusion-basics/cfg-vs-classifier-guidance/", wait_until="load")
    regions = page.evaluate("""[...document.querySelectorAll('.md-typeset .arithmatex, .md-typeset pre > code')]
      .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.tabIndex)""")
    context.close()
    assert regions and all(index == 0 for index in regions)
