// UI text, in the page's language: main.html writes the `js` section of scripts/strings/<lang>.yml
// into <script id="qa-strings">, so the text lives in one data file per language, not in code.
let all = null;

export function uiStrings(section) {
  if (!all) {
    try { all = JSON.parse(document.getElementById("qa-strings").textContent) || {}; } catch (error) { all = {}; }
  }
  return all[section] || {};
}

// A text with a count: a plain string, or {zero?, one, other}; "#" stands for the number.
export function countText(entry, count) {
  const text = typeof entry === "string" ? entry
    : (count === 0 && entry.zero) || (count === 1 && entry.one) || entry.other;
  return text.replace("#", String(count));
}
