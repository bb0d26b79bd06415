"""What the first paint waits for, and what a shared link shows, checked on the built pages.

The Lighthouse scores themselves are a benchmark (python -m scripts bench lighthouse); these are
the properties behind them that can be checked without timing.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from PIL import Image

from ..conftest import ROOT, built_manifest

DATA_TYPES = {"application/json", "application/ld+json"}
INLINE_LIMIT = 2048  # the tiny set-up scripts (Material's storage scope, practice mode's classes)


class _HeadScripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_head, self.current, self.scripts, self.og_image = False, None, [], None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "script" and self.in_head:
            self.current = {**attributes, "text": ""}
        elif tag == "meta" and attributes.get("property") == "og:image":
            self.og_image = attributes["content"]

    def handle_data(self, data):
        if self.current is not None:
            self.current["text"] += data

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        elif tag == "script" and self.current is not None:
            self.scripts.append(self.current)
            self.current = None


def head_of(path: Path) -> _HeadScripts:
    parser = _HeadScripts()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def sample_pages(site: Path) -> list[Path]:
    urls = [""] + sorted({e["chapter_slug"] + "/" for e in built_manifest(site)}) + [e["url"] for e in built_manifest(site)]
    return [site / prefix / url / "index.html" for prefix in ("", "en") for url in urls] + [site / "404.html"]


def test_no_script_in_head_blocks_rendering(built_site: Path):
    checked = 0
    for path in sample_pages(built_site):
        for script in head_of(path).scripts:
            checked += 1
            if script.get("type") in DATA_TYPES:
                continue
            where = f"{path.relative_to(built_site)}: {script.get('src') or script['text'][:60]!r}"
            if "src" in script:
                assert "defer" in script or "async" in script or script.get("type") == "module", where
            else:
                assert len(script["text"].encode()) <= INLINE_LIMIT, where
    assert checked > 3 * len(sample_pages(built_site))  # the parser did see the scripts


def test_each_language_previews_with_its_own_card(built_site: Path):
    from mkdocs.config import load_config

    site_url = load_config(str(ROOT / "mkdocs.yml")).site_url
    question = built_manifest(built_site)[0]["url"]
    for prefix, card in (("", "og-default.jpg"), ("en/", "og-en.jpg")):
        for url in ("", question):
            image = head_of(built_site / prefix / url / "index.html").og_image
            assert image == f"{site_url}assets/images/{card}", (prefix + url, image)
        with Image.open(built_site / "assets" / "images" / card) as picture:
            assert (picture.format, picture.size) == ("JPEG", (1200, 630))
