// Practice mode: fold answers, mark what you know, rate yourself (spaced repetition), see your
// progress, draw a question.
//
// practice-head.html sets window.__qaPractice and, before the first paint, the classes on <html>
// this script keeps up to date. The marks, the schedule and the settings live in localStorage
// (lib/practice-storage.js, lib/schedule.js). The only request is assets/questions.json on this
// site, fetched on first use.
import { practiceTags, taggedFileName, withPracticeTags } from "./lib/anki-tags.js";
import { MARKS, markOf, mergeCards, mergeMarks, practiceStorage, validCards, validMarks } from "./lib/practice-storage.js";
import { dayText, dueSlugs, isDue, markAfter, markedCard, rate, withMarks } from "./lib/schedule.js";
import { countText, uiStrings } from "./lib/strings.js";
import { isTypingInField } from "./lib/typing.js";

function start(config) {
  const root = document.documentElement;
  const page = config.page;
  const en = page.lang === "en";
  const isQuestion = page.kind === "question";
  const TEXT = uiStrings("practice");
  const store = practiceStorage(config.key);

  // ---------------------------------------------------------------- state → page
  let revealed = false;
  let header = null;

  function setPressed(selector, attribute, value) {
    document.querySelectorAll(selector).forEach((element) => element.setAttribute(attribute, String(value)));
  }

  function schedule() {
    return withMarks(store.cards(), store.marks());
  }

  function render() {
    const on = store.practiceOn();
    const all = store.marks();
    const mine = isQuestion ? markOf(all, page.slug) : null;
    const cards = schedule();
    const now = Date.now();
    root.classList.toggle("qa-practice", on);
    root.classList.toggle("qa-folded", on && !!page.answered && !revealed);
    MARKS.forEach((mark) => root.classList.toggle("qa-marked-" + mark, mine === mark));
    setPressed("[data-qa-action=practice]", "aria-checked", on);
    if (header) header.setAttribute("aria-pressed", String(on));
    document.querySelectorAll("[data-qa-mark]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-qa-mark") === mine));
    });
    document.querySelectorAll("[data-qa-action=reveal]").forEach((button) => {
      const open = !root.classList.contains("qa-folded");
      button.setAttribute("aria-expanded", String(open));
      const label = open ? TEXT.hide : TEXT.show;
      button.querySelector(".qa-practice__reveal-label").textContent = label;
      button.title = label + " (A)";
    });
    renderProgress(all);
    renderSchedule(cards, now);
  }

  function nextText(card, now) {
    if (!card) return TEXT.unscheduled;
    return TEXT.nextReview.replace("#", card.due <= now ? TEXT.nextNow : dayText(card.due, page.lang, now));
  }

  // This question's next review, and on the home page how many questions are due today (the
  // qa-due class, set before the first paint by practice-head.html, keeps the link's place).
  function renderSchedule(cards, now) {
    const card = isQuestion ? cards[page.slug] : null;
    const next = nextText(card, now);
    document.querySelectorAll("[data-qa-next]").forEach((line) => {
      if (line.textContent !== next) line.textContent = next;
      line.classList.toggle("qa-rate__next--set", !!card);
    });
    const due = dueSlugs(cards, now).length;
    root.classList.toggle("qa-due", due > 0);
    document.querySelectorAll("[data-qa-due-text]").forEach((text) => { text.textContent = countText(TEXT.dueToday, due); });
  }

  // Progress card rows and the marks beside each question of a chapter or section list. Rows
  // name their questions' slugs and pages (data-qa-slugs, data-qa-pages): the URL scheme is the
  // build's, never guessed here.
  function renderProgress(all) {
    const slugOfPage = new Map();
    document.querySelectorAll("[data-qa-slugs]").forEach((row) => {
      const slugs = row.getAttribute("data-qa-slugs").split(" ").filter(Boolean);
      const pages = (row.getAttribute("data-qa-pages") || "").split(" ").filter(Boolean);
      const count = { mastered: 0, review: 0 };
      slugs.forEach((slug, index) => {
        if (pages[index]) slugOfPage.set(pagePath(pages[index]), slug);
        const mark = markOf(all, slug);
        if (mark) count[mark] += 1;
      });
      MARKS.forEach((mark) => {
        const cell = row.querySelector("[data-qa-count=" + mark + "]");
        if (cell) cell.textContent = String(count[mark]);
        const bar = row.querySelector("[data-qa-bar=" + mark + "]");
        if (bar) bar.style.width = (slugs.length ? (100 * count[mark]) / slugs.length : 0) + "%";
      });
    });
    if (isQuestion) return;
    document.querySelectorAll(".md-content__inner li > a[href]").forEach((link) => {
      if (link.closest("[data-qa-progress]")) return;
      const slug = slugOfPage.get(pagePath(link.getAttribute("href")));
      if (!slug) return;
      const item = link.parentElement;
      const mark = markOf(all, slug);
      MARKS.forEach((name) => item.classList.toggle("qa-li--" + name, mark === name));
      let note = item.querySelector(".qa-li-mark");
      if (!note) {
        note = document.createElement("span");
        note.className = "qa-li-mark qa-sr-only";
        item.appendChild(note);
      }
      note.textContent = mark === "mastered" ? TEXT.liMastered : mark === "review" ? TEXT.liReview : "";
    });
  }

  function pagePath(href) {
    return new URL(href, location.href).pathname;
  }

  // Keep one element where the reader sees it while the page above or below it changes.
  function keepInPlace(element, change) {
    const before = element ? element.getBoundingClientRect().top : 0;
    const scroller = document.scrollingElement || root;
    scroller.style.overflowAnchor = "none";
    change();
    if (element && element.getClientRects().length) {
      const delta = element.getBoundingClientRect().top - before;
      if (delta) window.scrollBy(0, delta);
    }
    requestAnimationFrame(() => { scroller.style.overflowAnchor = ""; });
  }

  let toastTimer = 0;
  function toast(message) {
    const box = document.querySelector(".qa-toast");
    if (!box) return;
    box.textContent = message;
    box.classList.add("qa-toast--on");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => box.classList.remove("qa-toast--on"), 2600);
  }

  // ---------------------------------------------------------------- actions
  const title = () => document.querySelector(".md-content__inner h1");

  // A setting that could not be saved is not applied either: the switch shows what the next page
  // will find.
  function setPractice(on, anchor) {
    if (!store.setPracticeOn(on)) {
      render();
      return toast(TEXT.practiceNotSaved);
    }
    revealed = false;
    keepInPlace(anchor || title(), render);
    toast(on ? TEXT.practiceOn : TEXT.practiceOff);
  }

  function setRevealed(value, options) {
    if (!store.practiceOn() || !page.answered) return;
    const button = document.querySelector("[data-qa-action=reveal]");
    const heading = title();
    revealed = value;
    keepInPlace(value ? heading : button, render);
    if (value && !(options && options.quiet) && heading) {
      // Screen readers continue with the answer, which now sits between the title and this button.
      const answerStart = heading.nextElementSibling;
      if (answerStart) {
        answerStart.setAttribute("tabindex", "-1");
        answerStart.classList.add("qa-answer-start");
        answerStart.focus({ preventScroll: true });
      }
    } else if (!value && button) {
      button.focus({ preventScroll: true });
    }
  }

  // Marks and cards are two keys: the cards are written first and put back should the marks not
  // stick, so storage never holds a rating without the mark it leaves.
  function saveSchedule(marks, cards) {
    const before = store.cards();
    if (!store.setCards(cards)) return false;
    if (store.setMarks(marks)) return true;
    store.setCards(before);
    return false;
  }

  // A mark schedules the question as its rating would (lib/schedule.js markedCard); clearing a
  // mark leaves the schedule as it is.
  function setMark(mark) {
    if (!isQuestion) return;
    const all = store.marks();
    const cards = schedule();
    const now = Date.now();
    const next = markOf(all, page.slug) === mark ? null : mark;
    if (next) {
      all[page.slug] = { mark: next, at: now };
      cards[page.slug] = markedCard(cards[page.slug], next, now);
    } else {
      delete all[page.slug];
    }
    const saved = saveSchedule(all, cards);
    render();
    toast(!saved ? TEXT.markNotSaved : next ? TEXT[next] : TEXT.cleared);
  }

  function rateQuestion(rating) {
    if (!isQuestion || !page.answered) return;
    const all = store.marks();
    const cards = schedule();
    const now = Date.now();
    cards[page.slug] = rate(cards[page.slug], rating, now);
    const mark = markAfter(rating);
    if (mark) all[page.slug] = { mark, at: now };
    else delete all[page.slug];
    const saved = saveSchedule(all, cards);
    render();
    const label = document.querySelector('[data-qa-rate="' + rating + '"] .qa-rate__name');
    const name = label ? label.textContent : "";
    toast(saved ? TEXT.rated.replace("#", name) + " · " + nextText(cards[page.slug], now) : TEXT.rateNotSaved);
  }

  let questions = null;
  function loadQuestions() {
    if (!questions) {
      questions = fetch(new URL("assets/questions.json", config.site).href, { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        });
      questions.catch(() => { questions = null; });
    }
    return questions;
  }

  function open(question) {
    location.href = new URL((en ? "en/" : "") + question.url, config.site).href;
  }

  function drawChoice() {
    const scope = document.querySelector("[data-qa-draw=scope]");
    const filter = document.querySelector("[data-qa-draw=filter]");
    return { scope: scope ? scope.value : "site", filter: filter ? filter.value : "study" };
  }

  // The default ("study"): questions with an answer not yet mastered, those due today first, so a
  // draw is something worth practising now. Never the page the reader is on.
  function draw() {
    const choice = drawChoice();
    return loadQuestions().then((list) => {
      const all = store.marks();
      const cards = schedule();
      const now = Date.now();
      let pool = list.filter((question) => question.slug !== page.slug
        && (choice.scope !== "chapter" || question.chapter_slug === page.chapter)
        && (choice.filter === "all" || question.answered || choice.filter === "review")
        && (choice.filter !== "review" || markOf(all, question.slug) === "review")
        && (choice.filter !== "study" || markOf(all, question.slug) !== "mastered"));
      if (choice.filter === "study") {
        const due = pool.filter((question) => isDue(cards[question.slug], now));
        if (due.length) pool = due;
      }
      if (!pool.length) return toast(TEXT.none);
      open(pool[Math.floor(Math.random() * pool.length)]);
    }, () => toast(TEXT.offline));
  }

  function step(by) {
    if (!isQuestion) return;
    loadQuestions().then((list) => {
      const at = list.findIndex((question) => question.slug === page.slug);
      const next = at < 0 ? null : list[at + by];
      if (next) open(next);
      else toast(by > 0 ? TEXT.last : TEXT.first);
    }, () => toast(TEXT.offline));
  }

  // Version 2 files add the schedule (cards, with each question's review log); version 1 files,
  // marks only, still import: each mark then schedules its question as marking it would.
  function saveFile(text, type, name) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  function exportMarks() {
    const all = store.marks();
    const data = { format: "aigc-interview-practice", version: 2, exported: new Date().toISOString(), marks: all, cards: schedule() };
    saveFile(JSON.stringify(data, null, 2) + "\n", "application/json", "aigc-interview-marks-" + new Date().toISOString().slice(0, 10) + ".json");
    toast(countText(TEXT.exported, Object.keys(all).length));
  }

  // The book's Anki deck with this browser's marks, and what is due today, as tags on its notes.
  function exportAnki(button) {
    const deck = button.getAttribute("data-qa-anki-deck");
    const now = Date.now();
    const tags = practiceTags(store.marks(), dueSlugs(schedule(), now));
    fetch(deck).then((response) => (response.ok ? response.text() : Promise.reject(new Error(String(response.status)))))
      .then((text) => {
        const result = withPracticeTags(text, button.getAttribute("data-qa-anki-key") || "", tags);
        if (result.tagged === null) return toast(TEXT.ankiFailed);
        saveFile(result.text, "text/plain;charset=utf-8", taggedFileName(deck, new Date(now).toISOString().slice(0, 10)));
        return toast(countText(TEXT.ankiExported, result.tagged));
      }, () => toast(TEXT.ankiFailed));
  }

  // Merges a file into the marks here: for a question marked on both sides, the newer mark wins.
  // Only marks of this site's questions are taken; without the question list (offline), marks
  // with a well-formed slug are.
  function importMarks(text) {
    let data;
    try { data = JSON.parse(text); } catch (error) { data = null; }
    const incoming = data && data.format === "aigc-interview-practice" && data.marks;
    if (!incoming || typeof incoming !== "object" || Array.isArray(incoming)) return toast(TEXT.badFile);
    return loadQuestions().then((list) => new Set(list.map((question) => question.slug))).catch(() => null)
      .then((knownSlugs) => {
        const valid = validMarks(incoming, knownSlugs);
        const validIncomingCards = validCards(data.cards || {}, knownSlugs);
        const marks = mergeMarks(store.marks(), valid.marks);
        const cards = mergeCards(schedule(), withMarks(validIncomingCards.cards, valid.marks));
        const imported = new Set([...marks.importedSlugs, ...cards.importedSlugs]);
        const keptNewer = new Set([...marks.keptSlugs, ...cards.keptSlugs].filter((slug) => !imported.has(slug)));
        if (imported.size && !saveSchedule(marks.merged, cards.merged)) return toast(TEXT.importNotSaved);
        render();
        let message = countText(TEXT.imported, imported.size);
        if (keptNewer.size) message += countText(TEXT.keptNewer, keptNewer.size);
        const skipped = valid.skipped + validIncomingCards.skipped;
        if (skipped) message += countText(TEXT.skipped, skipped);
        toast(message);
      });
  }

  // ---------------------------------------------------------------- wiring
  const template = document.getElementById("qa-practice-header");
  const siteTitle = document.querySelector(".md-header__inner > .md-header__title");
  if (template && siteTitle) {
    header = template.content.firstElementChild.cloneNode(true);
    siteTitle.insertAdjacentElement("afterend", header);
    header.addEventListener("click", () => setPractice(!store.practiceOn()));
  }

  document.addEventListener("click", (event) => {
    const target = event.target.closest && event.target.closest("[data-qa-action], [data-qa-mark], [data-qa-rate]");
    if (!target) return;
    const action = target.getAttribute("data-qa-action");
    if (target.hasAttribute("data-qa-mark")) setMark(target.getAttribute("data-qa-mark"));
    else if (target.hasAttribute("data-qa-rate")) rateQuestion(Number(target.getAttribute("data-qa-rate")));
    else if (action === "practice") setPractice(!store.practiceOn(), target);
    else if (action === "reveal") setRevealed(root.classList.contains("qa-folded"));
    else if (action === "random") draw();
    else if (action === "export") exportMarks();
    else if (action === "anki") exportAnki(target);
    else if (action === "import") {
      const input = document.querySelector("[data-qa-import]");
      if (input) { input.value = ""; input.click(); }
    }
  });

  const fileInput = document.querySelector("[data-qa-import]");
  if (fileInput) {
    fileInput.addEventListener("change", () => {
      const file = fileInput.files && fileInput.files[0];
      if (!file) return;
      if (file.size > 1048576) return toast(TEXT.badFile);
      file.text().then(importMarks, () => toast(TEXT.badFile));
    });
  }

  // The draw's scope and filter are remembered; "this chapter" falls back to the whole site on the home page.
  const saved = store.draw();
  document.querySelectorAll("[data-qa-draw]").forEach((select) => {
    const name = select.getAttribute("data-qa-draw");
    const value = saved[name];
    if (value && select.querySelector('option[value="' + value + '"]')) select.value = value;
    select.addEventListener("change", () => {
      const choice = store.draw();
      choice[name] = select.value;
      // The draw still uses what the select shows; only the next page will not know it.
      if (!store.setDraw(choice)) toast(TEXT.drawNotSaved);
    });
  });

  // Keys: A show / hide the answer, J / K next / previous question, M mastered, R review, D random,
  // 1–4 rate the revealed answer. Material keeps F, S and / (search) and N, P, comma and full stop
  // (previous / next page). They act in practice mode only: a stray letter while reading must not
  // mark a question. With it off, the first such key says so, once per page.
  const PRACTICE_KEYS = new Set(["a", "j", "k", "m", "r", "d", "1", "2", "3", "4"]);
  let toldKeysOff = false;
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || event.isComposing) return;
    if (isTypingInField()) return;
    const search = document.getElementById("__search");
    if ((search && search.checked) || root.classList.contains("glightbox-open")) return;
    const key = (event.key || "").toLowerCase();
    if (!PRACTICE_KEYS.has(key) || (!isQuestion && key !== "d")) return;
    if (!store.practiceOn()) {
      if (!toldKeysOff) toast(TEXT.keysOff);
      toldKeysOff = true;
      return;
    }
    const rating = "1234".indexOf(key) + 1;
    let handled = true;
    if (key === "a" && page.answered) setRevealed(root.classList.contains("qa-folded"));
    else if (rating && page.answered && !root.classList.contains("qa-folded")) rateQuestion(rating);
    else if (key === "j") step(1);
    else if (key === "k") step(-1);
    else if (key === "m") setMark("mastered");
    else if (key === "r") setMark("review");
    else if (key === "d") draw();
    else handled = false;
    if (handled) event.preventDefault();
  });

  // A link to a part of the answer (the table of contents, a shared #heading) opens the fold.
  function revealTarget() {
    if (!root.classList.contains("qa-folded") || location.hash.length < 2) return;
    let id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (error) { id = location.hash.slice(1); }
    const target = document.getElementById(id);
    if (!target || target === title() || !target.closest(".md-content__inner") || target.getClientRects().length) return;
    setRevealed(true, { quiet: true });
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", revealTarget);

  // Other tabs, and pages restored by the back button, show the marks as they are now.
  window.addEventListener("storage", (event) => {
    if (!event.key || event.key.indexOf(config.key) === 0) render();
  });
  window.addEventListener("pageshow", (event) => { if (event.persisted) render(); });

  // A store from before the schedule keeps the cards its marks stand for from now on, so the
  // head script counts what is due without computing a schedule.
  const stored = store.cards();
  const cards = schedule();
  if (Object.keys(cards).length > Object.keys(stored).length) store.setCards(cards);

  render();
  revealTarget();
  config.ready = true;
}

const config = window.__qaPractice;
if (config && document.querySelector("[data-qa-practice], [data-qa-progress]")) start(config);
