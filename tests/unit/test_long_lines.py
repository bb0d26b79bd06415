"""One absurdly long line must cost what reading it costs: markdown-it-py's inline parsing took
37 s and 1.4 GB for one 5 MB line of "<b>", 23 s for 800 KB of "["."""

from __future__ import annotations

import pytest
from markdown_it.parser_inline import ParserInline

from scripts.book.normalise import LONG_INLINE, PLAIN_TEXT_BLOCK, normalise_answer


@pytest.fixture
def tokenised(monkeypatch) -> list[int]:
    """The characters handed to markdown-it-py's inline tokenizer: where its cost lies."""
    sizes: list[int] = []
    real = ParserInline.tokenize

    def counting(self, state):
        sizes.append(state.posMax - state.pos)
        return real(self, state)

    monkeypatch.setattr(ParserInline, "tokenize", counting)
    return sizes


@pytest.mark.parametrize("unit", ["<b>", "[", "a*", "a`", "a$", "a<!--", "a\\", "a_", "![a]("])
def test_the_inline_parser_never_sees_a_line_longer_than_the_limit(tokenised: list[int], unit: str):
    for size in (100_000, 400_000):
        line = unit * (size // len(unit))
        answer = normalise_answer(f"开头。\n\n{line}\n\n结尾。\n")
        assert max(tokenised) <= LONG_INLINE
        assert answer.plain_text_lines == (2,) and PLAIN_TEXT_BLOCK in answer.exceptions
        assert answer.markdown.startswith("开头。\n\n```") and line in answer.markdown  # shown as written


def test_a_paragraph_just_under_the_limit_is_still_markdown():
    answer = normalise_answer("**粗体**" + "字" * (LONG_INLINE - 10) + "\n")
    assert answer.markdown.startswith("**粗体**") and not answer.plain_text_lines
