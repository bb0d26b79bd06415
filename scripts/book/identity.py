"""Identity step: give every chapter, section and question its stable, hand-written slug.

Slugs come from a registry file next to the book (`<book>.registry.yml`), keyed by the
heading text without its number, so renumbering or reordering the book never changes a
URL. A heading the registry does not know gets a readable fallback slug spelled from its
title (scripts/book/slugs.py) and a warning that names the closest unused key: that is what a
reworded question looks like. `python -m scripts propose --write` turns fallbacks into entries.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scripts.book.model import Book, BookError, Diagnostic, Location, Question
from scripts.book.slugs import readable_slug, unique_slug
from scripts.book.source import read_source
from scripts.book.text import match_key

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KINDS = ("chapters", "sections", "questions")
ABSENT_FIGURES = "absent_figures"
BOOK = "book"  # optional: the book itself, {slug, en, title, formerly}, for a site of several books
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: 10x faster


@dataclass(frozen=True)
class RegistryEntry:
    text: str  # the key as written in the registry
    slug: str
    en: str
    line: int
    formerly: tuple[str, ...] = ()  # slugs this entry was published under before; they redirect here
    short: str = ""  # a chapter's short name, for page titles and link previews


@dataclass(frozen=True)
class BookEntry:
    slug: str  # "" when the registry names none: the book then gets a fallback slug
    en: str
    title: str  # the book's title, for a book without a `# title` heading of its own
    line: int
    formerly: tuple[str, ...] = ()


@dataclass
class Registry:
    path: Path
    entries: dict[str, dict[str, RegistryEntry]] = field(default_factory=lambda: {kind: {} for kind in KINDS})
    # Figures the book links but its author never published, as file names in the image folder:
    # the site leaves them out instead of showing a placeholder or failing the publishing build.
    absent_figures: frozenset[str] = frozenset()
    book: BookEntry | None = None

    def lookup(self, kind: str, title: str) -> RegistryEntry | None:
        return self.entries[kind].get(match_key(title))


def registry_path_for(book_path: Path) -> Path:
    return book_path.with_name(book_path.stem + ".registry.yml")


def _compose(path: Path) -> yaml.Node | None:
    text = read_source(path, "the registry")
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # PyYAML's str() of the error repeats the offending lines with a caret: only its words here.
        problem = ", ".join(part for part in (exc.context, exc.problem) if part)
        raise BookError([Diagnostic(Location(path, mark.line + 1 if mark else 1), f"invalid YAML: {problem}")]) from None
    except yaml.YAMLError as exc:  # a character YAML does not allow, found before any parsing
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else 1
        character = getattr(exc, "character", None)
        what = f"U+{ord(character):04X}" if isinstance(character, str) else (f"U+{character:04X}" if isinstance(character, int) else "a character")
        raise BookError([Diagnostic(Location(path, line), f"invalid YAML: {what} is not allowed in a YAML file; delete it")]) from None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text(node: yaml.Node | None) -> str | None:
    """A scalar's text; None for a list or mapping written where a text belongs."""
    return node.value if isinstance(node, yaml.ScalarNode) else None


def load_registry(path: Path) -> Registry:
    """Load a registry; a missing file is an empty registry (every slug falls back)."""
    registry = Registry(path)
    if not path.exists():
        return registry
    errors: list[Diagnostic] = []

    def error(line: int, message: str) -> None:
        errors.append(Diagnostic(Location(path, line), message))

    root = _compose(path)
    if root is None:
        return registry
    if not isinstance(root, yaml.MappingNode):
        raise BookError([Diagnostic(Location(path, _line(root)), "the registry must be a mapping of chapters, sections and questions")])

    for kind_node, group in root.value:
        kind, line = _text(kind_node), _line(kind_node)
        if kind == ABSENT_FIGURES:
            names = [_text(n) for n in group.value] if isinstance(group, yaml.SequenceNode) else None
            if names is None or not all(isinstance(n, str) and n and ".." not in n.split("/") for n in names):
                error(line, f"'{ABSENT_FIGURES}' must be a list of file names in the image folder, e.g. [pipeline.png]")
                continue
            registry.absent_figures = frozenset(names)
            continue
        if kind == BOOK:
            registry.book = _book_entry(group, line, error)
            continue
        if kind not in KINDS:
            error(line, f"unknown group '{kind if kind is not None else '(a list or mapping)'}' (expected one of: {', '.join((*KINDS, ABSENT_FIGURES, BOOK))})")
            continue
        if not isinstance(group, yaml.MappingNode):
            error(line, f"'{kind}' must map heading texts to {{slug, en}}")
            continue
        slugs_seen: dict[str, int] = {}
        for key_node, value in group.value:
            entry = _entry(kind, key_node, value, error)
            if entry is None:
                continue
            key = match_key(entry.text)
            if key in registry.entries[kind]:
                error(entry.line, f"'{entry.text}' is listed twice (first at line {registry.entries[kind][key].line})")
                continue
            if kind != "sections" and entry.slug in slugs_seen:
                error(entry.line, f"slug '{entry.slug}' is already used at line {slugs_seen[entry.slug]}")
                continue
            slugs_seen[entry.slug] = entry.line
            registry.entries[kind][key] = entry
    if errors:
        raise BookError(errors)
    return registry


