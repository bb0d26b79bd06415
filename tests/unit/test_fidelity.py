"""Fidelity: the site shows every answer with the block structure GitHub shows.

Reference: the ORIGINAL answer rendered by markdown-it-py read like GitHub (CommonMark + GFM
tables and strikethrough + dollar math).  Site: the NORMALISED answer rendered by
Python-Markdown with the extensions of mkdocs.yml.  Both are reduced to block structure
(tests/blocks.py) and must be equal, except where the author's intent deliberately beats
GitHub's reading; those exceptions are listed below and applied to the reference side.
"""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest
from markdown_it.token import Token

from scripts.book.normalise import GITHUB, HTML_ELEMENTS, normalise_answer
from scripts.book.parse import parse_book

from ..conftest import BOOK, FIXTURES
from .blocks import Block, block_structure, markdown_extensions, python_markdown

FIXTURES = FIXTURES / "normalise"

# Where the site deliberately differs from GitHub, with the book lines each one covers.
INTENT_EXCEPTIONS: dict[str, tuple[tuple[int, ...], ...]] = {
    # A TAB-indented paragraph of Chinese: GitHub shows a code block, the author meant prose.
    "indented-prose": ((875, 877),),
    # A bare "- ": GitHub shows an empty bullet, the author meant nothing.
    "empty-list-item": ((1078,),),
    # <think>: GitHub hides a tag it does not know, the author meant it to be read. None in the book.
    "pseudo-tag": (),
    # ![](imgs/a b.png): GitHub shows the text, the author meant the picture. Inline only, so the
    # block structure needs no change for it; none in the book.
    "image-path-with-spaces": (),
    # A paragraph \[…\]: GitHub shows the brackets as text, the author meant a display formula. None in the book.
    "tex-brackets": (),
}

_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def _prose_code_as_paragraphs(tokens: list[Token]) -> list[Token]:
    """indented-prose: an indented code block that is mostly Chinese reads as its paragraphs."""
    adjusted = []
    for token in tokens:
        visible = "".join(token.content.split())
        if token.type == "code_block" and len(_CJK.findall(visible)) * 2 > len(visible):
            paragraphs = [chunk for chunk in re.split(r"\n\s*\n", token.content) if chunk.strip()]
            token = Token("html_block", "", 0, content="".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs))
        adjusted.append(token)
    return adjusted


def _show_pseudo_tags(tokens: list[Token]) -> None:
    """pseudo-tag: a tag that is no HTML element shows as text."""

    def shown(html_text: str) -> str:
        return re.sub(
            r"</?([A-Za-z][A-Za-z0-9-]*)[^<>]*>",
            lambda tag: tag.group() if tag.group(1).lower() in HTML_ELEMENTS else html.escape(tag.group()),
            html_text,
        )

    for token in tokens:
        for html_token in [token, *(token.children or [])]:
            if html_token.type in ("html_block", "html_inline"):
                html_token.content = shown(html_token.content)


def _tex_brackets_as_math(tokens: list[Token]) -> list[Token]:
    """tex-brackets: a paragraph that is all \\[…\\] reads as a display formula."""
    adjusted: list[Token] = []
    for token in tokens:
        content = token.content.strip()
        if token.type == "inline" and content.startswith("\\[") and content.endswith("\\]") and adjusted[-1].type == "paragraph_open":
            adjusted[-1] = Token("math_block", "math", 0, content=content[2:-2])
            continue
        if token.type == "paragraph_close" and adjusted and adjusted[-1].type == "math_block":
            continue
        adjusted.append(token)
    return adjusted


def _drop_empty_list_items(block: Block) -> None:
    """empty-list-item: an item with nothing in it goes, and so does a list left empty."""
    for child in block.children:
        _drop_empty_list_items(child)
    block.children = [
        child
        for child in block.children
        if not (child.kind == "li" and not child.children)
        and not (child.kind.split()[0] in ("ul", "ol") and not child.children)
    ]


