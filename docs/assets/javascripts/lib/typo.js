// One-letter typos in Latin terms ("classifer", "refinr"): the index's own words, one edit away.
// The vocabulary (word -> pages holding it, most common first) is written at build time by
// scripts/render/search_index.py:latin_vocabulary; tests/site/test_js_parity.py checks oneEditApart
// against Python's twin in that test.

export const MIN_LENGTH = 5;  // shorter words have too many neighbours one letter away

/* One substitution, insertion, deletion or swap of two adjacent letters turns a into b. */
export function oneEditApart(a, b) {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;  // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);  // swap
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.slice(i) === long.slice(i + 1);  // insertion or deletion
}

/* The word a typo most likely meant, or null: a Latin word of at least MIN_LENGTH letters that
   the index (almost) never starts a word with, and a word one edit away: any, when the index
   never starts a word with the typed one; twice as common, when it does once (the book has typos). */
export function correction(word, vocabulary) {
  if (word.length < MIN_LENGTH || !/^[a-z]+$/.test(word)) return null;
  const known = knownPages(word, vocabulary);
  if (known >= 2) return null;
  for (const [other, pages] of Object.entries(vocabulary)) {  // most common first
    if (pages >= 2 * known && oneEditApart(word, other)) return other;
  }
  return null;
}

/* How many pages hold a word the index starts with `word` (0: Pagefind would only find noise). */
export function knownPages(word, vocabulary) {
  let known = 0;
  for (const [other, pages] of Object.entries(vocabulary)) if (other.startsWith(word)) known += pages;
  return known;
}