def _entry(kind: str, key_node: yaml.Node, value: yaml.Node, error: Callable[[int, str], None]) -> RegistryEntry | None:
    """One `heading text: {slug, en, …}` entry, or None after reporting what is wrong with it."""
    key_line, text = _line(key_node), _text(key_node)
    if text is None:
        error(key_line, f"a key of '{kind}' must be a heading text, not a list or mapping")
        return None
    fields: dict[str, yaml.Node] = {}
    for field_node, field_value in value.value if isinstance(value, yaml.MappingNode) else ():
        name = _text(field_node)
        if name is None:
            error(_line(field_node), f"'{text}': a field name must be a word such as slug or en, not a list or mapping")
            return None
        fields[name] = field_value
    texts = {}
    for name in ("slug", "en", "short"):
        texts[name] = _text(fields[name]) if name in fields else ""
        if texts[name] is None:
            error(_line(fields[name]), f"'{text}': '{name}' must be a text, not a list or mapping")
            return None
    formerly_node = fields.get("formerly")
    formerly = tuple(_text(n) for n in formerly_node.value) if isinstance(formerly_node, yaml.SequenceNode) else ()
    if formerly_node is not None and not (formerly and all(isinstance(f, str) and SLUG.match(f) for f in formerly)):
        error(_line(formerly_node), "'formerly' must be a list of former slugs, e.g. formerly: [old-slug]")
        return None
    if not SLUG.match(texts["slug"]):
        error(key_line, f"'{text}' needs a slug of lowercase ASCII words joined by '-', got '{texts['slug']}'")
        return None
    return RegistryEntry(text, texts["slug"], texts["en"], key_line, formerly, texts["short"])


def _book_entry(node: yaml.Node, line: int, error: Callable[[int, str], None]) -> BookEntry | None:
    """The registry's `book:` mapping, or None after reporting what is wrong with it."""
    fields = {_text(k): v for k, v in node.value} if isinstance(node, yaml.MappingNode) else None
    if fields is None or not all(isinstance(name, str) and name in ("slug", "en", "title", "formerly") for name in fields):
        error(line, "'book' must map slug, en, title or formerly to the book's values, e.g. book: {slug: my-book, en: My book}")
        return None
    texts = {name: _text(fields[name]) if name in fields else "" for name in ("slug", "en", "title")}
    formerly_node = fields.get("formerly")
    formerly = tuple(_text(n) for n in formerly_node.value) if isinstance(formerly_node, yaml.SequenceNode) else ()
    if any(value is None for value in texts.values()):
        error(line, "'book': slug, en and title must be texts, not lists or mappings")
        return None
    if texts["slug"] and not SLUG.match(texts["slug"]) or formerly_node is not None and not (formerly and all(isinstance(f, str) and SLUG.match(f) for f in formerly)):
        error(line, f"'book' needs slugs of lowercase ASCII words joined by '-', got '{texts['slug']}'")
        return None
    return BookEntry(texts["slug"], texts["en"], texts["title"], line, formerly)


def fallback_slug(title: str, kind: str = "questions") -> str:
    """The readable slug a heading gets while the registry lacks it, before any collision suffix."""
    return readable_slug(title, kind)


@dataclass(frozen=True)
class Unregistered:
    """A heading its registry does not name yet, with the slug the site gives it meanwhile."""

    kind: str  # one of KINDS
    title: str
    slug: str
    location: Location
    after: str | None  # match key of the heading of this kind before it in the book, None for the first
    reworded: RegistryEntry | None  # the closest key no heading uses: what a reworded heading looks like


