"""The built question pages: 相关题目 closes each, and first mentions link to live pages."""

from __future__ import annotations

import posixpath
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from ..conftest import built_manifest


def _resolves(site: Path, page_url: str, href: str) -> bool:
    target = posixpath.normpath(posixpath.join(page_url, href))
    return (site / target / "index.html").is_file()


def test_every_question_page_lists_three_to_five_live_related_questions(built_site: Path):
    for entry in built_manifest(built_site):
        for prefix in ("", "en/"):
            url = prefix + entry["url"]
            tree = LexborHTMLParser((built_site / url / "index.html").read_text(encoding="utf-8"))
            blocks = tree.css("article .qa-related")
            assert len(blocks) == 1, url
            links = blocks[0].css("li > a")
            assert 3 <= len(links) <= 5, url
            assert blocks[0].css_first("h2").text().strip().rstrip("¶") in ("相关题目", "Related questions")
            for link in links:
                href = link.attributes["href"]
                assert _resolves(built_site, url, href) and posixpath.normpath(posixpath.join(url, href)) != url.rstrip("/"), (url, href)
            assert len(blocks[0].css(".qa-status")) == len(links) and len(blocks[0].css(".qa-related__chapter")) == len(links)


def test_first_mentions_link_live_pages_from_prose_only(built_site: Path):
    found = 0
    for entry in built_manifest(built_site):
        for prefix in ("", "en/"):
            url = prefix + entry["url"]
            tree = LexborHTMLParser((built_site / url / "index.html").read_text(encoding="utf-8"))
            for link in tree.css("a.qa-crosslink"):
                found += 1
                assert _resolves(built_site, url, link.attributes["href"]), (url, link.attributes["href"])
                ancestor = link.parent
                while ancestor is not None and ancestor.tag != "article":
                    assert ancestor.tag not in ("a", "code", "pre", "h1", "h2", "h3", "h4", "figcaption"), url
                    ancestor = ancestor.parent
    assert found > 0  # the book's answers name CFG, whose question has it as its subject
