"""Benchmark the site search: engines compared on the query set, and the shipped one's speed.

    python -m scripts bench search [--engines pagefind-qa,pagefind,material-jieba,material-jieba-typed,minisearch]
                                   [--runs 3] [--check] [--misses] [--baseline REV]

Runs every query of tests/search/queries.yml against each engine, built from the same site, and
the harder set tests/search/hard-queries.yml (spoken questions, the other language's words, typos,
abbreviations, characters from inside a word) against the two Pagefind engines:
- pagefind-qa: what the site ships: Pagefind 1.6 (npm, extended) plus our query layer
  (synonyms, grammatical words, relaxation; docs/assets/javascripts/search.js), run in Chromium;
- pagefind: Pagefind's own ranking of the query as typed, same index, in Chromium;
- material-jieba: Material's search plugin with jieba at build time, the separator fixed to
  include U+200B, and the query segmented in the browser (Intl.Segmenter) before it is typed
  into Material's own box; material-jieba-typed: the same, the query typed as is;
- minisearch: MiniSearch with Chinese cut into words and character pairs, synonyms added, the
  whole index shipped as JSON (evaluated in Node; bytes are what a browser would fetch).
Prints recall@1, recall@3, MRR, index size, bytes fetched for the first query and the build
time each engine adds; then, for the shipped box, how long results take to appear after typing.
--check exits 1 when the shipped engine misses a target (recall@3 >= 95 %, first query
<= 300 KB, results <= 100 ms after typing).
--baseline REV (a git revision, e.g. main) also builds the site as it was at REV, in a scratch
copy of that revision, and prints the shipped engine's scores and bytes there beside today's, on
today's query sets: the "before" of a change, measured in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from scripts.dev.browser import StaticSite, launch_chromium
from scripts.dev.figures import linked_figures, make_figures
from scripts.render.search_index import EXCLUDED_CLASSES, NODE_PROJECT, build_search_index, load_synonyms

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "tests" / "search" / "queries.yml"
HARD_QUERIES = ROOT / "tests" / "search" / "hard-queries.yml"
JIEBA = "jieba==0.42.1"  # what Material's search plugin uses to segment Chinese; bench only
SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；]+"
FIRST_QUERY = "噪声调度策略"
PROBE_PAGE = "sd15/sd-cfg-principles/"  # a page with math and figures, where a reader might start
ENGINES = ["pagefind-qa", "pagefind", "material-jieba", "material-jieba-typed", "minisearch"]
TARGETS = {"recall@3": 0.95, "first_kb": 300, "latency_ms": 100}


@dataclass
class Result:
    engine: str
    rankings: list[list[str]] = field(default_factory=list)  # per query: slugs, best first
    index_bytes: int = 0   # the engine's index data for the Chinese pages (what a zh reader can fetch)
    first_raw: int = 0
    first_gzip: int = 0
    build_s: float = 0.0
    note: str = ""

    def ranks(self, queries: list[dict]) -> list[int | None]:
        return [next((i + 1 for i, slug in enumerate(got) if slug in q["expect"]), None) for q, got in zip(queries, self.rankings, strict=False)]

    def scores(self, queries: list[dict]) -> dict[str, float]:
        ranks = self.ranks(queries)
        n = len(ranks)
        return {"recall@1": sum(r == 1 for r in ranks) / n, "recall@3": sum(bool(r and r <= 3) for r in ranks) / n,
                "mrr": sum(1 / r for r in ranks if r) / n}


def load_queries(path: Path = QUERIES) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def tree_of(query: dict) -> str:
    """The site tree a query is typed into: the Chinese site at the root, others under /<lang>/."""
    lang = query.get("lang", "zh")
    return "" if lang == "zh" else f"{lang}/"


def slug_of(url: str) -> str:
    return url.split("#")[0].rstrip("/").split("/")[-1].removesuffix(".html")


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", **extra}


def figures(scratch: Path) -> Path:
    """The owner's figures when QA_IMAGES names them; stand-ins of the same names otherwise."""
    if os.environ.get("QA_IMAGES"):
        return Path(os.environ["QA_IMAGES"]).resolve()
    folder = scratch / "figures"
    return folder if folder.is_dir() else make_figures(folder, linked_figures())


