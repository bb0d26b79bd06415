"""A book as an Anki deck: one note per answered question, in Anki's text-import format.

The format is Anki's own (2.1.54+): UTF-8, one note per line, fields separated by tabs, with
header lines that tell the importer everything, so a reader only picks the file. Fields follow
CSV quoting (a field holding `"` is quoted, its quotes doubled); a line starting with `#` is a
comment to Anki's reader, which is why the guid, never starting with `#`, comes first.

`answer_html` turns a question page's body, as the site shows it after sanitizing and before
build-time KaTeX, into a note's back: math stays as arithmatex wrote it, `\\(…\\)` and `\\[…\\]`,
which Anki renders itself; links and figures point at the published site, since a note
has no page around it; what only makes sense on the site goes. `deck_text` writes the notes.
Nothing here knows MkDocs: the build glue (scripts/glue/site_build.py) hands in the HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from scripts.book.model import Book, Question
from scripts.emit.pages import Language, book_title, chapter_heading, question_title, section_heading
from scripts.emit.urls import question_key
from scripts.export import MissingAnswer

# The columns, in order. guid, deck and tags are the importer's own, named by the header lines
# below; the others fill the notetype's fields in order. There is deliberately no `#columns:`
# line: Anki maps named columns to fields by name, and a collection names its stock notetype and
# fields in the reader's language (问答题 with 正面 and 背面 in a Chinese Anki), where a "Front"
# column finds no field and the front would get the guid. Unnamed, the note's first field takes
# the first column that is not the importer's, in any language; `#notetype:Basic` picks Basic
# where it has that name, else the notetype the reader last used.
COLUMNS = ("guid", "front", "back", "deck", "tags")
GUID_COLUMN, DECK_COLUMN, TAGS_COLUMN = (COLUMNS.index(name) + 1 for name in ("guid", "deck", "tags"))
HEADER = (
    "#separator:tab",
    "#html:true",
    "#notetype:Basic",
    f"#guid column:{GUID_COLUMN}",
    f"#deck column:{DECK_COLUMN}",
    f"#tags column:{TAGS_COLUMN}",
    "#if matches:update current",  # a re-import updates the notes it made (Anki 23.10+; older ones ask)
)
MATH_TAG = "math"  # answers with a formula, which Anki shows with its own MathJax
FIGURE_TAG = "figure"  # answers with a figure, fetched from the site when the card shows

# What the site shows around an answer that a card has no use for: the title (the card's
# front), permalinks, the site's notices (answer in the book's language, may be outdated), and
# the 相关题目 list, which names other pages of the site.
_DROPPED = ("a.headerlink", ".qa-notice", ".qa-related")
_URL_ATTRIBUTES = (("a", "href"), ("img", "src"), ("img", "longdesc"), ("blockquote", "cite"), ("q", "cite"),
                   ("del", "cite"), ("ins", "cite"))
_PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)


@dataclass(frozen=True)
class AnkiNote:
    guid: str
    front: str  # the question's title, plain text
    back: str  # the answer's HTML, from answer_html
    deck: str  # "Book::Chapter"
    tags: tuple[str, ...]


def note_guid(book: str, question: str, language: str, book_language: str) -> str:
    """`<book slug>/<question slug>`, and `@<language>` after it for any language but the book's.

    The book's slug is always in it, on a site of one book too: slugs are unique only within a
    book, and a book keeps its notes when the site around it gains a second one (the practice
    key, scripts/emit/urls.py question_key, gains the folder only then). The language is in it
    because Anki updates whichever note has the guid: a reader who imports both decks would
    otherwise see each import overwrite the other's notes, and lose one language. Slugs come
    from the registry and survive renumbering and moves, so a re-import updates each note."""
    guid = f"{book}/{question}"
    return guid if language == book_language else f"{guid}@{language}"


def anki_tag(text: str) -> str:
    """A title as one Anki tag: Anki splits tags at whitespace and nests them at `::`, so
    whitespace becomes `_` and a title's own `::` stays one level; quotes go, so the tags field
    is never a quoted CSV field (practice mode's export appends to it, lib/anki-tags.js)."""
    return re.sub(r":{2,}", ":", re.sub(r"[\s\"]+", "_", text.strip())).strip("_") or "_"


def deck_name(*parts: str) -> str:
    """Anki's nested deck name, `A::B`; a title's own `::` does not add a level."""
    return "::".join(re.sub(r":{2,}", ":", " ".join(part.split())) for part in parts)


def answer_html(content: str, page_url: str) -> str:
    """A question page's body (sanitized, before KaTeX) as a note's back: links and figures by
    absolute URL (relative ones resolved against `page_url`, the page's absolute URL), the title,
    permalinks, notices and related-questions list removed, on one line."""
    tree = LexborHTMLParser(content)
    title = tree.body.child
    while title is not None and title.tag == "-text":  # the page's own <h1> comes first; an answer's headings stay
        title = title.next
    if title is not None and title.tag == "h1":
        title.decompose()
    for selector in _DROPPED:
        for node in tree.css(selector):
            node.decompose()
    for node in tree.css("a.glightbox"):  # the site's zoom; Anki shows the figure itself
        node.unwrap()
    for tag, attribute in _URL_ATTRIBUTES:
        for node in tree.css(f"{tag}[{attribute}]"):
            node.attrs[attribute] = urljoin(page_url, node.attributes[attribute] or "")
    return one_line(tree.body.inner_html.strip())


def one_line(markup: str) -> str:
    """HTML without a tab, newline or carriage return, looking the same: line breaks in <pre>
    become <br>, a tab `&#9;`; elsewhere a newline is a space to HTML anyway."""
    def pre(match: re.Match) -> str:
        return re.sub(r"\n(?=</code>)", "", match.group().replace("\r\n", "\n")).replace("\r", "\n").replace("\n", "<br>")

    return _PRE.sub(pre, markup).replace("\t", "&#9;").replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def _field(text: str) -> str:
    if any(c in text for c in "\t\n\r"):
        raise ValueError(f"an Anki field cannot hold a tab or line break: {text[:80]!r}")
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if '"' in text else text


def _row(note: AnkiNote) -> str:
    front = html.escape(" ".join(note.front.split()), quote=False)  # the title is text, not markup
    return "\t".join(map(_field, (note.guid, front, note.back, note.deck, " ".join(note.tags))))


def deck_text(notes: Iterable[AnkiNote]) -> str:
    """The file Anki imports: the header lines, then one line per note."""
    notes = list(notes)
    guids = [note.guid for note in notes]
    if len(set(guids)) != len(guids):
        raise ValueError(f"two notes share a guid: {sorted({g for g in guids if guids.count(g) > 1})}")
    return "\n".join([*HEADER, *map(_row, notes)]) + "\n"


def question_tags(question: Question, language: Language, back: str) -> tuple[str, ...]:
    """Its chapter, and section under it (`Chapter::Section`), plus what the answer holds."""
    place = anki_tag(chapter_heading(question.chapter, language))
    if question.section is not None:
        place += "::" + anki_tag(section_heading(question.section, language))
    tags = [place]
    if 'class="arithmatex"' in back:
        tags.append(MATH_TAG)
    if "<img" in back:
        tags.append(FIGURE_TAG)
    return tuple(tags)


def book_notes(book: Book, language: Language, book_language: str, answers: Mapping[str, tuple[str, str]],
               site_url: str) -> list[AnkiNote]:
    """The notes of `book`'s answered questions in `language`, in book order. `answers` holds
    each question's page body and site path (`sd15/x/`, `en/sd15/x/`), by its question key
    (scripts/emit/urls.py); a question answered in the book but missing there is an error
    (MissingAnswer), never a silently lost note."""
    notes = []
    for question in book.questions:
        if not question.answered:
            continue
        if question_key(question) not in answers:
            raise MissingAnswer(f"{question.location}: no page body collected for '{question.slug}' in '{language.code}'")
        content, path = answers[question_key(question)]
        back = answer_html(content, urljoin(site_url, path))
        notes.append(AnkiNote(
            guid=note_guid(book.slug, question.slug, language.code, book_language),
            front=question_title(question, language),
            back=back,
            deck=deck_name(book_title(book, language), chapter_heading(question.chapter, language)),
            tags=question_tags(question, language, back),
        ))
    return notes
