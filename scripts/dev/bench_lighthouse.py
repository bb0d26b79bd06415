"""Lighthouse scores of the built site, now and at a baseline revision, in one run.

    python -m scripts bench lighthouse [SITE_DIR] [--baseline REV | --before SITE_DIR | --no-baseline]
    make lighthouse

Builds the site (unless SITE_DIR is a finished build) and the baseline revision (from
`git archive`, so no checkout is touched), serves each gzipped under the site_url's path the way
a static host does, and runs Lighthouse's mobile preset (simulated throttling) on the home page,
a chapter page and the page with the heaviest figures, several times (scores vary with the
machine's load: Lighthouse simulates a slow phone from what it observes). Prints the four
category scores of the median run, the range of performance scores, LCP and the bytes
transferred per page. Figures: the owner's when QA_IMAGES names them, generated
stand-ins of the same names otherwise (as in bench_site).

Lighthouse 12.8.2 comes from scripts/lighthouse (`make lighthouse` installs it on demand).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from scripts.dev.browser import CHROMIUM, StaticSite, _QuietServer, _SiteHandler
from scripts.dev.figures import linked_figures, make_figures

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "scripts" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
# Before the critical-path work began.
DEFAULT_BASELINE = "04d5b6b"
PAGES = {"home": "", "chapter": "sd3/", "figures": "sd3/sd3-vae-innovations/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".pf_meta", ".pf_index", ".pf_fragment")


class _GzipHandler(_SiteHandler):
    """Compresses text responses when asked, and caches like GitHub Pages (max-age=600)."""

    protocol_version = "HTTP/1.1"  # keep-alive, as any real host

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def do_GET(self):
        path = Path(self.translate_path(self.path.split("?", 1)[0]))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() or path.suffix not in COMPRESSED:
            return super().do_GET()
        if not self.path.split("?", 1)[0].endswith("/") and path.name == "index.html":
            return super().do_GET()  # the folder redirect
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class GzipSite(StaticSite):
    """StaticSite, answering with _GzipHandler."""

    def __init__(self, directory: Path, prefix: str = "/"):
        handler = type("Handler", (_GzipHandler,), {"prefix": prefix})
        self.httpd = _QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{prefix}"


def site_prefix(project: Path) -> str:
    from mkdocs.config import load_config

    return urlsplit(load_config(str(project / "mkdocs.yml")).site_url).path or "/"


def build(project: Path, site: Path, images: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "QA_IMAGES": str(images), "QA_SITE_DIR": str(site)}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                            cwd=project, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"build failed in {project}:\n{result.stderr[-3000:]}")
    print(f"built {project.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def export_revision(revision: str, folder: Path) -> Path:
    """The tree of `revision`, ready to build with this checkout's node_modules."""
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=ROOT, capture_output=True)
    if archive.returncode:
        raise SystemExit(f"git archive {revision}: {archive.stderr.decode(errors='replace').strip()}")
    project = folder / f"baseline-{revision}"
    project.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(project, filter="data")
    (project / "scripts" / "js" / "node_modules").symlink_to(ROOT / "scripts" / "js" / "node_modules")
    return project


def lighthouse(url: str, report: Path) -> dict:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"Lighthouse is missing ({LIGHTHOUSE}); run `make lighthouse` (it installs scripts/lighthouse).")
    command = ["node", str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    result = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=300)
    if result.returncode or not report.exists():
        raise SystemExit(f"lighthouse {url} failed:\n{result.stderr[-3000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def summary(result: dict) -> dict:
    audits = result["audits"]
    return {
        **{name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES},
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "kb": audits["total-byte-weight"]["numericValue"] / 1024,
        # What keeps a score below 100, to say what remains.
        "failing": sorted(
            audit_id for category in result["categories"].values() for ref in category["auditRefs"]
            if ref["weight"] and (audit_id := ref["id"]) in audits and audits[audit_id]["score"] is not None
            and audits[audit_id]["score"] < 0.9
        ),
    }


def measure(sites: dict[str, Path], prefix: str, reports: Path, runs: int) -> dict[str, dict[str, dict]]:
    """Each page of each build `runs` times, interleaved so that a busy machine slows both builds
    alike; per page and build, the run of median performance, with the spread of the scores."""
    servers = {label: GzipSite(site, prefix) for label, site in sites.items()}
    scored: dict[str, dict[str, list[dict]]] = {label: {name: [] for name in PAGES} for label in sites}
    try:
        for run in range(runs):
            for name, path in PAGES.items():
                for label, server in servers.items():
                    started = time.perf_counter()
                    report = reports / f"{label.split()[0]}-{name}-{run + 1}.json"
                    scored[label][name].append(summary(lighthouse(server.url + path, report)))
                    print(f"lighthouse {label} {name} run {run + 1}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    finally:
        for server in servers.values():
            server.close()
    results: dict[str, dict[str, dict]] = {}
    for label, pages in scored.items():
        for name, tries in pages.items():
            ordered = sorted(tries, key=lambda r: r["performance"])
            median = ordered[len(ordered) // 2]
            results.setdefault(label, {})[name] = {**median, "spread": f"{ordered[0]['performance']}-{ordered[-1]['performance']}"}
    return results


def table(runs: dict[str, dict[str, dict]]) -> str:
    lines = [f"{'page':<9} {'build':<10} {'perf':>4} {'range':>6} {'a11y':>4} {'bp':>4} {'seo':>4} {'LCP s':>6} {'KB':>7}  below 0.9"]
    for name, path in PAGES.items():
        for label, results in runs.items():
            r = results[name]
            lines.append(f"{name:<9} {label:<10} {r['performance']:>4} {r['spread']:>6} {r['accessibility']:>4} {r['best-practices']:>4} {r['seo']:>4}"
                         f" {r['lcp']:>6.2f} {r['kb']:>7.1f}  {' '.join(r['failing']) or '-'}")
        lines.append(f"{'':<9} (/{path})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, help="a finished build to measure (default: build this checkout)")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help=f"the revision to compare with (default {DEFAULT_BASELINE})")
    parser.add_argument("--before", type=Path, help="a finished build of the baseline instead of building --baseline")
    parser.add_argument("--no-baseline", action="store_true", help="measure only this checkout")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page and build; the median is shown (default 3)")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports in this folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        images = Path(os.environ["QA_IMAGES"]).resolve() if os.environ.get("QA_IMAGES") else make_figures(folder / "figures", linked_figures())
        reports = args.reports or folder / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        prefix = site_prefix(ROOT)
        sites: dict[str, Path] = {}
        if not args.no_baseline:
            if args.before:
                sites["before"] = args.before
            else:
                project = export_revision(args.baseline, folder)
                build(project, folder / "before", images)
                sites["before"] = folder / "before"
        if args.site:
            sites["after"] = args.site
        else:
            build(ROOT, folder / "after", images)
            sites["after"] = folder / "after"
        results = measure(sites, prefix, reports, args.runs)
        if args.reports is None:
            shutil.rmtree(reports)
    print(f"Lighthouse 12.8.2, mobile, simulated throttling; served gzipped under {prefix}; median of {args.runs} run(s)")
    print(table(results))


if __name__ == "__main__":
    main()
