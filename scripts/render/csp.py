"""The Content-Security-Policy of every page: scripts only from the site itself, plus the inline
scripts the build wrote into that page, each allowed by the hash of its exact text.

A second line of defence behind sanitising the book: whatever markup slipped through could not
run a script of its own. The policy is a <meta http-equiv> because the site is static files
(GitHub Pages sets no headers of ours); it is computed from the page's final HTML, so the hashes
match byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
import re

# Data blocks (JSON, JSON-LD) are never executed, so they need no hash.
_DATA_TYPES = frozenset({"application/json", "application/ld+json"})
_SCRIPT = re.compile(r"<script(?P<attributes>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.S | re.I)
_TYPE = re.compile(r"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)
_HEAD = re.compile(r"<head\b[^>]*>(?:\s*<meta charset=[^>]*>)?", re.I)

# Pagefind compiles its WebAssembly in the page ('wasm-unsafe-eval' allows exactly that, no
# eval); Material and KaTeX set style attributes, which only 'unsafe-inline' styles allow.
_FIXED = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def inline_script_hashes(page_html: str) -> list[str]:
    """'sha256-…' sources for the page's inline scripts that a browser would run, in page order."""
    hashes = []
    for script in _SCRIPT.finditer(page_html):
        attributes = script["attributes"]
        if _SRC.search(attributes):
            continue
        declared = _TYPE.search(attributes)
        if declared and next(g for g in declared.groups() if g is not None).strip().lower() in _DATA_TYPES:
            continue
        digest = base64.b64encode(hashlib.sha256(script["body"].encode("utf-8")).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def content_security_policy(script_hashes: list[str]) -> str:
    script_src = " ".join(["'self'", "'wasm-unsafe-eval'", *script_hashes])
    directives = {"default-src": _FIXED["default-src"], "script-src": script_src, **_FIXED}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def add_content_security_policy(page_html: str) -> str:
    """The page with its policy first in <head> (after the charset), before anything it governs."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(inline_script_hashes(page_html))}">'
    head = _HEAD.search(page_html)
    if head is None:
        raise ValueError("page has no <head> to put its Content-Security-Policy in")
    return page_html[: head.end()] + meta + page_html[head.end():]