def build(site: Path, scratch: Path, config: Path | None = None, pythonpath: str | None = None, root: Path = ROOT) -> float:
    env = _env(QA_PAGES=str(site.parent / f"{site.name}-pages"), QA_IMAGES=str(figures(scratch)))
    if pythonpath:
        env["PYTHONPATH"] = pythonpath + os.pathsep + env.get("PYTHONPATH", "")
    args = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict", "--site-dir", str(site)]
    if config:
        args += ["--config-file", str(config)]
    started = time.perf_counter()
    result = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def Server(directory: Path) -> StaticSite:
    return StaticSite(directory)


def chromium():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    return playwright, launch_chromium(playwright)


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# ---------- Pagefind, with and without our query layer ----------

def rank_queries(browser, server: Server, queries: list[dict], layer: bool) -> list[list[str]]:
    """Each query's result slugs, best first, typed into the tree of its language."""
    rankings: dict[int, list[str]] = {}
    for tree in sorted({tree_of(q) for q in queries}):
        page = browser.new_page()
        page.goto(server.url + tree + PROBE_PAGE, wait_until="load")
        mine = [(number, q) for number, q in enumerate(queries) if tree_of(q) == tree]
        if layer:
            page.evaluate("qaSearch.load()")
            for number, q in mine:
                rankings[number] = [slug_of(r["url"]) for r in page.evaluate("q => qaSearch.query(q)", q["q"])]
        else:
            page.evaluate("async () => { window.pf = await import('/pagefind/pagefind.js'); await pf.init(); }")
            for number, q in mine:
                urls = page.evaluate("async q => { const r = await pf.search(q); return Promise.all(r.results.slice(0, 10).map(async x => (await x.data()).url)); }", q["q"])
                rankings[number] = [slug_of(u) for u in urls]
        page.close()
    return [rankings[number] for number in range(len(queries))]


def run_pagefind(browser, server: Server, site: Path, queries: list[dict], layer: bool, runs: int) -> Result:
    result = Result("pagefind-qa" if layer else "pagefind")
    result.rankings = rank_queries(browser, server, queries, layer)
    bundle = site / "pagefind"
    result.index_bytes = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and (p.name.startswith(("zh_", "pagefind.zh_"))))
    result.note = f"engine files {sum(p.stat().st_size for p in bundle.glob('*') if p.is_file() and not p.name.endswith('.pf_meta')) // 1024} KB; all languages {dir_bytes(bundle) // 1024} KB"
    result.first_raw, result.first_gzip = first_query_bytes(browser, server, "/pagefind/", layer)
    result.build_s = statistics.median(build_search_index(site).seconds for _ in range(runs))
    return result


def first_query_bytes(browser, server: Server, marker: str, layer: bool) -> tuple[int, int]:
    """Bytes of the search files fetched by a fresh visitor's first query (raw, gzip -9)."""
    context = browser.new_context()
    page = context.new_page()
    bodies: list[bytes] = []
    page.on("response", lambda r: marker in r.url and r.status == 200 and bodies.append(r.body()))
    page.goto(server.url + PROBE_PAGE, wait_until="load")
    if layer:
        page.click(".md-search__input")
        page.keyboard.insert_text(FIRST_QUERY)
        page.wait_for_selector("[data-qa-search][data-qa-state=done]", state="attached")
    else:
        page.evaluate("async q => { const pf = await import('/pagefind/pagefind.js'); await pf.init(); const r = await pf.search(q);"
                      " await Promise.all(r.results.slice(0, 10).map(x => x.data())); }", FIRST_QUERY)
    page.wait_for_load_state("networkidle")
    context.close()
    return sum(map(len, bodies)), sum(len(gzip.compress(b, 9)) for b in bodies)


# ---------- Material's search with jieba ----------

