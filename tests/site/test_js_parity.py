"""The site's JavaScript helpers against their Python twins, on real data.

Each helper is an ES module under docs/assets/javascripts/lib/, imported here by Node exactly as
the bundles import it; Python gives the expected answer.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from scripts.book.parse import parse_book
from scripts.book.text import match_key
from scripts.dev.bench_search import _Text
from scripts.render.search_index import EXCLUDE_SELECTORS, SYNONYMS, synonym_key
from scripts.strings import StringsError, load_strings

from ..conftest import BOOK, ROOT

LIB = ROOT / "docs" / "assets" / "javascripts" / "lib"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(not NODE, reason="needs Node")


def run_js(module: str, program: str, data) -> object:
    """`program` (an async function body given `lib` and `data`) run by Node over the module lib/`module`."""
    source = f"const lib = await import({json.dumps((LIB / module).as_uri())});\n" \
             f"const data = JSON.parse(await new Response(process.stdin).text());\n" \
             f"const result = await (async () => {{ {program} }})();\n" \
             f"process.stdout.write(JSON.stringify(result));\n"
    done = subprocess.run([NODE, "--input-type=module", "-e", source], input=json.dumps(data),
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_browser_match_key_equals_the_build_key():
    book = parse_book(BOOK)
    texts = [q.anchor for q in book.questions] + [e.text for e in book.toc] + [e.target for e in book.toc]
    texts += ["#user-content-24.StableDiffusion中的safetychecker是什么?", "%E4%BB%80%E4%B9%88", "ＶＡＥ、【ＧＡＮ】—what’s"]
    keys = run_js("match-key.js", "return data.map(lib.matchKey);", texts)
    assert keys == [match_key(t) for t in texts]


TRICKY_WORDS = ["ＬｏＲＡ", "Ｃｌａｓｓｉｆｉｅｒ－Ｆｒｅｅ　Ｇｕｉｄａｎｃｅ", "  Cross_Attention ", "cross-attention",
                "SELF attention", "无分类器引导", "文生图　Text-To-Image", "ｃｆｇ scale", "Ⅻ", "ﬁne-tune", "时间步 TimeStep", ""]


def test_synonym_folding_agrees_on_every_group_and_tricky_words():
    groups = yaml.safe_load(SYNONYMS.read_text(encoding="utf-8"))
    words = [word for group in groups for word in group] + TRICKY_WORDS
    assert run_js("synonyms.js", "return data.map(lib.synonymKey);", words) == [synonym_key(w) for w in words]


def test_full_width_and_case_fold_to_the_same_synonym_key():
    assert synonym_key("ＬｏＲＡ") == synonym_key("lora") == "lora"
    assert synonym_key("Ｃｌａｓｓｉｆｉｅｒ－Ｆｒｅｅ　Ｇｕｉｄａｎｃｅ") == synonym_key("classifier-free guidance")


def test_the_benchmark_skips_exactly_what_pagefind_is_told_to_exclude():
    def skipped(classes: str) -> bool:
        parser = _Text()
        parser.feed(f'<main data-pagefind-body><h1>t</h1><p>kept</p><span class="{classes}">gone</span></main>')
        return "gone" not in "".join(parser.body)

    assert all(selector.startswith(".") for selector in EXCLUDE_SELECTORS), "the benchmark reads class selectors only"
    for selector in EXCLUDE_SELECTORS:
        assert skipped(f"x {selector[1:]} y"), selector
    assert not skipped("katex-html qa-noticed headerlinks")  # Pagefind matches whole classes, so does the benchmark


def test_typing_guard_lets_letters_reach_fields_only():
    cases = [{"tagName": "INPUT"}, {"tagName": "textarea"}, {"tagName": "SELECT"}, {"tagName": "DIV", "isContentEditable": True},
             {"tagName": "BUTTON"}, {"tagName": "A"}, None]
    assert run_js("typing.js", "return data.map((el) => lib.isTypingInField(el));", cases) == [True] * 4 + [False] * 3


def test_strings_with_a_count():
    entries = [["找到 # 道题", 3], [{"zero": "none", "one": "1 question", "other": "# questions"}, 0],
               [{"one": "# question", "other": "# questions"}, 1], [{"one": "# question", "other": "# questions"}, 0]]
    assert run_js("strings.js", "return data.map(([e, n]) => lib.countText(e, n));", entries) == \
        ["找到 3 道题", "none", "1 question", "0 questions"]


# ---------- practice storage: one schema for practice.js and the inline script of practice-head.html

def test_the_inline_head_script_reads_what_practice_storage_writes(built_site: Path):
    questions = json.loads((built_site / "assets" / "questions.json").read_text(encoding="utf-8"))
    question = next(q for q in questions if q["answered"])
    html = (built_site / question["url"] / "index.html").read_text(encoding="utf-8")
    inline = next(s for s in re.findall(r"<script>(.*?)</script>", html, re.S) if "__qaPractice" in s)
    program = """
      const classes = new Set();
      const saved = {};
      const storage = { getItem: (k) => (k in saved ? saved[k] : null), setItem: (k, v) => { saved[k] = String(v); } };
      const site = new URL("http://site.test/book/");
      const store = lib.practiceStorage(lib.storagePrefix(site.pathname), () => storage);
      store.setPracticeOn(true);
      store.setMarks({ [data.slug]: { mark: "review", at: 1 } });
      globalThis.localStorage = storage;
      globalThis.location = new URL(data.url, site);  // the page as served under the site root
      globalThis.window = globalThis;
      globalThis.addEventListener = () => {};
      const documentElement = { classList: { add: (...names) => names.forEach((n) => classes.add(n)), remove() {} } };
      new Function("document", data.inline.replace(/\\(document\\.documentElement\\)/, "(document)"))(documentElement);
      return { classes: [...classes].sort(), key: window.__qaPractice.key, prefix: lib.storagePrefix(site.pathname) };
    """
    out = run_js("practice-storage.js", program, {"slug": question["slug"], "url": question["url"], "inline": inline})
    assert out["classes"] == ["qa-folded", "qa-js", "qa-marked-review", "qa-practice"]
    assert out["key"] == out["prefix"] == "/book/qa-practice."


# ---------- UI strings: scripts/strings/<language>.yml

def test_every_language_says_what_english_says():
    english = load_strings("en")["js"]
    chinese = load_strings("zh")["js"]
    raw = yaml.safe_load((ROOT / "scripts" / "strings" / "zh.yml").read_text(encoding="utf-8"))["js"]
    assert raw.keys() == english.keys()
    for section in english:
        assert raw[section].keys() == english[section].keys(), section
    assert chinese["copyLink"]["idle"] == "复制链接" and english["copyLink"]["idle"] == "Copy link"


def test_missing_keys_and_unknown_languages_fall_back_to_english(tmp_path: Path):
    (tmp_path / "en.yml").write_text("js:\n  a: {x: X, y: Y}\n", encoding="utf-8")
    (tmp_path / "zh.yml").write_text("js:\n  a: {x: 叉}\n", encoding="utf-8")
    assert load_strings("zh", tmp_path) == {"js": {"a": {"x": "叉", "y": "Y"}}}
    assert load_strings("fr", tmp_path) == {"js": {"a": {"x": "X", "y": "Y"}}}


def test_a_malformed_strings_file_names_file_and_line(tmp_path: Path):
    (tmp_path / "en.yml").write_text("js:\n  a: X\n", encoding="utf-8")
    (tmp_path / "zh.yml").write_text("js:\n  a: X\n  b: [unclosed\n  c: Y\n", encoding="utf-8")
    with pytest.raises(StringsError, match=r"zh\.yml:\d+: not valid YAML"):
        load_strings("zh", tmp_path)
    (tmp_path / "zh.yml").write_text("- a list\n", encoding="utf-8")
    with pytest.raises(StringsError, match=r"zh\.yml:1: expected sections"):
        load_strings("zh", tmp_path)


def test_pages_carry_their_language_strings(built_site: Path):
    for page, language in [("index.html", "zh"), ("en/index.html", "en")]:
        html = (built_site / page).read_text(encoding="utf-8")
        found = re.search(r'<script type="application/json" id="qa-strings">(.*?)</script>', html, re.S)
        assert found, page
        assert json.loads(found.group(1)) == load_strings(language)["js"], page
