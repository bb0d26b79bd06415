"""Related questions: for every question, the 3–5 others a reader would study next.

Computed once per build from what the questions share: the words of their titles (the book's,
and the registry's English one) and of their answers, cut as the site search cuts them
(scripts/emit/words.py), plus the concepts of the search's synonym list (CFG = classifier-free
guidance = 无分类器引导), so a question and its answer meet under whichever name each uses.

- Title words weigh more than answer words; Latin terms (SDXL, VAE, LoRA) and concepts more
  than other words; every feature is weighted by its IDF, so what most questions mention
  (模型, Stable Diffusion in this book) decides nothing.
- Similarity is the cosine of title and answer vectors, title against title first, so a
  question without an answer is matched by its title alone (against the others' titles and answers).
- Deterministic: equal scores are broken by distance in book order, then by book order.
- A site of fewer than FEWEST + 1 questions links each page to all the others (0–2 links).

Plain data in, plain data out: indices into the list of documents given, no MkDocs.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from scripts.book.model import Question
from scripts.emit.urls import question_path, url_between

MOST = 5
FEWEST = 3
TITLE_WEIGHT = 3.0
ENGLISH_TITLE_WEIGHT = 1.5
ANSWER_WEIGHT = 1.0
STRONG = 2.0  # Latin terms and concepts
KEEP_RATIO = 0.5  # a 4th or 5th link only while its score is at least this share of the best one
# Weights of the three cosines that make a score: title–title, title–answer (both ways), answer–answer.
TITLE_TITLE, TITLE_ANSWER, ANSWER_ANSWER = 1.0, 0.5, 0.5

# Words of the English titles that say nothing about the subject.
_ENGLISH_STOPWORDS = frozenset(
    "a an and are as at be by can could do does for from how in into is it its of on or over the their "
    "there this to use used uses using vs what when where which while who why with would you your each "
    "every behind step".split())
_LATIN = re.compile(r"[a-z][a-z0-9+.\-]*[a-z0-9+]|[a-z]{2,}")  # a word with two letters or more
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ENGLISH_WORD = re.compile(r"[a-z][a-z0-9+]*(?:[.\-][a-z0-9+]+)*")

Segment = Callable[[list[str]], list[list[str]]]
# The search's synonym groups (checked when the search index is built, search_index.load_synonyms).
SYNONYMS = Path(__file__).resolve().parents[1] / "search" / "synonyms.yml"


def load_concept_groups(path: Path = SYNONYMS) -> list[list[str]]:
    groups = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [[str(word) for word in group] for group in groups if isinstance(group, list)]


@dataclass(frozen=True)
class Document:
    """What relatedness reads of a question."""

    title: str  # in the book's language
    title_en: str = ""  # the registry's, "" when it has none
    answer: str = ""  # plain text of the answer, "" when unanswered


def concept_key(text: str) -> str:
    """How the search compares synonyms (search_index.synonym_key): NFKC, case, and spaces,
    hyphens and underscores alike."""
    return re.sub(r"[\s\-_]+", " ", unicodedata.normalize("NFKC", text).lower()).strip()


class Concepts:
    """Finds the synonym groups' words in a text, longest first, Latin words only as whole words."""

    def __init__(self, groups: Sequence[Sequence[str]]):
        self.group_of: dict[str, int] = {}
        for number, group in enumerate(groups):
            for word in group:
                self.group_of.setdefault(concept_key(word), number)
        alternatives = []
        for word in sorted(self.group_of, key=lambda w: (-len(w), w)):
            pattern = re.escape(word).replace(r"\ ", r"[ ]?")
            if word[0].isascii() and word[0].isalnum():
                pattern = r"(?<![a-z0-9])" + pattern
            if word[-1].isascii() and word[-1].isalnum():
                pattern += r"(?![a-z0-9])"
            alternatives.append(pattern)
        self._pattern = re.compile("|".join(alternatives)) if alternatives else None
        # "[ ]?" lets "noise scheduler" match "noisescheduler": both name one group.
        self._squeezed = {word.replace(" ", ""): group for word, group in self.group_of.items()}

    def find(self, text: str) -> list[int]:
        """The group of every mention in `text`, in order."""
        if self._pattern is None:
            return []
        return [self._squeezed[match.group().replace(" ", "")] for match in self._pattern.finditer(concept_key(text))]


