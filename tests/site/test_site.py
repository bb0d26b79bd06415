"""Tests on the built site: what a reader's browser receives."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from scripts.book.parse import parse_book
from scripts.book.text import match_key

from ..conftest import BOOK, ROOT, built_manifest


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, url) of everything a browser may fetch or follow
        self.ids: set[str] = set()
        self.title = ""
        self._in_title = False
        self.classes: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") in ("canonical", "alternate"):
            return  # names a URL, fetches nothing
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append((tag, name, attributes[name]))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        self.classes += (attributes.get("class") or "").split()
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse_html(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


@pytest.fixture(scope="module")
def pages(built_site: Path) -> dict[Path, _Collector]:
    return {path: parse_html(path) for path in sorted(built_site.rglob("*.html"))}


@pytest.fixture(scope="module")
def manifest(built_site: Path) -> list[dict]:
    return built_manifest(built_site)


def page_of(site: Path, url: str) -> Path:
    return site / url / "index.html"


def test_every_toc_anchor_of_the_book_leads_to_a_built_page(built_site: Path, manifest: list[dict]):
    by_anchor = {match_key(e["anchor"]): e for e in manifest}
    toc = parse_book(BOOK).toc
    assert len(toc) == 95
    for entry in toc:
        question = by_anchor[match_key(entry.target)]
        assert page_of(built_site, question["url"]).is_file(), entry


def test_no_two_pages_share_a_title(pages):
    titles = [c.title.strip() for p, c in pages.items() if p.name == "index.html" and p.parent.name != "404"]
    assert len(titles) == len(set(titles)), [t for t in titles if titles.count(t) > 1]


def test_every_internal_link_and_image_resolves(built_site: Path, pages):
    from mkdocs.config import load_config

    prefix = urlsplit(load_config(str(ROOT / "mkdocs.yml")).site_url).path
    problems = []
    for path, collected in pages.items():
        base = "/" + path.relative_to(built_site).as_posix()
        for tag, attribute, url in collected.links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "mailto") or url.startswith("//"):
                if tag != "a":
                    problems.append(f"{base}: <{tag} {attribute}> loads {url} from another origin")
                continue
            if parts.scheme or not (parts.path or parts.fragment):
                continue
            target = unquote(urlsplit(urljoin(base, url)).path)
            if url.startswith("/"):
                target = "/" + target.removeprefix(prefix)  # the 404 page links from the deployed root
            file = built_site / target.lstrip("/")
            if target.endswith("/"):
                file = file / "index.html"
            if not file.exists():
                problems.append(f"{base}: <{tag} {attribute}={url}> → {target} does not exist")
            elif parts.fragment and file.suffix == ".html" and unquote(parts.fragment) not in pages[file].ids:
                problems.append(f"{base}: {url} → no element with id {parts.fragment!r}")
    assert problems == []


def test_a_figure_the_author_never_published_is_left_out(built_site: Path, manifest: list[dict]):
    refiner = next(e for e in manifest if e["slug"] == "sdxl-refiner")
    html = page_of(built_site, refiner["url"]).read_text(encoding="utf-8")
    assert "pipeline.png" not in html and "qa-missing-image" not in html
    assert "Refiner" in html and not (built_site / "imgs" / "pipeline.png").exists()


def test_images_are_copied_into_the_site(built_site: Path, manifest: list[dict]):
    referenced = {i for e in manifest for i in e["images"]} - {m for e in manifest for m in e["missing_images"]}
    assert len(referenced) == 25
    for image in referenced:
        assert (built_site / image).is_file(), image


def test_every_formula_is_rendered_at_build_time(built_site: Path, manifest: list[dict], pages):
    rendered = errors = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        if not path.relative_to(built_site).as_posix().startswith("en/"):  # the English tree repeats them
            rendered += html.count('<span class="katex">')
        errors += html.count("katex-error") + html.count("qa-math-error")
        assert "\\(" not in html and "\\[" not in html.replace("\\[", "", 0), path
    assert sum(e["formulas"] for e in manifest) == 21  # 5 display + 16 inline in the book
    assert rendered == 21 and errors == 0


def test_no_katex_script_and_self_hosted_css(built_site: Path, pages):
    for path, collected in pages.items():
        sources = [url for tag, _, url in collected.links if tag in ("script", "link")]
        assert not any("katex" in url and url.endswith(".js") for url in sources), path
    css = (built_site / "assets" / "katex" / "katex.min.css").read_text(encoding="utf-8")
    for font in re.findall(r"url\(([^)]+)\)", css):
        assert (built_site / "assets" / "katex" / font.strip("'\"")).is_file(), font


def test_no_web_fonts_or_cdn(pages):
    for path, collected in pages.items():
        for tag, _, url in collected.links:
            assert "fonts.googleapis" not in url and "fonts.gstatic" not in url, path
            if tag in ("script", "link", "img"):
                assert not url.startswith(("http:", "https:", "//")), (path, url)


def test_a_local_build_links_no_unknown_repository(built_site: Path, manifest: list[dict], pages):
    # No repository configured: no dead 纠错 or footer link, and no invitation to use one.
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "qa-edit" not in html and "md-social" not in html, path
    unanswered = next(e for e in manifest if not e["answered"])
    assert "纠错" not in page_of(built_site, unanswered["url"]).read_text(encoding="utf-8")


PLACEHOLDER_HOSTS = re.compile(r"example\.(?:github\.io|com|org|net)|github\.com/example\b|\.invalid\b")


def test_no_built_file_names_a_placeholder_host(built_site: Path):
    found = []
    for path in sorted(built_site.rglob("*")):
        # Pagefind's own scripts parse URLs against "https://example.com", a base no reader sees.
        vendored = path.relative_to(built_site).parts[0] == "pagefind" and path.suffix == ".js"
        if path.is_file() and not vendored and path.suffix in (".html", ".xml", ".txt", ".json", ".js", ".css", ".webmanifest"):
            found += [f"{path.relative_to(built_site)}: {m.group()}" for m in PLACEHOLDER_HOSTS.finditer(path.read_text(encoding="utf-8", errors="replace"))]
    assert found == []


def test_home_page_lists_chapters_with_counts(built_site: Path):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    for chapter, total, answered in [("diffusion-basics", 32, 6), ("sd15", 41, 23), ("sdxl", 9, 3), ("sd3", 13, 8)]:
        assert re.search(rf'href="{chapter}/".*?<td[^>]*>{total}</td>\s*<td[^>]*>{answered}</td>', html, re.S), chapter


def test_navigation_keeps_book_order_and_prunes(built_site: Path, manifest: list[dict]):
    html = page_of(built_site, manifest[0]["url"]).read_text(encoding="utf-8")
    html = re.sub(r'<div class="qa-related">.*?</div>', "", html, flags=re.S)  # its 相关题目 link any chapter
    core = [e for e in manifest[1:] if e["section_slug"] == "core"]
    positions = [html.find(f'href="../{e["slug"]}/"') for e in core]
    assert all(p > 0 for p in positions) and positions == sorted(positions)
    for other in [e for e in manifest if e["chapter_slug"] == "sd3" or e["section_slug"] == "sampling"]:
        assert f'/{other["slug"]}/"' not in html  # pruned: other sections' questions are not in this page


def test_question_pages_link_previous_and_next(built_site: Path, manifest: list[dict]):
    html = page_of(built_site, manifest[5]["url"]).read_text(encoding="utf-8")
    assert f'href="../{manifest[4]["slug"]}/"' in html and f'href="../{manifest[6]["slug"]}/"' in html
    assert 'class="md-footer__link md-footer__link--prev"' in html


def test_pages_load_math_and_lightbox_assets_only_when_they_need_them(built_site: Path, manifest: list[dict]):
    def assets(entry):
        return parse_html(page_of(built_site, entry["url"]))

    plain = next(e for e in manifest if not e["answered"])
    rich = next(e for e in manifest if e["slug"] == "aspect-ratio-bucketing-workflow")
    plain_links = {url.rsplit("/", 1)[-1] for _, _, url in assets(plain).links}
    rich_links = {url.rsplit("/", 1)[-1] for _, _, url in assets(rich).links}
    assert {"katex.min.css", "glightbox.min.js"} <= rich_links
    assert not {"katex.min.css", "glightbox.min.js", "glightbox.min.css"} & plain_links


def test_another_book_builds_with_one_setting(tmp_path: Path):
    """QA_BOOKS=path/to/book.md mkdocs build, several books separated by ':'."""
    from ..conftest import FIXTURES, mkdocs_build

    books = f"{FIXTURES / 'books' / 'html-toc-title.md'}:{FIXTURES / 'books' / 'mixed-levels.md'}"
    site = tmp_path / "site"
    result = mkdocs_build(site, tmp_path / "no-figures", strict=False, QA_BOOKS=books)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "pages" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest) == 5
    for entry in manifest:
        assert page_of(site, entry["url"]).is_file()
    assert "has no slug" in result.stderr  # books without a registry still build, with a warning per slug


class _Head(HTMLParser):
    """The tags in <head> a link preview is built from."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.json_ld: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("property") or attributes.get("name")):
            self.meta[attributes.get("property") or attributes.get("name")] = attributes.get("content") or ""
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes.get("href", "")
        self._in_json = tag == "script" and attributes.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_json:
            self.json_ld.append(data)

    def handle_endtag(self, tag):
        self._in_json = False