def material_config(scratch: Path) -> Path:
    """Our site with Material's search plugin on (jieba + a separator with U+200B) and Material's own box."""
    from mkdocs.utils.yaml import yaml_load

    ours = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    overrides = scratch / "overrides"
    shutil.copytree(ROOT / "docs" / "overrides", overrides)
    for ours_only in ["header.html", "search.html"]:  # Material's header shows its own search box
        (overrides / "partials" / ours_only).unlink(missing_ok=True)
    plugins = [{"search": {"separator": SEPARATOR}}, *ours.get("plugins", [])]
    config = {"INHERIT": "mkdocs.yml", "plugins": plugins, "theme": {"name": "material", "custom_dir": str(overrides)}}
    path = ROOT / f".bench-material-{os.getpid()}.yml"  # beside mkdocs.yml: hooks and docs resolve from there
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def install_jieba(scratch: Path) -> str:
    target = scratch / "jieba"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", str(target), JIEBA],
                   check=True, capture_output=True)
    return str(target)


def run_material(browser, scratch: Path, queries: list[dict], runs: int) -> list[Result]:
    jieba = install_jieba(scratch)
    config = material_config(scratch)
    plain_config = ROOT / f".bench-nosearch-{os.getpid()}.yml"
    try:
        site = scratch / "material"
        with_search = statistics.median(build(site, scratch, config, jieba) for _ in range(runs))
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        data["plugins"] = data["plugins"][1:]
        plain_config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        without = statistics.median(build(scratch / "material-plain", scratch, plain_config) for _ in range(runs))
    finally:
        config.unlink(missing_ok=True)
        plain_config.unlink(missing_ok=True)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    segmented = any("\u200b" in doc.get("text", "") + doc.get("title", "") for doc in index["docs"])
    server = Server(site)
    results = []
    try:
        for segment in (True, False):
            result = Result("material-jieba" if segment else "material-jieba-typed",
                            note="" if segmented else "jieba did not segment the index")
            page = browser.new_page()
            page.goto(server.url + PROBE_PAGE, wait_until="networkidle")
            for q in queries:
                text = page.evaluate("q => [...new Intl.Segmenter('zh', {granularity: 'word'}).segment(q)].filter(s => s.isWordLike).map(s => s.segment).join(' ')", q["q"]) if segment else q["q"]
                result.rankings.append(material_query(page, text))
            page.close()
            result.index_bytes = (site / "search" / "search_index.json").stat().st_size
            result.note = (result.note + "; " if result.note else "") + "one index for both languages, all of it fetched on page load"
            result.first_raw, result.first_gzip = material_first_bytes(browser, server)
            result.build_s = max(0.0, with_search - without)
            results.append(result)
    finally:
        server.close()
    return results


def material_query(page, text: str) -> list[str]:
    page.click(".md-search__input")
    page.fill(".md-search__input", "")
    page.keyboard.insert_text(text)
    page.keyboard.press("End")
    # Material renders asynchronously: wait until the list stops changing.
    page.wait_for_function("() => document.querySelector('.md-search-result__meta').textContent.trim() !== ''")
    last, stable = None, 0
    for _ in range(60):
        hrefs = page.eval_on_selector_all(".md-search-result__item > .md-search-result__link", "els => els.map(e => e.href)")
        stable = stable + 1 if hrefs == last else 0
        if stable >= 3:
            break
        last = hrefs
        page.wait_for_timeout(25)
    slugs: list[str] = []
    for href in last or []:
        slug = slug_of(href)
        if slug not in slugs:
            slugs.append(slug)
    return slugs[:10]


def material_first_bytes(browser, server: Server) -> tuple[int, int]:
    context = browser.new_context()
    page = context.new_page()
    bodies: list[bytes] = []
    page.on("response", lambda r: ("/search" in r.url or "/lunr/" in r.url) and r.status == 200 and bodies.append(r.body()))
    page.goto(server.url + PROBE_PAGE, wait_until="networkidle")
    material_query(page, FIRST_QUERY)
    context.close()
    return sum(map(len, bodies)), sum(len(gzip.compress(b, 9)) for b in bodies)


# ---------- MiniSearch ----------

