// Practice mode's storage schema: everything lives in this browser's localStorage, under the site root.
//   <root>qa-practice.on     "1" while practice mode folds the answers
//   <root>qa-practice.marks  {"<question slug>": {"mark": "mastered" | "review", "at": <ms>}}
//   <root>qa-practice.draw   {"scope": "site" | "chapter", "filter": "all" | "answered" | "review"}
// Marks are keyed by the question's stable slug, so they survive renumbering and both languages
// share them. partials/practice-head.html reads the same keys before the first paint; the tests
// run that inline script against values written here.

export const PREFIX = "qa-practice.";
export const KEYS = { on: "on", marks: "marks", draw: "draw" };
export const ON = "1";
export const MARKS = ["mastered", "review"];

export const storagePrefix = (sitePath) => sitePath + PREFIX;

// localStorage when the browser allows it, this page's memory otherwise (private mode).
// Reaching localStorage itself throws where the browser forbids it, hence the getter.
export function practiceStorage(prefix, storage = () => globalThis.localStorage) {
  const memory = {};
  const read = (name) => {
    try { return storage().getItem(prefix + name); } catch (error) { return name in memory ? memory[name] : null; }
  };
  const write = (name, value) => {
    memory[name] = value;
    try { storage().setItem(prefix + name, value); } catch (error) { /* this page only */ }
  };
  const readObject = (name) => {
    try {
      const value = JSON.parse(read(name) || "{}");
      return value && typeof value === "object" && !Array.isArray(value) ? value : {};
    } catch (error) { return {}; }
  };
  return {
    practiceOn: () => read(KEYS.on) === ON,
    setPracticeOn: (on) => write(KEYS.on, on ? ON : "0"),
    marks: () => readObject(KEYS.marks),
    setMarks: (marks) => write(KEYS.marks, JSON.stringify(marks)),
    draw: () => readObject(KEYS.draw),
    setDraw: (choice) => write(KEYS.draw, JSON.stringify(choice)),
  };
}

export function markOf(marks, slug) {
  const entry = marks[slug];
  return entry && MARKS.includes(entry.mark) ? entry.mark : null;
}
