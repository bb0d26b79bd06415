// Practice mode: fold answers, mark what you know, see your progress, draw a question.
//
// Everything stays in this browser's localStorage under the site root (practice-head.html sets
// window.__qaPractice and, before the first paint, the classes on <html> this script keeps up to date):
//   <root>qa-practice.on     "1" while practice mode folds the answers
//   <root>qa-practice.marks  {"<question slug>": {"mark": "mastered" | "review", "at": <ms>}}
//   <root>qa-practice.draw   {"scope": "site" | "chapter", "filter": "all" | "answered" | "review"}
// Marks are keyed by the question's stable slug, so they survive renumbering and both languages
// share them. The only request is assets/questions.json on this site, fetched on first use.
(function () {
  "use strict";
  var config = window.__qaPractice;
  if (!config || !document.querySelector("[data-qa-practice], [data-qa-progress]")) return;

  var root = document.documentElement;
  var page = config.page;
  var en = page.lang === "en";
  var isQuestion = page.kind === "question";
  var TEXT = en ? {
    practiceOn: "Practice mode on: answers are folded",
    practiceOff: "Practice mode off: answers are shown",
    mastered: "Marked as mastered",
    review: "Marked for review",
    cleared: "Mark cleared",
    none: "No question matches this choice",
    first: "This is the first question",
    last: "This is the last question",
    offline: "Could not load the question list; try again",
    exported: function (n) { return "Exported the marks of " + n + (n === 1 ? " question" : " questions"); },
    imported: function (n) { return "Imported the marks of " + n + (n === 1 ? " question" : " questions"); },
    badFile: "This file is not an export of practice marks",
    liMastered: " (mastered)",
    liReview: " (marked for review)"
  } : {
    practiceOn: "练习模式已开启：答案已折叠",
    practiceOff: "练习模式已关闭：答案直接显示",
    mastered: "已标记为“已掌握”",
    review: "已标记为“需复习”",
    cleared: "已取消标记",
    none: "没有符合条件的题目",
    first: "已经是第一题",
    last: "已经是最后一题",
    offline: "题目列表加载失败，请重试",
    exported: function (n) { return "已导出 " + n + " 道题的标记"; },
    imported: function (n) { return "已导入 " + n + " 道题的标记"; },
    badFile: "这个文件不是导出的练习记录",
    liMastered: "（已掌握）",
    liReview: "（需复习）"
  };
  var MARKS = ["mastered", "review"];

  // Storage: localStorage when the browser allows it, this page's memory otherwise.
  var memory = {};
  function read(name) {
    try { return localStorage.getItem(config.key + name); } catch (error) { return name in memory ? memory[name] : null; }
  }
  function write(name, value) {
    memory[name] = value;
    try { localStorage.setItem(config.key + name, value); } catch (error) { /* private mode: this page only */ }
  }
  function readJSON(name) {
    try {
      var value = JSON.parse(read(name) || "{}");
      return value && typeof value === "object" && !Array.isArray(value) ? value : {};
    } catch (error) { return {}; }
  }

  function practiceOn() { return read("on") === "1"; }
  function marks() { return readJSON("marks"); }
  function markOf(slug, all) {
    var entry = (all || marks())[slug];
    return entry && MARKS.indexOf(entry.mark) >= 0 ? entry.mark : null;
  }

  // ---------------------------------------------------------------- state → page
  var revealed = false;
  var header = null;

  function setPressed(selector, attribute, value) {
    document.querySelectorAll(selector).forEach(function (element) { element.setAttribute(attribute, String(value)); });
  }

  function render() {
    var on = practiceOn();
    var all = marks();
    var mine = isQuestion ? markOf(page.slug, all) : null;
    root.classList.toggle("qa-practice", on);
    root.classList.toggle("qa-folded", on && !!page.answered && !revealed);
    MARKS.forEach(function (mark) { root.classList.toggle("qa-marked-" + mark, mine === mark); });
    setPressed("[data-qa-action=practice]", "aria-checked", on);
    if (header) header.setAttribute("aria-pressed", String(on));
    document.querySelectorAll("[data-qa-mark]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-qa-mark") === mine));
    });
    document.querySelectorAll("[data-qa-action=reveal]").forEach(function (button) {
      var open = !root.classList.contains("qa-folded");
      button.setAttribute("aria-expanded", String(open));
      var label = button.getAttribute(open ? "data-qa-hide" : "data-qa-show");
      button.querySelector(".qa-practice__reveal-label").textContent = label;
      button.title = label + " (A)";
    });
    renderProgress(all);
  }

  // Progress card rows and the marks beside each question of a chapter or section list.
  function renderProgress(all) {
    var known = {};
    document.querySelectorAll("[data-qa-slugs]").forEach(function (row) {
      var slugs = row.getAttribute("data-qa-slugs").split(" ").filter(Boolean);
      var count = { mastered: 0, review: 0 };
      slugs.forEach(function (slug) {
        known[slug] = true;
        var mark = markOf(slug, all);
        if (mark) count[mark] += 1;
      });
      MARKS.forEach(function (mark) {
        var cell = row.querySelector("[data-qa-count=" + mark + "]");
        if (cell) cell.textContent = String(count[mark]);
        var bar = row.querySelector("[data-qa-bar=" + mark + "]");
        if (bar) bar.style.width = (slugs.length ? (100 * count[mark]) / slugs.length : 0) + "%";
      });
    });
    if (isQuestion) return;
    document.querySelectorAll(".md-content__inner li > a[href]").forEach(function (link) {
      if (link.closest("[data-qa-progress]")) return;
      var parts = new URL(link.getAttribute("href"), location.href).pathname.split("/").filter(Boolean);
      var slug = parts[parts.length - 1];
      if (!known[slug]) return;
      var item = link.parentElement;
      var mark = markOf(slug, all);
      MARKS.forEach(function (name) { item.classList.toggle("qa-li--" + name, mark === name); });
      var note = item.querySelector(".qa-li-mark");
      if (!note) {
        note = document.createElement("span");
        note.className = "qa-li-mark qa-sr-only";
        item.appendChild(note);
      }
      note.textContent = mark === "mastered" ? TEXT.liMastered : mark === "review" ? TEXT.liReview : "";
    });
  }

  // Keep one element where the reader sees it while the page above or below it changes.
  function keepInPlace(element, change) {
    var before = element ? element.getBoundingClientRect().top : 0;
    var scroller = document.scrollingElement || root;
    scroller.style.overflowAnchor = "none";
    change();
    if (element && element.getClientRects().length) {
      var delta = element.getBoundingClientRect().top - before;
      if (delta) window.scrollBy(0, delta);
    }
    requestAnimationFrame(function () { scroller.style.overflowAnchor = ""; });
  }

  var toastTimer = 0;
  function toast(message) {
    var box = document.querySelector(".qa-toast");
    if (!box) return;
    box.textContent = message;
    box.classList.add("qa-toast--on");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.classList.remove("qa-toast--on"); }, 2600);
  }

  // ---------------------------------------------------------------- actions
  function title() { return document.querySelector(".md-content__inner h1"); }

  function setPractice(on, anchor) {
    write("on", on ? "1" : "0");
    revealed = false;
    keepInPlace(anchor || title(), render);
    toast(on ? TEXT.practiceOn : TEXT.practiceOff);
  }

  function setRevealed(value, options) {
    if (!practiceOn() || !page.answered) return;
    var button = document.querySelector("[data-qa-action=reveal]");
    var heading = title();
    revealed = value;
    keepInPlace(value ? heading : button, render);
    if (value && !(options && options.quiet) && heading) {
      // Screen readers continue with the answer, which now sits between the title and this button.
      var start = heading.nextElementSibling;
      if (start) {
        start.setAttribute("tabindex", "-1");
        start.classList.add("qa-answer-start");
        start.focus({ preventScroll: true });
      }
    } else if (!value && button) {
      button.focus({ preventScroll: true });
    }
  }

  function setMark(mark) {
    if (!isQuestion) return;
    var all = marks();
    var next = markOf(page.slug, all) === mark ? null : mark;
    if (next) all[page.slug] = { mark: next, at: Date.now() };
    else delete all[page.slug];
    write("marks", JSON.stringify(all));
    render();
    toast(next ? TEXT[next] : TEXT.cleared);
  }

  var questions = null;
  function loadQuestions() {
    if (!questions) {
      questions = fetch(new URL("assets/questions.json", config.site).href, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        });
      questions.catch(function () { questions = null; });
    }
    return questions;
  }

  function open(question) {
    location.href = new URL((en ? "en/" : "") + question.url, config.site).href;
  }

  function drawChoice() {
    var scope = document.querySelector("[data-qa-draw=scope]");
    var filter = document.querySelector("[data-qa-draw=filter]");
    return { scope: scope ? scope.value : "site", filter: filter ? filter.value : "all" };
  }

  function draw() {
    var choice = drawChoice();
    return loadQuestions().then(function (list) {
      var all = marks();
      var pool = list.filter(function (question) {
        return question.slug !== page.slug
          && (choice.scope !== "chapter" || question.chapter_slug === page.chapter)
          && (choice.filter !== "answered" || question.answered)
          && (choice.filter !== "review" || markOf(question.slug, all) === "review");
      });
      if (!pool.length) return toast(TEXT.none);
      open(pool[Math.floor(Math.random() * pool.length)]);
    }, function () { toast(TEXT.offline); });
  }

  function step(by) {
    if (!isQuestion) return;
    loadQuestions().then(function (list) {
      var at = list.findIndex(function (question) { return question.slug === page.slug; });
      var next = at < 0 ? null : list[at + by];
      if (next) open(next);
      else toast(by > 0 ? TEXT.last : TEXT.first);
    }, function () { toast(TEXT.offline); });
  }

  function exportMarks() {
    var all = marks();
    var data = { format: "aigc-interview-practice", version: 1, exported: new Date().toISOString(), marks: all };
    var blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "aigc-interview-marks-" + new Date().toISOString().slice(0, 10) + ".json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    toast(TEXT.exported(Object.keys(all).length));
  }

  // Merges a file into the marks here: for a question marked on both sides, the newer mark wins.
  function importMarks(text) {
    var data;
    try { data = JSON.parse(text); } catch (error) { data = null; }
    var incoming = data && data.format === "aigc-interview-practice" && data.marks;
    if (!incoming || typeof incoming !== "object" || Array.isArray(incoming)) return toast(TEXT.badFile);
    var all = marks();
    var count = 0;
    Object.keys(incoming).forEach(function (slug) {
      var entry = incoming[slug];
      var mark = typeof entry === "string" ? entry : entry && entry.mark;
      if (!/^[\w.-]{1,200}$/.test(slug) || MARKS.indexOf(mark) < 0) return;
      var at = entry && typeof entry.at === "number" && isFinite(entry.at) ? entry.at : 0;
      var here = all[slug];
      if (!here || !(here.at > at)) all[slug] = { mark: mark, at: at || Date.now() };
      count += 1;
    });
    write("marks", JSON.stringify(all));
    render();
    toast(TEXT.imported(count));
  }

  // ---------------------------------------------------------------- wiring
  var template = document.getElementById("qa-practice-header");
  var title$ = document.querySelector(".md-header__inner > .md-header__title");
  if (template && title$) {
    header = template.content.firstElementChild.cloneNode(true);
    title$.insertAdjacentElement("afterend", header);
    header.addEventListener("click", function () { setPractice(!practiceOn()); });
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-qa-action], [data-qa-mark]");
    if (!target) return;
    var action = target.getAttribute("data-qa-action");
    if (target.hasAttribute("data-qa-mark")) setMark(target.getAttribute("data-qa-mark"));
    else if (action === "practice") setPractice(!practiceOn(), target);
    else if (action === "reveal") setRevealed(root.classList.contains("qa-folded"));
    else if (action === "random") draw();
    else if (action === "export") exportMarks();
    else if (action === "import") {
      var input = document.querySelector("[data-qa-import]");
      if (input) { input.value = ""; input.click(); }
    }
  });

  var fileInput = document.querySelector("[data-qa-import]");
  if (fileInput) {
    fileInput.addEventListener("change", function () {
      var file = fileInput.files && fileInput.files[0];
      if (!file) return;
      if (file.size > 1048576) return toast(TEXT.badFile);
      file.text().then(importMarks, function () { toast(TEXT.badFile); });
    });
  }

  // The draw's scope and filter are remembered; "this chapter" falls back to the whole site on the home page.
  var saved = readJSON("draw");
  document.querySelectorAll("[data-qa-draw]").forEach(function (select) {
    var name = select.getAttribute("data-qa-draw");
    var value = saved[name];
    if (value && select.querySelector('option[value="' + value + '"]')) select.value = value;
    select.addEventListener("change", function () {
      var choice = readJSON("draw");
      choice[name] = select.value;
      write("draw", JSON.stringify(choice));
    });
  });

  // Keys: A show / hide the answer, J / K next / previous question, M mastered, R review, D random.
  // Material keeps F, S and / (search) and N, P, comma and full stop (previous / next page).
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || event.isComposing) return;
    var active = document.activeElement;
    if (active && (active.isContentEditable || /^(input|select|textarea)$/i.test(active.tagName))) return;
    var search = document.getElementById("__search");
    if ((search && search.checked) || root.classList.contains("glightbox-open")) return;
    var key = (event.key || "").toLowerCase();
    var handled = true;
    if (key === "a" && isQuestion && practiceOn() && page.answered) setRevealed(root.classList.contains("qa-folded"));
    else if (key === "j" && isQuestion) step(1);
    else if (key === "k" && isQuestion) step(-1);
    else if (key === "m" && isQuestion) setMark("mastered");
    else if (key === "r" && isQuestion) setMark("review");
    else if (key === "d") draw();
    else handled = false;
    if (handled) event.preventDefault();
  });

  // A link to a part of the answer (the table of contents, a shared #heading) opens the fold.
  function revealTarget() {
    if (!root.classList.contains("qa-folded") || location.hash.length < 2) return;
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (error) { id = location.hash.slice(1); }
    var target = document.getElementById(id);
    if (!target || target === title() || !target.closest(".md-content__inner") || target.getClientRects().length) return;
    setRevealed(true, { quiet: true });
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", revealTarget);

  // Other tabs, and pages restored by the back button, show the marks as they are now.
  window.addEventListener("storage", function (event) {
    if (!event.key || event.key.indexOf(config.key) === 0) render();
  });
  window.addEventListener("pageshow", function (event) { if (event.persisted) render(); });

  render();
  revealTarget();
  config.ready = true;
})();
