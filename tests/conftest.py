from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from scripts.dev.figures import linked_figures, make_figures
from scripts.settings import ENVIRONMENT_VARIABLES

# Tests build the site as a local build would, whatever the shell or the CI runner has set:
# publishing addresses and book locations come from each test, never from the environment.
for _name in (*ENVIRONMENT_VARIABLES, "QA_SITE_DIR"):  # QA_SITE_DIR is mkdocs.yml's own (site_dir)
    os.environ.pop(_name, None)

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
    from scripts.book.check import CheckReport, check_book
    from scripts.book.identity import assign_slugs, load_registry, registry_path_for
    from scripts.book.parse import parse_book

    book = parse_book(path)
    report = CheckReport()
    check_book(book, report)
    assign_slugs(book, load_registry(registry_path_for(path)), report.diagnostics)
    return book, report


def slugged_book(path: Path):
    return slugged(path)[0]


@pytest.fixture(scope="session")
def book_figures(tmp_path_factory) -> Path:
    """A folder holding a generated figure for every figure our book links."""
    return make_figures(tmp_path_factory.mktemp("figures"), linked_figures())


def mkdocs_build(site: Path, figures: Path, *, strict: bool = True, config: Path | None = None, **environ: str):
    """`mkdocs build` of this repository into `site` (its generated pages beside it), with the
    figures read from `figures`; `environ` adds or overrides variables (QA_BOOKS=…); `config`
    replaces mkdocs.yml (it must sit in the repository's root, as relative paths start there)."""
    import subprocess
    import sys

    env = {**os.environ, "QA_IMAGES": str(figures), "QA_PAGES": str(site.parent / "pages"), "NO_MKDOCS_2_WARNING": "1", **environ}
    config_args = ["--config-file", str(config)] if config else []
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *config_args, *(["--strict"] * strict), "--site-dir", str(site)],
                          cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, book_figures: Path) -> Path:
    """The real site, built once per test run with `mkdocs build --strict` into a scratch folder."""
    site = tmp_path_factory.mktemp("built") / "site"
    result = mkdocs_build(site, book_figures)
    assert result.returncode == 0, result.stdout + result.stderr
    (site / ".build-log").write_text(result.stderr, encoding="utf-8")
    return site


def built_manifest(site: Path) -> list[dict]:
    """The splitter's manifest written by the build that made `site`."""
    import json

    return json.loads((site.parent / "pages" / "manifest.json").read_text(encoding="utf-8"))
