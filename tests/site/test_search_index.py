"""The search index: what scripts/render/search_index.py writes, and what the built site feeds it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from scripts.emit.search_alias import han_pairs, search_alias
from scripts.render.search_index import (
    BUNDLE,
    CONFIG_FILE,
    SYNONYMS,
    SearchIndexError,
    build_search_index,
    index_chunks,
    index_words,
    latin_vocabulary,
    load_synonyms,
    synonym_key,
)

from ..conftest import built_manifest

QUERIES = Path(__file__).resolve().parents[1] / "search" / "queries.yml"
HARD_QUERIES = QUERIES.with_name("hard-queries.yml")


def page(lang: str, title: str, body: str, indexed: bool = True) -> str:
    marker = " data-pagefind-body" if indexed else ""
    return (f'<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title></head><body>'
            f'<nav>navigation words</nav><article><div{marker}><h1>{title}</h1><p>{body}</p>'
            f'<span class="katex"><span class="katex-mathml">mathsecretword</span></span></div></article></body></html>')


@pytest.fixture
def two_language_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for path, html in {
        "a/index.html": page("zh", "噪声调度策略", "余弦调度"),
        "b/index.html": page("zh", "采样器怎么选", "DDIM"),
        "en/a/index.html": page("en", "Noise schedules", "cosine schedule"),
        "index.html": page("zh", "首页", "目录", indexed=False),
    }.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(html, encoding="utf-8")
    return site


def test_each_language_gets_its_own_index(two_language_site: Path):
    report = build_search_index(two_language_site)
    entry = json.loads((two_language_site / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == {"zh": 2, "en": 1}
    assert report.pages == {"zh": 2, "en": 1}
    assert report.bytes > 0 and report.files > 0


def test_synonyms_are_published_and_unused_pagefind_uis_are_not(two_language_site: Path):
    build_search_index(two_language_site)
    bundle = two_language_site / BUNDLE
    config = json.loads((bundle / CONFIG_FILE).read_text(encoding="utf-8"))
    assert config["synonyms"] == load_synonyms()
    assert (bundle / "pagefind.js").exists() and (bundle / "pagefind-worker.js").exists()
    assert not list(bundle.glob("pagefind-*ui*")) and not (bundle / "pagefind-highlight.js").exists()


def test_small_indexes_are_preloaded_whole(two_language_site: Path):
    build_search_index(two_language_site)
    bundle = two_language_site / BUNDLE
    config = json.loads((bundle / CONFIG_FILE).read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        meta = next(bundle.glob(f"pagefind.{lang}_*.pf_meta"))
        chunks = index_chunks(meta)
        assert chunks and all((bundle / "index" / f"{h}.pf_index").exists() for _, _, h in chunks)
        assert config["preload"][lang].split(" ") == [first for first, _, _ in chunks]


def test_a_site_without_marked_pages_is_an_error(tmp_path: Path):
    # Pagefind would index every <body> whole (navigation, theme, chapter lists): refuse instead.
    (tmp_path / "index.html").write_text(page("zh", "首页", "目录", indexed=False), encoding="utf-8")
    with pytest.raises(SearchIndexError, match="data-pagefind-body"):
        build_search_index(tmp_path)
    assert not (tmp_path / BUNDLE).exists()


def test_missing_pagefind_says_how_to_install_it(tmp_path: Path):
    with pytest.raises(SearchIndexError, match="npm ci"):
        build_search_index(tmp_path, node_project=tmp_path)


def test_synonym_file_is_valid_and_small():
    groups = load_synonyms()
    assert 10 <= len(groups) <= 80
    assert all(len(group) >= 2 for group in groups)
    assert SYNONYMS.stat().st_size < 8 * 1024


@pytest.mark.parametrize("text, message", [
    ("- [CFG, 无分类器引导]\n- [cfg, classifier free guidance]\n", "belongs to one group"),
    ("- [LoRA]\n", "at least two words"),
    ("- LoRA\n", "list of non-empty words"),
])
def test_bad_synonym_files_are_rejected(tmp_path: Path, text: str, message: str):
    path = tmp_path / "synonyms.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SearchIndexError, match=message):
        load_synonyms(path)


def test_synonym_keys_ignore_case_spaces_and_hyphens():
    assert synonym_key("Classifier-Free  Guidance") == synonym_key("classifier free guidance") == "classifier free guidance"


# ---------- the real site ----------

def test_built_site_indexes_every_question_once_and_nothing_else(built_site: Path):
    manifest = built_manifest(built_site)
    entry = json.loads((built_site / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    marked: dict[str, int] = {}
    for html_path in built_site.rglob("*.html"):
        html = html_path.read_text(encoding="utf-8")
        if "data-pagefind-body" in html:
            lang = re.search(r'<html lang="([^"]+)"', html).group(1)
            marked[lang] = marked.get(lang, 0) + 1
    assert marked["zh"] == len(manifest)  # every question, once; chapter, section and home pages not at all
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == marked
    assert "search index: " in (built_site / ".build-log").read_text(encoding="utf-8")


def test_question_pages_mark_body_filters_and_unanswered_notice(built_site: Path):
    manifest = built_manifest(built_site)
    for entry in manifest:
        html = (built_site / entry["url"] / "index.html").read_text(encoding="utf-8")
        assert html.count("data-pagefind-body") == 1, entry["url"]
        assert 'data-pagefind-filter="chapter"' in html
        assert ('data-pagefind-filter="answered"' in html) == entry["answered"], entry["url"]
        assert re.search(r'<h1 data-pagefind-weight="10"', html), entry["url"]
        if not entry["answered"]:
            assert '<div class="admonition info qa-notice">' in html, entry["url"]  # left out of the index
    for html_path in built_site.rglob("*.html"):  # both languages: the filter offers each page's own chapter
        html = html_path.read_text(encoding="utf-8")
        if "data-pagefind-body" in html:
            options = set(re.findall(r'<option>([^<]+)</option>', html))
            chapter = re.search(r'data-pagefind-filter="chapter">([^<]+)<', html).group(1)
            assert chapter in options, html_path
    for other in ["index.html", "sd15/index.html", "404.html"]:
        assert "data-pagefind-body" not in (built_site / other).read_text(encoding="utf-8"), other


def fragments(site: Path) -> list[dict]:
    """Pagefind's stored record of every indexed page (gzip, then a signature, then JSON)."""
    import gzip

    out = []
    for path in sorted((site / BUNDLE / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        out.append(json.loads(raw[raw.index(b"{"):]))
    return out


def test_indexed_text_is_the_question_alone(built_site: Path):
    manifest = {entry["url"]: entry for entry in built_manifest(built_site)}
    records = [r for r in fragments(built_site) if not r["url"].startswith("/en/")]
    assert sorted(r["url"].lstrip("/") for r in records) == sorted(manifest)
    for record in records:
        text = record["content"].replace("\u200b", "")
        entry = manifest[record["url"].lstrip("/")]
        assert record["meta"]["title"] == entry["title"]
        assert text.startswith(entry["title"].replace(" ", "")[:4]) or text.startswith(entry["title"][:4]), record["url"]
        # No theme, navigation, anchors, notice, 相关题目 list or KaTeX output (TeX source, MathML, class names).
        for noise in ["首页", "AIGC 算法面试题库", "纠错 / edit", "¶", "先试着自己作答吧", "相关题目", "katex", "\\frac", "\\mathbf", "\\text{"]:
            assert noise not in text, (record["url"], noise)
        assert record["filters"]["chapter"] == [entry["chapter"]]
        assert ("answered" in record["filters"]) == entry["answered"]
        if not entry["answered"]:
            assert record["word_count"] < 40, record["url"]  # the title only


def test_every_page_has_the_header_search_box(built_site: Path):
    for html_path in [built_site / "index.html", built_site / "sd15" / "index.html", built_site / "sd15" / "sd-cfg-principles" / "index.html"]:
        html = html_path.read_text(encoding="utf-8")
        assert html.count("data-qa-search") == 1 and 'class="md-search__input"' in html
        assert 'data-md-component="search"' not in html  # Material's own search code must not start
        assert "search.js" in html and "search.css" in html


def test_query_set_is_big_enough_and_points_at_real_questions(built_site: Path):
    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    slugs = {entry["slug"] for entry in built_manifest(built_site)}
    assert len(queries) >= 40
    assert len({q["q"] for q in queries}) == len(queries)
    assert {q["kind"] for q in queries} == {"zh", "en", "mixed", "part", "synonym"}
    for q in queries:
        assert q["expect"] and set(q["expect"]) <= slugs, q


def test_hard_query_set_covers_every_kind_and_points_at_real_questions(built_site: Path):
    queries = yaml.safe_load(HARD_QUERIES.read_text(encoding="utf-8"))
    slugs = {entry["slug"] for entry in built_manifest(built_site)}
    assert len(queries) >= 40
    assert len({(q["q"], q.get("lang", "zh")) for q in queries}) == len(queries)
    assert {q["kind"] for q in queries} == {"spoken", "english", "chinese", "typo", "abbrev", "char"}
    assert {q.get("lang", "zh") for q in queries} == {"zh", "en"}
    for q in queries:
        assert q["expect"] and set(q["expect"]) <= slugs, q


# ---------- the alias: the other language's title and the Chinese title's character pairs ----------

def test_han_pairs_make_every_part_of_a_chinese_title_a_word_start():
    assert han_pairs("VAE为什么会导致图像变模糊？") == ["为什", "什么", "么会", "会导", "导致", "致图", "图像", "像变", "变模", "模糊", "糊"]
    assert han_pairs("SD3的VAE") == ["的"]
    assert han_pairs("no Chinese") == []
    title = "长宽比分桶训练策略"
    pairs = han_pairs(title)
    for start in range(len(title)):
        for end in range(start + 1, len(title) + 1):
            part = title[start:end]
            assert any(pair.startswith(part[:2]) for pair in pairs), part  # the query's first word starts a pair
    assert search_alias("马尔可夫链", "Markov chain") == "Markov chain 马尔 尔可 可夫 夫链 链"
    assert search_alias("马尔可夫链", "  ") == "马尔 尔可 可夫 夫链 链"


def alias_of(html: str) -> str | None:
    import html as entities

    found = re.search(r'<span hidden(?:="")? data-pagefind-ignore(?:="")? data-pagefind-meta="alias">([^<]*)</span>', html)
    return entities.unescape(found.group(1)) if found else None


def test_every_question_page_carries_the_other_languages_title_as_alias(built_site: Path):
    for entry in built_manifest(built_site):
        zh = alias_of((built_site / entry["url"] / "index.html").read_text(encoding="utf-8"))
        en = alias_of((built_site / "en" / entry["url"] / "index.html").read_text(encoding="utf-8"))
        assert zh == search_alias(entry["title"], entry["title_en"]), entry["url"]
        assert zh.startswith(entry["title_en"]) if entry["title_en"] else True
        assert en is not None and en.startswith(entry["title"]), entry["url"]  # the Chinese title on /en/
        assert en.endswith(" ".join(han_pairs(entry["title"]))), entry["url"]


def test_the_alias_is_searchable_metadata_and_never_page_text(built_site: Path):
    chinese_title = {entry["url"]: entry["title"] for entry in built_manifest(built_site)}
    records = fragments(built_site)
    assert records and all(r["meta"].get("alias") for r in records)
    for record in records:
        pairs = " ".join(han_pairs(chinese_title[record["url"].removeprefix("/").removeprefix("en/")]))
        assert pairs in record["meta"]["alias"], record["url"]
        assert pairs not in record["content"].replace("\u200b", ""), record["url"]  # no snippet can show the alias
    bundle = built_site / BUNDLE
    words = {lang: {w for w, _ in index_words(bundle, meta)} for meta in bundle.glob("pagefind.*.pf_meta")
             for lang in [meta.name.split(".")[1].rsplit("_", 1)[0]]}
    assert {"blurry", "markov", "糊", "模糊"} <= words["zh"]  # 糊 alone: a word start, though the text says 模糊
    assert {"马尔", "夫链", "糊"} <= words["en"]  # the Chinese title, on a site whose index does not cut Chinese


def test_the_typo_vocabulary_is_the_chinese_indexs_latin_words(built_site: Path):
    config = json.loads((built_site / BUNDLE / CONFIG_FILE).read_text(encoding="utf-8"))
    vocabulary = config["vocabulary"]
    assert vocabulary == latin_vocabulary(built_site / BUNDLE)
    assert {"classifier", "refiner", "scheduler", "attention", "distillation"} <= set(vocabulary)
    assert all(len(word) >= 5 and re.fullmatch("[a-z]+", word) for word in vocabulary)
    counts = list(vocabulary.values())
    assert counts == sorted(counts, reverse=True) and min(counts) >= 1
    assert len(json.dumps(vocabulary)) < 12_000  # fetched by every reader who opens the box
