"""Drop the indentation Material's templates leave in every page.

Only whitespace that cannot change rendering goes: a line break followed by spaces
collapses to the line break (HTML renders both as one space), except inside
<pre>, <textarea> and <script>, where whitespace is content. Blank lines go too.
"""

from __future__ import annotations

import re

_VERBATIM = re.compile(r"(<(pre|textarea|script)\b.*?</\2\s*>)", re.S | re.I)
_INDENTED_BREAK = re.compile(r"\n[ \t\r\n]+")


def compact_html(html: str) -> str:
    parts = _VERBATIM.split(html)
    out = []
    for index, part in enumerate(parts):
        kind = index % 3
        if kind == 0:
            out.append(_INDENTED_BREAK.sub("\n", part))
        elif kind == 1:
            out.append(part)  # a verbatim element, kept byte for byte
    return "".join(out)
