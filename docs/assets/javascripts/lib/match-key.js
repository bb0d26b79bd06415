// The key under which a TOC link, a heading id and a heading text of one question agree.
// Twin of scripts/book/text.py:match_key; tests/site/test_js_parity.py runs both over the whole book.

// Punctuation NFKC leaves full-width but authors mix freely with ASCII.
const PUNCTUATION = { "、": ",", "。": ".", "【": "[", "】": "]", "“": "\"", "”": "\"", "‘": "'", "’": "'", "—": "-", "–": "-", "·": "." };

export function decodeFragment(text) {
  try { return decodeURIComponent(text); } catch (error) { return text; }
}

export function matchKey(text) {
  let key = decodeFragment(text.trim()).replace(/^#/, "").replace(/^user-content-/, "");
  key = key.replace(/[\u200b\u200c\u200d\u2060\ufeff]/g, "").normalize("NFKC");
  key = key.replace(/[、。【】“”‘’—–·]/g, (c) => PUNCTUATION[c]).toLowerCase();
  // GitHub turns spaces into '-', authors use '_' or drop spaces: none of them may decide a match.
  return key.replace(/[\s\-_]+/g, "");
}
