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


def test_the_browser_slug_rule_is_the_build_rule(built_site: Path):
    from scripts.book.identity import SLUG

    slugs = [q["slug"] for q in json.loads((built_site / "assets" / "questions.json").read_text(encoding="utf-8"))]
    out = run_js("practice-storage.js", "return { source: lib.SLUG.source, all: data.every((s) => lib.SLUG.test(s)) };", slugs)
    assert out == {"source": SLUG.pattern, "all": True}


def test_imported_marks_keep_only_valid_entries_of_known_questions():
    # Parsed from JSON as a file is, so "__proto__" arrives as an own key.
    incoming = {
        "__proto__": {"mark": "mastered", "at": 1, "polluted": True}, "constructor": {"mark": "review", "at": 1},
        "prototype": {"mark": "review", "at": 1}, "hasOwnProperty": {"mark": "review", "at": 1},
        "toString": {"mark": "review", "at": 1}, "Upper-Case": {"mark": "review", "at": 1}, "double--dash": {"mark": "review", "at": 1},
        "-lead": {"mark": "review", "at": 1}, "good-mark-string": "mastered", "good-mark-done": {"mark": "done", "at": 1},
        "good-no-at": {"mark": "review"}, "good-text-at": {"mark": "review", "at": "1"}, "good-array": [1],
        "unknown-here": {"mark": "review", "at": 5},
        "alpha": {"mark": "mastered", "at": 10, "extra": "dropped"}, "beta-2": {"mark": "review", "at": 20}, "gamma": {"mark": "review", "at": 30},
    }
    program = """
      const known = new Set(["alpha", "beta-2", "gamma", "good-mark-string", "good-no-at", "constructor"]);
      const strict = lib.validMarks(data, known);
      const loose = lib.validMarks(data);
      const here = { alpha: { mark: "review", at: 99 }, gamma: { mark: "mastered", at: 30 }, other: { mark: "review", at: 1 } };
      const merged = lib.mergeMarks(here, strict.marks);
      return {
        strict: { marks: strict.marks, kept: strict.kept, skipped: strict.skipped, proto: Object.getPrototypeOf(strict.marks) },
        loose: Object.keys(loose.marks).sort(),
        merged: merged.merged, imported: merged.imported, keptNewer: merged.keptNewer,
        polluted: ({}).polluted === undefined && Object.keys(Object.prototype).length === 0,
        notAnObject: [null, [], "x", 3].map((value) => lib.validMarks(value).kept),
      };
    """
    out = run_js("practice-storage.js", program, incoming)
    assert out["strict"] == {"marks": {"alpha": {"mark": "mastered", "at": 10}, "beta-2": {"mark": "review", "at": 20},
                                       "gamma": {"mark": "review", "at": 30}},
                             "kept": 3, "skipped": len(incoming) - 3, "proto": None}
    assert out["loose"] == ["alpha", "beta-2", "gamma", "unknown-here"]  # without the question list, the slug rule alone
    assert out["merged"] == {"alpha": {"mark": "review", "at": 99}, "gamma": {"mark": "review", "at": 30},
                             "other": {"mark": "review", "at": 1}, "beta-2": {"mark": "review", "at": 20}}
    assert (out["imported"], out["keptNewer"]) == (2, 1)  # the newer mark here wins; a tie goes to the file
    assert out["polluted"] is True
    assert out["notAnObject"] == [0, 0, 0, 0]


def test_practice_storage_writes_say_whether_they_stuck_and_failed_reads_are_empty():
    program = """
      const saved = {};
      const works = { getItem: (k) => (k in saved ? saved[k] : null), setItem: (k, v) => { saved[k] = String(v); } };
      const full = { getItem: works.getItem, setItem() { throw Object.assign(new Error("quota"), { name: "QuotaExceededError" }); } };
      const unreadable = { getItem() { throw new Error("SecurityError"); }, setItem: works.setItem };
      const good = lib.practiceStorage("p.", () => works);
      const results = { first: [good.setPracticeOn(true), good.setMarks({ alpha: { mark: "review", at: 1 } }), good.setDraw({ scope: "site" })] };
      const onFull = lib.practiceStorage("p.", () => full);
      results.full = [onFull.setPracticeOn(false), onFull.setMarks({}), onFull.setDraw({}), onFull.practiceOn(), onFull.marks()];
      const noStorage = lib.practiceStorage("p.", () => { throw new Error("SecurityError"); });
      results.none = [noStorage.setPracticeOn(true), noStorage.practiceOn(), noStorage.marks(), noStorage.draw()];
      const blind = lib.practiceStorage("p.", () => unreadable);
      results.blind = [blind.setPracticeOn(true), blind.practiceOn(), blind.marks()];
      saved["p.marks"] = "{not json";
      saved["p.draw"] = "[1, 2]";
      results.corrupt = [good.marks(), good.draw()];
      saved["p.marks"] = JSON.stringify({ alpha: { mark: "mastered", at: 2 }, bad: { mark: "gone", at: 1 }, constructor: { mark: "review", at: 1 } });
      results.cleaned = [good.marks(), lib.markOf(good.marks(), "constructor"), lib.markOf(good.marks(), "toString")];
      return results;
    """
    out = run_js("practice-storage.js", program, None)
    assert out["first"] == [True, True, True]
    assert out["full"] == [False, False, False, True, {"alpha": {"mark": "review", "at": 1}}]  # what is stored is what shows
    assert out["none"] == [False, False, {}, {}]
    assert out["blind"] == [False, False, {}]  # written but unreadable is not saved as far as the page can tell
    assert out["corrupt"] == [{}, {}]
    assert out["cleaned"] == [{"alpha": {"mark": "mastered", "at": 2}}, None, None]


