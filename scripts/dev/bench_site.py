"""Benchmark the site build and what a reader downloads.

    python -m scripts bench site [--copies 30] [--runs 3] [--books N] [--baseline REV [--many-only]]

Prints, measured in this one run:
- the full build time of our site next to a naive Material build of the same pages
  (Material defaults: automatic navigation on every page, lunr search, KaTeX script);
- the build time of a 30× copy of the book, to show how build time grows;
- the build time of a site of many books (ours as N books, N chosen for ~2,700 pages in two
  languages) per page against our one-book site's, and the bytes the first search fetches;
- the HTML size of question pages;
- the bytes Chromium fetches for a question page before images (raw and gzip).

--baseline REV (a git revision, e.g. main) also builds the many-book site with the code as it was
at REV, in a scratch copy of that revision, alternating with today's build --runs times each, and
prints both: wall time (the least of the runs: other work on the machine only adds to it) and CPU
time (user + sys of the build and the processes it runs, Pagefind and Node included; least of
the runs), the "before" of a change, measured in the same run. --many-only skips everything else.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

from scripts.dev.bench_split import BOOK, REGISTRY, make_copies
from scripts.dev.browser import StaticSite, launch_chromium
from scripts.dev.figures import linked_figures, make_figures
from scripts.emit.url_lock import lock_path_for
from scripts.settings import settings_from_mkdocs_yml

ROOT = Path(__file__).resolve().parents[2]
# The baseline: Material's documented recipe, KaTeX from a CDN included. Only the benchmark
# builds it, to measure against; the site itself loads nothing from another origin.
NAIVE_CONFIG = {
    "site_name": "naive",
    "docs_dir": "docs",
    "theme": {"name": "material", "language": "zh"},
    "plugins": ["search"],
    "extra_javascript": ["https://unpkg.com/katex@0/dist/katex.min.js", "https://unpkg.com/katex@0/dist/contrib/auto-render.min.js"],
    "extra_css": ["https://unpkg.com/katex@0/dist/katex.min.css"],
}


def make_books(count: int, folder: Path) -> list[Path]:
    """`count` books, each ours with its chapter and question titles renamed ("（第k册）") and a
    registry of its own: the same slugs in every book (slugs are unique per book), a book slug and
    an English title. The first is ours unchanged, under its own name and lock, as when a site of
    one book gains more."""
    text = BOOK.read_text(encoding="utf-8")
    registry = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    first = folder / BOOK.name
    shutil.copy(BOOK, first)
    shutil.copy(REGISTRY, folder / REGISTRY.name)
    shutil.copy(lock_path_for(BOOK), lock_path_for(first))
    books = [first]
    for k in range(2, count + 1):
        mark = f"（第{k}册）"
        body = re.sub(r"^(##+ .+?)$", rf"\1{mark}", text, flags=re.MULTILINE)
        body = re.sub(r'(<h3 id="[^"]+">)(.+?)(\s*</h3>)', rf"\1\2{mark}\3", body)
        body = re.sub(r"^(- \[.+?)\]\(#", rf"\1{mark}](#", body, flags=re.MULTILINE)
        renamed = {kind: {key + mark: entry for key, entry in registry[kind].items()} for kind in ("chapters", "sections", "questions")}
        renamed["book"] = {"slug": f"interview-{k}", "title": f"面试题库 第{k}册", "en": f"Interview questions, book {k}"}
        if registry.get("absent_figures"):
            renamed["absent_figures"] = registry["absent_figures"]
        book = folder / f"interview-{k}.md"
        book.write_text(body, encoding="utf-8")
        (folder / f"interview-{k}.registry.yml").write_text(yaml.safe_dump(renamed, allow_unicode=True), encoding="utf-8")
        books.append(book)
    # `make urls` after adding the books: our lock keeps its root URLs (they redirect) and gains
    # the new ones, so the build says nothing of unlisted URLs, as on a maintained site.
    if count > 1:
        from scripts.emit.url_lock import read_lock, write_lock
        from scripts.emit.urls import book_urls
        from scripts.pipeline import split_books

        ours = split_books(books).books[0]
        write_lock(lock_path_for(first), read_lock(lock_path_for(first)) + book_urls(ours))
    return books


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}


def timed_build(args: list[str], cwd: Path, env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", *args], cwd=cwd, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if result.returncode:
            raise SystemExit(f"build failed in {cwd}:\n{result.stderr[-3000:]}")
    return statistics.median(times)


def timed_builds(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one build; CPU is user + sys of the build and every process it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", *args], cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise SystemExit(f"build failed in {cwd}:\n{result.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def against_baseline(revision: str, books: list[Path], images: Path, folder: Path, runs: int) -> dict[str, tuple[float, float]]:
    """{label: (least wall, least CPU)} of the many-book site built at `revision` and today, the two
    alternating so that a busy spell of the machine weighs on both; a first, untimed build of each
    fills its caches (minified assets, KaTeX, figures) as a developer's would be."""
    from scripts.dev.bench_search import checkout

    folder.mkdir(parents=True, exist_ok=True)
    trees = {revision: checkout(revision, folder), "today": ROOT}
    env = _env(QA_IMAGES=str(images), QA_BOOKS=":".join(map(str, books)))
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in trees}
    for run in range(runs + 1):
        for label, tree in trees.items():
            measured = timed_builds(["--site-dir", str(folder / f"site-{label}")], tree,
                                    {**env, "QA_PAGES": str(folder / f"pages-{label}")})
            if run:
                times[label].append(measured)
    return {label: (min(w for w, _ in got), min(c for _, c in got)) for label, got in times.items()}


