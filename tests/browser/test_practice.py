"""Practice mode: fold the answers, mark questions, progress, random draw, export / import."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .test_pages import watch

QUESTION = "sd15/aspect-ratio-bucketing-workflow/"  # answered, with a figure, in section 【一】 of SD 1.5
VAE_QUESTION = "sd15/vae-plus-diffusion-quality/"  # answered, section 【二】 of SD 1.5
SDXL_QUESTION = "sdxl/sdxl-refiner/"  # answered, in a chapter without sections
OPEN_QUESTION = "sd15/sd-vae-role/"  # no reference answer yet
HEADED_QUESTION = "sd15/sd-unet-architecture/"  # an answer with headings


@pytest.fixture(scope="module")
def questions(built_site: Path) -> list[dict]:
    return json.loads((built_site / "assets" / "questions.json").read_text(encoding="utf-8"))


def storage_key(site_url: str, name: str) -> str:
    return urlsplit(site_url).path + "qa-practice." + name


def answer(page):
    """The answer's first paragraph: what practice mode folds."""
    return page.locator(".md-content__inner h1 ~ p").first


def progress_row(page, href: str):
    return page.locator("[data-qa-progress] tr", has=page.locator(f'th a[href="{href}"]'))


def counts(row) -> tuple[str, str]:
    return row.locator("[data-qa-count=mastered]").inner_text(), row.locator("[data-qa-count=review]").inner_text()


def path_of(page, site_url: str) -> str:
    return page.url[len(site_url):]


def test_practice_toggle_folds_and_reveals_and_persists_across_reloads(context, site_url):
    page = context.new_page()
    problems = watch(page, site_url)
    page.goto(site_url + QUESTION)
    title = page.locator(".md-content__inner h1")
    figure = page.locator(".md-content__inner h1 ~ p img").first
    expect(answer(page)).to_be_visible()  # practice mode is off by default: the page reads as always
    expect(page.locator(".qa-practice__fold")).to_be_hidden()

    switch = page.get_by_role("switch", name="练习模式")
    expect(switch).to_have_attribute("aria-checked", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(answer(page)).to_be_hidden()
    expect(figure).to_be_hidden()
    expect(title).to_be_visible()
    expect(page.locator(".qa-practice__where")).to_be_visible()  # the chapter and section stay in view
    expect(page.locator(".qa-practice__where")).to_contain_text("第二章 Stable Diffusion 1.5系列核心高频考点")
    expect(page.locator(".qa-practice__where")).to_contain_text("【一】Stable Diffusion 1.5基础高频考点")

    reveal = page.get_by_role("button", name="显示答案")
    expect(reveal).to_have_attribute("aria-expanded", "false")
    reveal.click()
    expect(answer(page)).to_be_visible()
    expect(figure).to_be_visible()
    expect(page.get_by_role("button", name="隐藏答案")).to_have_attribute("aria-expanded", "true")
    page.get_by_role("button", name="隐藏答案").click()
    expect(answer(page)).to_be_hidden()

    page.reload()
    expect(answer(page)).to_be_hidden()  # remembered; every visit starts with the answer folded
    expect(page.get_by_role("switch", name="练习模式")).to_have_attribute("aria-checked", "true")
    expect(page.locator(".qa-header-toggle")).to_have_attribute("aria-pressed", "true")
    page.goto(site_url + SDXL_QUESTION)
    expect(answer(page)).to_be_hidden()

    # A question without an answer has nothing to fold: its notice shows, with no 显示答案 button.
    page.goto(site_url + OPEN_QUESTION)
    expect(page.locator(".md-content__inner .admonition")).to_be_visible()
    expect(page.get_by_role("button", name="显示答案")).to_have_count(0)

    # The header button turns it off again, for every page.
    page.locator(".qa-header-toggle").click()
    expect(page.locator(".qa-header-toggle")).to_have_attribute("aria-pressed", "false")
    page.goto(site_url + QUESTION)
    expect(answer(page)).to_be_visible()
    expect(page.locator(".qa-practice__fold")).to_be_hidden()
    assert problems == []


def test_a_link_into_the_answer_opens_the_fold(context, site_url):
    page = context.new_page()
    page.goto(site_url + HEADED_QUESTION)
    page.evaluate("key => localStorage.setItem(key, '1')", storage_key(site_url, "on"))
    heading = page.locator(".md-content__inner h1 ~ h2[id]").first
    anchor = heading.get_attribute("id")
    page.reload()
    expect(heading).to_be_hidden()
    # A shared link to a heading of the answer, or a click in the table of contents, shows the answer.
    page.goto(site_url + HEADED_QUESTION + "#" + anchor)
    expect(heading).to_be_visible()
    expect(heading).to_be_in_viewport()
    expect(page.get_by_role("button", name="隐藏答案")).to_have_attribute("aria-expanded", "true")


def test_marks_persist_and_show_in_the_progress_of_chapters_and_home(context, site_url):
    page = context.new_page()
    problems = watch(page, site_url)
    page.goto(site_url + QUESTION)
    mastered = page.get_by_role("button", name="已掌握")
    review = page.get_by_role("button", name="需复习")
    mastered.click()
    expect(mastered).to_have_attribute("aria-pressed", "true")
    expect(review).to_have_attribute("aria-pressed", "false")
    page.goto(site_url + VAE_QUESTION)
    page.get_by_role("button", name="需复习").click()
    page.goto(site_url + SDXL_QUESTION)
    page.get_by_role("button", name="已掌握").click()
    page.get_by_role("button", name="需复习").click()  # the two marks exclude each other
    page.reload()
    expect(page.get_by_role("button", name="需复习")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="已掌握")).to_have_attribute("aria-pressed", "false")

    page.goto(site_url + "sd15/")
    assert counts(progress_row(page, "basics/")) == ("1", "0")
    assert counts(progress_row(page, "vae/")) == ("0", "1")
    assert counts(progress_row(page, "backbone/")) == ("0", "0")
    assert counts(page.locator("[data-qa-progress] .qa-progress__row--total")) == ("1", "1")
    assert progress_row(page, "basics/").locator("td").first.inner_text().replace(" ", "") == "17/25"
    expect(page.locator("li", has=page.locator('a[href="aspect-ratio-bucketing-workflow/"]'))).to_have_class("qa-li--mastered")
    expect(page.locator("li", has=page.locator('a[href="vae-plus-diffusion-quality/"]'))).to_have_class("qa-li--review")

    page.goto(site_url)
    assert counts(progress_row(page, "sd15/")) == ("1", "1")
    assert counts(progress_row(page, "sd15/vae/")) == ("0", "1")
    assert counts(progress_row(page, "sdxl/")) == ("0", "1")
    assert counts(page.locator("[data-qa-progress] .qa-progress__row--total")) == ("1", "2")

    # Marks are keyed by slug: the English pages show the same ones.
    page.goto(site_url + "en/sd15/")
    assert counts(page.locator("[data-qa-progress] .qa-progress__row--total")) == ("1", "1")
    page.goto(site_url + "en/" + QUESTION)
    expect(page.get_by_role("button", name="Mastered")).to_have_attribute("aria-pressed", "true")

    # Pressing a mark again clears it.
    page.get_by_role("button", name="Mastered").click()
    page.goto(site_url + "sd15/")
    assert counts(progress_row(page, "basics/")) == ("0", "0")
    assert problems == []