# A question page is <chapter>/<slug>.md, so `index` would overwrite the chapter's own page.
_NOT_A_QUESTION_SLUG = frozenset({"index"})
_FALLBACK_ORDER = {"chapters": 0, "questions": 1, "sections": 2}  # sorted() keeps book order within each


def _headings(book: Book) -> Iterator[tuple[str, str, Location, set[int]]]:
    """(kind, title, location, chapters it is in) of every heading in book order, a section
    title that several chapters share once (the registry names it once)."""
    section_chapters: dict[str, set[int]] = {}
    for number, chapter in enumerate(book.chapters):
        for section in chapter.sections:
            section_chapters.setdefault(match_key(section.title), set()).add(number)
    seen_sections: set[str] = set()
    seen_questions: set[str] = set()
    for number, chapter in enumerate(book.chapters):
        yield "chapters", chapter.title, chapter.location, {number}
        for section in chapter.sections:
            if match_key(section.title) not in seen_sections:
                seen_sections.add(match_key(section.title))
                yield "sections", section.title, section.location, section_chapters[match_key(section.title)]
        for question in chapter.questions:
            if match_key(question.title) not in seen_questions:  # asked twice: one registry key
                seen_questions.add(match_key(question.title))
                yield "questions", question.title, question.location, {number}


def _closest_unused(registry: Registry, kind: str, title: str, used: set[str]) -> RegistryEntry | None:
    unused = {key: entry for key, entry in registry.entries[kind].items() if key not in used}
    close = difflib.get_close_matches(match_key(title), list(unused), n=1, cutoff=0.6)
    return unused[close[0]] if close else None


def _fallback_slugs(book: Book, registry: Registry, taken_chapters: Collection[str]) -> dict[tuple[str, str], str]:
    """{(kind, match key): slug} for every heading the registry lacks.

    Readable, and unique where a URL or a translation file needs it: chapters across the site
    (they are top-level folders), questions across the book (translated answers are named after
    them), sections within their chapter. Registry slugs come first; a fallback that meets one,
    or an earlier fallback, gets a short hash of its title. Questions go before sections, so a
    section yields to a question of its chapter."""
    registered = {kind: {e.slug for e in registry.entries[kind].values()} for kind in KINDS}
    chapters_taken = set(taken_chapters) | registered["chapters"]
    questions_taken = registered["questions"] | _NOT_A_QUESTION_SLUG
    # Per chapter, the registered slugs of its sections and questions: a URL folder each.
    in_chapter = [{entry.slug for entry in (*(registry.lookup("sections", s.title) for s in chapter.sections),
                                            *(registry.lookup("questions", q.title) for q in chapter.questions)) if entry}
                  for chapter in book.chapters]
    slugs: dict[tuple[str, str], str] = {}
    missing = [heading for heading in _headings(book) if registry.lookup(heading[0], heading[1]) is None]
    for kind, title, _, chapters in sorted(missing, key=lambda heading: _FALLBACK_ORDER[heading[0]]):
        base = readable_slug(title, kind)
        if kind == "chapters":
            slug = unique_slug(base, title, chapters_taken)
            chapters_taken.add(slug)
        elif kind == "questions":
            (number,) = chapters
            slug = unique_slug(base, title, questions_taken | in_chapter[number])
            questions_taken.add(slug)
            in_chapter[number].add(slug)
        else:
            slug = unique_slug(base, title, set().union(*(in_chapter[number] for number in chapters)))
            for number in chapters:
                in_chapter[number].add(slug)
        slugs[(kind, match_key(title))] = slug
    return slugs


def unregistered(book: Book, registry: Registry) -> list[Unregistered]:
    """Every heading of a slugged book its registry lacks, in book order, with the slug it has."""
    used = {kind: set() for kind in KINDS}
    for kind, title, _, _ in _headings(book):
        if registry.lookup(kind, title) is not None:
            used[kind].add(match_key(title))
    slugs: dict[tuple[str, str], str] = {}
    for kind, heads in (("chapters", book.chapters), ("sections", [s for c in book.chapters for s in c.sections]),
                        ("questions", book.questions)):
        for head in heads:  # the first of a question asked twice: its slug is the registry's
            slugs.setdefault((kind, match_key(head.title)), head.slug)
    found, previous = [], dict.fromkeys(KINDS)
    for kind, title, location, _ in _headings(book):
        if registry.lookup(kind, title) is None:
            found.append(Unregistered(kind, title, slugs[(kind, match_key(title))], location, previous[kind],
                                      _closest_unused(registry, kind, title, used[kind])))
        previous[kind] = match_key(title)
    return found


