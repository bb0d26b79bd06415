"""The Content-Security-Policy blocks nothing of ours: every page type, with search, practice
mode, copy-link, the lightbox and the palette toggle exercised, reports no violation."""

from __future__ import annotations

import pytest

from .test_practice import OPEN_QUESTION, QUESTION
from .test_search import type_query

# Recorded before any of the page's scripts run, so a violation by the first inline script counts.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""
PAGES = ["", "sd15/", "sd15/basics/", QUESTION, OPEN_QUESTION, "no-such-page/", "en/", "en/sd15/", "en/" + QUESTION]


def exercise(page) -> None:
    page.click(".md-search__input")
    type_query(page, "CFG")
    with page.expect_navigation(wait_until="load"):  # Enter opens the first result; its scripts must have run
        page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    switch = page.locator(".qa-header-toggle")
    if switch.count():
        switch.click()
        switch.click()
    copy = page.locator(".qa-copy-link")
    if copy.count():
        copy.click()
    figure = page.locator("a.glightbox")
    if figure.count():
        figure.first.click()
        page.wait_for_selector(".glightbox-container", state="attached")
        page.keyboard.press("Escape")
    palette = page.locator("form[data-md-component=palette] label:not([hidden])")
    if palette.count():
        palette.first.click()


@pytest.mark.parametrize("path", PAGES, ids=[p or "home" for p in PAGES])
def test_no_page_violates_its_content_security_policy(browser, site_url, path):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: "Content Security Policy" in message.text and console.append(message.text))
    page.goto(site_url + path, wait_until="load")
    assert page.locator('head meta[http-equiv="Content-Security-Policy"]').count() == 1
    exercise(page)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__cspViolations") == []
    assert console == []
    context.close()