def test_the_browser_pairs_chinese_as_the_alias_does(built_site: Path):
    from scripts.emit.search_alias import han_pairs

    from ..conftest import built_manifest

    titles = [t for entry in built_manifest(built_site) for t in (entry["title"], entry["title_en"])]
    titles += ["", "a", "糊", "模糊模糊", "𠀀字", "SD3的VAE和U-Net", "马尔可夫链 马尔可夫过程"]
    assert run_js("han-pairs.js", "return data.map(lib.hanPairs);", titles) == [han_pairs(t) for t in titles]
    # A query on an index that does not cut Chinese: its Chinese runs become those pairs.
    assert run_js("han-pairs.js", "return data.map(lib.pairQuery);", ["图像变模糊", "SDXL refiner 作用", "FreeU"]) == [
        "图像 像变 变模 模糊 糊", "SDXL refiner 作用 用", "FreeU"]


def _one_edit_apart(a: str, b: str) -> bool:
    """Optimal string alignment distance == 1, by the textbook table."""
    rows = [[max(i, j) if not (i and j) else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)] == 1


def test_one_edit_apart_is_the_textbook_distance_one(built_site: Path):
    import random

    vocabulary = list(json.loads((built_site / "pagefind" / "qa-search.json").read_text(encoding="utf-8"))["vocabulary"])
    rng = random.Random(7)
    pairs = []
    for word in vocabulary[:120]:
        i = rng.randrange(len(word))
        letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
        pairs += [(word, word[:i] + letter + word[i + 1:]), (word, word[:i] + word[i + 1:]), (word, word[:i] + letter + word[i:]),
                  (word, word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:]), (word, rng.choice(vocabulary)), (word, word)]
    assert run_js("typo.js", "return data.map(([a, b]) => lib.oneEditApart(a, b));", pairs) == [_one_edit_apart(a, b) for a, b in pairs]


def test_typos_are_put_right_against_the_published_vocabulary(built_site: Path):
    vocabulary = json.loads((built_site / "pagefind" / "qa-search.json").read_text(encoding="utf-8"))["vocabulary"]
    typed = ["classifer", "refinr", "schedular", "inpainitng", "distilation", "bucketting", "negtive", "guidence",
             "classifier", "refin", "sdxl", "vae", "xyzzyq", "diffusion"]
    got = run_js("typo.js", "return data.words.map((w) => lib.correction(w, data.vocabulary));", {"words": typed, "vocabulary": vocabulary})
    assert dict(zip(typed, got, strict=True)) == {
        "classifer": "classifier", "refinr": "refiner", "schedular": "scheduler", "inpainitng": "inpainting",
        "distilation": "distillation", "bucketting": "bucketing", "negtive": "negative", "guidence": "guidance",
        # Words the index knows (or starts), short words and words one edit from nothing stay as typed.
        "classifier": None, "refin": None, "sdxl": None, "vae": None, "xyzzyq": None, "diffusion": None}


