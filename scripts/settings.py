"""The site's settings: mkdocs.yml's `extra.qa` (declared by QAConfig, each option documented in
mkdocs.yml) and `docs_dir`, with overrides from the environment, resolved once into SiteSettings.

    QA_BOOKS=path/a.md:path/b.md   replaces extra.qa.books
    QA_IMAGES=folder               replaces extra.qa.images
    QA_PAGES=folder                replaces extra.qa.pages
    QA_PDF=1                       prints each book's PDF (extra.qa.pdf; 0 turns it off)
    QA_PARALLEL=0                  builds the languages one after the other (extra.qa.parallel)
    QA_SITE_URL=https://…/         where the site is published (else derived on GitHub Actions,
                                   else mkdocs.yml's local site_url)
    QA_REPO_URL=https://…/owner/repo  the source repository, for 纠错 and footer links
                                   (else derived on GitHub Actions, else extra.qa.repository;
                                   none at all means no source links are rendered)
    QA_REPO_BRANCH=main            the branch those links open (else GITHUB_REF_NAME, else extra.qa.branch)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig

# Books link their figures as ./imgs/<file>; the files themselves live in SiteSettings.images.
IMAGE_FOLDER = "imgs"
# The theme's templates inside the docs folder (theme.custom_dir): Material reads them, the site does not publish them.
THEME_OVERRIDES = "overrides"

# Hosts reserved for documentation (RFC 2606, RFC 6761) and the placeholder a template ships
# with: a URL naming one of them is a setting nobody filled in, never a real address.
_PLACEHOLDER_SUFFIXES = (".example", ".invalid", ".test", "example.com", "example.org", "example.net", "example.github.io")


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it."""


class _Folder(c.Dir):
    """A folder, relative to mkdocs.yml's; the build creates it or reports it missing later."""

    def __init__(self, default: str | None):
        super().__init__(exists=False, default=default)

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str):
            raise ValidationError(f"expected a folder path, got {value!r}")
        path = super().run_validation(value)
        if os.path.isfile(path):
            raise ValidationError(f"expected a folder, but {path} is a file")
        return path


class _BookPaths(c.ListOfItems):
    """Book files, relative to mkdocs.yml's folder; a missing one is the pipeline's to report, with its name."""

    def __init__(self):
        super().__init__(c.File(exists=False), default=[])

    def run_validation(self, value: object) -> list[str]:
        if value is not None and not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            raise ValidationError(f"expected a list of book paths, got {value!r}")
        return super().run_validation([item for item in value if item.strip()] if value else value)


class _Text(c.Type):
    def __init__(self, expected: str, default: str):
        super().__init__(str, default=default)
        self.expected = expected

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str):
            raise ValidationError(f"expected {self.expected}, got {value!r}")
        return value