def test_every_question_page_carries_link_preview_tags(built_site: Path, manifest: list[dict], pages):
    from mkdocs.config import load_config

    site_url = load_config(str(ROOT / "mkdocs.yml")).site_url
    for entry in manifest:
        path = page_of(built_site, entry["url"])
        head = _Head()
        head.feed(path.read_text(encoding="utf-8"))
        url = site_url + entry["url"]
        title = pages[path].title.strip()
        assert title.startswith(entry["title"] + " – ") and title.endswith(" – AIGC 算法面试题库"), title
        description = head.meta["description"]
        assert 20 <= len(description) <= 125, (entry["url"], description)
        assert not re.search(r"[\\$<>*#`{}]|\]\(", description), (entry["url"], description)
        assert head.canonical == head.meta["og:url"] == url
        for tag in ("og:title", "og:description", "og:type", "og:site_name", "og:locale", "og:image", "twitter:card"):
            assert head.meta.get(tag), (entry["url"], tag)
        assert head.meta["og:description"] == description and head.meta["og:locale"] == "zh_CN"
        assert head.meta["og:image"].startswith(site_url) and (built_site / head.meta["og:image"][len(site_url):]).is_file()
        (data,) = [json.loads(text) for text in head.json_ld]
        assert data["@type"] == "QAPage" and data["mainEntity"]["name"] == entry["title"]
        assert ("acceptedAnswer" in data["mainEntity"]) == entry["answered"]