class _Text(HTMLParser):
    """The indexable text of a question page: what Pagefind indexes, read the same way."""

    SKIP = frozenset(EXCLUDED_CLASSES)  # what Pagefind is told to leave out

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside data-pagefind-body
        self.skip = 0
        self.stack: list[bool] = []
        self.title: list[str] = []
        self.body: list[str] = []
        self.in_h1 = False

    VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed", "param", "track"}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        body = "data-pagefind-body" in attrs
        skipping = not self.SKIP.isdisjoint((attrs.get("class") or "").split()) or "data-pagefind-ignore" in attrs
        self.stack.append((body, skipping, tag == "h1"))
        self.depth += body
        self.skip += skipping
        self.in_h1 = self.in_h1 or tag == "h1"

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.stack:
            return
        body, skipping, h1 = self.stack.pop()
        self.depth -= body
        self.skip -= skipping
        if h1:
            self.in_h1 = False

    def handle_data(self, data):
        if self.depth and not self.skip:
            (self.title if self.in_h1 else self.body).append(data)


def site_docs(site: Path, manifest: list[dict]) -> list[dict]:
    docs = []
    for number, entry in enumerate(manifest):
        parser = _Text()
        parser.feed((site / entry["url"] / "index.html").read_text(encoding="utf-8"))
        docs.append({"id": number, "url": entry["url"], "title": entry["title"], "chapter": entry.get("chapter") or "",
                     "section": entry.get("section") or "", "body": re.sub(r"\s+", " ", "".join(parser.body)).strip()})
    return docs


