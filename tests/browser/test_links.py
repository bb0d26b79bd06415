"""Links that survive a chat: copy-link, old GitHub anchors, the 404 page."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

BUCKETING_ANCHOR = "17.介绍一下长宽比分桶训练策略（AspectRatioBucketing）的具体流程"


def test_copy_link_puts_chapter_title_and_url_on_the_clipboard(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    url = site_url + "sd15/aspect-ratio-bucketing-workflow/"
    page.goto(url + "#_top", wait_until="load")
    page.get_by_role("button", name="复制链接").click()
    expect(page.locator(".qa-copy-link")).to_have_text("已复制")
    expect(page.locator(".qa-copy-link__status")).to_have_text("已复制")  # announced to screen readers
    assert page.evaluate("navigator.clipboard.readText()") == (
        "【SD 1.5】介绍一下长宽比分桶训练策略（Aspect Ratio Bucketing）的具体流程\n" + url
    )
    context.close()


def test_copy_link_works_from_the_keyboard_on_a_phone(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"], viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_url + "sdxl/sdxl-refiner/", wait_until="load")
    button = page.locator(".qa-copy-link")
    assert button.is_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()").endswith("/sdxl/sdxl-refiner/")
    context.close()


@pytest.mark.parametrize("prefix", ["", "sd15/"])
@pytest.mark.parametrize("encode", [False, True], ids=["raw", "percent-encoded"])
def test_old_github_anchor_lands_on_the_question(context, site_url, prefix, encode):
    page = context.new_page()
    fragment = quote(BUCKETING_ANCHOR) if encode else BUCKETING_ANCHOR
    page.goto(f"{site_url}{prefix}#{fragment}")
    page.wait_for_url("**/sd15/aspect-ratio-bucketing-workflow/", timeout=10_000)
    assert "长宽比分桶" in page.locator("h1").first.inner_text()


def test_github_user_content_anchor_and_toc_spelling_also_land(context, site_url):
    page = context.new_page()
    page.goto(f"{site_url}#user-content-24.StableDiffusion中的safetychecker是什么?")
    page.wait_for_url("**/sd15/sd-safety-checker/", timeout=10_000)


def test_404_page_offers_search_for_the_words_in_the_path(context, site_url):
    page = context.new_page()
    response = page.goto(site_url + "sd15/noise-schedule-design/")
    assert response.status == 404
    links = page.locator("[data-qa-not-found] a")
    assert links.count() >= 1
    # Every word of the path, whole: the site's own root is not part of it.
    assert links.all_inner_texts() == ["搜索「noise schedule design」", "搜索「sd15」"]
    assert links.first.get_attribute("href").endswith("?q=" + quote("noise schedule design"))
    page.goto(site_url + "this-page-does-not-exist/")
    assert page.locator("[data-qa-not-found] a").all_inner_texts() == ["搜索「this page does not exist」"]


def test_a_search_offered_by_the_404_page_finds_the_question(context, site_url):
    page = context.new_page()
    page.goto(site_url + "sd15/no-such-page/长宽比分桶/")
    page.locator("[data-qa-not-found] a", has_text="长宽比分桶").click()
    page.wait_for_url("**/?q=*")
    expect(page.locator(".md-search-result__list a").first).to_be_visible(timeout=10_000)
    hrefs = page.locator(".md-search-result__list a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("aspect-ratio-bucketing" in href for href in hrefs[:3]), hrefs
