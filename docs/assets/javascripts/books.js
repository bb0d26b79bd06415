// The home page of a site of several books (partials/book-cards.html): each book's card shows how
// many of its questions this reader marked mastered or for review. Marks of a site of several books
// are keyed `<book>/<slug>` (lib/practice-storage.js), so a card counts the keys under its book.
import { MARKS, markOf, practiceStorage } from "./lib/practice-storage.js";

function showProgress(config) {
  const marks = practiceStorage(config.key).marks();
  const keys = Object.keys(marks);
  document.querySelectorAll("[data-qa-book-key]").forEach((card) => {
    const prefix = card.getAttribute("data-qa-book-key");
    const total = Number(card.getAttribute("data-qa-total")) || 0;
    const count = { mastered: 0, review: 0 };
    keys.forEach((key) => {
      const mark = key.startsWith(prefix) ? markOf(marks, key) : null;
      if (mark) count[mark] += 1;
    });
    MARKS.forEach((mark) => {
      card.querySelector("[data-qa-count=" + mark + "]").textContent = String(count[mark]);
      card.querySelector("[data-qa-bar=" + mark + "]").style.width = (total ? Math.min(100, (100 * count[mark]) / total) : 0) + "%";
    });
    card.querySelector(".qa-book-card__progress").hidden = !(count.mastered || count.review);
  });
}

const config = window.__qaPractice;
if (config && document.querySelector("[data-qa-books]")) {
  showProgress(config);
  window.addEventListener("storage", (event) => { if (!event.key || event.key.indexOf(config.key) === 0) showProgress(config); });
  window.addEventListener("pageshow", (event) => { if (event.persisted) showProgress(config); });
}