def run_minisearch(site: Path, scratch: Path, manifest: list[dict], queries: list[dict]) -> Result:
    payload = scratch / "minisearch-input.json"
    payload.write_text(json.dumps({"docs": site_docs(site, manifest), "queries": [q["q"] for q in queries],
                                   "synonyms": load_synonyms()}, ensure_ascii=False), encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run(["node", str(ROOT / "scripts" / "search" / "minisearch_candidate.mjs"), str(payload)],
                          cwd=NODE_PROJECT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    out = json.loads(done.stdout)
    library = (NODE_PROJECT / "node_modules" / "minisearch" / "dist" / "umd" / "index.js").read_bytes()
    shipped = [library, out["index"].encode(), out["texts"].encode()]
    return Result("minisearch", rankings=[[slug_of(u) for u in urls] for urls in out["rankings"]],
                  index_bytes=out["indexBytes"] + out["textBytes"], first_raw=sum(map(len, shipped)),
                  first_gzip=sum(len(gzip.compress(b, 9)) for b in shipped), build_s=wall,
                  note=f"whole index + texts for snippets; library unminified; build: node incl. start-up, index itself {out['buildMs'] / 1000:.2f} s")


# ---------- how fast the shipped box answers ----------

def box_latency(browser, server: Server, queries: list[dict], visits: int = 5) -> dict[str, float]:
    """Milliseconds from typing (the input event) to the first results on screen, in the real header box."""
    watch = """() => { const root = document.querySelector('[data-qa-search]'); window.__lat = [];
        const input = root.querySelector('input[name=query]');
        input.addEventListener('input', () => { window.__t0 = performance.now(); root.removeAttribute('data-qa-state'); }, true);
        new MutationObserver(() => { const state = root.dataset.qaState;  // first results on screen: exact hits, or all when none
            if ((state === 'shown' || state === 'done') && window.__t0 !== null) { window.__lat.push(performance.now() - window.__t0); window.__t0 = null; } })
          .observe(root, {attributes: true, attributeFilter: ['data-qa-state']}); }"""

    def typed(page, text: str) -> float:
        count = page.evaluate("() => window.__lat.length")
        page.keyboard.insert_text(text)
        page.wait_for_function("n => window.__lat.length > n", arg=count)
        return page.evaluate("() => window.__lat[window.__lat.length - 1]")

    out = {}
    for name, pause in ((f"cold: typed at once on focus ({visits} visits, median)", 0),
                        (f"first query, typed 0.3 s after focus ({visits} visits, median)", 300)):
        times = []
        for _ in range(visits):
            context = browser.new_context()
            page = context.new_page()
            page.goto(server.url + PROBE_PAGE, wait_until="load")
            page.evaluate(watch)
            page.click(".md-search__input")
            if pause:
                page.wait_for_timeout(pause)
            times.append(typed(page, FIRST_QUERY))
            context.close()
        out[name] = statistics.median(times)
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url + PROBE_PAGE, wait_until="load")
    page.evaluate(watch)
    page.click(".md-search__input")
    typed(page, FIRST_QUERY)
    warm = []
    for q in queries:
        page.fill(".md-search__input", "")
        warm.append(typed(page, q["q"]))
    context.close()
    warm.sort()
    out["warm, median over the query set"] = statistics.median(warm)
    out["warm, 95th percentile"] = warm[int(0.95 * (len(warm) - 1))]
    out["warm, slowest query"] = warm[-1]
    return out


def checkout(revision: str, scratch: Path) -> Path:
    """The repository as it was at `revision`, in a scratch folder, sharing today's npm packages."""
    tree = scratch / "baseline-tree"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=ROOT, capture_output=True)
    if archive.returncode:
        raise SystemExit(f"git archive {revision}: {archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    (tree / "scripts" / "js" / "node_modules").symlink_to(NODE_PROJECT / "node_modules")
    return tree


@dataclass
class Shipped:
    """The shipped engine on both query sets, on one build."""

    label: str
    easy: Result
    hard: Result
    latency: dict[str, float] = field(default_factory=dict)


def measure_shipped(browser, site: Path, label: str, easy: list[dict], hard: list[dict], runs: int) -> Shipped:
    with Server(site) as server:
        result = run_pagefind(browser, server, site, easy, True, runs)
        hard_result = Result("pagefind-qa", rankings=rank_queries(browser, server, hard, True))
        latency = box_latency(browser, server, easy)
    return Shipped(label, result, hard_result, latency)


def print_kinds(results: list[Result], queries: list[dict]) -> None:
    kinds = sorted({q["kind"] for q in queries})
    print("recall@3 by kind of query: " + ", ".join(f"{k} ({sum(q['kind'] == k for q in queries)})" for k in kinds))
    for r in results:
        ranks = r.ranks(queries)
        parts = []
        for kind in kinds:
            mine = [rank for q, rank in zip(queries, ranks, strict=False) if q["kind"] == kind]
            parts.append(f"{kind} {sum(bool(x and x <= 3) for x in mine) / len(mine):.2f}")
        print(f"  {r.engine:<22}" + "  ".join(parts))


def print_misses(results: list[Result], queries: list[dict]) -> None:
    for r in results:
        for q, rank, got in zip(queries, r.ranks(queries), r.rankings, strict=False):
            if rank != 1:
                print(f"  {r.engine}: {q['q']!r}{' (' + q['lang'] + ')' if q.get('lang') else ''} rank {rank}, expected {q['expect']}, got {got[:3]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--runs", type=int, default=3, help="builds per engine for the build-time median")
    parser.add_argument("--check", action="store_true", help="exit 1 when the shipped engine misses a target")
    parser.add_argument("--misses", action="store_true", help="list every query not answered at rank 1")
    parser.add_argument("--baseline", metavar="REV", help="also measure the shipped engine as it was at this git revision")
    args = parser.parse_args(argv)
    engines = [e for e in args.engines.split(",") if e]
    queries = load_queries()
    hard = load_queries(HARD_QUERIES)
    results: list[Result] = []
    hard_results: list[Result] = []
    latency: dict[str, float] = {}
    before: Shipped | None = None
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        site = scratch / "site"
        build(site, scratch)
        manifest = json.loads((scratch / "site-pages" / "manifest.json").read_text(encoding="utf-8"))
        playwright, browser = chromium()
        server = Server(site)
        try:
            if "pagefind-qa" in engines:
                results.append(run_pagefind(browser, server, site, queries, True, args.runs))
                hard_results.append(Result("pagefind-qa", rankings=rank_queries(browser, server, hard, True)))
                latency = box_latency(browser, server, queries)
            if "pagefind" in engines:
                results.append(run_pagefind(browser, server, site, queries, False, args.runs))
                hard_results.append(Result("pagefind", rankings=rank_queries(browser, server, hard, False)))
            if {"material-jieba", "material-jieba-typed"} & set(engines):
                results += [r for r in run_material(browser, scratch, queries, args.runs) if r.engine in engines]
            if "minisearch" in engines:
                results.append(run_minisearch(site, scratch, manifest, queries))
            if args.baseline:
                old_site = scratch / "baseline"
                build(old_site, scratch, root=checkout(args.baseline, scratch))
                before = measure_shipped(browser, old_site, args.baseline, queries, hard, 1)
        finally:
            server.close()
            browser.close()
            playwright.stop()

    print(f"search engines on {len(queries)} queries (tests/search/queries.yml), first query {FIRST_QUERY!r} on /{PROBE_PAGE}")
    header = f"{'engine':<22}{'recall@1':>9}{'recall@3':>9}{'MRR':>7}{'index KB':>10}{'1st query KB raw/gz':>21}{'build s':>9}"
    print("index KB: the engine's index data (Chinese pages); 1st query: bytes a fresh visitor fetches for one search;"
          " build s: time the engine adds to a build")
    print(header)
    print("-" * len(header))
    for r in results:
        s = r.scores(queries)
        print(f"{r.engine:<22}{s['recall@1']:>9.3f}{s['recall@3']:>9.3f}{s['mrr']:>7.3f}{r.index_bytes / 1024:>10.0f}"
              f"{f'{r.first_raw / 1024:.0f} / {r.first_gzip / 1024:.0f}':>21}{r.build_s:>9.2f}" + (f"   ({r.note})" if r.note else ""))
    print_kinds(results, queries)
    if hard_results:
        print(f"\nharder set: {len(hard)} queries (tests/search/hard-queries.yml)")
        for r in hard_results:
            s = r.scores(hard)
            print(f"{r.engine:<22}{s['recall@1']:>9.3f}{s['recall@3']:>9.3f}{s['mrr']:>7.3f}")
        print_kinds(hard_results, hard)
    if args.misses:
        print_misses(results, queries)
        print_misses(hard_results, hard)
    shipped = next((r for r in results if r.engine == "pagefind-qa"), None)
    if before and shipped:
        now = Shipped("this tree", shipped, hard_results[0], latency)
        print(f"\nshipped engine before ({args.baseline}) and now, same query sets, same machine")
        print(f"{'':<22}{'recall@3':>9}{'hard recall@3':>15}{'index KB (zh)':>15}{'1st query KB raw/gz':>21}")
        for row in (before, now):
            print(f"{row.label:<22}{row.easy.scores(queries)['recall@3']:>9.3f}{row.hard.scores(hard)['recall@3']:>15.3f}"
                  f"{row.easy.index_bytes / 1024:>15.1f}{f'{row.easy.first_raw / 1024:.1f} / {row.easy.first_gzip / 1024:.1f}':>21}"
                  f"   ({row.easy.note})")
        print("  results shown after typing, ms: " + "; ".join(
            f"{name}: {before.latency[name]:.0f} -> {now.latency[name]:.0f}" for name in now.latency if name in before.latency))
        if args.misses:
            print_misses([Result(f"before {args.baseline}", rankings=before.hard.rankings)], hard)
    if latency:
        print("shipped box: results shown after typing, this machine's Chromium (target <= 100 ms)")
        for name, ms in latency.items():
            print(f"  {name:<40}{ms:7.1f} ms")

    failed = []
    if shipped:
        recall3 = shipped.scores(queries)["recall@3"]
        print(f"targets: recall@3 {recall3:.3f} (>= {TARGETS['recall@3']}), first query {shipped.first_raw / 1024:.0f} KB raw "
              f"(<= {TARGETS['first_kb']}), results {max((v for k, v in latency.items() if not k.startswith(('cold', 'warm, slowest'))), default=0):.0f} ms "
              f"after typing, first query and warm p95 (<= {TARGETS['latency_ms']})")
        if recall3 < TARGETS["recall@3"]:
            failed.append("recall@3")
        if shipped.first_raw > TARGETS["first_kb"] * 1024:
            failed.append("first query bytes")
        if latency and max(v for k, v in latency.items() if not k.startswith(("cold", "warm, slowest"))) > TARGETS["latency_ms"]:
            failed.append("latency")
    if failed:
        print("MISSED: " + ", ".join(failed))
    return 1 if (args.check and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