def draw(page, label="随机一题"):
    with page.expect_navigation():
        page.get_by_role("button", name=label).click()
    page.wait_for_load_state("load")


def test_random_draw_respects_the_chapter_and_the_filter(context, site_url, questions):
    page = context.new_page()
    problems = watch(page, site_url)
    page.goto(site_url + SDXL_QUESTION)
    page.locator("[data-qa-draw=scope]").select_option("chapter")
    page.locator("[data-qa-draw=filter]").select_option("answered")
    answered_sdxl = {q["url"] for q in questions if q["chapter_slug"] == "sdxl" and q["answered"]}
    here = SDXL_QUESTION
    for _ in range(4):
        draw(page)
        landed = path_of(page, site_url)
        assert landed in answered_sdxl and landed != here  # never the page you are on
        here = landed
    expect(page.locator("[data-qa-draw=filter]")).to_have_value("answered")  # the choice is remembered

    # Only those marked for review, from the whole site: two marked questions in two chapters.
    page.goto(site_url + QUESTION)
    page.get_by_role("button", name="需复习").click()
    page.goto(site_url + SDXL_QUESTION)
    page.get_by_role("button", name="需复习").click()
    page.locator("[data-qa-draw=scope]").select_option("site")
    page.locator("[data-qa-draw=filter]").select_option("review")
    draw(page)
    assert path_of(page, site_url) == QUESTION  # the only other one marked for review
    draw(page)
    assert path_of(page, site_url) == SDXL_QUESTION

    # This chapter, marked for review: SDXL has no other, so nothing opens and the reader is told.
    page.locator("[data-qa-draw=scope]").select_option("chapter")
    page.get_by_role("button", name="随机一题").click()
    expect(page.locator(".qa-toast")).to_have_text("没有符合条件的题目")
    assert path_of(page, site_url) == SDXL_QUESTION

    # From a chapter page, and in English: draws stay in the chapter and land on English pages.
    page.goto(site_url + "en/sd3/")
    page.locator("[data-qa-draw=filter]").select_option("all")
    draw(page, "Random question")
    assert path_of(page, site_url).startswith("en/sd3/")
    assert problems == []


