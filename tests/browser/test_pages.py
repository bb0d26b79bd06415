from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from ..conftest import built_manifest


@pytest.fixture(scope="module")
def question_urls(built_site) -> list[str]:
    return [entry["url"] for entry in built_manifest(built_site)]


def watch(page, site_url: str):
    """Collect console errors and every request that would leave the site's origin (blocked)."""
    problems: list[str] = []
    origin = urlsplit(site_url).netloc

    def route(route):
        if urlsplit(route.request.url).netloc != origin:
            problems.append(f"request off the origin: {route.request.url}")
            route.abort()
        else:
            route.continue_()

    page.route("**/*", route)
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return problems


@pytest.mark.parametrize("tree", ["", "en/"], ids=["zh", "en"])
def test_every_question_page_loads_cleanly(context, site_url, question_urls, tree):
    page = context.new_page()
    problems = watch(page, site_url)
    for url in question_urls:
        page.goto(site_url + tree + url, wait_until="load")
        assert page.locator("h1").first.inner_text().strip(), url
        if page.locator(".katex-error, .qa-math-error").count():
            problems.append(f"{url}: KaTeX error")
    assert problems == []


def test_home_and_chapter_pages_load_cleanly(context, site_url):
    page = context.new_page()
    problems = watch(page, site_url)
    for url in ["", "sd15/", "sd15/basics/", "sdxl/", "en/", "en/sd15/", "en/sd15/basics/"]:
        page.goto(site_url + url, wait_until="load")
    assert problems == []


@pytest.mark.parametrize("tree", ["", "en/"], ids=["zh", "en"])
def test_no_horizontal_overflow_on_a_phone(browser, site_url, question_urls, tree):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    overflowing = []
    for url in ["", "sd15/", *question_urls]:
        page.goto(site_url + tree + url, wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            overflowing.append((url, width))
    context.close()
    assert overflowing == []


def test_long_display_formula_scrolls_inside_itself_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + "diffusion-basics/cfg-vs-classifier-guidance/", wait_until="load")
    display = page.locator(".katex-display").first
    box = display.evaluate("e => { const s = getComputedStyle(e.parentElement); return [e.parentElement.scrollWidth, e.parentElement.clientWidth, s.overflowX]; }")
    context.close()
    assert box[2] == "auto"


def test_dark_theme_keeps_transparent_figures_readable(browser, site_url, question_urls):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(site_url + "diffusion-basics/ddim-core-principles/", wait_until="load")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    image = page.locator(".md-typeset img").first
    assert image.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    context.close()


def test_a_phone_downloads_a_figure_sized_for_it(browser, site_url, built_site):
    import re

    page_with_copies = next(p for p in sorted(built_site.rglob("index.html"))
                            if not p.relative_to(built_site).as_posix().startswith("en/") and 'w.webp 480w' in p.read_text(encoding="utf-8"))
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + page_with_copies.parent.relative_to(built_site).as_posix() + "/", wait_until="load")
    figure = page.locator("img[srcset]").first
    figure.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.currentSrc", arg=figure.element_handle())
    chosen = figure.evaluate("img => img.currentSrc")
    context.close()
    assert re.search(r"\.480w\.webp$", chosen), chosen


def test_a_figure_zooms_to_the_original_file(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url + "sd15/aspect-ratio-bucketing-workflow/", wait_until="load")
    link = page.locator("a.glightbox").first
    original = link.evaluate("a => a.href")
    link.scroll_into_view_if_needed()
    link.tap()
    zoomed = page.locator(".glightbox-container .gslide-image img").first
    zoomed.wait_for(state="visible")
    source = zoomed.evaluate("img => img.src")
    context.close()
    assert errors == []
    assert source == original and source.endswith((".png", ".jpg")) and ".webp" not in source


def test_on_a_phone_the_title_has_the_whole_width_and_the_buttons_their_own_line(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + "sd15/aspect-ratio-bucketing-workflow/", wait_until="load")
    title = page.locator(".md-content__inner h1").first.bounding_box()
    button = page.locator(".qa-copy-link").bounding_box()
    content = page.locator(".md-content__inner").bounding_box()
    context.close()
    assert button["y"] + button["height"] <= title["y"] + 1  # above the title, not beside it
    assert title["width"] >= content["width"] - 2


def test_on_a_phone_a_section_page_shows_its_questions_in_the_first_screen(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + "sd15/basics/", wait_until="load")
    first = page.locator(".md-content__inner > ul > li").first.bounding_box()
    card = page.locator(".qa-progress").bounding_box()
    context.close()
    assert first["y"] < 500  # it was at 774 of 844, under the practice card
    assert card["height"] > 0 and card["y"] > first["y"]  # the card is still there, after the list


@pytest.mark.parametrize("tree,word", [("", "待补充"), ("en/", "no answer")], ids=["zh", "en"])
def test_the_navigation_says_which_questions_have_no_answer_yet(context, site_url, built_site, tree, word):
    answered = {site_url + tree + entry["url"]: entry["answered"] for entry in built_manifest(built_site)}
    page = context.new_page()
    page.goto(site_url + tree + "sd15/basics/", wait_until="load")
    links = page.evaluate("""[...document.querySelectorAll('.md-sidebar--primary a.md-nav__link')]
      .map(a => [a.href, a.innerText.replace(/\\s+/g, ' ').trim()])""")
    listed = {href: name for href, name in links if href in answered}
    assert len(listed) >= 20  # the section's questions, which the pruned navigation shows
    assert {href for href, name in listed.items() if name.endswith(word)} == {href for href in listed if not answered[href]}
    marked = page.locator(".md-sidebar--primary .qa-nav-open").first
    assert marked.get_attribute("title")  # and the whole sentence on hover


def test_copying_the_link_is_announced_without_moving_the_title(context, site_url):
    page = context.new_page()
    page.goto(site_url + "sd15/aspect-ratio-bucketing-workflow/", wait_until="load")
    title = page.locator(".md-content__inner h1").first
    before = title.bounding_box()
    page.get_by_role("button", name="复制链接").click()
    status = page.locator(".qa-copy-link__status")
    expect(status).to_have_text("已复制")
    box = status.bounding_box()
    assert title.bounding_box() == before  # the status was shown above it, pushing it down a line
    assert box["width"] <= 1 and box["height"] <= 1