def naive_project(pages: Path, images: Path, folder: Path) -> Path:
    """The same generated pages under a stock Material configuration."""
    project = folder / "naive"
    shutil.copytree(pages, project / "docs", ignore=shutil.ignore_patterns("manifest.json"))
    if images.is_dir():
        shutil.copytree(images, project / "docs" / "imgs")
    for page in (project / "docs").rglob("*.md"):  # pages on templates of ours (offline/) have no stock counterpart
        if re.match(r"---\n(?:.*\n)*?template: ", page.read_text(encoding="utf-8")):
            page.unlink()
    ours = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    # Same Markdown, but MkDocs' default heading anchors (ours pass a Python function, which YAML cannot hold).
    extensions = [{"toc": {"permalink": True}} if isinstance(e, dict) and "toc" in e else e for e in ours["markdown_extensions"]]
    config = dict(NAIVE_CONFIG, markdown_extensions=extensions)
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return project


def page_weight(site: Path, url: str) -> tuple[int, int, int]:
    """(requests, raw bytes, gzip bytes) Chromium fetches for `url`, images excluded."""
    from playwright.sync_api import sync_playwright

    fetched: list[bytes] = []
    with StaticSite(site) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.on("response", lambda r: r.request.resource_type != "image" and r.status == 200 and fetched.append(r.body()))
        page.goto(server.url + url, wait_until="networkidle")
        browser.close()
    return len(fetched), sum(map(len, fetched)), sum(len(gzip.compress(b, 9)) for b in fetched)


PAGES_TARGET = 2700
BASELINE_BOOKS = 13  # ours 13 times: ~2,970 pages in two languages, the many-book target
SEARCH_QUERY = "DDIM采样"


def generated_pages(pages: Path) -> int:
    """The pages a build made from the books (both languages), in its generated docs folder."""
    return sum(1 for path in pages.resolve().rglob("*.md"))


