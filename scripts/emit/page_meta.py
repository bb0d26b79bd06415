"""What a chat app or a search engine sees of a page: its title, description and JSON-LD.

Chat apps build a link preview from the page's own tags and ignore the #fragment, so every
question page describes itself: the question, its chapter, and the start of its answer as
plain text (no TeX, no markup).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

DESCRIPTION_LENGTH = 120
# Applied to content as arithmatex leaves it, before KaTeX renders: no nested spans yet.
_INLINE_MATH = re.compile(r'<span class="arithmatex">.*?</span>', re.S)
_DROPPED = re.compile(
    r'<(script|style|pre|figure|svg|math|table)\b.*?</\1>|<div class="(?:arithmatex|admonition|qa-related)[^"]*">.*?</div>|<h1\b.*?</h1>|<a[^>]*headerlink[^>]*>.*?</a>',
    re.S | re.I,
)
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|code|del|em|i|kbd|mark|s|small|span|strong|sub|sup|u)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = "。！？；.!?;"


def plain_text(content_html: str) -> str:
    """Readable text of rendered page content: formulas become '…', code and tables are left out."""
    text = _INLINE_MATH.sub("…", content_html)
    text = _DROPPED.sub(" ", text)
    text = _INLINE_TAG.sub("", text)  # inline markup sits inside words: 很<strong>重要</strong>
    text = html.unescape(_TAG.sub(" ", text))
    text = _SPACE.sub(" ", text).strip()
    text = re.sub(r"…(?:\s*…)+", "…", text)
    return re.sub(r"\s+([，。！？；：、,.!?;:）)])", r"\1", text).strip()


def truncate(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """At most `limit` characters, cut after a sentence end when one is near the limit."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    last_stop = max(cut.rfind(mark) for mark in _SENTENCE_END)
    if last_stop >= limit * 0.6:
        return cut[: last_stop + 1]
    return cut.rstrip(" ，、,;；:：") + "…"


def question_description(title: str, chapter: str, answered: bool, content_html: str, text: Mapping[str, str],
                         answer_in_source: bool = False) -> str:
    """The answer's opening as plain text; notices (admonitions) are not part of it. `text` is
    the `meta` section of the page language's strings; `answer_in_source` when a translated
    page shows the book's own answer."""
    opening = plain_text(content_html) if answered else ""
    if opening and answer_in_source:
        return truncate(text["answer_in_source"].format(chapter=chapter, text=opening))
    if opening:
        return truncate(opening)
    return truncate(text["unanswered"].format(title=title, chapter=chapter))


def page_title(title: str, chapter_short: str, site_name: str) -> str:
    return " – ".join(part for part in (title, chapter_short, site_name) if part)


def question_json_ld(title: str, description: str, url: str, answered: bool, chapter: str, language: str = "zh") -> dict:
    question: dict = {"@type": "Question", "name": title, "text": title, "answerCount": 1 if answered else 0, "about": chapter}
    if answered:
        question["acceptedAnswer"] = {"@type": "Answer", "text": description, "url": url}
    return {"@context": "https://schema.org", "@type": "QAPage", "inLanguage": language, "url": url, "mainEntity": question}
