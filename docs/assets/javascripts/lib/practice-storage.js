// Practice mode's storage schema: everything lives in this browser's localStorage, under the site root.
//   <root>qa-practice.on     "1" while practice mode folds the answers
//   <root>qa-practice.marks  {"<question slug>" (several books: "<book>/<slug>"): {"mark": "mastered" | "review", "at": <ms>}}
//   <root>qa-practice.draw   {"scope": "site" | "chapter", "filter": "study" | "all" | "answered" | "review"}
//   <root>qa-practice.cards  {<the marks' key>: <card>}, the spaced-repetition schedule (lib/schedule.js):
//                            {"due": <ms>, "stability", "difficulty", "scheduled_days", "reps", "lapses",
//                             "state": 0-3, "last_review": <ms> | null, "log": [[<ms>, <rating 1-4>], ...]}
// Stores written before the schedule existed hold no cards: schedule.js's withMarks gives every
// mark the card it stands for when read, and the next write keeps it, so no mark is lost.
// Marks are keyed by the question's stable slug, so they survive renumbering and both languages
// share them. partials/practice-head.html reads the same keys before the first paint; the tests
// run that inline script against values written here.

export const PREFIX = "qa-practice.";
export const KEYS = { on: "on", marks: "marks", draw: "draw", cards: "cards" };
export const ON = "1";
export const MARKS = ["mastered", "review"];
// The build's slug rule (scripts/book/identity.py SLUG).
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// A mark's key: the question's slug; on a site of several books `<book slug>/<question slug>`
// (scripts/emit/urls.py question_key), so two books' questions never share a mark while a site
// of one book keeps the keys it always had.
const SLUG_BODY = SLUG.source.slice(1, -1);
export const MARK_KEY = new RegExp(`^(?:${SLUG_BODY}\\/)?${SLUG_BODY}$`);

export const storagePrefix = (sitePath) => sitePath + PREFIX;

// Names of Object.prototype ("constructor", "hasOwnProperty", ...) fit the slug rule, and the
// inline head script looks marks up in a plain object, where they would find inherited values.
const RESERVED = new Set(["__proto__", "constructor", "prototype", ...Object.getOwnPropertyNames(Object.prototype)]);

const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
const isPlainObject = (value) => !!value && typeof value === "object" && !Array.isArray(value);

export function isMarkEntry(entry) {
  return isPlainObject(entry) && MARKS.includes(entry.mark) && typeof entry.at === "number" && Number.isFinite(entry.at);
}

// The entries of `incoming` (an exported file's "marks", or what storage holds) that are marks of
// a question: own keys only, slugs by the build's rule and, when `knownSlugs` is given, of this
// site. The result has no prototype, so no key can reach Object.prototype through it.
export function validMarks(incoming, knownSlugs = null) {
  const marks = Object.create(null);
  let kept = 0;
  let skipped = 0;
  if (!isPlainObject(incoming)) return { marks, kept, skipped };
  for (const slug of Object.keys(incoming)) {
    const entry = incoming[slug];
    if (MARK_KEY.test(slug) && !RESERVED.has(slug) && (!knownSlugs || knownSlugs.has(slug)) && isMarkEntry(entry)) {
      marks[slug] = { mark: entry.mark, at: entry.at };
      kept += 1;
    } else {
      skipped += 1;
    }
  }
  return { marks, kept, skipped };
}

// `here` merged with valid marks from a file: for a question marked on both sides the newer mark
// wins (a tie goes to the file). `imported` counts the file's marks now in effect, `keptNewer`
// those this browser's newer mark outranked; `importedSlugs` and `keptSlugs` name them.
export function mergeMarks(here, incoming) {
  const merged = Object.assign(Object.create(null), here);
  const importedSlugs = [];
  const keptSlugs = [];
  for (const slug of Object.keys(incoming)) {
    const mine = merged[slug];
    if (mine && mine.at > incoming[slug].at) {
      keptSlugs.push(slug);
    } else {
      merged[slug] = incoming[slug];
      importedSlugs.push(slug);
    }
  }
  return { merged, imported: importedSlugs.length, keptNewer: keptSlugs.length, importedSlugs, keptSlugs };
}

// A card's review log keeps its latest ratings, enough to see how a question went without
// letting storage grow with every review.
export const LOG_LIMIT = 50;
const CARD_NUMBERS = ["due", "stability", "difficulty", "scheduled_days", "reps", "lapses", "state"];
const isNumber = (value) => typeof value === "number" && Number.isFinite(value);
const isLogEntry = (entry) => Array.isArray(entry) && entry.length === 2 && isNumber(entry[0]) && [1, 2, 3, 4].includes(entry[1]);