class _Flag(c.Type):
    def __init__(self, default: bool):
        super().__init__(bool, default=default)

    def run_validation(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(f"expected true or false, got {value!r}")
        return value


class QAConfig(base.Config):
    """`extra.qa` in mkdocs.yml."""

    books = _BookPaths()
    images = _Folder(IMAGE_FOLDER)
    pages = _Folder("build/pages")
    cache = _Folder("build")
    strings = c.Optional(_Folder(None))  # the site's own UI strings, over scripts/strings/
    repository = _Text("the repository's web address, or empty", "")
    branch = _Text("a branch name", "main")
    pdf = _Flag(False)  # print each book's PDF into downloads/ (needs Chromium)
    parallel = _Flag(True)  # build the other languages in a second process (scripts/glue/language_builds.py)


def _switched_on(value: str) -> bool:
    return value.strip().lower() not in ("0", "false", "no", "off")


# Variables that replace an option outright, in the shell's spelling (QA_BOOKS lists books like PATH).
# site_url, repository and branch are not here: GitHub Actions can supply them too (see the functions below).
ENVIRONMENT_OVERRIDES = {
    "QA_BOOKS": ("books", lambda value: value.split(":")),
    "QA_IMAGES": ("images", str),
    "QA_PAGES": ("pages", str),
    "QA_PDF": ("pdf", _switched_on),
    "QA_PARALLEL": ("parallel", _switched_on),
}
# Every variable the settings read, for whoever must clear them (tests building as a local build would).
ENVIRONMENT_VARIABLES = (*ENVIRONMENT_OVERRIDES, "QA_SITE_URL", "QA_REPO_URL", "QA_REPO_BRANCH",
                         "GITHUB_REPOSITORY", "GITHUB_SERVER_URL", "GITHUB_REF_NAME")


def qa_config(config_file: str | Path, qa: object, environ: Mapping[str, str] = os.environ) -> QAConfig:
    """extra.qa with the environment's overrides applied, validated; SettingsError names what is wrong."""
    if qa is None:
        qa = {}
    if not isinstance(qa, Mapping):
        raise SettingsError(f"extra.qa: expected a mapping of options, got {qa!r}")
    origin = {key: f"extra.qa.{key}" for key in qa}
    values = dict(qa)
    for variable, (key, parse) in ENVIRONMENT_OVERRIDES.items():
        if environ.get(variable):  # set but empty counts as unset, as in the shell's ${QA_BOOKS:-…}
            values[key], origin[key] = parse(environ[variable]), variable
    config = QAConfig(config_file_path=str(config_file))
    config.load_dict(values)
    failed, warnings = config.validate()
    unknown = [key for key, _ in warnings if key not in config._schema_keys]
    if unknown:
        names = ", ".join(f"extra.qa.{key}" for key in sorted(unknown))
        raise SettingsError(f"{names}: unknown option (the options are {', '.join(name for name, _ in config._schema)})")
    problems = [*failed, *warnings]
    if problems:
        key, error = problems[0]
        raise SettingsError(f"{origin.get(key, f'extra.qa.{key}')}: {error}")
    return config


@dataclass(frozen=True)
class SiteSettings:
    root: Path  # the folder holding mkdocs.yml; relative settings are relative to it
    books: tuple[Path, ...]
    images: Path
    pages: Path  # where generated pages are written (git-ignored); MkDocs builds from here
    docs: Path  # mkdocs.yml's docs_dir: hand-written pages and assets, merged into `pages`
    cache: Path  # what the build keeps between runs (git-ignored)
    strings: Path | None  # the site's own UI strings, over scripts/strings/ (extra.qa.strings)
    site_url: str  # absolute, ends with "/"
    repository: str  # the source repository's web address without a trailing "/"; "" when unknown
    branch: str
    pdf: bool = False  # the build prints each book's PDF (extra.qa.pdf, QA_PDF)
    parallel: bool = True  # the other languages build in a second process (extra.qa.parallel, QA_PARALLEL)

    @property
    def minified_cache(self) -> Path:
        return self.cache / "minified"

    @property
    def katex_cache(self) -> Path:
        return self.cache / "katex"

    @property
    def source_url(self) -> str:
        """Prefix of the "纠错" link (the book's path and #L<line> are appended); "" for none."""
        return f"{self.repository}/blob/{self.branch}/" if self.repository else ""

    def hand_written_files(self) -> dict[str, Path]:
        """The docs folder's files by relative path, minus the theme's templates: what the site publishes beside the generated pages."""
        files = {}
        for path in sorted(self.docs.rglob("*")):
            relative = path.relative_to(self.docs).as_posix()
            if path.is_file() and not relative.startswith(THEME_OVERRIDES + "/"):
                files[relative] = path
        return files

    @classmethod
    def from_mkdocs(cls, config_file: str | Path, extra: Mapping, site_url: str | None = None,
                    environ: Mapping[str, str] = os.environ, docs_dir: str | Path = MkDocsConfig.docs_dir.default) -> SiteSettings:
        root = Path(config_file).resolve().parent
        qa = qa_config(root / Path(config_file).name, extra.get("qa"), environ)
        return cls(
            root=root,
            books=tuple(map(Path, qa.books)),
            images=Path(qa.images),
            pages=Path(qa.pages),
            docs=root / Path(docs_dir),
            cache=Path(qa.cache),
            strings=Path(qa.strings) if qa.strings else None,
            site_url=published_site_url(site_url, environ),
            repository=source_repository(qa.repository, environ),
            branch=environ.get("QA_REPO_BRANCH") or environ.get("GITHUB_REF_NAME") or qa.branch,
            pdf=qa.pdf,
            parallel=qa.parallel,
        )


def figure_path(images: Path, link: str) -> Path:
    """Where the figure a book links as `imgs/<name>` is: the image folder itself may be anywhere."""
    return images / link.removeprefix(IMAGE_FOLDER + "/")


def figure_file(images: Path, path: str) -> Path | None:
    """The file behind a figure a book links as `imgs/<name>`, or None when there is none.

    A path that leaves the image folder (an absolute path, `..`, another folder) is never read:
    the book is untrusted, so it cannot make the build publish a file from elsewhere on disk.
    The folder itself is the owner's, links inside it included."""
    if not path.startswith(IMAGE_FOLDER + "/") or ".." in path.split("/") or "\0" in path:
        return None
    candidate = figure_path(images, path)
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
    return SiteSettings.from_mkdocs(config_file, config.get("extra", {}) or {}, config.get("site_url"), environ,
                                    docs_dir=config.get("docs_dir") or MkDocsConfig.docs_dir.default)
