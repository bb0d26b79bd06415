// The review page: the questions this browser's schedule says are due today, one at a time.
// Question → reveal (Space / Enter) → rate (1–4) → the next one; then a finished state, or, for a
// reader who has rated nothing yet, an empty state that says how questions get here.
//
// Titles and URLs come from assets/questions.json; an answer is fetched from its question's page
// on this site when the question comes up (lib/answer.js), so the page never loads them all.
import { answerFrom } from "./lib/answer.js";
import { practiceStorage } from "./lib/practice-storage.js";
import { dayText, dueSlugs, markAfter, rate, withMarks } from "./lib/schedule.js";
import { countText, uiStrings } from "./lib/strings.js";
import { isTypingInField } from "./lib/typing.js";

function start(config, box) {
  const TEXT = uiStrings("review");
  const PRACTICE = uiStrings("practice");
  const store = practiceStorage(config.key);
  const lang = config.page.lang;
  const part = (name) => box.querySelector("[data-qa-review-" + name + "]");
  const card = part("card");
  const answer = part("answer");
  const ratings = part("rate");
  const reveal = part("reveal");

  let questions = new Map();
  let queue = [];
  let at = 0;
  let revealed = false;
  let pending = null; // the answer of the question shown, loading or loaded

  const schedule = () => withMarks(store.cards(), store.marks());
  const pageOf = (question) => new URL((lang === "en" ? "en/" : "") + question.url, config.site).href;
  const titleOf = (question) => (lang === "en" && question.title_en) || question.title;

  let toastTimer = 0;
  function toast(message) {
    const output = document.querySelector(".qa-toast");
    if (!output) return;
    output.textContent = message;
    output.classList.add("qa-toast--on");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => output.classList.remove("qa-toast--on"), 2600);
  }

  function showOnly(name) {
    card.hidden = name !== "card";
    part("empty").hidden = name !== "empty";
    part("rest").hidden = name !== "rest";
  }

  function summary(left) {
    part("summary").textContent = countText(TEXT.due, left);
    part("summary").hidden = false;
  }

  // Every scheduled question of this site, the soonest first.
  function renderUpcoming(cards, now) {
    const slugs = Object.keys(cards).filter((slug) => questions.has(slug)).sort((a, b) => cards[a].due - cards[b].due);
    part("upcoming").hidden = !slugs.length;
    part("count").textContent = countText(TEXT.upcoming, slugs.length);
    part("list").replaceChildren(...slugs.map((slug) => {
      const question = questions.get(slug);
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = pageOf(question);
      link.textContent = titleOf(question);
      const when = document.createElement("span");
      when.className = "qa-review__when";
      when.textContent = cards[slug].due <= now ? PRACTICE.nextNow : dayText(cards[slug].due, lang, now);
      item.append(link, " ", when);
      return item;
    }));
    return slugs;
  }

  function finish(done) {
    const now = Date.now();
    const cards = schedule();
    const scheduled = renderUpcoming(cards, now);
    // The state's own heading says there is nothing to review; the summary would repeat it.
    summary(0);
    part("summary").hidden = true;
    if (!scheduled.length) return showOnly("empty");
    const title = part("rest-title");
    title.textContent = title.getAttribute(done ? "data-done" : "data-rest");
    const next = Math.min(...scheduled.map((slug) => cards[slug].due));
    part("next").textContent = TEXT.doneNext.replace("#", dayText(next, lang, now));
    showOnly("rest");
    if (done) title.setAttribute("tabindex", "-1"), title.focus({ preventScroll: true });
  }

  function loadAnswer(question) {
    const url = pageOf(question);
    return fetch(url, { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then((html) => answerFrom(html, url))
      .catch(() => null);
  }

  function show(index) {
    at = index;
    revealed = false;
    const question = questions.get(queue[at]);
    part("position").textContent = TEXT.position.replace("{at}", at + 1).replace("{total}", queue.length);
    const link = part("link");
    link.href = pageOf(question);
    link.textContent = titleOf(question);
    // The chapter's name is the book's; English pages have no translation of it to show.
    part("where").textContent = lang === "en" ? "" : question.chapter + (question.section ? " › " + question.section : "");
    part("where").hidden = lang === "en";
    answer.hidden = true;
    answer.replaceChildren();
    ratings.hidden = true;
    reveal.hidden = false;
    reveal.setAttribute("aria-expanded", "false");
    pending = loadAnswer(question); // fetched while the reader thinks
    summary(queue.length - at);
    showOnly("card");
  }

  function showAnswer() {
    if (revealed || card.hidden) return;
    revealed = true;
    const question = questions.get(queue[at]);
    const shown = queue[at];
    answer.hidden = false;
    answer.textContent = TEXT.answerLoading;
    reveal.hidden = true;
    reveal.setAttribute("aria-expanded", "true");
    ratings.hidden = false;
    answer.focus({ preventScroll: true });
    pending.then((found) => {
      if (queue[at] !== shown || !revealed) return;
      if (!found) {
        const link = document.createElement("a");
        link.href = pageOf(question);
        link.textContent = TEXT.answerFailed;
        const line = document.createElement("p");
        line.append(link);
        return answer.replaceChildren(line);
      }
      const loaded = new Set([...document.querySelectorAll("link[rel~=stylesheet]")].map((sheet) => sheet.href));
      found.stylesheets.filter((href) => !loaded.has(href) && new URL(href).origin === location.origin).forEach((href) => {
        const sheet = document.createElement("link");
        sheet.rel = "stylesheet";
        sheet.href = href;
        document.head.appendChild(sheet);
      });
      answer.replaceChildren(...found.nodes.map((node) => document.importNode(node, true)));
    });
  }

  // The rating is saved as on the question's page (practice.js): cards first, then the mark the
  // rating leaves; a rating that cannot be saved keeps the question on screen.
  function rateShown(rating) {
    if (!revealed || card.hidden) return;
    const slug = queue[at];
    const now = Date.now();
    const cards = schedule();
    const marks = store.marks();
    const before = store.cards();
    cards[slug] = rate(cards[slug], rating, now);
    const mark = markAfter(rating);
    if (mark) marks[slug] = { mark, at: now };
    else delete marks[slug];
    if (!store.setCards(cards)) return toast(PRACTICE.rateNotSaved);
    if (!store.setMarks(marks)) {
      store.setCards(before);
      return toast(PRACTICE.rateNotSaved);
    }
    const name = ratings.querySelector('[data-qa-rate="' + rating + '"] .qa-rate__name').textContent;
    toast(PRACTICE.rated.replace("#", name) + " · " + PRACTICE.nextReview.replace("#", dayText(cards[slug].due, lang, now)));
    renderUpcoming(cards, now);
    if (at + 1 < queue.length) {
      show(at + 1);
      // On the question, not its link: Space and Enter then show the answer, as for the first one.
      part("question").focus({ preventScroll: true });
    } else {
      finish(true);
    }
  }

  box.addEventListener("click", (event) => {
    const target = event.target.closest && event.target.closest("[data-qa-review-reveal], [data-qa-rate]");
    if (!target) return;
    if (target.hasAttribute("data-qa-rate")) rateShown(Number(target.getAttribute("data-qa-rate")));
    else showAnswer();
  });

  // Space and Enter show the answer, 1–4 rate it. Enter and Space on a focused link or button do
  // what they always do.
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || event.isComposing) return;
    if (isTypingInField()) return;
    const search = document.getElementById("__search");
    if ((search && search.checked) || document.documentElement.classList.contains("glightbox-open")) return;
    const active = document.activeElement;
    const onControl = active && active.closest && active.closest("a[href], button, summary");
    const rating = "1234".indexOf(event.key) + 1;
    if ((event.key === " " || event.key === "Enter") && !onControl && !revealed && !card.hidden) {
      showAnswer();
      event.preventDefault();
    } else if (event.key.length === 1 && rating && revealed) {
      rateShown(rating);
      event.preventDefault();
    }
  });

  fetch(new URL("assets/questions.json", config.site).href, { credentials: "same-origin" })
    .then((response) => {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then((list) => {
      questions = new Map(list.map((question) => [question.slug, question]));
      const now = Date.now();
      const cards = schedule();
      queue = dueSlugs(cards, now).filter((slug) => questions.has(slug));
      renderUpcoming(cards, now);
      if (queue.length) show(0);
      else finish(false);
    }, () => { part("summary").textContent = TEXT.offline; });
}

const config = window.__qaPractice;
const box = document.querySelector("[data-qa-review]");
if (config && box) {
  start(config, box);
  config.ready = true;
}
