"""First-mention links: where an answer names the subject of another question, its first mention
links there.

Runs on a page's rendered body (after sanitizing, before KaTeX), parsed with lexbor, because
only the parsed tree says for sure what is code, math, a heading or a link: text inside those
(EXCLUDED_TAGS, EXCLUDED_CLASSES) is never touched. Which terms to look for, and where they
lead, is the emit step's decision (scripts/emit/related.py:mention_plan); this module only
places the links. A page with nothing to link comes back unchanged, byte for byte.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from selectolax.lexbor import LexborHTMLParser, LexborNode

from scripts.emit.related import Mention

# Text in these stays as it is: code, math, headings, links, figure and table captions, and
# what is not prose (forms, SVG, MathML, details' summary line).
EXCLUDED_TAGS = frozenset({
    "a", "code", "pre", "kbd", "samp", "var", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "caption",
    "script", "style", "svg", "math", "button", "label", "summary", "textarea", "select", "option",
})
# Math placeholders and KaTeX's output, permalinks, notices and admonition titles, the
# missing-figure box, highlighted code, and the 相关题目 list (all links already).
EXCLUDED_CLASSES = frozenset({
    "arithmatex", "katex", "katex-display", "headerlink", "admonition-title", "qa-notice", "qa-missing-image",
    "highlight", "qa-related", "toc",
})
LINK_CLASS = "qa-crosslink"


def term_pattern(term: str) -> str:
    """A term as a pattern: case, and spaces, hyphens or underscores between its words, do not
    matter (Classifier-Free Guidance = classifier free guidance); a Latin word only as a whole word."""
    words = [re.escape(w) for w in re.split(r"[\s\-_]+", term.strip()) if w]
    pattern = r"[\s\-_]*".join(words)
    if term.strip()[:1].isascii() and term.strip()[:1].isalnum():
        pattern = r"(?<![A-Za-z0-9])" + pattern
    if term.strip()[-1:].isascii() and term.strip()[-1:].isalnum():
        pattern += r"(?![A-Za-z0-9])"
    return pattern


def _excluded(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html", "-undef"):
        if parent.tag in EXCLUDED_TAGS:
            return True
        if not EXCLUDED_CLASSES.isdisjoint((parent.attributes.get("class") or "").split()):
            return True
        parent = parent.parent
    return False


def link_first_mentions(content: str, mentions: Sequence[Mention]) -> str:
    """`content` with the first mention of each Mention's terms in prose made a link to it."""
    patterns = {number: re.compile("|".join(term_pattern(t) for t in sorted(m.terms, key=len, reverse=True)), re.I)
                for number, m in enumerate(mentions) if m.terms}
    if not patterns or not any(p.search(content) for p in patterns.values()):
        return content
    tree = LexborHTMLParser(content)
    texts = [n for n in tree.body.traverse(include_text=True) if n.is_text_node and not _excluded(n)]
    linked = 0
    for node in texts:
        if not patterns:
            break
        text = node.text_content
        pieces: list[str | tuple[str, str]] = []
        at = 0
        while patterns:
            found = [(match.start(), -len(match.group()), number, match) for number, pattern in patterns.items()
                     if (match := pattern.search(text, at))]
            if not found:
                break
            _, _, number, match = min(found)
            pieces += [text[at:match.start()], (match.group(), mentions[number].href)]
            at = match.end()
            del patterns[number]
        if not pieces:
            continue
        pieces.append(text[at:])
        for piece in pieces:
            if isinstance(piece, tuple):
                words, href = piece
                link = LexborHTMLParser(f'<a class="{LINK_CLASS}" href="{html.escape(href)}">{html.escape(words)}</a>').css_first("a")
                node.insert_before(link)
            elif piece:
                node.insert_before(piece)
        node.decompose()
        linked += 1
    return tree.body.inner_html if linked else content
