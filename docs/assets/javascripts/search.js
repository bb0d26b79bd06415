/*
 * Site search: the header box (partials/search.html) runs Pagefind over the static index that
 * scripts/render/search_index.py writes to pagefind/. Nothing leaves the site: the engine, its wasm, the
 * index chunks and the synonyms are files next to the pages, fetched on the first focus.
 *
 * A query is searched as typed (Pagefind segments Chinese with Intl.Segmenter, as its index was),
 * and also with each synonym in place of a word it knows (pagefind/qa-search.json, built from
 * scripts/search/synonyms.yml). Pagefind keeps a page only when every word matches; when that
 * leaves fewer than a handful of questions, the query is relaxed: each word is searched alone and
 * pages are ranked by how many (rare) words they match, below the exact hits.
 *
 * On /en/ Chinese words find less than on the Chinese site, even in answers shown in Chinese there:
 * Pagefind cuts Chinese into words only in a Chinese index, so the English index holds a Chinese
 * answer as whole clauses, and a word is found only where a clause starts with it. Titles agree
 * (the alias's character pairs; asTyped below), as do full matches; partial counts may differ.
 *
 * window.qaSearch.query(text, {chapter, answered, book}) returns the ranked results, for the tests and
 * the benchmark (scripts/dev/bench_search.py), which measure the very code readers run.
 */
import { bookFilter } from "./lib/book-filter.js";
import { countText, uiStrings } from "./lib/strings.js";
import { pairQuery } from "./lib/han-pairs.js";
import { foldText as fold, synonymKey } from "./lib/synonyms.js";
import { correction, knownPages } from "./lib/typo.js";
import { isTypingInField } from "./lib/typing.js";