def test_preview_of_an_unanswered_question_says_so(built_site: Path, manifest: list[dict]):
    entry = next(e for e in manifest if not e["answered"])
    head = _Head()
    head.feed(page_of(built_site, entry["url"]).read_text(encoding="utf-8"))
    assert entry["title"] in head.meta["description"] and "暂无参考答案" in head.meta["description"]


def test_sitemap_lists_every_question_and_robots_points_at_it(built_site: Path, manifest: list[dict]):
    from mkdocs.config import load_config

    site_url = load_config(str(ROOT / "mkdocs.yml")).site_url
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    for entry in manifest:
        assert f"<loc>{site_url}{entry['url']}</loc>" in sitemap
    assert f"Sitemap: {site_url}sitemap.xml" in (built_site / "robots.txt").read_text(encoding="utf-8")


def test_answer_headings_have_readable_stable_anchors(built_site: Path, manifest: list[dict], pages):
    ids = set()
    for entry in manifest:
        ids |= pages[page_of(built_site, entry["url"])].ids
    assert not [i for i in ids if re.fullmatch(r"_\d+", i)]
    page = page_of(built_site, "diffusion-basics/cfg-vs-classifier-guidance/")
    assert "1-分类器引导cg" in pages[page].ids
    assert 'class="headerlink" href="#1-分类器引导cg"' in page.read_text(encoding="utf-8")


def test_old_anchor_map_covers_every_book_anchor(built_site: Path):
    from scripts.book.parse import parse_book

    anchors = json.loads((built_site / "assets" / "anchors.json").read_text(encoding="utf-8"))
    for question in parse_book(BOOK).questions:
        assert anchors[match_key(question.anchor)].endswith("/"), question.anchor
    for entry in parse_book(BOOK).toc:
        assert match_key(entry.target) in anchors, entry


def test_every_figure_has_its_size_and_its_copies_are_published(built_site: Path, manifest: list[dict], pages):
    checked = 0
    for entry in (e for e in manifest if e["images"]):
        path = page_of(built_site, entry["url"])
        tags = re.findall(r"<img\b[^>]*>", path.read_text(encoding="utf-8"))
        figures = [t for t in tags if "/imgs/" in t]
        assert figures, entry["url"]
        for number, tag in enumerate(figures):
            assert re.search(r' width="\d+" height="\d+"', tag), tag
            assert ('loading="lazy"' in tag) == (number > 0), tag
            for candidate in re.findall(r"([^\s,\"]+) \d+w", (re.search(r'srcset="([^"]+)"', tag) or [None, ""])[1]):
                assert (path.parent / unquote(candidate)).resolve().is_file(), candidate
            checked += 1
    assert checked >= 25