def assign_slugs(book: Book, registry: Registry, diagnostics: list[Diagnostic], taken_chapters: Collection[str] = frozenset()) -> None:
    """Give every heading its registry slug, or a readable fallback with a warning.

    `taken_chapters`: slugs no chapter of this book may fall back to (the site's own folders,
    other books' chapters)."""
    fallbacks = _fallback_slugs(book, registry, taken_chapters)

    def slug_of(kind: str, title: str) -> tuple[str, RegistryEntry | None]:
        entry = registry.lookup(kind, title)
        return (entry.slug if entry else fallbacks[(kind, match_key(title))]), entry

    asked_before: dict[str, list[Question]] = {}  # questions by title key, in book order
    for chapter in book.chapters:
        chapter.slug, entry = slug_of("chapters", chapter.title)
        chapter.former_slugs = entry.formerly if entry else ()
        chapter.short = entry.short if entry and entry.short else chapter.title
        chapter.title_en = entry.en if entry else ""
        for section in chapter.sections:
            section.slug, entry = slug_of("sections", section.title)
            section.former_slugs = entry.formerly if entry else ()
            section.title_en = entry.en if entry else ""
        for question in chapter.questions:
            asked = asked_before.setdefault(match_key(question.title), [])
            asked.append(question)
            if len(asked) > 1:  # the same question with another answer (check kept both): "<slug>-2", …
                question.slug = _next_free(asked[0].slug, len(asked), book)
                question.former_slugs, question.title_en = (), asked[0].title_en
                continue
            question.slug, entry = slug_of("questions", question.title)
            question.former_slugs = entry.formerly if entry else ()
            question.title_en = entry.en if entry else ""
    name = registry.path.name
    for heading in unregistered(book, registry):
        message = f"'{heading.title}' has no slug in {name}; using '{heading.slug}'"
        if heading.reworded is not None:
            entry = heading.reworded
            message += f". Did you mean '{entry.text}' ({name}:{entry.line}, slug '{entry.slug}')? If the question was reworded, update that key"
        else:
            message += " (make propose adds it)"
        diagnostics.append(Diagnostic(heading.location, message, "warning"))
    _check_collisions(book, diagnostics)


def _next_free(slug: str, occurrence: int, book: Book) -> str:
    taken = {q.slug for q in book.questions if q.slug}
    while f"{slug}-{occurrence}" in taken:
        occurrence += 1
    return f"{slug}-{occurrence}"


def _check_collisions(book: Book, diagnostics: list[Diagnostic]) -> None:
    for chapter in book.chapters:
        question_slugs = {q.slug: q.location for q in chapter.questions}
        section_slugs: dict[str, Location] = {}
        for section in chapter.sections:
            clash = section_slugs.get(section.slug) or question_slugs.get(section.slug)
            if clash is not None:
                diagnostics.append(Diagnostic(section.location, f"section slug '{section.slug}' is also used at line {clash.line}"))
            section_slugs.setdefault(section.slug, section.location)
    first_question: dict[str, Location] = {}
    for question in book.questions:
        if question.slug in first_question:
            diagnostics.append(Diagnostic(question.location, f"question slug '{question.slug}' is also used at line {first_question[question.slug].line}"))
        first_question.setdefault(question.slug, question.location)


def check_chapter_slugs(books: list[Book], diagnostics: list[Diagnostic], reserved: frozenset[str] = frozenset()) -> None:
    """Chapter slugs are top-level URL folders, so they must be unique across every book."""
    seen: dict[str, Location] = {}
    for book in books:
        for chapter in book.chapters:
            if chapter.slug in reserved:
                diagnostics.append(Diagnostic(chapter.location, f"chapter slug '{chapter.slug}' is reserved for the site itself; pick another"))
            elif chapter.slug in seen:
                diagnostics.append(Diagnostic(chapter.location, f"chapter slug '{chapter.slug}' is already used by {seen[chapter.slug]}"))
            seen.setdefault(chapter.slug, chapter.location)
