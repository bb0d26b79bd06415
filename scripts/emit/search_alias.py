"""What a question page gives the search index besides its text: words a reader may type for it.

The index holds a page's words in the page's language. Two kinds of query miss it:
- the question's title in the site's other language (an English title typed on the Chinese
  site, a Chinese one on /en/, whose index does not cut Chinese into words at all);
- a Chinese character from inside a word (糊 of 模糊): Pagefind matches words by their start.
So the page carries, as Pagefind metadata (searchable, never shown as a snippet), its title in
the other language and every pair of adjacent Chinese characters of its Chinese title, the last
character of a run alone: any part of the title then starts a word of the index.
"""

from __future__ import annotations

import re

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def han_pairs(text: str) -> list[str]:
    """Adjacent character pairs of each run of Chinese characters, and each run's last character."""
    pairs: list[str] = []
    for run in _HAN_RUN.findall(text):
        pairs += [run[i:i + 2] for i in range(len(run) - 1)]
        pairs.append(run[-1])
    return list(dict.fromkeys(pairs))


def search_alias(chinese_title: str, other_title: str) -> str:
    """The page's alias text: `other_title` (the title not shown on the page, if any) and the
    character pairs of the Chinese title."""
    parts = [other_title.strip()] if other_title.strip() else []
    return " ".join(parts + han_pairs(chinese_title))
