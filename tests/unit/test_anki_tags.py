"""lib/anki-tags.js, run by Node on decks the Python writer made: practice marks and due cards
become tags on the right notes, and the file still reads as Anki reads it."""

from __future__ import annotations

import pytest

from scripts.export.anki import AnkiNote, deck_text, note_guid

from ..anki_deck import parse_deck
from ..site.test_js_parity import NODE, run_js

pytestmark = pytest.mark.skipif(not NODE, reason="needs Node")

TAG = """
const tags = lib.practiceTags(data.marks, data.due);
return lib.withPracticeTags(data.deck, data.prefix, tags);
"""


def _deck(book: str, language: str) -> str:
    hostile = '<p title="a &quot;b&quot;">x</p>'  # a back that is a quoted CSV field
    notes = [AnkiNote(note_guid(book, slug, language, "zh"), f"Q {slug}", hostile, 'Book "q"::Chapter', ("Chapter::Section", "math"))
             for slug in ("vae", "lora", "unet", "clip")]
    return deck_text(notes)


def _tags(text: str) -> dict[str, list[str]]:
    deck = parse_deck(text)
    return {deck.field(row, "guid"): deck.field(row, "tags").split(" ") for row in deck.rows}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_marks_and_due_cards_become_tags_of_their_notes(language: str):
    deck = _deck("aigc-interview-book", language)
    marks = {"vae": {"mark": "mastered", "at": 1}, "lora": {"mark": "review", "at": 2}, "not-in-deck": {"mark": "review", "at": 3}}
    out = run_js("anki-tags.js", TAG, {"deck": deck, "prefix": "", "marks": marks, "due": ["lora", "unet"]})
    assert out["tagged"] == 3
    tags = _tags(out["text"])
    at = "" if language == "zh" else "@en"
    assert tags[f"aigc-interview-book/vae{at}"] == ["Chapter::Section", "math", "mastered"]
    assert tags[f"aigc-interview-book/lora{at}"] == ["Chapter::Section", "math", "review", "due"]
    assert tags[f"aigc-interview-book/unet{at}"] == ["Chapter::Section", "math", "due"]
    assert tags[f"aigc-interview-book/clip{at}"] == ["Chapter::Section", "math"]
    plain = parse_deck(deck)
    tagged = parse_deck(out["text"])
    assert tagged.headers == plain.headers
    assert [{k: v for k, v in row.items() if k != "tags"} for row in tagged.rows] == [
        {k: v for k, v in row.items() if k != "tags"} for row in plain.rows]


def test_on_a_site_of_several_books_only_this_books_keys_count():
    deck = _deck("beta", "zh")
    marks = {"alpha/vae": {"mark": "mastered", "at": 1}, "beta/lora": {"mark": "review", "at": 1}}
    out = run_js("anki-tags.js", TAG, {"deck": deck, "prefix": "beta/", "marks": marks, "due": ["alpha/unet", "beta/unet"]})
    tags = _tags(out["text"])
    assert out["tagged"] == 2
    assert tags["beta/lora"][-1] == "review" and tags["beta/unet"][-1] == "due"
    assert tags["beta/vae"] == tags["beta/clip"] == ["Chapter::Section", "math"]


def test_a_file_that_is_not_our_deck_comes_back_untouched():
    program = "return ['not a deck\\n', '#separator:comma\\n#guid column:1\\n#tags column:2\\na/b,x\\n']" \
              ".map((text) => lib.withPracticeTags(text, '', lib.practiceTags({'b': {mark: 'review', at: 1}}, [])));"
    assert run_js("anki-tags.js", program, None) == [{"text": "not a deck\n", "tagged": None},
                                                     {"text": "#separator:comma\n#guid column:1\n#tags column:2\na/b,x\n", "tagged": None}]


def test_the_browser_reads_the_slug_from_every_guid_the_writer_makes():
    guids = [note_guid("book", "what-is-vae", "zh", "zh"), note_guid("book", "what-is-vae", "en", "zh"), note_guid("b2", "x1", "en", "zh")]
    assert run_js("anki-tags.js", "return data.map(lib.guidSlug);", guids + ["vae", "a/b/c", "A/b"]) == ["what-is-vae", "what-is-vae", "x1", None, None, None]


def test_the_tagged_file_sits_beside_the_plain_deck():
    program = "return [lib.taggedFileName('../downloads/book.en.anki.txt', '2026-12-02'), lib.taggedFileName('x.txt', 'd')];"
    assert run_js("anki-tags.js", program, None) == ["book.en.practice-2026-12-02.anki.txt", "x.txt.practice-d.txt"]
