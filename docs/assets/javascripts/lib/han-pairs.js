// Chinese characters as the search alias indexes them (partials/content.html): adjacent pairs of
// each run, and the run's last character alone. Twin of scripts/emit/search_alias.py:han_pairs
// (tests/site/test_js_parity.py compares them over every title of the book).

export const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;

export function hanPairs(text) {
  const pairs = [];
  for (const [run] of text.matchAll(HAN_RUN)) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) pairs.push(chars[i] + chars[i + 1]);
    pairs.push(chars[chars.length - 1]);
  }
  return [...new Set(pairs)];
}

/* A query for an index that does not cut Chinese into words (every language but Chinese): its
   Chinese runs become the pairs the alias holds, so a Chinese title is found by any part of it. */
export const pairQuery = (query) => query.replace(HAN_RUN, (run) => ` ${hanPairs(run).join(" ")} `).replace(/\s+/g, " ").trim();