def github_structure(original: str, exceptions: tuple[str, ...] = ()) -> Block:
    unlisted = set(exceptions) - set(INTENT_EXCEPTIONS)
    assert not unlisted, f"the normaliser reported unlisted exceptions {unlisted}"
    env: dict = {}
    tokens = GITHUB.parse(original, env)
    if "indented-prose" in exceptions:
        tokens = _prose_code_as_paragraphs(tokens)
    if "pseudo-tag" in exceptions:
        _show_pseudo_tags(tokens)
    if "tex-brackets" in exceptions:
        tokens = _tex_brackets_as_math(tokens)
    structure = block_structure(GITHUB.renderer.render(tokens, GITHUB.options, env))
    if "empty-list-item" in exceptions:
        _drop_empty_list_items(structure)
    return structure


_SITE = python_markdown()


def site_html(normalised: str) -> str:
    _SITE.reset()
    return _SITE.convert(normalised)


def site_structure(normalised: str) -> Block:
    return block_structure(site_html(normalised))


def assert_same_structure(original: str, **options) -> None:
    result = normalise_answer(original, **options)
    assert site_structure(result.markdown).outline() == github_structure(original, result.exceptions).outline()


# --- The comparison itself -------------------------------------------------------------------


def test_python_markdown_is_set_up_from_mkdocs_yml():
    names, configs = markdown_extensions()
    assert {"pymdownx.arithmatex", "pymdownx.superfences", "sane_lists", "md_in_html"} <= set(names)
    assert {"toc", "tables", "fenced_code"} <= set(names)  # what `mkdocs build` always adds
    assert configs["pymdownx.arithmatex"] == {"generic": True}


def test_the_structure_covers_blocks_and_ignores_inline_markup():
    html = (
        '<h3>t</h3><p>a <strong>b</strong></p><ol start="5"><li>x</li><li><p>y</p><pre><code>c</code></pre></li></ol>'
        '<div class="highlight"><pre><code>d</code></pre></div><table><tr><th>1</th><th>2</th></tr><tr><td>3</td></tr>'
        '</table><blockquote><p>q</p></blockquote><hr /><div class="arithmatex">\\[x\\]</div><h4>u</h4>'
    )
    assert block_structure(html).outline().split("\n") == [
        "document", "  h+0", "  p", "  ol 5 loose", "    li", "      p", "    li", "      p", "      pre", "  pre",
        "  table 2x2", "  blockquote", "    p", "  hr", "  math", "  h+1",
    ]  # fmt: skip


def test_double_dollars_inside_a_line_are_an_inline_formula_as_on_github():
    html = '<p>a<div class="math inline">x</div>b</p>'
    assert block_structure(html).outline() == "document\n  p"


def test_the_structure_tells_a_loose_list_from_a_tight_one():
    assert block_structure("<ul><li>a</li><li>b</li></ul>").outline() == "document\n  ul\n    li\n      p\n    li\n      p"
    assert block_structure("<ul><li><p>a</p></li><li>b</li></ul>").outline().split("\n")[1] == "  ul loose"


def test_the_comparison_catches_what_python_markdown_misreads():
    # Unnormalised, Python-Markdown folds a list written right after a paragraph into it.
    original = (FIXTURES / "list_after_paragraph.md").read_text(encoding="utf-8")
    assert site_structure(original).outline() != github_structure(original).outline()


# --- Per construct ----------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.md")), ids=lambda path: path.stem)
def test_fixture_keeps_its_block_structure(fixture):
    assert_same_structure(fixture.read_text(encoding="utf-8"), image_exists=lambda path: "missing" not in path)


@pytest.mark.parametrize(
    "original",
    [
        (FIXTURES / "indented_prose.md").read_text(encoding="utf-8"),
        (FIXTURES / "empty_list_item.md").read_text(encoding="utf-8"),
        "<think>\n\n推理过程\n\n</think>",
    ],
    ids=["indented-prose", "empty-list-item", "pseudo-tag"],
)
def test_each_exception_is_a_real_difference_from_github(original):
    result = normalise_answer(original)
    assert result.exceptions
    assert site_structure(result.markdown).outline() != github_structure(original).outline()


