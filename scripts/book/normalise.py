"""Normalise step: one answer written for GitHub → Markdown that MkDocs renders the same way.

The book is written for GitHub (CommonMark + GFM + `$` math); the site is rendered by
Python-Markdown with the extensions in mkdocs.yml, which reads the same text differently:
lists need a blank line before them and 4-space indents, `$$` must stand alone, bare URLs
are not linked, unknown tags are swallowed.  So the answer is read with markdown-it-py set
up like GitHub, and every block is written back in the one spelling both readers agree on.
Inline text is copied from the source byte for byte, except for the few spans that must
change: relative images, bare URLs, pseudo-tags and backslash line breaks.
"""

from __future__ import annotations

import html
import posixpath
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import quote, unquote, urlsplit

from markdown.util import BLOCK_LEVEL_ELEMENTS
from markdown_it import MarkdownIt, rules_inline
from markdown_it.common.html_re import close_tag, comment, open_tag
from markdown_it.common.utils import unescapeAll
from markdown_it.helpers import parseLinkDestination
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_block_dollar, math_inline_dollar
from mdit_py_plugins.tasklists import tasklists_plugin


@dataclass(frozen=True)
class NormalisedAnswer:
    markdown: str  # Python-Markdown-ready text; "" for an empty answer, else ends with exactly one "\n"
    images: tuple[str, ...]  # every relative image, as a path in the book folder, e.g. "imgs/DDIM.png", in order
    missing_images: tuple[str, ...]  # the subset for which image_exists returned False
    formulas: int  # math formulas, inline + display
    exceptions: tuple[str, ...]  # where the author's intent overrides GitHub's reading, in order
    plain_text_lines: tuple[int, ...] = ()  # 0-based lines of the blocks too long to read as Markdown
    slips: tuple[tuple[int, str], ...] = ()  # (0-based line, what was repaired): math delimiters mistyped


# The places where we deliberately render something other than what GitHub shows.
INDENTED_PROSE = "indented-prose"  # a TAB-indented paragraph of Chinese is prose, not code
EMPTY_LIST_ITEM = "empty-list-item"  # a bare "- " is a typo, not a bullet worth showing
SPACED_IMAGE_PATH = "image-path-with-spaces"  # ![](imgs/a b.png) names a file, though CommonMark says text
PLAIN_TEXT_BLOCK = "plain-text-block"  # a paragraph too long to parse is shown as it is written
PSEUDO_TAG = "pseudo-tag"  # <think> is text to show; GitHub hides it as an unknown tag
TEX_BRACKETS = "tex-brackets"  # a paragraph \[…\] is a display formula; GitHub shows the brackets as text


def normalise_answer(
    text: str,
    *,
    image_prefix: str = "../",
    image_exists: Callable[[str], bool] | None = None,
    left_out: frozenset[str] = frozenset(),
) -> NormalisedAnswer:
    """Rewrite one raw answer for Python-Markdown.

    A relative image's path in the book folder (e.g. "imgs/a.png") is prefixed with
    `image_prefix`, the way from the page to the book folder; `image_exists(path)` says whether
    the file is there (all are, when not given), and a missing one becomes a visible placeholder.
    A root-relative path ("/a.png") names no file of the book and counts as missing. A missing
    image whose path is in `left_out` (figures the author never published) is dropped instead.
    """
    writer = _Writer(image_prefix, image_exists or (lambda path: True), left_out)
    body = writer.document(text)
    return NormalisedAnswer(
        markdown=body + "\n" if body else "",
        images=tuple(writer.images),
        missing_images=tuple(writer.missing_images),
        formulas=writer.formulas,
        exceptions=tuple(writer.exceptions),
        plain_text_lines=tuple(writer.plain_text_lines),
        slips=tuple(writer.slips),
    )


# --- Reading like GitHub ---------------------------------------------------------------------


def _keeping_source_spans(rule):
    """Let the tokens an inline rule makes remember which source characters they came from,
    so the writer can copy everything else verbatim."""

    def rule_with_spans(state, silent):
        start, first = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent:
            for token in state.tokens[first:]:
                token.meta.setdefault("span", (start, state.pos))
        return True

    return rule_with_spans


# markdown-it-py spends up to 15 µs a character on inline syntax ("[" runs, tags), and keeps a
# token per tag: one 5 MB line took 37 s and 1.4 GB. The longest paragraph of our book is under
# 1,000 characters; past this size a paragraph is shown as written, in a code block, with a warning.
LONG_INLINE = 20_000


