"""Book HTML is untrusted input: show what GitHub would show, nothing that could run.

The book is written for GitHub, which passes rendered markdown through an allowlist
(html-pipeline's SanitizationFilter plus GFM's tagfilter). `sanitize` applies the same policy
with nh3 (Rust's ammonia) to a page's body after Markdown and before build-time KaTeX, whose
output is ours and trusted. Our own extensions' markup (admonitions, code highlighting,
arithmatex placeholders, permalinks, task lists, the missing-figure box) is allowed by class.

A page with nothing to remove comes back byte for byte: ammonia re-serialises everything
(`<br />` → `<br>`, `&para;` → `¶`), which would change every page of a clean book. Whether
anything would go is decided on the browser's view of the markup, by parsing the original
and the sanitised HTML with lexbor (a spec-compliant HTML5 parser) inside a stand-in for the
page around it, so markup that closes or leaves open the page's own elements counts too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import nh3
from pygments.token import STANDARD_TYPES
from selectolax.lexbor import LexborHTMLParser

# html-pipeline's SanitizationFilter elements; h7/h8 are not HTML. <input> and <label> are the
# task list's checkbox, as GitHub's own task list filter adds them.
TAGS = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "br", "b", "i", "strong", "em", "a", "pre", "code", "img", "tt", "div",
    "ins", "del", "sup", "sub", "p", "ol", "ul", "table", "thead", "tbody", "tfoot", "blockquote", "dl", "dt", "dd",
    "kbd", "q", "samp", "var", "hr", "ruby", "rt", "rp", "li", "tr", "td", "th", "s", "strike", "summary", "details",
    "caption", "figure", "figcaption", "abbr", "bdo", "cite", "dfn", "mark", "small", "span", "time", "wbr",
    "input", "label",
})
# Gone with everything inside (GFM's tagfilter list and a few more that hold raw text or a
# second document); any other disallowed tag goes but keeps its text, as <font> does on GitHub.
REMOVED_WITH_CONTENT = frozenset({
    "script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "plaintext", "noscript",
    "template", "object", "embed", "applet", "frame", "frameset",
})
_EVERYWHERE = frozenset({
    "abbr", "align", "alt", "aria-describedby", "aria-hidden", "aria-label", "aria-labelledby", "border", "cellpadding",
    "cellspacing", "clear", "colspan", "datetime", "dir", "headers", "height", "hspace", "id", "lang", "nowrap", "open",
    "role", "rowspan", "scope", "span", "start", "summary", "title", "valign", "value", "vspace", "width", "class",
})
ATTRIBUTES = {
    "*": _EVERYWHERE,
    "a": {"href"},
    "img": {"src", "longdesc"},
    "blockquote": {"cite"}, "del": {"cite"}, "ins": {"cite"}, "q": {"cite"},
    "input": {"checked", "disabled"},
    # Python-Markdown's tables align columns with style="text-align: …" where GitHub writes align=.
    "th": {"style"}, "td": {"style"},
}
STYLE_PROPERTIES = frozenset({"text-align"})
INPUT_TYPES = frozenset({"checkbox"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})  # and relative URLs

# Class names our Markdown extensions and page makers (scripts/emit/pages.py) write; a class from
# the book that is not one of them goes: the theme's and the site's own classes (a screen-reader-only
# class would let a book hide text from sighted readers) are not the book's to use.
_OWN_CLASSES = frozenset({
    "admonition", "admonition-title", "arithmatex", "headerlink", "highlight", "highlighttable", "linenos",
    "linenodiv", "filename", "hll", "task-list", "task-list-item", "task-list-control", "task-list-indicator",
    "footnote", "footnote-ref", "footnote-backref", "qa-missing-image", "qa-notice", "qa-status",
    "qa-status--answered", "qa-status--open", "toc", "qa-related", "qa-related__chapter",
    "qa-intro-start", "qa-intro-end",
})
_PYGMENTS_CLASSES = frozenset(name for name in STANDARD_TYPES.values() if name)
_CLASS_WORD = re.compile(r"[A-Za-z][\w-]*")
# An admonition's or a collapsible block's type is the author's word (!!! note, ??? tip).
_TYPED_BLOCKS = frozenset({"div", "details"})
# Ids the theme and our scripts look up: a book element with one would stand in for theirs.
_RESERVED_ID = re.compile(r"(?:__|md-|qa-)")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return None if _RESERVED_ID.match(value) else value
    if attribute != "class":
        return value
    words = value.split()
    typed = tag in _TYPED_BLOCKS and (tag == "details" or "admonition" in words)
    kept = [w for w in words if w in _OWN_CLASSES or w in _PYGMENTS_CLASSES or (typed and _CLASS_WORD.fullmatch(w))]
    return " ".join(kept) if kept else None


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        tag_attribute_values={"input": {"type": set(INPUT_TYPES)}},
        attribute_filter=_attribute_filter,
        filter_style_properties=set(STYLE_PROPERTIES),
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel=None,  # no rel is added: links are kept as written (target= is not allowed)
    )


# Material's elements around a page's content; book markup that closes one of them early, or
# leaves an element open over the page's own markup after it, parses differently in here (the
# closing span holds text, so a formatting element left open is rebuilt around it).
_PAGE_BEFORE = ('<!DOCTYPE html><html><head></head><body><div class="md-container"><main><div><div>'
                '<article class="md-content__inner">')
_PAGE_AFTER = '<span id="qa-sanitize-end">.</span></article></div></div></main></div></body></html>'


_STYLE_SPACE = re.compile(r"\s+")


def _as_browser_sees_it(fragment: str) -> LexborHTMLParser:
    tree = LexborHTMLParser(_PAGE_BEFORE + fragment + _PAGE_AFTER)
    for node in tree.css("[style]"):  # ammonia rewrites the declarations it keeps: text-align:right
        node.attrs["style"] = _STYLE_SPACE.sub("", node.attributes["style"] or "").rstrip(";")
    return tree


@dataclass(frozen=True)
class Removal:
    """Something GitHub would not show: `what` for the author, `needle` to find it in the book."""

    what: str
    needle: str


@dataclass(frozen=True)
class Sanitized:
    html: str
    removed: tuple[Removal, ...]


def _inventory(tree: LexborHTMLParser) -> Counter:
    items: Counter = Counter()
    for node in tree.root.traverse(include_text=False):
        if node.tag == "-comment":
            continue
        items[(node.tag, None, None)] += 1
        for name, value in node.attributes.items():
            items[(node.tag, name, value or "")] += 1  # <details open> is open=""
    return items


def _describe(tag: str, attribute: str | None, value: str | None) -> Removal:
    if attribute is None:
        return Removal(f"<{tag}>", f"<{tag}")
    shown = (value or "").strip()
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return Removal(f'{attribute}="{shown}" on <{tag}>', attribute)


def sanitize(html: str) -> Sanitized:
    """`html` as GitHub would show it, and what had to go (nothing: `html` itself)."""
    cleaned = _clean(html)
    original, safe = _as_browser_sees_it(html), _as_browser_sees_it(cleaned)
    if original.html == safe.html:
        return Sanitized(html, ())
    lost = _inventory(original) - _inventory(safe)
    # Nothing lost means only the shape changed (an element left open, a stray end tag): the
    # balanced version is what GitHub shows too, and nothing the author wrote is missing.
    removed = dict.fromkeys(_describe(*key) for key in lost)  # first seen first, once each
    return Sanitized(cleaned, tuple(removed))
