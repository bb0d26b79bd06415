from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "aigc-interview-book.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def book_copy(tmp_path: Path) -> Path:
    """Our book and its registry in a scratch folder, free to edit."""
    target = tmp_path / BOOK.name
    shutil.copy(BOOK, target)
    shutil.copy(BOOK.with_name(BOOK.stem + ".registry.yml"), tmp_path)
    return target


def slugged(path: Path):
    """(book, report): a book parsed, checked and given its slugs, as the pipeline does before emitting."""
    from scripts.check import CheckReport, check_book
    from scripts.identity import assign_slugs, load_registry, registry_path_for
    from scripts.parse import parse_book

    book = parse_book(path)
    report = CheckReport()
    check_book(book, report)
    assign_slugs(book, load_registry(registry_path_for(path)), report.diagnostics)
    return book, report


def slugged_book(path: Path):
    return slugged(path)[0]


def images_dir() -> Path:
    """Tests build with the figures from QA_IMAGES, defaulting to the shared upstream copy."""
    import os

    configured = os.environ.get("QA_IMAGES")
    if configured:
        return (ROOT / configured).resolve()
    shared = ROOT.parent / "shared" / "imgs"
    return shared if shared.is_dir() else ROOT / "imgs"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per test run with `mkdocs build --strict` into a scratch folder."""
    import os
    import subprocess
    import sys

    site = tmp_path_factory.mktemp("built") / "site"
    env = {**os.environ, "QA_IMAGES": str(images_dir()), "QA_PAGES": str(site.parent / "pages"), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (site / ".build-log").write_text(result.stderr, encoding="utf-8")
    return site


def built_manifest(site: Path) -> list[dict]:
    """The splitter's manifest written by the build that made `site`."""
    import json

    return json.loads((site.parent / "pages" / "manifest.json").read_text(encoding="utf-8"))
