"""Spaced repetition: rating a question schedules it, the review page walks through what is due,
marks and keys work with the schedule, export / import carry it, the draw picks what to practise.

Time is Playwright's clock (page.clock), fixed before the first page, in a fixed time zone:
"due today" and the dates shown are the reader's calendar.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .test_accessibility import violations
from .test_pages import watch
from .test_practice import OPEN_QUESTION, QUESTION, SDXL_QUESTION, VAE_QUESTION, draw, import_file, path_of, storage_key

ZONE = "Asia/Shanghai"
MONDAY = datetime.fromisoformat("2026-11-30T10:00:00+08:00")
DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def questions(built_site: Path) -> dict[str, dict]:
    return {q["url"]: q for q in json.loads((built_site / "assets" / "questions.json").read_text(encoding="utf-8"))}


@pytest.fixture
def clocked(browser):
    """(context, page) with the clock at MONDAY 10:00 in Shanghai."""
    context = browser.new_context(timezone_id=ZONE, accept_downloads=True)
    page = context.new_page()
    page.clock.set_fixed_time(MONDAY)
    yield context, page
    context.close()


def stored(page, site_url: str, name: str) -> dict:
    return json.loads(page.evaluate("key => localStorage.getItem(key) || '{}'", storage_key(site_url, name)))


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def next_line(page):
    return page.locator("[data-qa-next]")


def summary(page):
    return page.locator("[data-qa-review-summary]")


def upcoming(page):
    return page.locator("[data-qa-review-list] li")


def test_a_rating_schedules_the_question_and_the_review_page_brings_it_back_when_due(clocked, site_url, questions):
    context, page = clocked
    problems = watch(page, site_url)
    page.goto(site_url + QUESTION)
    expect(next_line(page)).to_have_text("还没有安排复习：看完答案后，给自己打个分")
    page.get_by_role("button", name="良好").click()
    # Good on a new card: three days, shown as the reader's date.
    expect(next_line(page)).to_have_text("下次复习：12月3日周四")
    expect(page.locator(".qa-toast")).to_contain_text("良好，已安排复习")
    card = stored(page, site_url, "cards")["aspect-ratio-bucketing-workflow"]
    assert card["due"] == ms(MONDAY + 3 * DAY) and card["reps"] == 1 and card["log"] == [[ms(MONDAY), 3]]
    assert stored(page, site_url, "marks") == {}  # Good leaves no mark
    page.reload()
    expect(next_line(page)).to_have_text("下次复习：12月3日周四")

    # Not due yet: the review page says so and lists it with its date; the home page shows no count.
    page.goto(site_url + "review/")
    expect(page.get_by_role("heading", name="今天的题都复习完了")).to_be_visible()
    expect(page.locator("[data-qa-review-next]")).to_have_text("下一次复习：12月3日周四")
    title = questions[QUESTION]["title"]
    expect(upcoming(page)).to_have_count(1)
    expect(upcoming(page).first).to_have_text(f"{title} 12月3日周四")
    expect(upcoming(page).first.get_by_role("link")).to_have_attribute("href", site_url + QUESTION)
    page.goto(site_url)
    expect(page.locator(".qa-due-link")).to_be_hidden()

    # Three days later it is due: counted on the home page, walked through on the review page.
    page.clock.set_fixed_time(MONDAY + 3 * DAY)
    page.goto(site_url)
    due_link = page.get_by_role("link", name="今天有 1 道题要复习")
    expect(due_link).to_be_visible()
    due_link.click()
    assert path_of(page, site_url) == "review/"
    expect(summary(page)).to_have_text("今天有 1 道题要复习")
    expect(page.locator("[data-qa-review-position]")).to_have_text("第 1 题，共 1 题")
    expect(page.locator("[data-qa-review-link]")).to_have_text(title)
    answer = page.locator("[data-qa-review-answer]")
    expect(answer).to_be_hidden()
    expect(page.locator("[data-qa-review-rate]")).to_be_hidden()
    page.keyboard.press("Space")
    expect(answer).to_be_visible()
    expect(answer).to_contain_text("公共桶")  # the answer of the question's own page
    page.keyboard.press("3")
    expect(page.get_by_role("heading", name="今天的复习完成了")).to_be_visible()
    expect(summary(page)).to_be_hidden()
    card = stored(page, site_url, "cards")["aspect-ratio-bucketing-workflow"]
    assert card["reps"] == 2 and card["due"] > ms(MONDAY + 6 * DAY)  # a second Good: a longer interval
    assert [rating for _, rating in card["log"]] == [3, 3]

    # Both languages share the schedule.
    page.clock.set_fixed_time(MONDAY + 30 * DAY)
    page.goto(site_url + "en/review/")
    expect(summary(page)).to_have_text("1 question to review today")
    expect(page.locator("[data-qa-review-link]")).to_have_attribute("href", site_url + "en/" + QUESTION)
    assert problems == []


def test_the_review_flow_by_keyboard_and_its_answers(clocked, site_url, questions):
    context, page = clocked
    problems = watch(page, site_url)
    page.goto(site_url)
    # Three questions due: one with a figure, one with math, one without an answer.
    marks = {slug: {"mark": "review", "at": ms(MONDAY - DAY)}
             for slug in ["aspect-ratio-bucketing-workflow", "vae-plus-diffusion-quality", "sd-vae-role"]}
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [storage_key(site_url, "marks"), json.dumps(marks)])
    page.goto(site_url + "review/")
    expect(summary(page)).to_have_text("今天有 3 道题要复习")
    seen = []
    for index in range(3):
        expect(page.locator("[data-qa-review-position]")).to_have_text(f"第 {index + 1} 题，共 3 题")
        seen.append(page.locator("[data-qa-review-link]").get_attribute("href")[len(site_url):])
        page.keyboard.press("4")  # no rating before the answer shows
        expect(page.locator("[data-qa-review-position]")).to_have_text(f"第 {index + 1} 题，共 3 题")
        page.keyboard.press("Enter")
        answer = page.locator("[data-qa-review-answer]")
        expect(answer).not_to_contain_text("正在加载答案")
        if seen[-1] == QUESTION:
            figure = answer.locator("img").first
            expect(figure).to_be_visible()
            assert figure.evaluate("img => img.complete && img.naturalWidth > 0")  # its URL made absolute
        elif seen[-1] == VAE_QUESTION:
            expect(answer.locator(".katex").first).to_be_visible()
            assert page.evaluate("[...document.styleSheets].some(s => (s.href || '').includes('katex'))")
        else:
            expect(answer.locator(".admonition")).to_contain_text("暂无参考答案")
        # Nothing of the question page's frame comes along.
        assert answer.locator("h1, .qa-practice, [data-pagefind-ignore], .headerlink, [id]").count() == 0
        page.keyboard.press("1" if index == 0 else "4")
    assert sorted(seen) == sorted([QUESTION, VAE_QUESTION, OPEN_QUESTION])
    expect(page.get_by_role("heading", name="今天的复习完成了")).to_be_visible()
    marks = stored(page, site_url, "marks")
    first = questions[seen[0]]["slug"]
    assert marks[first]["mark"] == "review"  # Again: still 需复习, due tomorrow
    assert stored(page, site_url, "cards")[first]["due"] == ms(MONDAY + DAY)
    assert all(marks[questions[url]["slug"]]["mark"] == "mastered" for url in seen[1:])  # Easy: 已掌握
    expect(page.locator("[data-qa-review-next]")).to_have_text("下一次复习：12月1日周二")

    assert problems == []

    # An answer that cannot load says so and links the question's page.
    page.clock.set_fixed_time(MONDAY + DAY)
    page.route("**/" + seen[0], lambda route: route.abort())
    page.goto(site_url + "review/")
    page.get_by_role("button", name="显示答案").click()
    failed = page.get_by_role("link", name="答案没能加载：打开题目页查看")
    expect(failed).to_have_attribute("href", site_url + seen[0])


def test_an_empty_schedule_explains_how_questions_get_there(clocked, site_url):
    context, page = clocked
    page.goto(site_url + "review/")
    expect(page.get_by_role("heading", name="还没有安排复习的题目")).to_be_visible()
    expect(page.locator("[data-qa-review-empty]")).to_contain_text("重来 / 困难 / 良好 / 简单")
    expect(page.locator("[data-qa-review-card]")).to_be_hidden()
    expect(page.locator("[data-qa-review-upcoming]")).to_be_hidden()
    page.goto(site_url + "en/review/")
    expect(page.get_by_role("heading", name="No question is scheduled yet")).to_be_visible()
    assert violations(page) == []


def test_the_review_page_has_no_accessibility_violation_mid_flow(clocked, site_url):
    context, page = clocked
    page.goto(site_url + QUESTION)
    page.get_by_role("button", name="需复习").click()
    page.goto(site_url + "review/")
    expect(page.locator("[data-qa-review-card]")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("button", name="显示答案").click()
    expect(page.locator("[data-qa-review-answer]")).to_contain_text("公共桶")
    assert violations(page) == []


def test_marks_are_ratings_in_words_and_old_stores_keep_them(clocked, site_url):
    context, page = clocked
    page.goto(site_url + QUESTION)
    # 需复习: an Again rating due at once; 已掌握: an Easy one, eight days out for a new card.
    page.get_by_role("button", name="需复习").click()
    expect(next_line(page)).to_have_text("下次复习：现在")
    assert stored(page, site_url, "cards")["aspect-ratio-bucketing-workflow"]["due"] == ms(MONDAY)
    page.get_by_role("button", name="已掌握").click()
    card = stored(page, site_url, "cards")["aspect-ratio-bucketing-workflow"]
    assert [rating for _, rating in card["log"]] == [1, 4]
    page.get_by_role("button", name="已掌握").click()  # clearing a mark leaves the schedule
    assert stored(page, site_url, "marks") == {}
    assert stored(page, site_url, "cards")["aspect-ratio-bucketing-workflow"] == card
    # Rating buttons set the mark their words say.
    page.get_by_role("button", name="重来").click()
    expect(page.get_by_role("button", name="需复习")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="简单").click()
    expect(page.get_by_role("button", name="已掌握")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="困难").click()
    expect(page.get_by_role("button", name="已掌握")).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_role("button", name="需复习")).to_have_attribute("aria-pressed", "false")

    # A store from before the schedule: marks only. Nothing is lost, each mark gets its card.
    old = {"vae-plus-diffusion-quality": {"mark": "review", "at": ms(MONDAY - 2 * DAY)},
           "sdxl-refiner": {"mark": "mastered", "at": ms(MONDAY - 2 * DAY)}}
    page.evaluate("keys => { localStorage.clear(); localStorage.setItem(keys[0], keys[1]); }",
                  [storage_key(site_url, "marks"), json.dumps(old)])
    page.goto(site_url + "review/")
    expect(summary(page)).to_have_text("今天有 1 道题要复习")
    expect(page.locator("[data-qa-review-link]")).to_have_attribute("href", site_url + VAE_QUESTION)
    expect(upcoming(page)).to_have_count(2)
    expect(upcoming(page).nth(1)).to_contain_text("12月6日周日")  # mastered two days ago: Easy, eight days
    page.goto(site_url)  # a practice page writes the cards the marks stand for
    assert stored(page, site_url, "marks") == old
    cards = stored(page, site_url, "cards")
    assert set(cards) == set(old) and cards["vae-plus-diffusion-quality"]["due"] == ms(MONDAY - 2 * DAY)
    expect(page.get_by_role("link", name="今天有 1 道题要复习")).to_be_visible()


def test_practice_keys_act_only_in_practice_mode(clocked, site_url):
    context, page = clocked
    page.goto(site_url + QUESTION)
    toast = page.locator(".qa-toast")
    page.locator(".md-content__inner h1").click()
    for key in ["m", "3", "r"]:
        page.keyboard.press(key)
    expect(toast).to_have_text("快捷键只在练习模式下可用：先打开“练习模式”开关（或页头的学士帽按钮）")
    assert toast.get_attribute("aria-live") == "polite"
    expect(page.get_by_role("button", name="已掌握")).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_role("button", name="需复习")).to_have_attribute("aria-pressed", "false")
    assert stored(page, site_url, "marks") == {} and stored(page, site_url, "cards") == {}
    page.evaluate("document.querySelector('.qa-toast').textContent = ''")
    page.keyboard.press("m")
    expect(toast).to_have_text("")  # said once
    with _no_navigation(page, site_url):
        page.keyboard.press("j")

    page.get_by_role("switch", name="练习模式").click()
    page.keyboard.press("3")  # the answer is folded: nothing to rate yet
    assert stored(page, site_url, "cards") == {}
    page.keyboard.press("a")
    page.keyboard.press("2")
    expect(next_line(page)).to_have_text("下次复习：12月2日周三")  # Hard: two days
    page.keyboard.press("1")
    expect(page.get_by_role("button", name="需复习")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("4")
    expect(page.get_by_role("button", name="已掌握")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("m")  # 已掌握 pressed again clears it
    expect(page.get_by_role("button", name="已掌握")).to_have_attribute("aria-pressed", "false")
    rate = page.get_by_role("group", name="自评：这次答得怎么样？决定下次复习的时间")
    assert [b.get_attribute("aria-keyshortcuts") for b in rate.get_by_role("button").all()] == ["1", "2", "3", "4"]


class _no_navigation:
    """The block must leave the page where it was."""

    def __init__(self, page, site_url):
        self.page, self.site_url = page, site_url

    def __enter__(self):
        self.before = self.page.url

    def __exit__(self, *exc):
        self.page.wait_for_timeout(300)
        assert self.page.url == self.before


def test_export_then_import_keeps_the_schedule(browser, site_url, tmp_path):
    first = browser.new_context(timezone_id=ZONE, accept_downloads=True)
    page = first.new_page()
    page.clock.set_fixed_time(MONDAY)
    page.goto(site_url + QUESTION)
    page.get_by_role("button", name="良好").click()
    page.goto(site_url + SDXL_QUESTION)
    page.get_by_role("button", name="简单").click()
    page.goto(site_url + VAE_QUESTION)
    page.get_by_role("button", name="需复习").click()
    cards = stored(page, site_url, "cards")
    page.goto(site_url)
    with page.expect_download() as download:
        page.get_by_role("button", name="导出记录").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    first.close()
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["version"] == 2 and data["cards"] == cards

    second = browser.new_context(timezone_id=ZONE)
    page = second.new_page()
    page.clock.set_fixed_time(MONDAY + DAY)
    problems = watch(page, site_url)
    # This browser reviewed the SDXL question later than the file did: its card stays, both logs join.
    here = {"sdxl-refiner": {**cards["sdxl-refiner"], "last_review": ms(MONDAY + DAY), "due": ms(MONDAY + 9 * DAY),
                             "log": [[ms(MONDAY + DAY), 4]]}}
    page.goto(site_url)
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [storage_key(site_url, "cards"), json.dumps(here)])
    page.evaluate("([key, value]) => localStorage.setItem(key, value)",
                  [storage_key(site_url, "marks"), json.dumps({"sdxl-refiner": {"mark": "mastered", "at": ms(MONDAY + DAY)}})])
    page.reload()
    import_file(page, exported)
    expect(page.locator(".qa-toast")).to_have_text("已导入 2 道题的标记，1 道题保留了本机较新的标记")
    now = stored(page, site_url, "cards")
    assert now["aspect-ratio-bucketing-workflow"] == cards["aspect-ratio-bucketing-workflow"]
    assert now["vae-plus-diffusion-quality"] == cards["vae-plus-diffusion-quality"]
    assert now["sdxl-refiner"]["due"] == ms(MONDAY + 9 * DAY)
    assert now["sdxl-refiner"]["log"] == [[ms(MONDAY), 4], [ms(MONDAY + DAY), 4]]
    page.goto(site_url + "review/")
    expect(summary(page)).to_have_text("今天有 1 道题要复习")
    expect(upcoming(page)).to_have_count(3)
    page.goto(site_url + QUESTION)
    expect(next_line(page)).to_have_text("下次复习：12月3日周四")

    # A file from before the schedule (version 1, marks only) still imports: each mark schedules.
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"format": "aigc-interview-practice", "version": 1,
                               "marks": {"sd-unet-architecture": {"mark": "review", "at": ms(MONDAY)}}}), encoding="utf-8")
    page.goto(site_url)
    import_file(page, old)
    expect(page.locator(".qa-toast")).to_have_text("已导入 1 道题的标记")
    assert stored(page, site_url, "cards")["sd-unet-architecture"]["due"] == ms(MONDAY)
    second.close()
    assert problems == []


def test_the_default_draw_lands_on_answered_questions_not_mastered_due_first(browser, site_url, questions):
    context = browser.new_context(timezone_id=ZONE)
    page = context.new_page()
    page.clock.set_fixed_time(MONDAY)
    problems = watch(page, site_url)
    page.goto(site_url + QUESTION)
    chapter = [q for q in questions.values() if q["chapter_slug"] == "sd15"]
    answered = [q for q in chapter if q["answered"]]
    mastered = {q["slug"] for q in answered[1::2]}
    marks = {slug: {"mark": "mastered", "at": ms(MONDAY)} for slug in mastered}
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [storage_key(site_url, "marks"), json.dumps(marks)])
    page.reload()
    expect(page.locator("[data-qa-draw=filter]")).to_have_value("study")
    expect(page.locator("[data-qa-draw=scope]")).to_have_value("chapter")
    allowed = {q["url"] for q in answered if q["slug"] not in mastered}
    assert len(allowed) >= 5 and sum(not q["answered"] for q in chapter) >= 10
    here, landed = path_of(page, site_url), set()
    for _ in range(30):
        draw(page)
        now = path_of(page, site_url)
        assert now in allowed and now != here, now
        here = now
        landed.add(now)
    assert len(landed) >= 3

    # Due questions come first: with two due in the whole site, each draw from one lands on the other.
    due = {"aspect-ratio-bucketing-workflow": {"mark": "review", "at": ms(MONDAY)}, "sdxl-refiner": {"mark": "review", "at": ms(MONDAY)}}
    page.evaluate("([key, value]) => { localStorage.setItem(key, value); localStorage.removeItem(key.replace('marks', 'cards')); }",
                  [storage_key(site_url, "marks"), json.dumps({**marks, **due})])
    page.goto(site_url + QUESTION)
    page.locator("[data-qa-draw=scope]").select_option("site")
    for expected in [SDXL_QUESTION, QUESTION, SDXL_QUESTION]:
        draw(page)
        assert path_of(page, site_url) == expected
    context.close()
    assert problems == []


def test_on_a_phone_the_ratings_stay_on_screen_under_a_long_answer(browser, site_url):
    context = browser.new_context(timezone_id=ZONE, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.clock.set_fixed_time(MONDAY)
    problems = watch(page, site_url)
    page.goto(site_url)
    marks = {"aspect-ratio-bucketing-workflow": {"mark": "review", "at": ms(MONDAY - DAY)}}
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [storage_key(site_url, "marks"), json.dumps(marks)])
    page.goto(site_url + "review/")
    page.get_by_role("button", name="显示答案").click()
    answer = page.locator("[data-qa-review-answer]")
    expect(answer).to_contain_text("公共桶")
    bar = page.get_by_role("group", name="自评")  # still one named group for screen readers
    height = 844

    def on_screen(box) -> bool:
        return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= height

    answer_box = answer.bounding_box()
    assert answer_box["height"] > 2 * height  # a long answer: the bar's own place is screens below
    page.evaluate("y => window.scrollTo(0, y)", answer_box["y"] + answer_box["height"] / 2)
    assert on_screen(bar.bounding_box())

    # At the answer's end the bar sits below its last lines, covering none of them.
    answer.evaluate("element => element.scrollIntoView({block: 'end'})")
    answer_box, bar_box = answer.bounding_box(), bar.bounding_box()
    assert on_screen(bar_box) and answer_box["y"] + answer_box["height"] <= bar_box["y"] + 0.5

    page.keyboard.press("3")  # the keys rate as before
    expect(page.get_by_role("heading", name="今天的复习完成了")).to_be_visible()
    assert problems == []
    context.close()