# --- Constructs the site used to show otherwise, and the deliberate differences kept ---------

FIDELITY = FIXTURES.parent / "fidelity"
# keep_*.md: where the author's intent beats GitHub's reading; each must report its exception.
KEPT = {
    "keep_display_math_line": (),  # `$$…$$` alone on its line right after text: display math, as GitHub reads it too
    "keep_tex_brackets": ("tex-brackets",),
    "keep_indented_prose": ("indented-prose",),
    "keep_empty_list_item": ("empty-list-item",),
}


@pytest.mark.parametrize("fixture", sorted(FIDELITY.glob("*.md")), ids=lambda path: path.stem)
def test_fidelity_fixture_shows_what_github_shows(fixture):
    original = fixture.read_text(encoding="utf-8")
    result = normalise_answer(original)
    assert result.exceptions == KEPT.get(fixture.stem, ())
    assert site_structure(result.markdown).outline() == github_structure(original, result.exceptions).outline()


@pytest.mark.parametrize("stem", [stem for stem, exceptions in KEPT.items() if exceptions])
def test_each_kept_difference_is_a_real_difference_from_github(stem):
    original = (FIDELITY / f"{stem}.md").read_text(encoding="utf-8")
    assert site_structure(normalise_answer(original).markdown).outline() != github_structure(original).outline()


@pytest.mark.parametrize(
    ("stem", "github_outline"),
    [
        ("tight_list_with_fence", "document\n  p\n  ul\n    li\n      p\n      pre\n    li\n      p\n    li\n      p"),
        ("inline_double_dollars", "document\n  p\n  table 2x2"),
        ("raw_image_line", "document\n  p\n  html\n  p\n  p"),  # two tags on a line are a paragraph
    ],
)
def test_github_reading_of_a_fixed_construct_is_spelled_out(stem, github_outline):
    # The reference is GitHub's reading, not whatever the site does: tight, inline, no paragraph.
    assert github_structure((FIDELITY / f"{stem}.md").read_text(encoding="utf-8")).outline() == github_outline


# --- The whole book ---------------------------------------------------------------------------

_QUESTIONS = parse_book(BOOK).questions
_BOOK_LINES = BOOK.read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize("question", _QUESTIONS, ids=lambda q: f"line{q.answer_line}")
def test_book_answer_keeps_its_block_structure(question):
    assert_same_structure(question.answer)


def test_the_book_has_96_answers():
    assert len(_QUESTIONS) == 96


def test_the_listed_book_lines_are_what_the_exceptions_say():
    assert all(_BOOK_LINES[line - 1].startswith("\t") for line in INTENT_EXCEPTIONS["indented-prose"][0])
    assert [_BOOK_LINES[line - 1].strip() for line in INTENT_EXCEPTIONS["empty-list-item"][0]] == ["-"]


def test_book_exceptions_are_exactly_the_listed_ones():
    found = Counter()
    for question in _QUESTIONS:
        last_line = question.answer_line + question.answer.count("\n")
        for name in normalise_answer(question.answer).exceptions:
            found[name, question.answer_line, last_line] += 1
    expected = Counter()
    for name, places in INTENT_EXCEPTIONS.items():
        for lines in places:
            (question,) = [q for q in _QUESTIONS if q.answer_line <= lines[0] <= q.answer_line + q.answer.count("\n")]
            expected[name, question.answer_line, question.answer_line + question.answer.count("\n")] += 1
    assert found == expected


def test_book_formulas_21_of_which_5_display_and_16_inline():
    results = [normalise_answer(question.answer) for question in _QUESTIONS]
    assert sum(result.formulas for result in results) == 21
    pages = "".join(site_html(result.markdown) for result in results)
    assert (pages.count('<div class="arithmatex">'), pages.count('<span class="arithmatex">')) == (5, 16)