def _parsing_at_most(limit: int, parse):
    """Leave inline content longer than `limit` untokenised; the writer shows it as plain text."""

    def parse_unless_too_long(src, md, env, tokens):
        if len(src) > limit:
            return tokens
        return parse(src, md, env, tokens)

    return parse_unless_too_long


def _checking_quietly(rule):
    """dollarmath's block rule pushes a token even when only asked whether a block starts here,
    which breaks it as a paragraph terminator; undo that side effect."""

    def quiet_rule(state, start_line, end_line, silent):
        if not silent:
            return rule(state, start_line, end_line, False)
        tokens, line = len(state.tokens), state.line
        found = rule(state, start_line, end_line, False)
        del state.tokens[tokens:]
        state.line = line
        return found

    return quiet_rule


def _yielding_to_code(math_rule):
    """A code span binds tighter than `$` math, on GitHub as in Python-Markdown: "$5, `$x`" holds no formula."""

    def math_outside_code(state, silent):
        start = state.pos
        if not math_rule(state, True):
            return False
        crosses_code = "`" in state.src[start : state.pos]
        state.pos = start
        return not crosses_code and math_rule(state, silent)

    return math_outside_code


def _github_reader() -> MarkdownIt:
    reader = (
        MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_blank_lines=False, double_inline=True)
        .use(tasklists_plugin)
    )
    # GitHub lets a `$$` line interrupt a paragraph or a list item, as a code fence does.
    math_block = math_block_dollar(allow_labels=False, allow_blank_lines=False)
    reader.block.ruler.at(
        "math_block", _checking_quietly(math_block), {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    spanned_rules = {
        "backticks": rules_inline.backtick,
        "escape": rules_inline.escape,
        "link": rules_inline.link,
        "image": rules_inline.image,
        "autolink": rules_inline.autolink,
        "html_inline": rules_inline.html_inline,
        "math_inline": _yielding_to_code(math_inline_dollar(allow_space=False, allow_digits=True, allow_double=True)),
    }
    for name, rule in spanned_rules.items():
        reader.inline.ruler.at(name, _keeping_source_spans(rule))
    reader.inline.parse = _parsing_at_most(LONG_INLINE, reader.inline.parse)
    return reader


GITHUB = _github_reader()  # markdown-it-py reading Markdown as GitHub does, one for all answers


# --- What the text is made of -----------------------------------------------------------------

_CJK = "\u2e80-\u2fdf\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_TEXT_UNIT = re.compile(f"[{_CJK}]|[A-Za-z0-9_]+|\\S")
# A URL stops where Chinese text resumes; dashes, curly quotes and … are written full-width there too.
_BARE_URL = re.compile(rf"(?<![A-Za-z0-9])(?:https?://|www\.)[^\s<>|{_CJK}\u2014-\u201f\u2026]+", re.IGNORECASE)
_URL_TRAILER = ".,:;!?'\"*_~\\"
_TEX_DELIMITED = re.compile(r"\s*(?P<open>\\\(|\\\[)(?P<tex>.*?)(?:\\\)|\\\])\s*", re.DOTALL)
# ＄x^2＄ (the full-width sign an input method types): a formula when TeX sits between, not prose or prices.
_FULL_WIDTH_MATH = re.compile(rf"＄((?=[^＄\n]*[A-Za-z\\^_{{}}=])[^＄\n{_CJK}]*[^＄\s{_CJK}][^＄\n{_CJK}]*)＄")
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SPACED_IMAGE = re.compile(r"!\[(?P<alt>[^\[\]\n]*)\]\(\s*(?P<path>[^\s()<>\"|]+(?:[ \t]+[^\s()<>\"|]+)+)\s*\)")
_HTML_TAG = re.compile(f"{comment}|{open_tag}|{close_tag}")  # comments matched to be skipped whole
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_SRC_ATTRIBUTE = re.compile(r"""(\ssrc\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.IGNORECASE)
_ALT_ATTRIBUTE = re.compile(r"""\salt\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.IGNORECASE)
_FENCE_LANGUAGE = re.compile(r"[\w#.+-]+")  # all that pymdownx.superfences accepts before its options
# Line starts that Python-Markdown reads as block syntax, some even in the middle of a paragraph.
_BLOCK_SYNTAX_FOR_PYTHON_MARKDOWN = re.compile(
    r"[#>]|!!!|\?\?\?|`{3,}|~{3,}"  # headings, quotes, admonitions, details, fences
    r"|[-*+](?=\s|$)|(?:[-*_][ \t]*){3,}$|=+[ \t]*$"  # bullets, rules, heading underlines
    r"|\*\[|\[[^\]]*\]:"  # abbreviations, link definitions
    r"|\d+(?=[.)](?:\s|$))"  # ordered items: the escape goes after the number
)
_BACKSLASH_ESCAPABLE_IN_PYTHON_MARKDOWN = frozenset("\\`*_{}[]()>#+-.!")
_TASK_CHECKBOX = '<input class="task-list-item-checkbox"'

# Tag names a browser knows; any other tag, like <think>, is a pseudo-tag it would swallow.
HTML_ELEMENTS = frozenset(
    """a abbr acronym address area article aside audio b base bdi bdo big blockquote body br button
    canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt
    em embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html
    i iframe img input ins kbd label legend li link main map mark menu meta meter nav noscript object
    ol optgroup option output p param picture pre progress q rp rt ruby s samp script search section
    select slot small source span strike strong style sub summary sup table tbody td template textarea
    tfoot th thead time title tr track tt u ul var video wbr
    svg g path circle ellipse line polyline polygon rect text tspan defs use
    math mi mn mo ms mtext mrow mfrac msqrt mroot msub msup msubsup munder mover mtable mtr mtd
    semantics annotation""".split()
)

# Python-Markdown keeps a block-level HTML element raw up to its closing tag, unless told
# markdown="1"; these can be told so (the others hold raw text or table rows).
_MARKDOWN_CONTAINERS = frozenset(BLOCK_LEVEL_ELEMENTS) - set(
    "canvas math option pre script style textarea table thead tbody tfoot tr colgroup hr html body".split()
)

# Python-Markdown merges two neighbouring lists or quotes that CommonMark keeps apart.
_MERGED_WHEN_ADJACENT = frozenset({"bullet_list", "ordered_list", "blockquote"})
_SEPARATOR = ("html_block", "<!-- -->")
# Blocks Python-Markdown still recognises when written right after a list marker.
_FIT_ON_MARKER_LINE = frozenset({"paragraph", "inline_html", "heading", "table"})
_LISTS = frozenset({"bullet_list", "ordered_list"})
# Blocks Python-Markdown keeps in a tight item when written on the lines right under its text.
_UNDER_TIGHT_TEXT = _LISTS | {"fence", "math_block", "quote_line"}
_ALIGNMENT_ROW = {"text-align:left": ":---", "text-align:center": ":---:", "text-align:right": "---:"}


def _is_cjk_prose(text: str) -> bool:
    """Mostly Chinese, counting a Chinese character like a word, as each carries as much."""
    units = _TEXT_UNIT.findall(text)
    return 2 * sum(1 for unit in units if _CJK_CHAR.match(unit)) > len(units)


def _trim_url(url: str) -> str:
    while True:
        trimmed = url.rstrip(_URL_TRAILER)
        if trimmed.endswith(")") and trimmed.count(")") > trimmed.count("("):
            trimmed = trimmed[:-1]
        if trimmed == url:
            return url
        url = trimmed


def _autolink(url: str) -> str:
    target = _BACKSLASH_ESCAPE.sub(r"\1", url)
    if target[:4].lower() == "www.":
        return f"[{url}](http://{target})"
    return f"<{target}>"


def _gaps(length: int, spans: list[tuple[int, int]]):
    """The stretches of [0, length) outside every span."""
    position = 0
    for start, end in sorted(spans):
        if start > position:
            yield position, start
        position = max(position, end)
    if position < length:
        yield position, length


def _fenced(code: str, language: str) -> str:
    longest_run = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest_run + 1)
    if code and not code.endswith("\n"):
        code += "\n"
    return f"{fence}{language}\n{code}{fence}"


def _display_math(tex: str) -> str:
    return f"$$\n{textwrap.dedent(tex).strip()}\n$$"


def _paragraph(text: str) -> str:
    lines = (line.lstrip(" \t") for line in text.strip().split("\n"))
    return "\n".join(_escape_block_syntax(line) for line in lines)


def _escape_block_syntax(line: str) -> str:
    found = _BLOCK_SYNTAX_FOR_PYTHON_MARKDOWN.match(line)
    if found is None:
        return line
    at = found.end() if line[0].isdigit() else 0
    char = line[at]
    escaped = f"\\{char}" if char in _BACKSLASH_ESCAPABLE_IN_PYTHON_MARKDOWN else f"&#{ord(char)};"
    return line[:at] + escaped + line[at + 1 :]


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


def _join(blocks: list[tuple[str, str]]) -> str:
    return "\n\n".join(text for _, text in blocks)


def _missing_image(path: str, alt: str) -> str:
    name = html.escape(posixpath.basename(path))
    alt = html.escape(alt)
    label = alt or name
    caption = f" {alt}" if alt else ""
    return (
        f'<span class="qa-missing-image" role="img" aria-label="图片缺失：{label}">'
        f"图片缺失：<code>{name}</code>{caption}</span>"
    )


class _Edit(NamedTuple):
    start: int
    end: int
    text: str
    image: str | None = None  # the book path of the image this edit rewrites
    missing: bool = False
    exception: str | None = None  # the intent this edit follows against GitHub's reading


# --- Writing for Python-Markdown --------------------------------------------------------------


class _Writer:
    """Writes one answer, noting on the way what the result reports."""

    def __init__(self, image_prefix: str, image_exists: Callable[[str], bool], left_out: frozenset[str]):
        self.image_prefix = image_prefix
        self.image_exists = image_exists
        self.left_out = left_out
        self.images: list[str] = []
        self.missing_images: list[str] = []
        self.formulas = 0
        self.exceptions: list[str] = []
        self.env: dict = {}
        self.heading_shift = 0
        self.plain_text_lines: list[int] = []
        self.slips: list[tuple[int, str]] = []

    def document(self, text: str) -> str:
        root = SyntaxTreeNode(GITHUB.parse(text, self.env))
        levels = [int(node.tag[1]) for node in root.walk() if node.type == "heading"]
        self.heading_shift = 2 - min(levels, default=2)
        blocks = [_unwrapped(kind, text) for kind, text in self.blocks(root.children)]
        blocks += [("reference", definition) for definition in self.references()]
        return _join(blocks)

    def blocks(self, nodes: list[SyntaxTreeNode]) -> list[tuple[str, str]]:
        """Each block as (kind, text): the kind is the markdown-it node type, or inline_html for an
        HTML block that Python-Markdown takes for a paragraph."""
        written: list[tuple[str, str]] = []
        for node in nodes:
            for kind, text in self.block(node):
                if written and kind == written[-1][0] == "inline_html":
                    # GitHub runs them together, as a browser does with inline content.
                    written[-1] = (kind, f"{written[-1][1]}\n{text}")
                    continue
                if written and kind == written[-1][0] and kind in _MERGED_WHEN_ADJACENT:
                    written.append(_SEPARATOR)
                written.append((kind, text))
        return written

    def block(self, node: SyntaxTreeNode) -> list[tuple[str, str]]:
        if node.type in ("paragraph", "heading") and len(node.children[0].token.content) > LONG_INLINE:
            self.exceptions.append(PLAIN_TEXT_BLOCK)
            self.plain_text_lines.append(node.map[0] if node.map else 0)
            return [("fence", _fenced(node.children[0].token.content, ""))]
        match node.type:
            case "paragraph":
                return self.paragraph(node)
            case "heading":
                return [("heading", self.heading(node))]
            case "bullet_list" | "ordered_list":
                return self.list(node)
            case "blockquote":
                quoted = _join(self.blocks(node.children))
                return [("blockquote", "\n".join(f"> {line}" if line else ">" for line in quoted.split("\n")))]
            case "fence":
                words = unescapeAll(node.info).split()
                language = words[0] if words and _FENCE_LANGUAGE.fullmatch(words[0]) else ""
                return [("fence", _fenced(node.content, language))]
            case "code_block":
                return self.code_block(node)
            case "math_block":
                if not node.content.strip():
                    return []  # nothing to show, and arithmatex would print the dollars
                self.formulas += 1
                tex = self.math_delimiters_inside(node.content, node.map[0] if node.map else 0, "$$")
                return [("math_block", _display_math(tex))]
            case "table":
                return [("table", self.table(node))]
            case "html_block":
                return self.html_block(node.content)
            case "hr":
                return [("hr", "***")]  # "---" could pass for front matter or a heading underline
        raise ValueError(f"unexpected block {node.type!r}")

    def paragraph(self, node: SyntaxTreeNode) -> list[tuple[str, str]]:
        source = node.children[0].token.content.strip()
        if source.startswith("\\[") and source.endswith("\\]"):
            self.exceptions.append(TEX_BRACKETS)  # arithmatex makes it a display formula, as the author meant
        return [("paragraph", _paragraph(self.inline(node.children[0].token)))]

    def heading(self, node: SyntaxTreeNode) -> str:
        level = min(6, max(2, int(node.tag[1]) + self.heading_shift))
        text = self.inline(node.children[0].token)
        text = " ".join(line.strip() for line in text.split("\n"))  # a setext heading may span lines
        if text.endswith("#") and not text.endswith("\\#"):
            text = text[:-1] + "\\#"  # Python-Markdown drops a closing "#" even without a space before it
        elif (len(text) - len(text.rstrip("\\"))) % 2:
            text += "\\"  # and takes no heading ending in a lone backslash
        return "#" * level + (f" {text}" if text else "")

    def list(self, node: SyntaxTreeNode) -> list[tuple[str, str]]:
        tight = _is_tight(node)
        bodies = []
        for item in node.children:
            kinds = [child.type for child in item.children]
            if tight and kinds[:1] == ["paragraph"] and len(kinds) == 2 and _is_loose_list_of_paragraphs(item.children[1]):
                body = self.blocks(item.children[:1]) + self.paragraphs_list(item.children[1])
            elif tight and kinds[:1] == ["paragraph"] and len(kinds) == 2 and _is_quote_of_paragraphs(item.children[1]):
                body = self.blocks(item.children[:1]) + [("quote_line", self.paragraphs_quote(item.children[1]))]
            else:
                body = self.blocks(item.children)
            if body:
                bodies.append(body)
            else:
                self.exceptions.append(EMPTY_LIST_ITEM)
        if not bodies:
            return []
        compact = tight and all(_compact(body) for body in bodies)
        first = int(node.attrs.get("start", 1))
        markers = [f"{first + i}." if node.type == "ordered_list" else "-" for i in range(len(bodies))]
        items = [_item(marker, body, compact) for marker, body in zip(markers, bodies, strict=False)]
        return [(node.type, ("\n" if compact else "\n\n").join(items))]

    def paragraphs_list(self, node: SyntaxTreeNode) -> list[tuple[str, str]]:
        """A loose list of paragraphs inside a tight item. Python-Markdown makes a list loose with
        blank lines, which would loosen the tight list around it too; so this one is written
        without any, each paragraph in its own <p> tag, which Markdown inside still reaches."""
        items = []
        for item in node.children:
            paragraphs = [f"<p>{_paragraph(self.inline(child.children[0].token))}</p>" for child in item.children]
            if paragraphs:
                items.append("".join(paragraphs))
            else:
                self.exceptions.append(EMPTY_LIST_ITEM)
        if not items:
            return []
        first = int(node.attrs.get("start", 1))
        markers = [f"{first + i}." if node.type == "ordered_list" else "-" for i in range(len(items))]
        return [(node.type, "\n".join(f"{marker} {_indent(text).lstrip()}" for marker, text in zip(markers, items, strict=True)))]

    def paragraphs_quote(self, node: SyntaxTreeNode) -> str:
        """A quote of one-line paragraphs right under a tight item's text: Python-Markdown reads `>`
        there only after a blank line, which would loosen the list, so it is written as its tags."""
        paragraphs = "".join(f"<p>{_paragraph(self.inline(child.children[0].token))}</p>" for child in node.children)
        return f"<blockquote>{paragraphs}</blockquote>"

    def code_block(self, node: SyntaxTreeNode) -> list[tuple[str, str]]:
        if not _is_cjk_prose(node.content):
            return [("fence", _fenced(node.content, ""))]
        self.exceptions.append(INDENTED_PROSE)
        prose = "\n".join(line.strip() for line in node.content.split("\n"))
        return self.blocks(SyntaxTreeNode(GITHUB.parse(prose, self.env)).children)

    def table(self, node: SyntaxTreeNode) -> str:
        rows = [row for section in node.children for row in section.children]
        lines = []
        for row in rows:
            cells = [self.inline(cell.children[0].token, in_table_cell=True) for cell in row.children]
            lines.append("| " + " | ".join(cells) + " |")
        alignment = [_ALIGNMENT_ROW.get(cell.attrs.get("style", ""), "---") for cell in rows[0].children]
        lines.insert(1, "| " + " | ".join(alignment) + " |")
        return "\n".join(lines)

    def html_block(self, source: str) -> list[tuple[str, str]]:
        source = source.strip()
        edits = [self.tag(found.group(), *found.span()) for found in _HTML_TAG.finditer(source)]
        text = _markdown_inside_unclosed(self.apply(source, [edit for edit in edits if edit]))
        text = _escape_block_syntax_read_as_markdown(text)
        if text.startswith("<!--") or _tag_name(text) in BLOCK_LEVEL_ELEMENTS:
            return [("html_block", text)]
        return [("inline_html", text)]  # a paragraph to Python-Markdown

    def tag(self, tag: str, start: int, end: int) -> _Edit | None:
        """A real HTML tag stays (a relative image rewritten); a made-up one is escaped so the
        browser shows it rather than swallowing it."""
        name = _tag_name(tag)
        if name is None:
            return None
        if name not in HTML_ELEMENTS:
            return _Edit(start, end, html.escape(tag, quote=False), exception=PSEUDO_TAG)
        source = _SRC_ATTRIBUTE.search(tag)
        if name != "img" or source is None:
            return None
        alt = _ALT_ATTRIBUTE.search(tag)
        return self.image(
            html.unescape(source.group(2).strip("\"'")),
            html.unescape(alt.group(1).strip("\"'")) if alt else "",
            start,
            end,
            lambda destination: f'{tag[: source.start(2)]}"{destination}"{tag[source.end(2) :]}',
        )

    def image(self, src: str, alt: str, start: int, end: int, rewrite: Callable[[str], str]) -> _Edit | None:
        """The edit for a relative image: rewrite(its new destination), or a placeholder if the
        file is missing. None for an image by URL, which stays as it is."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        path = posixpath.normpath(unquote(parts.path))
        if path.startswith("/") or not self.image_exists(path):
            if path in self.left_out:
                return _Edit(start, end, "")
            return _Edit(start, end, _missing_image(path, alt), path, missing=True)
        destination = self.image_prefix + quote(path, safe="/")
        destination += f"?{parts.query}" * bool(parts.query) + f"#{parts.fragment}" * bool(parts.fragment)
        return _Edit(start, end, rewrite(destination), path)

    def apply(self, source: str, edits: list[_Edit]) -> str:
        """The source with the edits made, noting in order the images and exceptions they carry."""
        out, position = [], 0
        for edit in sorted(edits, key=lambda edit: edit.start):
            out += [source[position : edit.start], edit.text]
            position = edit.end
            if edit.image:
                self.images.append(edit.image)
            if edit.missing:
                self.missing_images.append(edit.image)
            if edit.exception:
                self.exceptions.append(edit.exception)
        out.append(source[position:])
        return "".join(out)

    def inline(self, token: Token, *, in_table_cell: bool = False) -> str:
        """The raw inline source with its necessary edits applied."""
        source, children = token.content, token.children or []
        if children and children[0].type == "html_inline" and children[0].content.startswith(_TASK_CHECKBOX):
            # The tasklists plugin strips the "[ ]" that the spans count from.
            source = ("[x]" if "checked" in children[0].content else "[ ]") + source
        edits: list[_Edit] = []
        protected: list[tuple[int, int]] = []  # where bare URLs are not URLs
        first_line = token.map[0] if token.map else 0

        def line_of(position: int) -> int:
            return first_line + source.count("\n", 0, position)

        for child in children:
            span = child.meta.get("span")
            if span is None:
                continue
            start, end = span
            match child.type:
                case "link_open" | "code_inline":
                    protected.append(span)
                case "math_inline" | "math_inline_double":
                    self.formulas += 1
                    protected.append(span)
                    dollars = "$$" if child.type == "math_inline_double" else "$"
                    tex = self.math_delimiters_inside(child.content, line_of(start), dollars)
                    if child.type == "math_inline_double" or tex != child.content:
                        # `$$…$$` inside a line is an inline formula on GitHub (alone on its line it is a
                        # math block); arithmatex reads `$$` only as a block, so it gets its inline spelling.
                        edits.append(_Edit(start, end, f"\\({tex}\\)"))
                case "html_inline":
                    protected.append(span)
                    edits.append(self.tag(source[start:end], start, end))
                case "image":
                    protected.append(span)
                    edits.append(self.markdown_image(source, child, span))
                case "hardbreak":  # from a backslash before the line end, which Python-Markdown would print
                    edits.append(_Edit(start, start + 1, "  "))
        for gap in list(_gaps(len(source), protected)):
            for found in _FULL_WIDTH_MATH.finditer(source, *gap):
                protected.append(found.span())
                self.formulas += 1
                self.slips.append((line_of(found.start()), f"full-width ＄ around the formula '{found.group(1)}' read as $: type $ instead"))
                edits.append(_Edit(*found.span(), f"\\({found.group(1).strip()}\\)"))
        for gap in list(_gaps(len(source), protected)):
            for found in _SPACED_IMAGE.finditer(source, *gap):
                protected.append(found.span())
                alt = found.group("alt")
                edit = self.image(found.group("path"), alt, *found.span(), lambda dest, alt=alt: f"![{alt}]({dest})")
                if edit:
                    edits.append(edit._replace(exception=SPACED_IMAGE_PATH))
        for gap_start, gap_end in _gaps(len(source), protected):
            for found in _BARE_URL.finditer(source, gap_start, gap_end):
                url = _trim_url(found.group())
                if _has_domain(url):
                    edits.append(_Edit(found.start(), found.start() + len(url), _autolink(url)))
            if in_table_cell:
                # markdown-it unescaped the pipes; and Python-Markdown would pair a stray backtick
                # with one in the next cell and read the pipe between as text.
                stray = (i for i in range(gap_start, gap_end) if source[i] in "|`" and source[i - 1 : i] != "\\")
                edits += [_Edit(i, i + 1, "\\" + source[i]) for i in stray]
        return self.apply(source, [edit for edit in edits if edit])

    def math_delimiters_inside(self, tex: str, line: int, dollars: str) -> str:
        """`$\\( x \\)$`, `$$\\[ x \\]$$`: TeX's own delimiters typed inside the dollars, which KaTeX
        cannot parse; the formula is what they enclose."""
        found = _TEX_DELIMITED.fullmatch(tex)
        if found is None:
            return tex
        opening, inner = found.group("open"), found.group("tex")
        closing = "\\)" if opening == "\\(" else "\\]"
        self.slips.append((line, f"{opening} … {closing} inside {dollars} … {dollars} dropped from the formula '{_short(inner)}': "
                                 f"write {dollars}{_short(inner)}{dollars}"))
        return inner.strip()

    def markdown_image(self, source: str, token: Token, span: tuple[int, int]) -> _Edit | None:
        label = token.content  # the raw text between "![" and "]"
        alt = GITHUB.renderer.renderInlineAsText(token.children or [], GITHUB.options, self.env)
        start, end = span
        destination_start = start + len(label) + 4  # just after "![label]("
        if source.startswith("(", destination_start - 1):
            while source[destination_start] in " \t\n":
                destination_start += 1
            destination_end = parseLinkDestination(source, destination_start, end).pos
            return self.image(
                token.attrs["src"],
                alt,
                start,
                end,
                lambda destination: source[start:destination_start] + destination + source[destination_end:end],
            )
        # A reference image is written inline: its definition may serve links too.
        title = token.attrs.get("title")
        title = ' "{}"'.format(str(title).replace('"', '\\"')) if title else ""
        return self.image(token.attrs["src"], alt, start, end, lambda destination: f"![{label}]({destination}{title})")

    def references(self) -> list[str]:
        """Link reference definitions: markdown-it consumes them, Python-Markdown needs them."""
        definitions = []
        for label, reference in self.env.get("references", {}).items():
            title = reference.get("title")
            title = ' "{}"'.format(title.replace('"', '\\"')) if title else ""
            definitions.append(f"[{label}]: {reference['href']}{title}")
        return definitions


def _unwrapped(kind: str, text: str) -> tuple[str, str]:
    """A top-level HTML block that starts with a raw <img> line is no paragraph on
    GitHub, but Python-Markdown would make it one; a <div> around it keeps it out of one, as long as
    none of its lines needed escaping for being read as Markdown (a <div> is shown raw)."""
    if kind != "inline_html" or _tag_name(text) != "img" or any(line.lstrip().startswith(("\\", "&#")) for line in text.split("\n")):
        return kind, text
    return "html_block", f"<div>\n{text}\n</div>"


def _is_tight(node: SyntaxTreeNode) -> bool:
    return all(child.hidden for item in node.children for child in item.children if child.type == "paragraph")


def _is_loose_list_of_paragraphs(node: SyntaxTreeNode) -> bool:
    """A loose list whose items are one-line paragraphs only: each item then fits on its marker's line."""
    return (node.type in _LISTS and not _is_tight(node)
            and all(child.type == "paragraph" and "\n" not in child.children[0].token.content
                    for item in node.children for child in item.children))


def _is_quote_of_paragraphs(node: SyntaxTreeNode) -> bool:
    return node.type == "blockquote" and bool(node.children) and all(
        child.type == "paragraph" and "\n" not in child.children[0].token.content for child in node.children)


def _short(tex: str, limit: int = 40) -> str:
    flat = " ".join(tex.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _compact(body: list[tuple[str, str]]) -> bool:
    """Whether a list item can be written without blank lines, so that its list stays tight."""
    kinds = [kind for kind, _ in body]
    one_line_html = kinds[0] == "html_block" and "\n" not in body[0][1]
    fits = (kinds[0] in _FIT_ON_MARKER_LINE or one_line_html) and (
        len(kinds) == 1 or (kinds[0] == "paragraph" and len(kinds) == 2 and kinds[1] in _UNDER_TIGHT_TEXT)
    )
    return fits and not any(_blank_line_outside_fences(text) for _, text in body)


def _blank_line_outside_fences(text: str) -> bool:
    """A blank line ends a tight item for Python-Markdown, but not inside a fence (superfences reads those first)."""
    fence = ""
    for line in text.split("\n"):
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = ""
        elif found := re.match(r"(`{3,}|~{3,})", stripped):
            fence = found.group(1)
        elif not stripped:
            return True
    return False


def _tight_display_math(text: str) -> str:
    """A display formula written right under an item's text: Python-Markdown reads `$$` only after
    a blank line, which would make the list loose, so it is written as arithmatex's own element,
    every ASCII punctuation character an entity so that no inline Markdown touches the TeX."""
    tex = text.split("\n", 1)[1].rsplit("\n", 1)[0]
    escaped = "".join(f"&#{ord(char)};" if char.isascii() and not char.isalnum() and char not in " \n" else char for char in tex)
    return f'<div class="arithmatex">&#92;&#91;{escaped}&#92;&#93;</div>'


def _item(marker: str, body: list[tuple[str, str]], compact: bool) -> str:
    if compact:
        body = [(kind, _tight_display_math(chunk) if kind == "math_block" else chunk) for kind, chunk in body]
    text = body[0][1]
    for (previous, _), (kind, chunk) in zip(body, body[1:], strict=False):
        text += ("\n" if compact and previous == "paragraph" and kind in _UNDER_TIGHT_TEXT else "\n\n") + chunk
    first_kind, first_text = body[0]
    if first_kind not in _FIT_ON_MARKER_LINE and not (first_kind == "html_block" and "\n" not in first_text):
        # Python-Markdown misreads a fence, quote, formula, rule or list right after the marker.
        text = "<!-- -->\n\n" + text
    first_line, _, rest = text.partition("\n")
    return f"{marker} {first_line}" + ("\n" + _indent(rest) if rest else "")


def _markdown_inside_unclosed(html_block: str) -> str:
    """GitHub ends an HTML block at a blank line and reads the Markdown after it, up to the closing
    tag; Python-Markdown does so only for an element marked markdown="1"."""
    unclosed: list[tuple[str, re.Match]] = []
    for found in _HTML_TAG.finditer(html_block):
        name = _tag_name(found.group())
        if name not in _MARKDOWN_CONTAINERS or found.group().endswith("/>"):
            continue
        if not found.group().startswith("</"):
            unclosed.append((name, found))
        elif name in (open_name for open_name, _ in unclosed):
            while unclosed.pop()[0] != name:
                pass
    for _, found in reversed(unclosed):
        if "markdown=" not in found.group():
            end = found.end() - 1
            html_block = f'{html_block[:end]} markdown="1"{html_block[end:]}'
    return html_block


def _escape_block_syntax_read_as_markdown(html_block: str) -> str:
    """GitHub shows all the text of an HTML block raw; Python-Markdown reads as Markdown the lines
    outside any block-level element and inside one marked markdown="1", so their block syntax
    is escaped (and their indentation, which would make code, dropped)."""
    markdown_inside: list[tuple[str, bool]] = []  # the block-level elements open, innermost last
    lines = []
    for line in html_block.split("\n"):
        if not line.lstrip().startswith("<") and (not markdown_inside or markdown_inside[-1][1]):
            line = _escape_block_syntax(line.lstrip(" \t"))
        for found in _HTML_TAG.finditer(line):
            tag = found.group()
            name = _tag_name(tag)
            if name not in BLOCK_LEVEL_ELEMENTS or name == "hr" or tag.endswith("/>"):
                continue
            if not tag.startswith("</"):
                markdown_inside.append((name, 'markdown="1"' in tag))
            elif name in (open_name for open_name, _ in markdown_inside):
                while markdown_inside.pop()[0] != name:
                    pass
        lines.append(line)
    return "\n".join(lines)


def _tag_name(tag: str) -> str | None:
    name = _TAG_NAME.match(tag)
    return name.group(1).lower() if name else None


def _has_domain(url: str) -> bool:
    host = re.split(r"[/?#]", url.split("://", 1)[-1], maxsplit=1)[0]
    return "." in host.strip(".")
