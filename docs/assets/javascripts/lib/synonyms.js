// How search compares words: full-width forms, case, spaces, hyphens and underscores do not matter.
// Twin of scripts/render/search_index.py:synonym_key (tests/site/test_js_parity.py checks every group).

export const foldText = (text) => text.normalize("NFKC").toLowerCase();

export const synonymKey = (word) => foldText(word).replace(/[\s\-_]+/g, " ").trim();
