// The reader's practice state as Anki tags: the site's deck (scripts/export/anki.py writes it,
// one note a line, tab-separated, its columns named by `#… column:N` header lines) with, on the
// note of each question this browser knows something about, `mastered` or `review` (its
// mark, lib/practice-storage.js) and `due` (its card is due today, lib/schedule.js dueSlugs).
// Anki replaces a note's tags with the file's on re-import, so yesterday's `due` goes away.
// Pure text in, text out: practice.js fetches the deck and downloads the result.

export const DUE = "due";

// `<book slug>/<question slug>`, with `@<language>` outside the book's language (anki.py
// note_guid): the question's slug, or null for a guid of no question of ours.
const GUID = /^[a-z0-9]+(?:-[a-z0-9]+)*\/([a-z0-9]+(?:-[a-z0-9]+)*)(?:@[A-Za-z-]+)?$/;

export function guidSlug(guid) {
  const found = GUID.exec(guid);
  return found ? found[1] : null;
}

// Tags by practice key: a mark's name, and DUE for every key in `dueKeys`.
export function practiceTags(marks, dueKeys) {
  const tags = new Map();
  const add = (key, tag) => tags.set(key, [...(tags.get(key) || []), tag]);
  for (const key of Object.keys(marks)) add(key, marks[key].mark);
  for (const key of dueKeys) add(key, DUE);
  return tags;
}

function header(lines) {
  const values = {};
  let count = 0;
  while (count < lines.length && lines[count].startsWith("#")) {
    const line = lines[count].slice(1);
    const colon = line.indexOf(":");
    if (colon > 0) values[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1);
    count += 1;
  }
  return { values, count };
}

// `deck` with each note's tags joined by those of its question: `tags` maps practice keys,
// which are `keyPrefix` + the question's slug ("" on a site of one book, "<book>/" on a site
// of several: the download link's data-qa-anki). `tagged` counts the notes that gained a tag.
// The writer keeps tabs and line breaks out of every field, so a line is a note and a tab ends
// a field; a deck not in that shape comes back as it is, with `tagged` null.
export function withPracticeTags(deck, keyPrefix, tags) {
  const lines = deck.split("\n");
  const { values, count } = header(lines);
  const guidColumn = Number(values["guid column"]);
  const tagsColumn = Number(values["tags column"]);
  if (values.separator !== "tab" || !(guidColumn > 0) || !(tagsColumn > 0)) return { text: deck, tagged: null };
  let tagged = 0;
  for (let index = count; index < lines.length; index += 1) {
    const fields = lines[index].split("\t");
    if (fields.length < Math.max(guidColumn, tagsColumn)) continue;
    const slug = guidSlug(fields[guidColumn - 1]);
    const extra = slug === null ? null : tags.get(keyPrefix + slug);
    if (!extra || !extra.length) continue;
    const own = fields[tagsColumn - 1].split(" ").filter(Boolean);
    fields[tagsColumn - 1] = [...own, ...extra.filter((tag) => !own.includes(tag))].join(" ");
    lines[index] = fields.join("\t");
    tagged += 1;
  }
  return { text: lines.join("\n"), tagged };
}

// "book.anki.txt" → "book.practice-2026-12-02.anki.txt": beside the plain deck, not over it.
export function taggedFileName(path, day) {
  const name = path.split("/").pop().split("?")[0] || "deck.anki.txt";
  return name.endsWith(".anki.txt") ? `${name.slice(0, -".anki.txt".length)}.practice-${day}.anki.txt` : `${name}.practice-${day}.txt`;
}
