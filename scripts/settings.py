"""The site's settings: read once from mkdocs.yml's `extra.qa`, overridable from the environment.

    QA_BOOKS=path/a.md:path/b.md   books to publish (default: extra.qa.books)
    QA_IMAGES=folder               where the books' images are (default: extra.qa.images)
    QA_PAGES=folder                where generated pages go (default: extra.qa.pages)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SiteSettings:
    root: Path  # the folder holding mkdocs.yml; relative settings are relative to it
    books: tuple[Path, ...]
    images: Path
    pages: Path  # where generated pages are written (git-ignored); MkDocs builds from here
    docs: Path  # hand-written pages and assets, merged into `pages` (its overrides/ is the theme's)
    source_url: str  # prefix of the "纠错" link; the book's path and #L<line> are appended

    @classmethod
    def from_mkdocs(cls, config_file: str | Path, extra: Mapping, environ: Mapping[str, str] = os.environ) -> SiteSettings:
        root = Path(config_file).resolve().parent
        qa = extra.get("qa", {}) or {}
        books_setting = environ.get("QA_BOOKS") or ":".join(qa.get("books", []))
        books = tuple(root / Path(p) for p in books_setting.split(":") if p.strip())
        images = root / Path(environ.get("QA_IMAGES") or qa.get("images", "imgs"))
        return cls(
            root=root,
            books=books,
            images=images,
            pages=root / Path(environ.get("QA_PAGES") or qa.get("pages", "build/pages")),
            docs=root / Path(qa.get("docs", "docs")),
            source_url=str(qa.get("source_url", "")),
        )


def settings_from_mkdocs_yml(config_file: Path, environ: Mapping[str, str] = os.environ) -> SiteSettings:
    """The settings without loading MkDocs' whole configuration (and its plugins)."""
    from mkdocs.utils.yaml import yaml_load

    config = yaml_load(config_file.read_text(encoding="utf-8"))
    return SiteSettings.from_mkdocs(config_file, config.get("extra", {}) or {}, environ)