def test_stored_cards_keep_only_well_formed_cards_and_merging_loses_no_rating():
    card = {"due": 5, "stability": 2.3, "difficulty": 2.1, "scheduled_days": 3, "reps": 1, "lapses": 0, "state": 2,
            "last_review": 2, "log": [[2, 3]]}
    incoming = {
        "alpha": {**card, "log": [[2, 3], ["x", 3], [1, 9], [1, 1]], "extra": "dropped"},
        "beta": {**card, "state": 7}, "gamma": {**card, "due": "soon"}, "delta": {**card, "last_review": None, "log": "no"},
        "__proto__": card, "constructor": card, "Upper": card, "unknown": card,
    }
    program = """
      const known = new Set(["alpha", "beta", "gamma", "delta", "constructor"]);
      const strict = lib.validCards(data.incoming, known);
      const here = { alpha: { ...data.card, last_review: 9, due: 99, log: [[9, 4]] }, other: data.card };
      const merged = lib.mergeCards(here, strict.cards);
      const older = lib.mergeCards({ alpha: { ...data.card, last_review: 1, log: [[1, 1]] } }, { alpha: data.card });
      return { cards: strict.cards, kept: strict.kept, skipped: strict.skipped, merged: merged.merged,
               counts: [merged.imported, merged.keptNewer], older: older.merged.alpha };
    """
    out = run_js("practice-storage.js", program, {"incoming": incoming, "card": card})
    assert out["cards"] == {"alpha": {**card, "log": [[1, 1], [2, 3]]}, "delta": {**card, "last_review": None, "log": []}}
    assert (out["kept"], out["skipped"]) == (2, len(incoming) - 2)
    # This browser reviewed alpha later: its card stays, the file's ratings join its log.
    assert out["merged"]["alpha"] == {**card, "last_review": 9, "due": 99, "log": [[1, 1], [2, 3], [9, 4]]}
    assert out["merged"]["delta"]["last_review"] is None and out["merged"]["other"] == card
    assert out["counts"] == [1, 1]
    assert out["older"] == {**card, "log": [[1, 1], [2, 3]]}  # the file's newer card wins, with both logs


def test_marks_and_ratings_schedule_as_documented(tmp_path: Path):
    """lib/schedule.js bundled with ts-fsrs as the site ships it (esbuild, scripts/js/node_modules)."""
    from scripts.render.minify import ESBUILD, NODE_MODULES

    bundle = tmp_path / "schedule.mjs"
    done = subprocess.run([str(ESBUILD), str(LIB / "schedule.js"), "--bundle", "--format=esm", f"--outfile={bundle}", "--log-level=error"],
                          capture_output=True, text=True, env={"NODE_PATH": str(NODE_MODULES)})
    assert done.returncode == 0, done.stderr
    program = f"""
      const lib = await import({json.dumps(bundle.as_uri())});
      const day = 86400000;
      const now = Date.UTC(2026, 10, 30, 2);  // 10:00 in Shanghai
      const days = (card) => Math.round((card.due - now) / day);
      const review = lib.markedCard(null, "review", now);
      const migrated = lib.withMarks({{}}, {{ a: {{ mark: "review", at: now }}, b: {{ mark: "mastered", at: now }} }});
      const out = {{
        ratings: [1, 2, 3, 4].map((rating) => days(lib.rate(null, rating, now))),
        review: [review.due - now, review.log],
        mastered: days(lib.markedCard(null, "mastered", now)),
        marks: [1, 2, 3, 4].map(lib.markAfter),
        second: days(lib.rate(lib.rate(null, 3, now), 3, now + 3 * day)),
        ahead: lib.rate(lib.rate(null, 3, now + day), 3, now).last_review - now,
        migrated: [migrated.a.due - now, days(migrated.b)],
        due: lib.dueSlugs({{ x: {{ due: now + 1 }}, y: {{ due: now - 5 }}, tonight: {{ due: now + 13 * 3600000 }},
                            later: {{ due: now + 14 * 3600000 }} }}, now),
        day: lib.dayText(now + 3 * day, "zh", now) + " / " + lib.dayText(now + 3 * day, "en", now),
      }};
      process.stdout.write(JSON.stringify(out));
    """
    done = subprocess.run([NODE, "--input-type=module", "-e", program], capture_output=True, text=True, timeout=60,
                          env={"TZ": "Asia/Shanghai"})
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["ratings"] == [1, 2, 3, 8]  # Again tomorrow … Easy in eight days; never minutes
    assert out["review"] == [0, [[1796004000000, 1]]]  # 需复习: an Again rating, due at once
    assert out["mastered"] == 8  # 已掌握: an Easy rating
    assert out["marks"] == ["review", None, None, "mastered"]
    assert out["second"] > 6  # a second Good comes back later than the first
    assert out["ahead"] == 86400000  # a card from a clock that ran ahead is rated as of its last review
    assert out["migrated"] == [0, 8]
    assert out["due"] == ["y", "x", "tonight"]  # due before the reader's midnight, the most overdue first
    assert out["day"] == "12月3日周四 / Thu, Dec 3"