function start(root) {
  const toggle = document.getElementById("__search");
  const form = root.querySelector("form");
  const input = form.elements.query;
  // Results show as one types; Enter never sends the form anywhere (a script, not an inline
  // onsubmit, which the Content-Security-Policy would block).
  form.addEventListener("submit", (event) => event.preventDefault());
  const chapterSelect = root.querySelector("select[name=chapter]");
  const answeredBox = root.querySelector("input[name=answered]");
  // Sites of several books: the book filter, on the book being read (lib/book-filter.js).
  const bookSelect = bookFilter(root, () => run().catch(() => {}));
  const meta = root.querySelector(".md-search-result__meta");
  const list = root.querySelector(".md-search-result__list");
  const moreButton = root.querySelector(".qa-search__more");
  const bundle = new URL(root.dataset.qaBundle, location.href);
  const siteRoot = new URL("../", bundle);
  const PAGE = 10;       // results rendered at a time
  const ENOUGH = 5;      // fewer exact hits than this: add relaxed ones below
  const lang = document.documentElement.lang || "zh";
  const text = uiStrings("search");
  // The alias (partials/content.html) holds the title in the other language and the Chinese
  // title's character pairs: a match there ranks as a title match, below the page's own title.
  const META_WEIGHTS = { title: 5, alias: 5 };
  // Pagefind cuts Chinese into words only in a Chinese index; elsewhere a Chinese query is
  // searched as the character pairs the alias holds.
  const cutsChinese = /^zh/i.test(lang);
  const asTyped = cutsChinese ? (q) => q : pairQuery;

  /* ---------- the engine ---------- */

  let engine = null;
  function load() {
    if (!engine) {
      engine = (async () => {
        const pagefind = await import(new URL("pagefind.js", bundle).href);
        await pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 36 });
        const [config] = await Promise.all([
          fetch(new URL("qa-search.json", bundle)).then((r) => (r.ok ? r.json() : {})).catch(() => ({})),
          pagefind.init(),
        ]);
        // Ranking weights go to the engine once it runs: set before init, they make init wait for them.
        await pagefind.options({ ranking: { metaWeights: META_WEIGHTS } });
        // While the index is small, all of it is fetched now, as the reader starts typing.
        const preload = config.preload?.[lang.toLowerCase()];
        const [all] = await Promise.all([pagefind.search(null), preload ? pagefind.preload(preload) : null]);
        return { pagefind, synonyms: compileSynonyms(config.synonyms || []), vocabulary: config.vocabulary || {},
          total: all.results.length || 1 };
      })();
      engine.catch(() => { engine = null; });  // a failed load is retried on the next query
    }
    return engine;
  }

  const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const latinEdge = /[a-z0-9]/;

  /* Synonym words as patterns over the folded query: case, spaces, hyphens and underscores do not
     matter, and a Latin word matches only as a whole word ("cos" is not in "cosine"). */
  function compileSynonyms(groups) {
    const terms = [];
    groups.forEach((group, index) => {
      for (const word of group) {
        const key = synonymKey(word);
        const body = key.split(" ").map(escapeRe).join("[\\s\\-_]*");
        const head = latinEdge.test(key[0]) ? "(?<![a-z0-9])" : "";
        const tail = latinEdge.test(key[key.length - 1]) ? "(?![a-z0-9])" : "";
        terms.push({ group: index, word, key, pattern: new RegExp(head + body + tail, "g") });
      }
    });
    terms.sort((a, b) => b.key.length - a.key.length);
    return { groups, terms };
  }

  /* Where the query holds synonym words: non-overlapping spans, longest words first. */
  function synonymSpans(query, synonyms) {
    const spans = [];
    for (const term of synonyms.terms) {
      term.pattern.lastIndex = 0;
      for (const match of query.matchAll(term.pattern)) {
        const start = match.index, end = start + match[0].length;
        if (spans.some((s) => start < s.end && s.start < end)) continue;
        spans.push({ start, end, group: term.group, text: match[0] });
      }
    }
    return spans.sort((a, b) => a.start - b.start);
  }

  const segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(lang, { granularity: "word" }) : null;
  function words(query) {
    if (!segmenter) return query.split(/[\s\p{P}]+/u).filter(Boolean);
    return [...segmenter.segment(query)].filter((s) => s.isWordLike).map((s) => s.segment);
  }

  /* The query, and the same query with each synonym word swapped for the others of its group. */
  function variants(query, spans, synonyms) {
    const out = [query];
    for (const span of spans) {
      for (const word of synonyms.groups[span.group]) {
        if (fold(word) === fold(span.text)) continue;
        out.push(`${query.slice(0, span.start)} ${word} ${query.slice(span.end)}`.replace(/\s+/g, " ").trim());
      }
    }
    return [...new Set(out)].slice(0, 16);
  }

  /* Grammatical words a reader types around the terms ("采样器怎么选", "…的影响"). Pagefind wants
     every word on the page, so the query is also searched without them. */
  const STOP = new Set(("的 了 吗 呢 吧 啊 呀 是 和 与 及 跟 或 在 中 对 把 被 有 要 会 能 得 地 着 "
    + "什么 怎么 怎样 怎么样 如何 为什么 为何 哪些 哪个 是否 能否 一下 a an the of to in on for and or is are what how why which").split(" "));

  /* A query in two steps, so the box can show exact hits before the relaxed search is done. */
  async function prepare(raw, choice = {}) {
    const engine = await load();
    const q = fold(raw).replace(/\s+/g, " ").trim();
    const options = searchOptions(choice);
    const spans = q ? synonymSpans(q, engine.synonyms) : [];
    const concepts = [];  // a synonym group counts as one word
    let rest = q;
    for (const span of [...spans].reverse()) rest = rest.slice(0, span.start) + " " + rest.slice(span.end);
    for (const span of spans) concepts.push(engine.synonyms.groups[span.group]);
    const corrected = [];  // [typed word, the word it most likely meant]
    for (const word of words(rest)) {
      if (STOP.has(word)) continue;
      const meant = correction(word, engine.vocabulary);
      if (meant) corrected.push([word, meant]);
      concepts.push(!meant ? [word] : knownPages(word, engine.vocabulary) ? [word, meant] : [meant]);
    }
    const terms = [...new Set([...concepts.flat(), ...words(q)].map(fold).filter((t) => t.length > 0))];
    return { ...engine, q, options, spans, concepts, corrected, terms };
  }

  /* The one place that turns the reader's choices (the box's chapter and answered filters) into
     Pagefind's search options: every search of a query uses them. */
  function searchOptions(choice = {}) {
    const filters = {};
    if (choice.chapter) filters.chapter = choice.chapter;
    if (choice.book) filters.book = choice.book;
    if (choice.answered) filters.answered = "yes";
    return { filters };
  }

  // Exact: every word of the query matches, or of the query without its grammatical words.
  // Synonym variants rank below the best page for the reader's own words.
  async function exactSearch({ pagefind, synonyms, vocabulary, q, options, spans, corrected }) {
    const own = [q];
    const content = words(q).filter((w) => !STOP.has(w));
    if (content.length && content.length < words(q).length) own.push(content.join(" "));
    const others = variants(q, spans, synonyms).slice(1);
    if (corrected.length) {  // the query with every typo put right counts as the reader's own words;
      // as typed, a word the index never starts finds noise (Pagefind falls back to shorter
      // prefixes: "in…" for "inpainitng"), so it is searched only when the book has it (classifer).
      const fix = (text) => corrected.reduce((out, [typed, meant]) => out.replace(new RegExp(`(?<![a-z0-9])${escapeRe(typed)}(?![a-z0-9])`, "g"), meant), text);
      const fixed = own.map(fix);
      own.splice(0, own.length, ...(corrected.some(([typed]) => !knownPages(typed, vocabulary)) ? fixed : [...own, ...fixed]));
    }
    const searches = await Promise.all([...own, ...others].map((v) => pagefind.search(asTyped(v), options)));
    const top = (list) => list.reduce((best, search) => Math.max(best, search.results[0]?.score || 0), 0);
    const ownTop = top(searches.slice(0, own.length));
    const exact = new Map();
    searches.forEach((search, index) => {
      const mine = index < own.length;
      const scale = mine || !ownTop ? 1 : Math.min(1, (0.9 * ownTop) / (search.results[0]?.score || 1));
      for (const result of search.results) {
        const score = result.score * scale;
        const seen = exact.get(result.id);
        if (!seen || seen.score < score) exact.set(result.id, { result, score, exact: true });
      }
    });
    return [...exact.values()].sort((a, b) => b.score - a.score);
  }

  // Relaxed, when there are few exact hits: each word searched alone; a page scores the rarity of
  // the words it holds, so a page with the rare words beats one with common ones.
  async function relaxedSearch({ pagefind, total, options, concepts }, exact) {
    const single = concepts.length === 1 && concepts[0].length === 1;
    if (exact.length >= ENOUGH || !concepts.length || (single && exact.length)) return [];
    const scores = new Map();
    await Promise.all(concepts.map(async (alternatives) => {
      const found = new Map();
      const parts = await Promise.all(alternatives.map((w) => pagefind.search(asTyped(w), options)));
      for (const part of parts) {
        const top = part.results[0]?.score || 1;
        for (const result of part.results) {
          const share = result.score / top;
          if ((found.get(result.id)?.share ?? -1) < share) found.set(result.id, { result, share });
        }
      }
      if (!found.size) return;
      const weight = Math.log(1 + total / found.size);
      for (const [id, { result, share }] of found) {
        const entry = scores.get(id) || { result, score: 0, exact: false };
        entry.score += weight * (0.5 + 0.5 * share);
        scores.set(id, entry);
      }
    }));
    const seen = new Set(exact.map((e) => e.result.id));
    return [...scores.values()].filter((e) => !seen.has(e.result.id)).sort((a, b) => b.score - a.score);
  }

  /* Title matches outrank answer matches: among the best-scored hits (depth), a page whose title
     (or its title in the other language, in the alias) holds more of the query's concepts comes
     first, and of two such pages the one whose title the query covers more; Pagefind's score
     decides the rest. The page data fetched here is what the box renders next. Exact hits already
     rank title matches high (the <h1> weighs 10), relaxed ones by answer text: they look deeper. */
  const RERANK = { exact: 12, relaxed: 20 };
  function conceptPatterns(concepts) {
    return concepts.map((alternatives) => alternatives.map((word) => {
      const key = fold(word);
      return new RegExp((latinEdge.test(key[0]) ? "(?<![a-z0-9])" : "") + key.split(/\s+/).map(escapeRe).join("[\\s\\-_]*"), "g");
    }));
  }
  async function titleFirst(entries, concepts, depth) {
    const patterns = conceptPatterns(concepts);
    const head = entries.slice(0, depth);
    await Promise.all(head.map(async (entry) => {
      entry.page = entry.page || await entry.result.data();
      const own = fold(entry.page.meta.title || "");
      const text = `${own} ${fold(entry.page.meta.alias || "")}`;
      let hits = 0, covered = 0;
      for (const alternatives of patterns) {
        // The longest alternative in the page's own title; in the other language's, a hit of no length.
        const lengths = alternatives.flatMap((pattern) => [...own.matchAll(pattern)].map((m) => m[0].length));
        const elsewhere = !lengths.length && alternatives.some((pattern) => [...text.matchAll(pattern)].length);
        if (lengths.length || elsewhere) { hits += 1; covered += Math.max(0, ...lengths); }
      }
      entry.titleHits = hits;
      entry.titleShare = own.length ? covered / own.length : 0;
    }));
    head.sort((a, b) => b.titleHits - a.titleHits || b.titleShare - a.titleShare || b.score - a.score);
    return [...head, ...entries.slice(depth)];
  }

  async function query(raw, choice = {}) {
    const ctx = await prepare(raw, choice);
    if (!ctx.q) return { exact: [], relaxed: [], terms: [], corrected: [] };
    const exact = await titleFirst(await exactSearch(ctx), ctx.concepts, RERANK.exact);
    const relaxed = await titleFirst(await relaxedSearch(ctx, exact), ctx.concepts, RERANK.relaxed);
    return { exact, relaxed, terms: ctx.terms, corrected: ctx.corrected };
  }

  /* ---------- the box ---------- */

  let seq = 0;
  let shown = [];
  let rendered = 0;
  let lastTerms = [];  // what the titles highlight: the query's words and their synonyms
  let exactCount = 0;  // how many of `shown` hold every word of the query

  const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  function highlight(title, terms) {
    const list = terms.filter((t) => t.length > (/[a-z0-9]/.test(t) ? 1 : 0)).sort((a, b) => b.length - a.length).map(escapeRe);
    if (!list.length) return escapeHtml(title);
    const pattern = new RegExp(`(${list.join("|")})`, "gi");
    return title.split(pattern).map((part, i) => (i % 2 ? `<mark>${escapeHtml(part)}</mark>` : escapeHtml(part))).join("");
  }
  const plain = (html) => html.replace(/<[^>]*>/g, "").replace(/&[a-z#0-9]+;/gi, " ").replace(/\s+/g, "");

  let rendering = Promise.resolve();
  function renderUpTo(count) {  // one batch at a time, so batches land in order
    rendering = rendering.catch(() => {}).then(() => renderBatch(count));
    return rendering;
  }

  async function renderBatch(count) {
    const ticket = seq;
    const start = rendered;
    const batch = shown.slice(start, count);
    moreButton.hidden = start + batch.length >= shown.length;
    if (!batch.length) return;
    rendered = start + batch.length;
    const data = await Promise.all(batch.map((entry) => entry.page || entry.result.data()));
    if (ticket !== seq) return;
    const across = bookSelect.acrossBooks();
    const items = data.map((page, i) => {
      const entry = batch[i];
      const title = page.meta.title || page.url;
      const chapter = page.meta.chapter_short || page.meta.chapter || "";
      const open = page.meta.answered ? "" : `<span class="qa-search__open">${escapeHtml(text.open)}</span>`;
      // Across every book, the same question can sit in two books: the result says whose it is,
      // as text of the link (read out with it), before its chapter.
      const book = across && page.meta.book ? `<span class="qa-search__from">${escapeHtml(page.meta.book)}</span>` : "";
      const excerpt = page.excerpt && plain(page.excerpt) !== plain(title) ? `<p class="qa-search__excerpt">${page.excerpt}</p>` : "";
      const divider = !entry.exact && (start + i === 0 || shown[start + i - 1].exact)
        ? `<li class="qa-search__divider">${escapeHtml(countText(text.relaxed, shown.length - exactCount))}</li>` : "";
      // A <div>, not Material's <article>: Chromium computes no name for a link around an article,
      // and a reader moving through the results (arrow keys) would hear nothing of them.
      return `${divider}<li class="md-search-result__item"><a href="${escapeHtml(page.url)}" class="md-search-result__link qa-search__hit" tabindex="-1">`
        + `<div class="md-search-result__article md-typeset"><h1>${highlight(title, lastTerms)}</h1>`
        + `<p class="qa-search__where">${book}${escapeHtml(chapter)}${open}</p>${excerpt}</div></a></li>`;
    });
    list.insertAdjacentHTML("beforeend", items.join(""));
    moreButton.hidden = rendered >= shown.length;
  }

  /* The count is of questions holding every word; those holding some sit under their own heading
     with their own count (renderBatch). A typo put right is said, so a reader sees why a hit came. */
  function announce(exact, relaxed, corrected) {
    meta.textContent = exact || !relaxed ? countText(text.found, exact) : text.partialOnly;
    if (corrected.length) {
      const hint = document.createElement("span");
      hint.className = "qa-search__corrected";
      hint.textContent = text.corrected.replace("#", corrected.map(([, meant]) => meant).join(" "));
      meta.append(" ", hint);
    }
  }

  async function run() {
    const ticket = ++seq;
    const value = input.value;
    shown = []; rendered = 0; exactCount = 0;
    moreButton.hidden = true;
    if (!value.trim()) {
      list.replaceChildren(); moreButton.hidden = true;
      meta.textContent = text.idle;
      root.removeAttribute("data-qa-state");
      return;
    }
    if (!engine) meta.textContent = text.loading;
    root.dataset.qaState = "busy";
    try {
      const ctx = await prepare(value, { chapter: chapterSelect.value, answered: answeredBox.checked, book: bookSelect.value() });
      const exact = await titleFirst(await exactSearch(ctx), ctx.concepts, RERANK.exact);
      if (ticket !== seq) return;
      lastTerms = ctx.terms;
      exactCount = exact.length;
      if (exact.length) {  // exact hits first, at once; relaxed ones follow below
        list.replaceChildren();
        shown = exact;
        announce(exact.length, 0, ctx.corrected);
        await renderUpTo(PAGE);
        if (ticket !== seq) return;
        root.dataset.qaState = "shown";
      }
      const relaxed = await titleFirst(await relaxedSearch(ctx, exact), ctx.concepts, RERANK.relaxed);
      if (ticket !== seq) return;
      shown = [...exact, ...relaxed];
      if (!exact.length) list.replaceChildren();
      announce(exact.length, relaxed.length, ctx.corrected);
      await renderUpTo(Math.max(PAGE, rendered));
      if (ticket === seq) root.dataset.qaState = "done";
    } catch (error) {
      if (ticket === seq) { meta.textContent = text.error; root.dataset.qaState = "error"; }
      throw error;
    }
  }

  function open() {
    if (!toggle.checked) toggle.checked = true;
    load().catch(() => {});
  }
  function close() {
    toggle.checked = false;
    input.blur();
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", (event) => { if (!event.isComposing) run().catch(() => {}); });
  input.addEventListener("compositionend", () => run().catch(() => {}));
  form.addEventListener("reset", () => setTimeout(() => { run(); input.focus(); }));
  chapterSelect.addEventListener("change", () => run().catch(() => {}));
  answeredBox.addEventListener("change", () => run().catch(() => {}));
  moreButton.addEventListener("click", () => renderUpTo(rendered + PAGE).catch(() => {}));
  toggle.addEventListener("change", () => (toggle.checked ? input.focus() : input.blur()));
  // Warm the engine as soon as a reader reaches for the box.
  for (const target of [input, document.querySelector(".md-header label[for=__search]")]) {
    target?.addEventListener("pointerenter", () => load().catch(() => {}), { once: true });
    target?.addEventListener("touchstart", () => load().catch(() => {}), { once: true, passive: true });
  }

  const hits = () => [...list.querySelectorAll(".qa-search__hit")];
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); close(); return; }
    const links = hits();
    const at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!links.length) return;
      event.preventDefault();
      const next = event.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : at - 1;
      (next < 0 ? input : links[next]).focus();
    } else if (event.key === "Enter" && document.activeElement === input && links.length) {
      event.preventDefault();
      links[0].click();
    }
  });
  // "/" or "s" opens the search from anywhere, as in Material.
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
    if (isTypingInField()) return;
    if (event.key === "/" || event.key === "s" || event.key === "S") {
      event.preventDefault();
      open();
      input.focus();
    }
  });

  // ?q=… opens the box with that query: the 404 page offers searches for a broken link's words.
  const requested = new URLSearchParams(location.search).get("q");
  if (requested) {
    input.value = requested;
    open();
    input.focus();
    run().catch(() => {});
  }

  window.qaSearch = {
    load,
    async query(raw, choice, limit = PAGE) {
      const found = await query(raw, choice);
      const all = [...found.exact, ...found.relaxed].slice(0, limit);
      const data = await Promise.all(all.map((e) => e.page || e.result.data()));
      return data.map((page, i) => ({ url: page.url, title: page.meta.title, exact: all[i].exact, score: all[i].score,
        corrected: found.corrected.map(([, meant]) => meant) }));
    },
  };
}

const searchBox = document.querySelector("[data-qa-search]");
if (searchBox) start(searchBox);
