"""Block structure of rendered HTML, to compare what GitHub shows with what the site shows.

The structure is the tree of paragraphs, lists (ordered ones with their start number), list
items, code blocks, tables (rows × columns), headings (levels relative to the shallowest),
quotes, rules and display formulas.  Inline markup is ignored, and text sitting directly in a
list item or quote counts as a paragraph, as a browser lays it out; but a list whose items hold
<p> elements is marked loose ("ul loose"), as a browser spaces its items apart.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import yaml_load

MKDOCS_YML = Path(__file__).resolve().parents[2] / "mkdocs.yml"


@functools.cache
def markdown_extensions() -> tuple[list[str], dict[str, dict]]:
    """The extensions and their configs from mkdocs.yml, completed with MkDocs's built-ins the way
    `mkdocs build` does (it adds toc, tables and fenced_code), without loading the hooks."""
    with MKDOCS_YML.open(encoding="utf-8") as file:
        config = yaml_load(file)
    option = MkDocsConfig.markdown_extensions
    names = option.validate(config["markdown_extensions"])
    return names, dict(option.configdata)


def python_markdown() -> markdown.Markdown:
    names, configs = markdown_extensions()
    return markdown.Markdown(extensions=names, extension_configs=configs)


@dataclass
class Block:
    kind: str  # "p", "ul", "ol 5", "li", "pre", "table 3x2", "h+1", "blockquote", "hr", "math", "html" (inline content outside any <p>)
    children: list[Block] = field(default_factory=list)
    text: str = ""  # the text of a code block or formula

    def outline(self, depth: int = 0) -> str:
        lines = ["  " * depth + self.kind] + [child.outline(depth + 1) for child in self.children]
        return "\n".join(lines)


_OPAQUE_TAGS = {"pre", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
_OPAQUE = _OPAQUE_TAGS | {"math"}  # blocks whose insides don't matter
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Raw HTML blocks: they end the paragraph around them, as a browser lays it out.
_BLOCK_LEVEL = set(
    "address article aside center details dialog dd div dl dt fieldset figcaption figure footer form "
    "header hgroup main nav section summary".split()
)


class _StructureParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Block("document")
        self.blocks = [self.root]  # the structural blocks open now
        self.tags: list[tuple[str, bool]] = []  # the tags open now, and whether each opened a block
        self.paragraph: Block | None = None  # where inline content goes, once there is some
        self.table_rows: list[int] = []  # cells per row of the table being read
        self.loose: set[int] = set()  # the lists with a <p> directly in an item

    def inside(self) -> str:
        return self.blocks[-1].kind.split()[0]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        block = None
        if self.inside() in _OPAQUE:
            if tag == "tr":
                self.table_rows.append(0)
            elif tag in ("td", "th") and self.table_rows:
                self.table_rows[-1] += 1
        elif tag in ("ul", "li", "blockquote") or tag in _OPAQUE_TAGS:
            block = Block(tag)
        elif tag == "ol":
            block = Block(f"ol {attributes.get('start') or 1}")
        elif tag == "div" and "inline" in (attributes.get("class") or "").split():
            self.content()  # markdown-it's div.math.inline: `$$…$$` inside a line, an inline formula on GitHub
            tag = "inline-math"
        elif tag == "div" and {"math", "arithmatex"} & set((attributes.get("class") or "").split()):
            block = Block("math")  # markdown-it's div.math.block, arithmatex's div
        elif tag == "hr":
            self.paragraph = None
            self.blocks[-1].children.append(Block("hr"))
        elif tag == "p" or tag in _BLOCK_LEVEL:
            if tag == "p" and self.inside() == "li" and len(self.blocks) > 1:
                self.loose.add(id(self.blocks[-2]))
            self.paragraph = None
        elif tag == "img":  # content, even without text
            if self.paragraph is None and not any(open_tag == "p" for open_tag, _ in self.tags) and self.inside() == "document":
                # a raw <img> line is an HTML block on GitHub: inline content without a paragraph's margins
                self.paragraph = Block("html")
                self.blocks[-1].children.append(self.paragraph)
            self.content()
        if block is not None:
            self.paragraph = None
            if tag == "table":
                self.table_rows = []
            self.blocks[-1].children.append(block)
            self.blocks.append(block)
        if tag not in _VOID:
            self.tags.append((tag, block is not None))

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.tags and self.tags[-1][0] == "inline-math":
            self.tags.pop()
            return
        if tag in _VOID or tag not in (open_tag for open_tag, _ in self.tags):
            return
        while self.tags:
            open_tag, opened_block = self.tags.pop()
            if opened_block:
                block = self.blocks.pop()
                if block.kind == "table":
                    block.kind = f"table {len(self.table_rows)}x{max(self.table_rows, default=0)}"
                elif id(block) in self.loose:
                    block.kind += " loose"
                self.paragraph = None
            if open_tag == tag:
                break
        if tag == "p" or tag in _BLOCK_LEVEL:
            self.paragraph = None

    def handle_data(self, data: str) -> None:
        if self.inside() in ("pre", "math"):
            self.blocks[-1].text += data
        elif self.inside() not in _OPAQUE and data.strip():
            self.content()

    def content(self) -> None:
        if self.paragraph is None:
            self.paragraph = Block("p")
            self.blocks[-1].children.append(self.paragraph)


def block_structure(html: str) -> Block:
    parser = _StructureParser()
    parser.feed(html)
    parser.close()
    _drop_empty_math(parser.root)
    _relative_headings(parser.root)
    return parser.root


def _drop_empty_math(block: Block) -> None:
    """An empty display formula shows nothing."""
    block.children = [child for child in block.children if not (child.kind == "math" and not child.text.strip())]
    for child in block.children:
        _drop_empty_math(child)


def _relative_headings(root: Block) -> None:
    headings = [block for block in _walk(root) if re.fullmatch(r"h[1-6]", block.kind)]
    shallowest = min((int(h.kind[1]) for h in headings), default=1)
    for heading in headings:
        heading.kind = f"h+{int(heading.kind[1]) - shallowest}"


def _walk(block: Block):
    yield block
    for child in block.children:
        yield from _walk(child)