// A card as stored, or null when `entry` is not one: every number finite, the state one of FSRS's
// four, the log well-formed (entries that are not are dropped, the rest kept in time order).
export function cleanCard(entry) {
  if (!isPlainObject(entry) || !CARD_NUMBERS.every((name) => isNumber(entry[name]))) return null;
  if (![0, 1, 2, 3].includes(entry.state) || entry.stability < 0 || entry.reps < 0 || entry.lapses < 0) return null;
  if (!(entry.last_review === null || entry.last_review === undefined || isNumber(entry.last_review))) return null;
  const log = Array.isArray(entry.log) ? entry.log.filter(isLogEntry).map(([at, rating]) => [at, rating]) : [];
  log.sort((a, b) => a[0] - b[0]);
  const card = Object.fromEntries(CARD_NUMBERS.map((name) => [name, entry[name]]));
  return { ...card, last_review: isNumber(entry.last_review) ? entry.last_review : null, log: log.slice(-LOG_LIMIT) };
}

// The cards of `incoming` kept under the same rules as marks (validMarks).
export function validCards(incoming, knownSlugs = null) {
  const cards = Object.create(null);
  let kept = 0;
  let skipped = 0;
  if (!isPlainObject(incoming)) return { cards, kept, skipped };
  for (const slug of Object.keys(incoming)) {
    const card = SLUG.test(slug) && !RESERVED.has(slug) && (!knownSlugs || knownSlugs.has(slug)) ? cleanCard(incoming[slug]) : null;
    if (card) {
      cards[slug] = card;
      kept += 1;
    } else {
      skipped += 1;
    }
  }
  return { cards, kept, skipped };
}

const reviewedAt = (card) => (card.last_review === null ? -Infinity : card.last_review);

// `here` merged with cards from a file: for a question on both sides the card reviewed last wins
// (a tie goes to the file), and the two logs are joined, so no rating from either side is lost.
export function mergeCards(here, incoming) {
  const merged = Object.assign(Object.create(null), here);
  const importedSlugs = [];
  const keptSlugs = [];
  for (const slug of Object.keys(incoming)) {
    const mine = merged[slug];
    const theirs = incoming[slug];
    const newer = mine && reviewedAt(mine) > reviewedAt(theirs) ? mine : theirs;
    const seen = new Set();
    const log = [...(mine ? mine.log : []), ...theirs.log].filter((entry) => {
      const key = entry.join(":");
      return !seen.has(key) && seen.add(key);
    }).sort((a, b) => a[0] - b[0]).slice(-LOG_LIMIT);
    merged[slug] = { ...newer, log };
    (newer === mine ? keptSlugs : importedSlugs).push(slug);
  }
  return { merged, imported: importedSlugs.length, keptNewer: keptSlugs.length, importedSlugs, keptSlugs };
}

// Every write reports whether it stuck, so the page never shows what storage does not hold: a
// full quota, disabled storage or private mode throw on setItem, or on reaching localStorage at
// all (hence the getter). Reading the value back also catches storage that can write but not read.
// A read that fails counts as nothing stored.
export function practiceStorage(prefix, storage = () => globalThis.localStorage) {
  const read = (name) => {
    try { return storage().getItem(prefix + name); } catch (error) { return null; }
  };
  const write = (name, value) => {
    try {
      const target = storage();
      target.setItem(prefix + name, value);
      return target.getItem(prefix + name) === value;
    } catch (error) { return false; }
  };
  const readObject = (name) => {
    try {
      const value = JSON.parse(read(name) || "{}");
      return isPlainObject(value) ? value : {};
    } catch (error) { return {}; }
  };
  return {
    practiceOn: () => read(KEYS.on) === ON,
    setPracticeOn: (on) => write(KEYS.on, on ? ON : "0"),
    marks: () => validMarks(readObject(KEYS.marks)).marks,
    setMarks: (marks) => write(KEYS.marks, JSON.stringify(marks)),
    draw: () => readObject(KEYS.draw),
    setDraw: (choice) => write(KEYS.draw, JSON.stringify(choice)),
    cards: () => validCards(readObject(KEYS.cards)).cards,
    setCards: (cards) => write(KEYS.cards, JSON.stringify(cards)),
  };
}

export function markOf(marks, slug) {
  const entry = own(marks, slug) ? marks[slug] : null;
  return entry && MARKS.includes(entry.mark) ? entry.mark : null;
}
