"""What offline use costs a reader: the precache, the worker, and the first visit with and without it.

    python -m scripts bench offline [SITE_DIR]

Builds the site (unless SITE_DIR is a finished build; figures: the owner's when QA_IMAGES names
them, generated stand-ins otherwise), serves it gzipped under the site_url's path with GitHub
Pages' caching (scripts/dev/bench_lighthouse.py), and opens the home page in two fresh browser
contexts in the same run: one with service workers blocked (the site as it was), one where the
worker installs, counting every byte the server sends until the worker controls the page with
its precache complete. Prints the precache (files, bytes raw and gzipped) and the worker's size.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from scripts.dev.bench_lighthouse import COMPRESSED, ROOT, _GzipHandler, build, site_prefix
from scripts.dev.browser import StaticSite, _QuietServer, launch_chromium
from scripts.dev.figures import linked_figures, make_figures
from scripts.render.offline import WORKER, is_figure, is_precached, revision, site_files


class CountingSite(StaticSite):
    """Served like GzipSite (gzip, max-age=600), adding up the bodies it sends (their Content-Length)."""

    def __init__(self, directory: Path, prefix: str = "/"):
        self.sent = self.requests = 0
        counter = self

        class Counting(_GzipHandler):
            def send_header(self, keyword, value):
                if keyword.lower() == "content-length":
                    counter.sent += int(value)
                    counter.requests += 1
                super().send_header(keyword, value)

        handler = type("Handler", (Counting,), {"prefix": prefix})
        self.httpd = _QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{prefix}"

    def reset(self) -> None:
        self.sent = self.requests = 0


def first_visit(browser, site: CountingSite, service_workers: str) -> tuple[int, int, float]:
    """(bytes sent, responses, seconds) for a first visit to the home page in a fresh context."""
    site.reset()
    context = browser.new_context(service_workers=service_workers)
    page = context.new_page()
    started = time.perf_counter()
    page.goto(site.url, wait_until="load")
    if service_workers == "allow":  # the worker activates, and takes the page, once its precache is complete
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=300_000)
    page.wait_for_load_state("networkidle")
    seconds = time.perf_counter() - started
    context.close()
    return site.sent, site.requests, seconds


def precache_size(site: Path) -> tuple[int, int, int, int]:
    """(files, bytes raw, bytes gzipped as served, figures' bytes) of what the worker lists."""
    files = [f for f in site_files(site) if is_precached(f)]
    raw = gz = 0
    for file in files:
        data = (site / file).read_bytes()
        raw += len(data)
        gz += len(gzip.compress(data, 6)) if file.endswith(COMPRESSED) else len(data)
    figures = sum((site / f).stat().st_size for f in site_files(site) if is_figure(f))
    return len(files), raw, gz, figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, help="a finished build to measure (default: build this checkout)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        site = args.site
        if site is None:
            images = Path(os.environ["QA_IMAGES"]).resolve() if os.environ.get("QA_IMAGES") else make_figures(folder / "figures", linked_figures())
            site = folder / "site"
            build(ROOT, site, images)
        if not (site / WORKER).exists():
            raise SystemExit(f"{site} has no {WORKER}: not a build of this checkout")
        files, raw, gz, figures = precache_size(site)
        worker = (site / WORKER).read_bytes()
        with CountingSite(site, site_prefix(ROOT)) as server, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            without = first_visit(browser, server, "block")
            with_worker = first_visit(browser, server, "allow")
            browser.close()
    kb = 1024
    print(f"site {site} served gzipped under {site_prefix(ROOT)}, worker revision {revision(worker)}")
    print(f"precache          {files} files, {raw / kb:,.0f} KB raw, {gz / kb:,.0f} KB gzipped (figures on demand: {figures / kb:,.0f} KB)")
    print(f"worker (sw.js)    {len(worker) / kb:,.1f} KB raw, {len(gzip.compress(worker, 6)) / kb:,.1f} KB gzipped")
    print(f"{'first visit':<17} {'bytes sent':>12} {'responses':>10} {'seconds':>8}")
    for name, (sent, responses, seconds) in (("without worker", without), ("with worker", with_worker)):
        print(f"{name:<17} {sent / kb:>9,.0f} KB {responses:>10} {seconds:>8.1f}")
    print(f"the worker adds   {(with_worker[0] - without[0]) / kb:,.0f} KB to a first visit "
          f"({with_worker[0] / max(without[0], 1):.1f}x); every later page, search and figure seen is local", file=sys.stdout)


if __name__ == "__main__":
    main()