def test_export_then_import_restores_the_marks_in_a_fresh_browser(browser, site_url, tmp_path):
    first = browser.new_context(accept_downloads=True)
    page = first.new_page()
    page.goto(site_url + QUESTION)
    page.get_by_role("button", name="已掌握").click()
    page.goto(site_url + VAE_QUESTION)
    page.get_by_role("button", name="需复习").click()
    page.goto(site_url)
    with page.expect_download() as download:
        page.get_by_role("button", name="导出记录").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    first.close()
    assert exported.suffix == ".json"
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert {slug: entry["mark"] for slug, entry in data["marks"].items()} == {
        "aspect-ratio-bucketing-workflow": "mastered",
        "vae-plus-diffusion-quality": "review",
    }

    second = browser.new_context()
    page = second.new_page()
    problems = watch(page, site_url)
    page.goto(site_url + "sd15/")
    assert counts(page.locator("[data-qa-progress] .qa-progress__row--total")) == ("0", "0")
    # Something that is not an export changes nothing.
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": "world"}', encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="导入记录").click()
    chooser.value.set_files(bad)
    expect(page.locator(".qa-toast")).to_have_text("这个文件不是导出的练习记录")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="导入记录").click()
    chooser.value.set_files(exported)
    expect(page.locator(".qa-toast")).to_have_text("已导入 2 道题的标记")
    assert counts(page.locator("[data-qa-progress] .qa-progress__row--total")) == ("1", "1")
    page.goto(site_url + QUESTION)
    expect(page.get_by_role("button", name="已掌握")).to_have_attribute("aria-pressed", "true")
    second.close()
    assert problems == []


def test_without_javascript_every_answer_is_shown(browser, site_url):
    # Even with practice mode left on in this browser, no script means no fold.
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    state = {"cookies": [], "origins": [{"origin": origin, "localStorage": [{"name": storage_key(site_url, "on"), "value": "1"}]}]}
    context = browser.new_context(java_script_enabled=False, storage_state=state)
    page = context.new_page()
    page.goto(site_url + QUESTION)
    expect(answer(page)).to_be_visible()
    expect(page.locator(".md-content__inner h1 ~ p img").first).to_be_visible()
    expect(page.locator(".qa-practice")).to_be_hidden()  # controls that could not work are not offered
    expect(page.locator(".qa-header-toggle")).to_have_count(0)
    page.goto(site_url)
    expect(page.locator(".md-content__inner table:not([class])")).to_be_visible()  # the plain chapter table
    expect(page.locator(".qa-progress")).to_be_hidden()
    context.close()


def test_keyboard_reveals_marks_and_moves_between_questions(context, site_url, questions):
    page = context.new_page()
    page.goto(site_url + QUESTION)
    page.evaluate("key => localStorage.setItem(key, '1')", storage_key(site_url, "on"))
    page.reload()
    expect(page.locator(".qa-practice__keys")).to_contain_text("J")  # the keys are listed on the page
    expect(page.get_by_role("button", name="显示答案")).to_have_attribute("aria-keyshortcuts", "A")

    # Typing in the search box never triggers a shortcut.
    search = page.locator(".md-search__input")
    search.click()
    search.type("jamrd")
    expect(answer(page)).to_be_hidden()
    expect(page.get_by_role("button", name="已掌握")).to_have_attribute("aria-pressed", "false")
    assert path_of(page, site_url) == QUESTION
    page.keyboard.press("Escape")
    page.locator(".md-content__inner h1").click()

    page.keyboard.press("a")
    expect(answer(page)).to_be_visible()
    page.keyboard.press("a")
    expect(answer(page)).to_be_hidden()
    page.keyboard.press("m")
    expect(page.get_by_role("button", name="已掌握")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("r")
    expect(page.get_by_role("button", name="需复习")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="已掌握")).to_have_attribute("aria-pressed", "false")

    urls = [q["url"] for q in questions]
    at = urls.index(QUESTION)
    with page.expect_navigation():
        page.keyboard.press("j")
    assert path_of(page, site_url) == urls[at + 1]
    page.wait_for_load_state("load")
    with page.expect_navigation():
        page.keyboard.press("k")
    assert path_of(page, site_url) == QUESTION
    page.wait_for_load_state("load")
    with page.expect_navigation():
        page.keyboard.press("d")
    assert path_of(page, site_url) != QUESTION


