"""The site's settings: read once from mkdocs.yml's `extra.qa`, overridable from the environment.

    QA_BOOKS=path/a.md:path/b.md   books to publish (default: extra.qa.books)
    QA_IMAGES=folder               where the books' figures are (default: extra.qa.images, imgs/)
    QA_PAGES=folder                where generated pages go (default: extra.qa.pages)
    QA_SITE_URL=https://…/         where the site is published (default: derived on GitHub Actions,
                                   else mkdocs.yml's local site_url)
    QA_REPO_URL=https://…/owner/repo  the source repository, for 纠错 and footer links
                                   (default: derived on GitHub Actions, else extra.qa.repository;
                                   none at all means no source links are rendered)
    QA_REPO_BRANCH=main            the branch those links open (default: GITHUB_REF_NAME, else main)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# Books link their figures as ./imgs/<file>; the files themselves live in SiteSettings.images.
IMAGE_FOLDER = "imgs"

# Hosts reserved for documentation (RFC 2606, RFC 6761) and the placeholder a template ships
# with: a URL naming one of them is a setting nobody filled in, never a real address.
_PLACEHOLDER_SUFFIXES = (".example", ".invalid", ".test", "example.com", "example.org", "example.net", "example.github.io")


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it."""


@dataclass(frozen=True)
class SiteSettings:
    root: Path  # the folder holding mkdocs.yml; relative settings are relative to it
    books: tuple[Path, ...]
    images: Path
    pages: Path  # where generated pages are written (git-ignored); MkDocs builds from here
    docs: Path  # hand-written pages and assets, merged into `pages` (its overrides/ is the theme's)
    strings: Path | None  # the site's own UI strings, over scripts/strings/ (extra.qa.strings)
    site_url: str  # absolute, ends with "/"
    repository: str  # the source repository's web address without a trailing "/"; "" when unknown
    branch: str

    @property
    def source_url(self) -> str:
        """Prefix of the "纠错" link (the book's path and #L<line> are appended); "" for none."""
        return f"{self.repository}/blob/{self.branch}/" if self.repository else ""

    @classmethod
    def from_mkdocs(cls, config_file: str | Path, extra: Mapping, site_url: str | None = None,
                    environ: Mapping[str, str] = os.environ) -> SiteSettings:
        root = Path(config_file).resolve().parent
        qa = extra.get("qa", {}) or {}
        books_setting = environ.get("QA_BOOKS") or ":".join(qa.get("books", []))
        books = tuple(root / Path(p) for p in books_setting.split(":") if p.strip())
        images = root / Path(environ.get("QA_IMAGES") or qa.get("images", IMAGE_FOLDER))
        return cls(
            root=root,
            books=books,
            images=images,
            pages=root / Path(environ.get("QA_PAGES") or qa.get("pages", "build/pages")),
            docs=root / Path(qa.get("docs", "docs")),
            strings=root / Path(qa["strings"]) if qa.get("strings") else None,
            site_url=published_site_url(site_url, environ),
            repository=source_repository(str(qa.get("repository") or ""), environ),
            branch=environ.get("QA_REPO_BRANCH") or environ.get("GITHUB_REF_NAME") or str(qa.get("branch") or "main"),
        )


def figure_file(images: Path, path: str) -> Path | None:
    """The file behind a figure a book links as `imgs/<name>`, or None when there is none.

    A path that leaves the image folder (an absolute path, `..`, another folder) is never read:
    the book is untrusted, so it cannot make the build publish a file from elsewhere on disk.
    The folder itself is the owner's, links inside it included."""
    prefix = IMAGE_FOLDER + "/"
    if not path.startswith(prefix) or ".." in path.split("/") or "\0" in path:
        return None
    candidate = images / path[len(prefix):]
    return candidate if candidate.is_file() else None


def published_site_url(configured: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """QA_SITE_URL, else the GitHub Pages address of the repository a GitHub Actions run builds,
    else mkdocs.yml's site_url (a local address)."""
    if environ.get("QA_SITE_URL"):
        return _checked_url("QA_SITE_URL", environ["QA_SITE_URL"]).rstrip("/") + "/"
    repository = environ.get("GITHUB_REPOSITORY", "")
    if "/" in repository:
        owner, name = repository.lower().split("/", 1)
        pages_host = f"{owner}.github.io"
        # A repository named <owner>.github.io is published at the root of that host.
        return f"https://{pages_host}/" if name == pages_host else f"https://{pages_host}/{repository.split('/', 1)[1]}/"
    if not configured:
        raise SettingsError("site_url: set it in mkdocs.yml or QA_SITE_URL")
    return _checked_url("site_url", configured).rstrip("/") + "/"


def source_repository(configured: str, environ: Mapping[str, str] = os.environ) -> str:
    """QA_REPO_URL, else the repository a GitHub Actions run builds, else extra.qa.repository."""
    if environ.get("QA_REPO_URL"):
        return _checked_url("QA_REPO_URL", environ["QA_REPO_URL"]).rstrip("/")
    if "/" in environ.get("GITHUB_REPOSITORY", ""):
        server = (environ.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/")
        return f"{server}/{environ['GITHUB_REPOSITORY']}"
    return _checked_url("extra.qa.repository", configured).rstrip("/") if configured else ""


def _checked_url(name: str, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{name}: expected an http(s) address, got {url!r}")
    host = parts.hostname.lower()
    if host.endswith(_PLACEHOLDER_SUFFIXES) or host in ("example", "invalid", "test"):
        raise SettingsError(f"{name}: {url!r} is a placeholder address; set the real one")
    return url


def settings_from_mkdocs_yml(config_file: Path, environ: Mapping[str, str] = os.environ) -> SiteSettings:
    """The settings without loading MkDocs' whole configuration (and its plugins)."""
    from mkdocs.utils.yaml import yaml_load

    config = yaml_load(config_file.read_text(encoding="utf-8"))
    return SiteSettings.from_mkdocs(config_file, config.get("extra", {}) or {}, config.get("site_url"), environ)
