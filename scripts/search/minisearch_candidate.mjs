// A candidate engine for scripts/dev/bench_search.py: MiniSearch over the question pages, the whole
// index shipped to the browser as one JSON file. Chinese is cut two ways at once, into the words
// Intl.Segmenter finds and into every pair of adjacent Han characters, so any part of a word
// matches; Latin words match by prefix and, when long, with one typo. Queries are OR-ed, titles
// weigh most, and the synonyms of scripts/search/synonyms.yml are added to the query.
//
//   node minisearch_candidate.mjs INPUT.json   (docs, queries, synonyms)  ->  JSON on stdout
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const require = createRequire(new URL("../js/package.json", import.meta.url));  // scripts/js/node_modules
const MiniSearch = require("minisearch");

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
const han = /\p{Script=Han}/u;

function tokenize(text) {
  const out = [];
  for (const { segment, isWordLike } of segmenter.segment(text.normalize("NFKC").toLowerCase())) {
    if (!isWordLike) continue;
    out.push(segment);
    if (han.test(segment)) {
      const chars = [...segment];
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      if (chars.length === 1) out.push(chars[0]);
    }
  }
  return out;
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
function expand(query) {
  const q = query.normalize("NFKC").toLowerCase();
  const extra = [];
  for (const group of input.synonyms) {
    const hit = group.some((word) => {
      const key = word.toLowerCase().replace(/[\s\-_]+/g, " ").trim();
      const body = key.split(" ").map(escapeRe).join("[\\s\\-_]*");
      const head = /[a-z0-9]/.test(key[0]) ? "(?<![a-z0-9])" : "";
      const tail = /[a-z0-9]/.test(key[key.length - 1]) ? "(?![a-z0-9])" : "";
      return new RegExp(head + body + tail).test(q);
    });
    if (hit) extra.push(...group);
  }
  return [q, ...extra].join(" ");
}

const started = performance.now();
const search = new MiniSearch({
  fields: ["title", "chapter", "section", "body"],
  storeFields: ["url", "title", "chapter"],
  tokenize,
  processTerm: (term) => term,
});
search.addAll(input.docs);
const serialized = JSON.stringify(search);
const buildMs = performance.now() - started;

const options = {
  boost: { title: 4, chapter: 0.5, section: 0.5 },
  prefix: (term) => /^[a-z0-9]{3,}$/.test(term),
  fuzzy: (term) => (/^[a-z]{6,}$/.test(term) ? 0.2 : false),
  combineWith: "OR",
};
const loaded = MiniSearch.loadJSON(serialized, { fields: ["title", "chapter", "section", "body"], storeFields: ["url", "title", "chapter"], tokenize, processTerm: (t) => t });
const times = [];
const rankings = input.queries.map((query) => {
  const t = performance.now();
  const results = loaded.search(expand(query), options).slice(0, 10).map((r) => r.url);
  times.push(performance.now() - t);
  return results;
});
// What a snippet-showing UI also has to ship: the text the snippets are cut from.
const texts = JSON.stringify(input.docs.map((d) => d.body));
process.stdout.write(JSON.stringify({ rankings, indexBytes: Buffer.byteLength(serialized), textBytes: Buffer.byteLength(texts), buildMs, index: serialized, texts, queryMs: times }));
