"""The front matter the emit step writes parses back as written, whatever a title holds:
one unparsable character made MkDocs show a page's metadata as its text."""

from __future__ import annotations

import pytest
import yaml
from mkdocs.utils.meta import get_data

from scripts.book.normalise import normalise_answer
from scripts.emit.pages import HomeText, emit_site
from scripts.pipeline import split_books

# Every C0 and C1 control, DEL, the Unicode line separators, the BOM and the noncharacters of the
# first plane. (Lone surrogates cannot come from a book: it is decoded as strict UTF-8.)
_SPECIAL = [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF]


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    book = tmp_path_factory.mktemp("book") / "book.md"
    book.write_text('## 第一章 a\n\n<h3 id="1.q">1.q</h3>\n\n答。\n', encoding="utf-8")
    return split_books([book])


def test_every_special_character_survives_the_front_matter(split):
    [book] = split.books
    [question] = book.questions
    answers = {id(question): normalise_answer(question.answer)}
    for code in _SPECIAL:
        title = f"a{chr(code)}b"
        question.title = book.chapters[0].title = title
        site = emit_site(split.books, answers, {id(book): "book.md"}, languages=list(split.languages.values()), home={"zh": HomeText("题库")})
        for name, page in site.files.items():
            if not name.endswith(".md") or name in ("index.md", "review/index.md"):  # titled by the site, not the book
                continue
            front = page.split("---\n", 2)[1]
            assert yaml.safe_load(front)["title"].count(title) == 1, (name, hex(code))
            _, meta = get_data(page)
            assert meta and title in meta["title"], (name, hex(code))
