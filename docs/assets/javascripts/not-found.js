// A broken link still says what the reader wanted: offer a search for the words in its path.
import { decodeFragment } from "./lib/match-key.js";

function pathWords(path) {
  const words = [];
  for (const segment of path.split("/")) {
    const text = decodeFragment(segment).replace(/\.html?$/, "").replace(/^\d+[.、]/, "").replace(/[\-_.]+/g, " ").trim();
    if (text && !words.includes(text)) words.push(text);
  }
  return words;
}

function offerSearches(box) {
  const base = box.getAttribute("data-base") || ".";
  const root = new URL(base.endsWith("/") ? base : base + "/", location.href);
  const words = pathWords(location.pathname.slice(root.pathname.length));
  if (!words.length) return;
  const list = box.querySelector("ul");
  // The 404 page is written in Chinese whichever language build renders it last, so its label is its own.
  const label = box.getAttribute("data-qa-label");
  for (const query of words.reverse()) {
    const link = document.createElement("a");
    link.href = new URL("?q=" + encodeURIComponent(query), root).href;
    link.textContent = label.replace("#", query);
    const item = document.createElement("li");
    item.appendChild(link);
    list.appendChild(item);
  }
  box.hidden = false;
}

const box = document.querySelector("[data-qa-not-found]");
if (box) offerSearches(box);
