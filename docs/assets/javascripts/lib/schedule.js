// Spaced repetition: when each question comes back, by FSRS (ts-fsrs), from the reader's ratings.
//
// Cards are stored as lib/practice-storage.js describes (dates as milliseconds), converted to
// ts-fsrs cards only to compute the next one. Short-term learning steps are off: a question on
// this site is read, not drilled, so every rating gives a day to come back (Again: tomorrow),
// never "in ten minutes".
import { createEmptyCard, fsrs, generatorParameters } from "ts-fsrs";
import { LOG_LIMIT } from "./practice-storage.js";

export const AGAIN = 1;
export const HARD = 2;
export const GOOD = 3;
export const EASY = 4;
export const RATINGS = ["again", "hard", "good", "easy"]; // names of ratings 1–4, as the strings call them

const scheduler = fsrs(generatorParameters({ enable_short_term: false }));

function toCard(entry, now) {
  if (!entry) return createEmptyCard(now);
  return {
    due: new Date(entry.due), stability: entry.stability, difficulty: entry.difficulty, elapsed_days: 0,
    scheduled_days: entry.scheduled_days, learning_steps: 0, reps: entry.reps, lapses: entry.lapses, state: entry.state,
    last_review: entry.last_review === null ? undefined : new Date(entry.last_review),
  };
}

// `entry` (a stored card, or null for a question never rated) after a rating at `now` (ms).
export function rate(entry, rating, now) {
  // A card reviewed "later" than now (a file from a device whose clock ran ahead) is rated as of
  // its last review, so FSRS never sees time run backwards.
  const at = entry && entry.last_review !== null ? Math.max(now, entry.last_review) : now;
  const card = scheduler.next(toCard(entry, new Date(at)), new Date(at), rating).card;
  return {
    due: card.due.getTime(), stability: card.stability, difficulty: card.difficulty, scheduled_days: card.scheduled_days,
    reps: card.reps, lapses: card.lapses, state: card.state, last_review: at,
    log: [...(entry ? entry.log : []), [at, rating]].slice(-LOG_LIMIT),
  };
}

// The two marks are ratings in words, so they and the schedule never disagree:
// 已掌握 (mastered) is an Easy rating: the longest interval FSRS gives, growing with each one.
// 需复习 (review) is an Again rating that is due at once: the reader asked to see the question
// again, so it joins today's review rather than tomorrow's.
export function markedCard(entry, mark, now) {
  const card = rate(entry, mark === "mastered" ? EASY : AGAIN, now);
  return mark === "review" ? { ...card, due: now } : card;
}

// ...and a rating leaves the mark its words say: Again 需复习, Easy 已掌握, Hard and Good none
// (reviewed, neither known for good nor asked back).
export function markAfter(rating) {
  return rating === AGAIN ? "review" : rating === EASY ? "mastered" : null;
}

// The stored cards, plus the card each mark stands for where a question has a mark but no card
// (stores from before the schedule existed, or marks imported from such a file).
export function withMarks(cards, marks) {
  const all = Object.assign(Object.create(null), cards);
  for (const slug of Object.keys(marks)) {
    if (!all[slug]) all[slug] = markedCard(null, marks[slug].mark, marks[slug].at);
  }
  return all;
}

// "Due today" is by the reader's calendar: anything due before their midnight.
export function endOfDay(now) {
  const day = new Date(now);
  day.setHours(23, 59, 59, 999);
  return day.getTime();
}

export const isDue = (card, now) => !!card && card.due <= endOfDay(now);

// Slugs of the cards due today, the most overdue first.
export function dueSlugs(cards, now) {
  return Object.keys(cards).filter((slug) => isDue(cards[slug], now)).sort((a, b) => cards[a].due - cards[b].due || (a < b ? -1 : 1));
}

// "12月4日周五" / "Fri, Dec 4", with the year only when it is not this one.
export function dayText(time, lang, now) {
  const options = { month: "short", day: "numeric", weekday: "short" };
  if (new Date(time).getFullYear() !== new Date(now).getFullYear()) options.year = "numeric";
  return new Intl.DateTimeFormat(lang === "en" ? "en" : "zh-CN", options).format(new Date(time));
}