def first_search_bytes(site: Path, url: str, query: str = SEARCH_QUERY) -> tuple[int, int]:
    """(requests, bytes) of pagefind/ a reader's first search fetches: open the box on `url`, type `query`."""
    from playwright.sync_api import sync_playwright

    fetched: list[int] = []

    def count(response) -> None:
        if "/pagefind/" in response.url and response.status == 200:
            try:
                fetched.append(len(response.body()))
            except Exception:  # a response the page dropped before its body came: nothing was read
                pass

    with StaticSite(site) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        page.goto(server.url + url, wait_until="networkidle")
        page.on("response", count)
        page.click(".md-search__input")
        page.keyboard.insert_text(query)
        page.wait_for_selector("[data-qa-search][data-qa-state=done]", state="attached")
        page.wait_for_load_state("networkidle")
        browser.close()
    return len(fetched), sum(fetched)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--books", type=int, default=0, help="books of the many-book site (default: ~2,700 pages)")
    parser.add_argument("--baseline", metavar="REV", help="also build the many-book site as it was at this git revision")
    parser.add_argument("--many-only", action="store_true", help="with --baseline: measure only the many-book site")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        # The owner's figures when QA_IMAGES names them; stand-ins of the same names otherwise.
        pages = settings_from_mkdocs_yml(ROOT / "mkdocs.yml").pages  # where our build left its pages
        images = Path(os.environ["QA_IMAGES"]).resolve() if os.environ.get("QA_IMAGES") else make_figures(folder / "figures", linked_figures())
        if args.baseline:
            count = args.books or BASELINE_BOOKS
            measured = against_baseline(args.baseline, make_books(count, folder / "shelf"), images, folder / "baseline", args.runs)
            print(f"a site of {count} books, before ({args.baseline}) and now, alternating, least of {args.runs} runs each")
            (old_wall, old_cpu), (wall, cpu) = measured[args.baseline], measured["today"]
            print(f"  {args.baseline + ':':10s} {old_wall:6.2f} s wall, {old_cpu:6.2f} s CPU")
            print(f"  {'today:':10s} {wall:6.2f} s wall, {cpu:6.2f} s CPU   ({wall / old_wall:.2f}x wall, {cpu / old_cpu:.2f}x CPU; target < 30 s wall)")
            if args.many_only:
                return
        ours_site = folder / "ours"
        ours = timed_build(["--site-dir", str(ours_site)], ROOT, _env(QA_IMAGES=str(images)), args.runs)
        naive_dir = naive_project(pages, images, folder)
        naive = timed_build(["--site-dir", str(folder / "naive-site")], naive_dir, _env(), args.runs)
        big_book = make_copies(args.copies, folder)
        big = timed_build(["--site-dir", str(folder / "big")], ROOT, _env(QA_IMAGES=str(images), QA_BOOKS=str(big_book)), 1)
        timed_build(["--site-dir", str(folder / "ours-again")], ROOT, _env(QA_IMAGES=str(images)), 1)  # restore build/pages
        ours_pages = generated_pages(pages)
        per_book = ours_pages  # its pages in both languages, with its own home in each instead of the site home
        count = args.books or max(2, round(PAGES_TARGET / per_book))
        shelf = make_books(count, folder / "shelf")
        shelf_pages = folder / "shelf-pages"
        shelf_site = folder / "shelf-site"
        many = timed_build(["--site-dir", str(shelf_site)], ROOT,
                           _env(QA_IMAGES=str(images), QA_BOOKS=":".join(map(str, shelf)), QA_PAGES=str(shelf_pages)), 1)
        many_pages = generated_pages(shelf_pages)
        question = json.loads((shelf_pages / "manifest.json").read_text(encoding="utf-8"))[-1]["url"]
        search_one = first_search_bytes(ours_site, "sd15/")
        search_many = first_search_bytes(shelf_site, question)

        urls = [e["url"] for e in json.loads((pages / "manifest.json").read_text(encoding="utf-8"))]
        sizes = sorted((ours_site / url / "index.html").stat().st_size for url in urls)
        gzipped = sorted(len(gzip.compress((ours_site / url / "index.html").read_bytes(), 9)) for url in urls)
        chrome = sorted(len(html.encode()) - len(re.search(r"<article.*?</article>", html, re.S).group(0).encode())
                        for html in ((ours_site / url / "index.html").read_text(encoding="utf-8") for url in urls))
        naive_sizes = sorted((folder / "naive-site" / url / "index.html").stat().st_size for url in urls)
        samples = ["sd15/aspect-ratio-bucketing-workflow/", urls[0]]  # the heaviest (math + figures), a plain one
        weights = [(url, page_weight(ours_site, url), page_weight(folder / "naive-site", url)) for url in samples]

    print("build time (median of", args.runs, "runs)")
    print(f"  our site, 1x book:         {ours:6.2f} s")
    print(f"  naive Material, same pages:{naive:6.2f} s   ratio {ours / naive:.2f}x (target <= 1.0x)")
    print(f"  our site, {args.copies}x book:        {big:6.2f} s   {big / ours:.1f}x the 1x build (target <= 35x)")
    print(f"a site of many books (ours as {count} books, 1 run, against the 1x build above)")
    print(f"  one book:  {ours:6.2f} s for {ours_pages} pages, {1000 * ours / ours_pages:.1f} ms per page")
    print(f"  {count} books: {many:6.2f} s for {many_pages} pages, {1000 * many / many_pages:.1f} ms per page "
          f"({many / many_pages / (ours / ours_pages):.2f}x per page; target: flat, and < 30 s for ~{PAGES_TARGET:,} pages)")
    print(f"first search (open the box, type {SEARCH_QUERY!r}): bytes of pagefind/ fetched")
    print(f"  one book:  {search_one[0]} requests, {search_one[1] / 1024:.1f} KB")
    print(f"  {count} books: {search_many[0]} requests, {search_many[1] / 1024:.1f} KB on /{question} (target <= 300 KB)")
    print("question page HTML")
    print(f"  ours:  median {statistics.median(sizes) / 1024:.1f} KB, max {sizes[-1] / 1024:.1f} KB over {len(sizes)} pages (target <= 20 KB);"
          f" gzip median {statistics.median(gzipped) / 1024:.1f} KB, max {gzipped[-1] / 1024:.1f} KB")
    print(f"  ours without the answer itself (theme + navigation): median {statistics.median(chrome) / 1024:.1f} KB, max {chrome[-1] / 1024:.1f} KB")
    print(f"  naive: median {statistics.median(naive_sizes) / 1024:.1f} KB, max {naive_sizes[-1] / 1024:.1f} KB")
    for url, weight, naive_weight in weights:
        print(f"bytes fetched before images for /{url}")
        print(f"  ours:  {weight[0]} requests, {weight[1] / 1024:.1f} KB raw, {weight[2] / 1024:.1f} KB gzip (target <= 150 KB)")
        print(f"  naive: {naive_weight[0]} requests, {naive_weight[1] / 1024:.1f} KB raw, {naive_weight[2] / 1024:.1f} KB gzip "
              "(same-origin only: its Google Fonts and KaTeX CDN requests fail offline)")


if __name__ == "__main__":
    main()
