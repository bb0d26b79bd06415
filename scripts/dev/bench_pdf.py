"""Benchmark the printable book: what printing the PDFs adds to a build.

    python -m scripts bench pdf [--runs 2]

Prints, measured in this one run: the build of our site without the PDFs (the baseline) and with
them (extra.qa.pdf, QA_PDF=1), alternating, median of --runs each; then each PDF's book and
language, its print time inside the build, its size and its pages. The owner's figures when
QA_IMAGES names them, stand-ins of the same names otherwise (the sizes then are not the real ones).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.dev.figures import linked_figures, make_figures

ROOT = Path(__file__).resolve().parents[2]
# The build's own report of the PDF step (scripts/glue/site_build.py _print_pdfs).
_PRINTED = re.compile(r"printed \d+ PDF\(s\) in ([\d.]+) s[^:]*: (.*)")
_ONE = re.compile(r"(\S+\.pdf) [\d.]+ MB in ([\d.]+) s")
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def build(site: Path, images: Path, pdf: bool) -> tuple[float, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "QA_IMAGES": str(images), "QA_PDF": "1" if pdf else "0"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    return seconds, result.stderr


def pages_of(pdf: Path) -> int:
    return len(_PAGE.findall(pdf.read_bytes()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        images = Path(os.environ["QA_IMAGES"]).resolve() if os.environ.get("QA_IMAGES") else make_figures(folder / "figures", linked_figures())
        plain, printed, steps, log = [], [], [], ""
        for _ in range(args.runs):  # alternating, so a machine that slows down weighs on both alike
            plain.append(build(folder / "plain", images, pdf=False)[0])
            seconds, log = build(folder / "printed", images, pdf=True)
            printed.append(seconds)
            match = _PRINTED.search(log)
            if match is None:
                raise SystemExit("the build with QA_PDF=1 reported no PDFs")
            steps.append(float(match.group(1)))
        site = folder / "printed"
        print(f"figures: {'the owner’s (QA_IMAGES)' if os.environ.get('QA_IMAGES') else 'stand-ins'}; median of {args.runs} build(s) each")
        print(f"build without PDFs (baseline): {statistics.median(plain):6.1f} s")
        print(f"build with PDFs:               {statistics.median(printed):6.1f} s  "
              f"(+{statistics.median(printed) - statistics.median(plain):.1f} s; the PDF step itself {statistics.median(steps):.1f} s, one Chromium)")
        print(f"{'PDF':44} {'print s':>8} {'MB':>6} {'pages':>6}")
        for path, seconds in _ONE.findall(_PRINTED.search(log).group(2)):
            pdf = site / path
            print(f"{path:44} {float(seconds):8.1f} {pdf.stat().st_size / 1e6:6.2f} {pages_of(pdf):6d}")