def _is_strong(word: str) -> bool:
    return bool(_LATIN.fullmatch(word))


def _useful(word: str, in_title: bool) -> bool:
    if _HAN.search(word):
        return True
    if _is_strong(word):
        return True
    return in_title and word.isdigit()  # "3" of Stable Diffusion 3 tells SD3 from SDXL; in answers, numbers are noise


def _features(words: list[str], concepts: list[int], *, in_title: bool) -> Counter:
    counts: Counter = Counter()
    for word in words:
        if _useful(word, in_title):
            counts[word] += STRONG if _is_strong(word) else 1.0
    for group in concepts:
        counts[f"#concept:{group}"] += STRONG
    return counts


def _english_features(title: str, concepts: list[int]) -> Counter:
    counts: Counter = Counter()
    for word in _ENGLISH_WORD.findall(unicodedata.normalize("NFKC", title).lower()):
        if word in _ENGLISH_STOPWORDS or len(word) < 2:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]  # models / model, encoders / encoder
        counts[word] += STRONG
    for group in concepts:
        counts[f"#concept:{group}"] += STRONG
    return counts


def _weighted(counts: Counter, weight: float, idf: dict[str, float]) -> dict[str, float]:
    return {feature: weight * (1 + math.log(count)) * idf[feature] for feature, count in counts.items() if count > 0 and idf[feature] > 0}


def _add(*vectors: dict[str, float]) -> dict[str, float]:
    total: dict[str, float] = {}
    for vector in vectors:
        for feature, value in vector.items():
            total[feature] = total.get(feature, 0.0) + value
    return total


def _normalised(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {f: v / norm for f, v in vector.items()} if norm else {}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    # In a's insertion order, not a set's: float sums in one order, the same every run.
    return sum(value * b[feature] for feature, value in a.items() if feature in b)


@dataclass(frozen=True)
class Relatedness:
    """`related[i]`: the documents related to document i, best first; `scores[i][j]` their scores."""

    related: list[list[int]]
    scores: list[list[float]]


def relate(documents: Sequence[Document], segment: Segment, synonyms: Sequence[Sequence[str]] = (),
           *, most: int = MOST, fewest: int = FEWEST) -> Relatedness:
    """The related documents of each document, `fewest` to `most` of them (all the others when
    there are fewer)."""
    concepts = Concepts(synonyms)
    count = len(documents)
    texts = [d.title for d in documents] + [d.answer for d in documents]
    words = segment(texts)
    titles, answers = words[:count], words[count:]
    title_counts, answer_counts = [], []
    for number, document in enumerate(documents):
        title_counts.append(_add(_features(titles[number], concepts.find(document.title), in_title=True),
                                 {f: ENGLISH_TITLE_WEIGHT / TITLE_WEIGHT * v for f, v in
                                  _english_features(document.title_en, concepts.find(document.title_en)).items()}))
        answer_counts.append(_features(answers[number], concepts.find(document.answer), in_title=False))
    frequency: Counter = Counter()
    for title, answer in zip(title_counts, answer_counts, strict=True):
        frequency.update(set(title) | set(answer))
    idf = {feature: math.log((count + 1) / (df + 0.5)) for feature, df in frequency.items()}
    title_vectors = [_normalised(_weighted(Counter(c), TITLE_WEIGHT, idf)) for c in title_counts]
    answer_vectors = [_normalised(_weighted(c, ANSWER_WEIGHT, idf)) for c in answer_counts]

    scores = [[0.0] * count for _ in range(count)]
    for a in range(count):
        for b in range(a + 1, count):
            score = (TITLE_TITLE * _cosine(title_vectors[a], title_vectors[b])
                     + TITLE_ANSWER * (_cosine(title_vectors[a], answer_vectors[b]) + _cosine(answer_vectors[a], title_vectors[b]))
                     + ANSWER_ANSWER * _cosine(answer_vectors[a], answer_vectors[b]))
            scores[a][b] = scores[b][a] = round(score, 9)  # rounded: the order never hangs on float noise
    related = [_choose(a, scores[a], most, fewest) for a in range(count)]
    return Relatedness(related, scores)


def _choose(me: int, scores: list[float], most: int, fewest: int) -> list[int]:
    others = sorted((b for b in range(len(scores)) if b != me), key=lambda b: (-scores[b], abs(b - me), b))
    chosen = others[:fewest]
    best = scores[chosen[0]] if chosen else 0.0
    for b in others[fewest:most]:
        if scores[b] <= 0 or scores[b] < KEEP_RATIO * best:
            break
        chosen.append(b)
    return chosen


# ---------- the answer as text to compare ----------

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.S | re.M)
_DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)[^$\n]+?(?<!\s)\$")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
_TAG = re.compile(r"<[^>\n]+>")