def test_the_lightbox_script_waits_until_the_content_is_shown(built_site: Path, manifest: list[dict]):
    rich = next(e for e in manifest if e["slug"] == "aspect-ratio-bucketing-workflow")
    html = page_of(built_site, rich["url"]).read_text(encoding="utf-8")
    head, body = html.split("</head>", 1)
    assert "glightbox.min.js" not in head  # it would block the first paint
    assert re.search(r'<script src="[^"]*glightbox\.min\.js"></script><script id="init-glightbox">', body)


def test_the_404_page_is_in_the_books_language_and_links_each_language_home(built_site: Path):
    from mkdocs.config import load_config

    root = urlsplit(load_config(str(ROOT / "mkdocs.yml")).site_url).path
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in html and "找不到这个页面" in html
    assert re.findall(r'href="([^"]*)" hreflang="(\w+)"', html)[:2] == [(root, "zh"), (root + "en/", "en")]
    home = re.search(r'<a href="([^"]*)">回到首页', html).group(1)
    assert home == root and "//" not in home


def test_no_page_shows_a_python_object_instead_of_a_string(built_site: Path):
    """A template reading a string named like a dict method (`keys`, `items`) by attribute gets the
    method, printed with its memory address: text the reader cannot use, different every build."""
    for path in sorted(built_site.rglob("*.html")):
        assert "<built-in method" not in path.read_text(encoding="utf-8"), path
    assert "快捷键：空格或回车 显示答案" in (built_site / "review" / "index.html").read_text(encoding="utf-8")


def test_chapter_and_section_intros_are_on_their_pages_made_safe_like_answers(tmp_path: Path):
    from scripts.dev.figures import make_figures

    from ..conftest import FIXTURES, mkdocs_build

    figures = make_figures(tmp_path / "figures", ["intro-chapter.png", "intro-section.png"])
    site = tmp_path / "site"
    result = mkdocs_build(site, figures, strict=False, QA_BOOKS=str(FIXTURES / "books" / "intros.md"))
    assert result.returncode == 0, result.stderr
    chapter = page_of(site, "basics/").read_text(encoding="utf-8")
    intro = chapter.index("<p>本章讲<strong>扩散模型</strong>的基础")
    assert chapter.index("</h1>") < intro < chapter.index('<span class="nb">print</span>') < chapter.index('<h2 id="一概念"><a href="concepts/">')
    assert 'class="katex"' in chapter[intro:]
    assert "alert(" not in chapter and "basics/index.md: removed <script>" in result.stderr  # the sanitizer ran on it
    section = page_of(site, "basics/concepts/").read_text(encoding="utf-8")
    assert section.index("这一节先讲概念") < section.index('<a href="../what-is-diffusion/">')
    for page, url in ((chapter, "basics/"), (section, "basics/concepts/")):
        sources = re.findall(r'<img[^>]* src="([^"]+)"', page)
        assert sources and all((site / urlsplit(urljoin(url, src)).path).is_file() for src in sources), sources
    english = page_of(site, "en/advanced/").read_text(encoding="utf-8")
    # The whole intro is in the book's language, though its own HTML holds a </div>; the question
    # list after it is in the page's.
    intro = re.search(r'<div lang="zh">(.*?)</div>(?=<section class="qa-progress")', english).group(1)
    assert intro.startswith("<p>进阶一章没有分节") and intro.endswith("<p>结尾这句也是书的语言。</p>"), intro
    assert '<div align="right">（见上）</div>' in intro and "qa-intro" not in english
    assert english.count('<div lang="zh">') == 1
    for url in ("en/basics/", "en/basics/concepts/"):
        page = page_of(site, url).read_text(encoding="utf-8")
        assert "qa-intro" not in page and page.count('<div lang="zh">') == 1
        assert re.search(r'<div lang="zh"><p>(本章讲|这一节先讲概念)', page), url
    # The progress card comes after the chapter's own text, before its questions.
    code = '<span class="nb">print</span>'
    for url, intro_ends, questions in (("basics/", code, '<h2 id="一概念">'), ("en/basics/", code, '<h2 id="concepts">'),
                                       ("advanced/", "结尾这句也是书的语言。", '<a href="what-is-lora/">'),
                                       ("en/advanced/", "结尾这句也是书的语言。", '<a href="what-is-lora/">')):
        page = page_of(site, url).read_text(encoding="utf-8")
        card = page.index('<section class="qa-progress"')
        title = page.index("</h1>")
        assert title < page.index(intro_ends) < card < page.index(questions, title), url
        assert "qa-intro" not in page, url
    assert "介绍写在这里" in page_of(site, "advanced/").read_text(encoding="utf-8")
