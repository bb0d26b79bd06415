"""The Anki deck writer and its HTML normaliser (scripts/export/anki.py), without MkDocs."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.book.model import Book, Chapter, Location, Question, Section
from scripts.emit.pages import Language
from scripts.export import MissingAnswer
from scripts.export.anki import AnkiNote, anki_tag, answer_html, book_notes, deck_name, deck_text, note_guid, one_line
from scripts.render.sanitize import sanitize
from scripts.strings import load_strings

from ..anki_deck import BASIC, BASIC_ZH, parse_deck

SITE = "https://example.org/book/"
PAGE = SITE + "sd15/what-is-vae/"
ZH = Language.from_strings("zh", "zh", load_strings("zh"))
EN = Language.from_strings("en", "zh", load_strings("en"))

# A question page's body as on_page_content sees it: sanitized, math still arithmatex's TeX.
BODY = (
    '<h1 id="vae">什么是VAE？<a class="headerlink" href="#vae" title="Permanent link">¶</a></h1>\n'
    '<div class="admonition note qa-notice"><p class="admonition-title">原文</p><p>本题答案是中文。</p></div>\n'
    '<p>编码 <span class="arithmatex">\\(z = \\mu + \\sigma \\odot \\epsilon\\)</span>，见'
    '<a class="qa-crosslink" href="../../sdxl/refiner/">精炼器</a>与<a href="#loss">损失</a>。</p>\n'
    '<div class="arithmatex">\\[\n\\mathcal{L} = a &amp; b &lt; c\n\\]</div>\n'
    '<p><a class="glightbox" href="../imgs/vae.png" data-type="image"><img alt="VAE" src="../imgs/vae.png"></a></p>\n'
    '<div class="highlight"><pre><span></span><code>def f():\n\treturn 1\n</code></pre></div>\n'
    '<h2 id="loss">损失<a class="headerlink" href="#loss" title="Permanent link">¶</a></h2>\n'
    '<div class="qa-related">\n<h2 id="相关题目">相关题目</h2>\n<ul><li><a href="../x/">X</a></li></ul>\n</div>\n'
)


def test_the_back_keeps_the_answer_and_drops_what_only_the_site_needs():
    back = answer_html(BODY, PAGE)
    assert "什么是VAE" not in back, "the title is the card's front"
    assert "¶" not in back and "headerlink" not in back
    assert "qa-notice" not in back and "本题答案是中文" not in back
    assert "相关题目" not in back and "qa-related" not in back
    assert "glightbox" not in back and "data-type" not in back
    assert "<h2" in back and "损失" in back and "编码" in back
    assert answer_html(BODY + "<h1>答案里的标题</h1>", PAGE).endswith("<h1>答案里的标题</h1>")  # only the page's title goes


def test_math_stays_tex_in_ankis_delimiters_not_katex_html():
    back = answer_html(BODY, PAGE)
    assert '<span class="arithmatex">\\(z = \\mu + \\sigma \\odot \\epsilon\\)</span>' in back
    assert '<div class="arithmatex">\\[ \\mathcal{L} = a &amp; b &lt; c \\]</div>' in back
    assert "katex" not in back


def test_links_and_figures_point_at_the_published_site():
    back = answer_html(BODY, PAGE)
    assert 'src="https://example.org/book/sd15/imgs/vae.png"' in back
    assert 'href="https://example.org/book/sdxl/refiner/"' in back  # a cross-link to another question
    assert 'href="https://example.org/book/sd15/what-is-vae/#loss"' in back
    assert 'src="../' not in back and 'href="../' not in back and 'href="#' not in back


def test_code_keeps_its_lines_and_tabs_but_no_field_holds_a_raw_break():
    back = answer_html(BODY, PAGE)
    assert "\n" not in back and "\t" not in back and "\r" not in back
    assert "<code>def f():<br>&#9;return 1</code>" in back
    assert one_line("<p>a\r\nb</p><pre>x\r\ny\n</pre>") == "<p>a b</p><pre>x<br>y<br></pre>"


def test_guids_keep_books_and_languages_apart():
    assert note_guid("book", "vae", "zh", "zh") == "book/vae"
    assert note_guid("book", "vae", "en", "zh") == "book/vae@en"
    assert note_guid("other", "vae", "zh", "zh") != note_guid("book", "vae", "zh", "zh")
    with pytest.raises(ValueError, match="share a guid"):
        deck_text([AnkiNote("a/b", "x", "y", "d", ()), AnkiNote("a/b", "z", "w", "d", ())])


def test_tags_and_deck_names_have_no_spaces_and_nest_only_where_we_say():
    assert anki_tag(" 第一章  Diffusion\tModel ") == "第一章_Diffusion_Model"
    assert anki_tag('a::b "c"') == "a:b_c"
    assert deck_name("AIGC 题库", "第一章 A::B") == "AIGC 题库::第一章 A:B"


def _book() -> Book:
    here = Location(Path("book.md"), 1)
    hostile = 'Tab\there\nnew line "quoted" <script>alert(1)</script> &amp;'
    chapter = Chapter(title="基础 知识", prefix="第一章", location=here, slug="basics", title_en="Basics", number=1)
    section = Section(title="概念", marker="【一】", location=here, slug="concepts", title_en="Concepts")
    questions = [
        Question(title="什么是VAE？", number=1, anchor="1", answer="答案", location=here, answer_line=2, slug="vae", title_en="What is a VAE?"),
        Question(title=hostile, number=2, anchor="2", answer="答案", location=here, answer_line=3, slug="hostile"),
        Question(title="未回答", number=3, anchor="3", answer="  \n", location=here, answer_line=4, slug="open"),
    ]
    for question in questions:
        question.chapter, question.section = chapter, section
    section.questions = questions[:2]
    chapter.sections, chapter.questions = [section], questions
    book = Book(path=Path("book.md"), title="AIGC 题库", chapters=[chapter], toc=[], has_toc=False, slug="aigc", title_en="AIGC Questions")
    return book


HOSTILE_BODY = sanitize(
    '<h1 id="h">x</h1><p title="a&#9;b">tab\there</p>\n<script>window.__pwned=1</script>'
    '<p onclick="x()">"quoted" \'single\'</p><a href="javascript:alert(1)">js</a><img src="x.png" onerror="y()">'
).html


def _answers(language: str) -> dict[str, tuple[str, str]]:
    prefix = "" if language == "zh" else f"{language}/"
    return {"vae": (BODY, f"{prefix}basics/vae/"), "hostile": (HOSTILE_BODY, f"{prefix}basics/hostile/")}


def test_one_note_per_answered_question_with_its_deck_and_tags():
    notes = book_notes(_book(), ZH, "zh", _answers("zh"), SITE)
    assert [n.guid for n in notes] == ["aigc/vae", "aigc/hostile"]
    assert notes[0].front == "什么是VAE？"
    assert notes[0].deck == "AIGC 题库::第一章 基础 知识"
    assert notes[0].tags == ("第一章_基础_知识::【一】概念", "math", "figure")
    assert notes[1].tags == ("第一章_基础_知识::【一】概念", "figure")  # its <img>, kept as GitHub keeps it


def test_the_english_deck_uses_english_titles_and_its_own_guids():
    notes = book_notes(_book(), EN, "zh", _answers("en"), SITE)
    assert [n.guid for n in notes] == ["aigc/vae@en", "aigc/hostile@en"]
    assert notes[0].front == "What is a VAE?"
    assert notes[0].deck == "AIGC Questions::Chapter 1: Basics"
    assert notes[0].tags[0] == "Chapter_1:_Basics::Concepts"
    assert 'src="https://example.org/book/en/basics/imgs/vae.png"' in notes[0].back


def test_an_answered_question_without_its_page_is_an_error_not_a_lost_note():
    answers = _answers("zh")
    del answers["hostile"]
    with pytest.raises(MissingAnswer, match="book.md:1: .*hostile"):
        book_notes(_book(), ZH, "zh", answers, SITE)


def test_the_file_parses_as_anki_reads_it():
    notes = book_notes(_book(), ZH, "zh", _answers("zh"), SITE)
    deck = parse_deck(deck_text(notes))
    assert deck.headers["html"] == "true" and deck.headers["notetype"] == "Basic"
    assert [deck.column(key) for key in ("guid", "deck", "tags")] == [1, 4, 5]
    assert deck.field_columns == {"Front": 2, "Back": 3}
    assert [deck.field(row, "guid") for row in deck.rows] == [n.guid for n in notes]
    assert deck.rows[0]["Front"] == notes[0].front  # the hostile one is escaped: see below
    assert [row["Back"] for row in deck.rows] == [n.back for n in notes]
    assert deck.field(deck.rows[0], "tags").split(" ") == list(notes[0].tags)


def test_the_fields_land_in_a_basic_notetype_named_in_any_language():
    """Anki names a new collection's stock notetype and its fields in the reader's language
    (正面 and 背面 in a Chinese Anki): the deck must not depend on the English names."""
    text = deck_text(book_notes(_book(), ZH, "zh", _answers("zh"), SITE))
    english, chinese = parse_deck(text, BASIC), parse_deck(text, BASIC_ZH)
    assert chinese.field_columns == {"正面": 2, "背面": 3}
    assert [(row["正面"], row["背面"]) for row in chinese.rows] == [(row["Front"], row["Back"]) for row in english.rows]


def test_hostile_titles_and_answers_cannot_break_columns_or_run_script():
    deck = parse_deck(deck_text(book_notes(_book(), ZH, "zh", _answers("zh"), SITE)))
    row = deck.rows[1]
    assert row["guid"] == "aigc/hostile" and deck.field(row, "deck") == "AIGC 题库::第一章 基础 知识"
    assert row["Front"] == 'Tab here new line "quoted" &lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;'
    back = row["Back"]
    assert "<script" not in back and "onclick" not in back and "onerror" not in back and "javascript:" not in back
    assert "\"quoted\" 'single'" in back and "tab&#9;here" in back
    assert 'src="https://example.org/book/basics/hostile/x.png"' in back