def answer_text(markdown: str) -> str:
    """What an answer says in words: no code, formulas, URLs or markup (image alt texts stay)."""
    text = _FENCE.sub(" ", markdown)
    text = _DISPLAY_MATH.sub(" ", text)
    text = _INLINE_MATH.sub(" ", text)
    text = _INLINE_CODE.sub(" ", text)
    text = _IMAGE.sub(r" \1 ", text)
    text = _LINK.sub(r" \1 ", text)
    text = _URL.sub(" ", text)
    return _TAG.sub(" ", text)


# ---------- first mentions: which terms name a question's subject ----------

# A Latin term in parentheses in a title, and the acronym just before it:
# "长宽比分桶训练策略（Aspect Ratio Bucketing）", "CFG(Classifier-Free-Guidance)". Lists in
# parentheses ("（DDPM、DDIM、DPM++等）") are examples, not a subject, and do not match.
_PARENTHESISED = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Z0-9]{1,5})?\s*[（(]\s*([A-Za-z][A-Za-z0-9 +.\-]*[A-Za-z0-9+])\s*[)）]")
SHORTEST_TERM = 3  # letters; an acronym before the parenthesis may have 2


@dataclass(frozen=True)
class Mention:
    """Terms that name one question's subject, and the link to it from the page being rendered."""

    terms: tuple[str, ...]
    href: str


def subject_terms(title: str, synonyms: Sequence[Sequence[str]] = ()) -> tuple[str, ...]:
    """The terms a title names as its subject, with their synonyms from the search's groups."""
    terms: list[str] = []
    for acronym, term in _PARENTHESISED.findall(title):
        if sum(c.isalpha() for c in term) >= SHORTEST_TERM:
            terms.append(term)
            if acronym:
                terms.append(acronym)
    groups = {concept_key(word): group for group in synonyms for word in group}
    for term in list(terms):
        terms += groups.get(concept_key(term), [])
    unique: dict[str, str] = {}
    for term in terms:
        unique.setdefault(concept_key(term), term)
    return tuple(unique.values())


def mention_plan(questions: Sequence[Question], synonyms: Sequence[Sequence[str]] = ()) -> dict[int, list[Mention]]:
    """{id(question): the Mentions its page may link}: each subject term leads to the first
    question (in book order) naming it, never from a page that names it itself."""
    subjects: dict[str, Question] = {}
    terms_of: dict[int, tuple[str, ...]] = {}
    for question in questions:
        terms_of[id(question)] = subject_terms(question.title, synonyms)
        if terms_of[id(question)]:
            subjects.setdefault(concept_key(terms_of[id(question)][0]), question)
    plan: dict[int, list[Mention]] = {}
    for question in questions:
        mine = {concept_key(t) for t in terms_of[id(question)]}
        here = question_path(question)
        plan[id(question)] = [Mention(terms_of[id(target)], url_between(here, question_path(target)))
                              for target in subjects.values()
                              if target is not question and mine.isdisjoint(concept_key(t) for t in terms_of[id(target)])]
    return plan