def test_english_pages_have_english_labels(context, site_url):
    page = context.new_page()
    page.goto(site_url + "en/" + QUESTION)
    for role, name in [("switch", "Practice mode"), ("button", "Mastered"), ("button", "Review"), ("button", "Random question")]:
        expect(page.get_by_role(role, name=name)).to_be_visible()
    page.get_by_role("switch", name="Practice mode").click()
    expect(page.get_by_role("button", name="Show answer")).to_be_visible()
    expect(page.locator(".qa-practice__where")).to_contain_text("Chapter 2")
    page.goto(site_url + "en/")
    expect(page.get_by_role("button", name="Export marks")).to_be_visible()
    expect(page.get_by_role("button", name="Import marks")).to_be_visible()
    expect(page.locator(".qa-progress__title")).to_have_text("Chapters and your progress")


GEOMETRY = """() => [...document.querySelectorAll(
  '.md-header__inner > *, .md-content__inner > *, .md-content__inner > * > *, .md-content__inner li, .md-footer')]
  .filter(e => !e.matches('.md-header__title, .qa-header-toggle') && e.getClientRects().length)
  .map(e => { const r = e.getBoundingClientRect();
              return [e.tagName, e.id, r.left, r.top + scrollY, r.width, r.height].join(' '); })"""


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_nothing_moves_when_the_script_comes_to_life(browser, site_url, viewport):
    """The fold, the marks and the controls take their place from <html> classes set before the first
    paint: the page as laid out while practice.js is still on its way is the page once it ran (the
    header's title only yields the width of the practice button)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, has_touch=viewport[0] < 600)
    marks = {"aspect-ratio-bucketing-workflow": {"mark": "review", "at": 1}, "sd-problems-solved": {"mark": "mastered", "at": 1}}
    context.add_init_script(
        f"localStorage.setItem({storage_key(site_url, 'on')!r}, '1');"
        f"localStorage.setItem({storage_key(site_url, 'marks')!r}, {json.dumps(json.dumps(marks))});"
    )
    page = context.new_page()
    held = []
    page.route("**/practice.js", lambda route: held.append(route))
    for path in ["", "sd15/", QUESTION, OPEN_QUESTION]:
        held.clear()
        page.goto(site_url + path, wait_until="commit")
        # Parsed, Material's bundle run, figures in: only the deferred practice.js is missing.
        page.wait_for_function("() => document.readyState === 'interactive' && [...document.images].every(i => i.complete)")
        assert held and page.evaluate("!window.__qaPractice.ready"), "practice.js is held back"
        before = page.evaluate(GEOMETRY)
        held[0].continue_()
        page.wait_for_load_state("load")
        expect(page.locator(".qa-header-toggle")).to_have_count(1)
        assert page.evaluate("window.__qaPractice.ready")
        assert page.evaluate(GEOMETRY) == before, path
    context.close()


def test_if_the_script_cannot_load_the_answer_shows(context, site_url):
    page = context.new_page()
    page.goto(site_url + QUESTION)
    page.evaluate("key => localStorage.setItem(key, '1')", storage_key(site_url, "on"))
    page.route("**/practice.js", lambda route: route.abort())
    page.reload(wait_until="load")
    expect(answer(page)).to_be_visible()
    expect(page.locator(".qa-practice")).to_be_hidden()


def test_practice_controls_fit_and_work_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_url + QUESTION)
    toggle = page.locator(".qa-header-toggle")
    expect(toggle).to_be_visible()
    toggle.tap()
    reveal = page.get_by_role("button", name="显示答案")
    expect(reveal).to_be_in_viewport()  # right under the title, no scrolling needed
    for control in [reveal, page.get_by_role("button", name="已掌握"), page.get_by_role("button", name="随机一题")]:
        box = control.bounding_box()
        assert box["height"] >= 40 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    reveal.tap()
    expect(answer(page)).to_be_visible()
    for path in ["", "sd15/", QUESTION]:
        page.goto(site_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()


# ---------- storage that fails: what is shown is what is stored, and the reader is told

FULL_STORAGE = """Storage.prototype.setItem = function () {
  throw new DOMException("Failed to execute 'setItem' on 'Storage': Setting the value exceeded the quota.", "QuotaExceededError");
};"""
# Only practice mode's keys: Material's own inline __md_get reads storage without a try, so with
# every read throwing the theme itself would raise page errors that are not this script's.
UNREADABLE_STORAGE = """(() => {
  const getItem = Storage.prototype.getItem;
  Storage.prototype.getItem = function (key) {
    if (String(key).includes("qa-practice.")) throw new DOMException("The operation is insecure.", "SecurityError");
    return getItem.call(this, key);
  };
})();"""
# From now on, did the page ever show this question as mastered (the <html> class or the button)?
WATCH_MASTERED = """() => {
  window.__shownMastered = false;
  const check = () => {
    if (document.documentElement.classList.contains("qa-marked-mastered")
        || document.querySelector('[data-qa-mark=mastered][aria-pressed="true"]')) window.__shownMastered = true;
  };
  new MutationObserver(check).observe(document.documentElement, { attributes: true, subtree: true });
}"""
NOT_SAVED = "无法保存：浏览器存储已满或被禁用，"


def stored_marks(page, site_url: str) -> dict:
    return json.loads(page.evaluate("key => localStorage.getItem(key) || '{}'", storage_key(site_url, "marks")))


def import_file(page, path: Path, label="导入记录"):
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=label).click()
    chooser.value.set_files(path)


def test_a_full_storage_keeps_nothing_it_could_not_save_and_says_so(context, site_url, tmp_path):
    page = context.new_page()
    problems = watch(page, site_url)
    page.goto(site_url + QUESTION)
    before = {"vae-plus-diffusion-quality": {"mark": "review", "at": 1}}
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [storage_key(site_url, "marks"), json.dumps(before)])
    context.add_init_script(FULL_STORAGE)
    page.reload()
    toast = page.locator(".qa-toast")
    mastered = page.get_by_role("button", name="已掌握")

    page.evaluate(WATCH_MASTERED)
    mastered.click()
    expect(toast).to_have_text(NOT_SAVED + "标记没有保存")
    expect(mastered).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("m")
    expect(mastered).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.__shownMastered") is False
    page.reload()
    expect(mastered).to_have_attribute("aria-pressed", "false")
    assert "qa-marked-mastered" not in page.locator("html").get_attribute("class")
    assert stored_marks(page, site_url) == before

    # Practice mode stays off, rather than folding answers the next page would show.
    switch = page.get_by_role("switch", name="练习模式")
    switch.click()
    expect(toast).to_have_text(NOT_SAVED + "练习模式的设置没有改变")
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(answer(page)).to_be_visible()
    page.locator(".qa-header-toggle").click()
    expect(page.locator(".qa-header-toggle")).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_role("button", name="显示答案")).to_be_hidden()
    page.reload()
    expect(switch).to_have_attribute("aria-checked", "false")

    # A stored mark can be read, but clearing it cannot be saved: it stays shown.
    page.goto(site_url + VAE_QUESTION)
    review = page.get_by_role("button", name="需复习")
    expect(review).to_have_attribute("aria-pressed", "true")
    review.click()
    expect(toast).to_have_text(NOT_SAVED + "标记没有保存")
    expect(review).to_have_attribute("aria-pressed", "true")

    # The draw uses the choice shown, and says it will not be remembered.
    page.locator("[data-qa-draw=filter]").select_option("answered")
    expect(toast).to_have_text(NOT_SAVED + "这个抽题选择只在本页有效")
    expect(page.locator("[data-qa-draw=filter]")).to_have_value("answered")

    page.goto(site_url)
    export = tmp_path / "marks.json"
    export.write_text(json.dumps({"format": "aigc-interview-practice", "version": 1,
                                  "marks": {"sdxl-refiner": {"mark": "mastered", "at": 2}}}), encoding="utf-8")
    import_file(page, export)
    expect(toast).to_have_text(NOT_SAVED + "没有导入任何标记")
    assert counts(page.locator("[data-qa-progress] .qa-progress__row--total")) == ("0", "1")

    page.goto(site_url + "en/" + QUESTION)
    page.get_by_role("button", name="Mastered").click()
    expect(toast).to_have_text("Could not save: browser storage is full or disabled; the mark was not saved")
    expect(page.get_by_role("button", name="Mastered")).to_have_attribute("aria-pressed", "false")
    assert stored_marks(page, site_url) == before
    assert problems == []


def test_storage_that_cannot_be_read_leaves_the_page_working(browser, site_url):
    context = browser.new_context()
    context.add_init_script(UNREADABLE_STORAGE)
    page = context.new_page()
    problems = watch(page, site_url)
    for path in ["", "sd15/", QUESTION]:
        page.goto(site_url + path, wait_until="load")
        assert page.evaluate("window.__qaPractice.ready"), path
    expect(answer(page)).to_be_visible()
    expect(page.get_by_role("switch", name="练习模式")).to_have_attribute("aria-checked", "false")
    # Written but never readable back: for this page, not saved.
    page.get_by_role("button", name="已掌握").click()
    expect(page.locator(".qa-toast")).to_have_text(NOT_SAVED + "标记没有保存")
    expect(page.get_by_role("button", name="已掌握")).to_have_attribute("aria-pressed", "false")
    context.close()
    assert problems == []


def test_corrupt_storage_reads_as_empty_and_is_overwritten(browser, site_url):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    corrupt = [{"name": storage_key(site_url, "marks"), "value": "{not json"}, {"name": storage_key(site_url, "draw"), "value": "[1, 2"},
               {"name": storage_key(site_url, "cards"), "value": '{"aspect-ratio-bucketing-workflow": {"due": "soon"}'}]
    context = browser.new_context(storage_state={"cookies": [], "origins": [{"origin": origin, "localStorage": corrupt}]})
    page = context.new_page()
    problems = watch(page, site_url)
    page.goto(site_url)
    assert counts(page.locator("[data-qa-progress] .qa-progress__row--total")) == ("0", "0")
    page.goto(site_url + QUESTION)
    expect(page.locator("[data-qa-draw=filter]")).to_have_value("study")  # the default
    expect(page.locator("[data-qa-next]")).to_have_text("还没有安排复习：看完答案后，给自己打个分")
    page.get_by_role("button", name="已掌握").click()
    expect(page.locator(".qa-toast")).to_have_text("已标记为“已掌握”")
    assert stored_marks(page, site_url)["aspect-ratio-bucketing-workflow"]["mark"] == "mastered"
    cards = json.loads(page.evaluate("key => localStorage.getItem(key)", storage_key(site_url, "cards")))
    assert list(cards) == ["aspect-ratio-bucketing-workflow"] and cards["aspect-ratio-bucketing-workflow"]["reps"] == 1
    context.close()
    assert problems == []


def test_import_takes_only_valid_marks_of_this_sites_questions(context, site_url, questions, tmp_path):
    valid = {"aspect-ratio-bucketing-workflow": {"mark": "mastered", "at": 1700000000000},
             "vae-plus-diffusion-quality": {"mark": "review", "at": 1700000000001},
             "sdxl-refiner": {"mark": "review", "at": 1700000000002}}
    known = [q["slug"] for q in questions if q["slug"] not in valid]
    invalid = {
        "__proto__": {"mark": "mastered", "at": 1, "polluted": "yes"},
        "constructor": {"mark": "review", "at": 1, "polluted": "yes"},
        "prototype": {"mark": "review", "at": 1},
        "toString": {"mark": "review", "at": 1},
        "Bad_Slug": {"mark": "review", "at": 1},
        "no-such-question-here": {"mark": "review", "at": 1},
        known[0]: {"mark": "done", "at": 1},
        known[1]: {"mark": "review"},
        known[2]: {"mark": "review", "at": "yesterday"},
        known[3]: "mastered",
    }
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps({"format": "aigc-interview-practice", "version": 1, "marks": {**invalid, **valid}}), encoding="utf-8")
    assert crafted.read_text(encoding="utf-8").count('"__proto__"') == 1

    page = context.new_page()
    problems = watch(page, site_url)
    page.goto(site_url)
    import_file(page, crafted)
    expect(page.locator(".qa-toast")).to_have_text(f"已导入 3 道题的标记，跳过 {len(invalid)} 条无效记录")
    assert stored_marks(page, site_url) == valid
    assert counts(page.locator("[data-qa-progress] .qa-progress__row--total")) == ("1", "2")
    assert page.evaluate("[({}).polluted, Object.prototype.polluted, Object.keys(Object.prototype).length]") == [None, None, 0]

    # The same file again: ties go to the file, so the count stays exact; and in English.
    page.goto(site_url + "en/")
    import_file(page, crafted, "Import marks")
    expect(page.locator(".qa-toast")).to_have_text(f"Imported the marks of 3 questions; skipped {len(invalid)} invalid entries")
    assert stored_marks(page, site_url) == valid
    assert problems == []
