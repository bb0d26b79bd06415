"""The site offline and installable, build side: web app manifests and the service worker.

Runs on the finished site, after Pagefind has written the search index (the worker lists the
index's files). It writes, into the site:

- `manifest.webmanifest` for the book's language at the root and `<code>/manifest.webmanifest`
  for each other language: names from scripts/strings (theme.app), start and scope under the
  deploy path, the icons drawn by scripts/dev/app_icons.py;
- `sw.js` at the root, so its scope is the whole site: scripts/render/offline_worker.js with this
  build's precache list inlined, every file a reader needs offline with a short hash of its content
  (its revision): the pages of every language (on a site of several books, each book's home
  only), the search, the site's CSS, JS and data, KaTeX's woff2 fonts. A deploy that changes one page changes one revision: readers fetch that file only;
- `offline.json`: the files cached once seen rather than on the first visit, which the
  下载全部以离线使用 control fetches all at once: the figures (imgs/, with their resized and WebP
  copies), and on a site of several books every page of a book but its home. A reader of one
  book does not download a shelf of them on a first visit (13 books: 119 MB, against 6 MB with
  them on demand); what they read stays on the device, and the whole search still works offline.

Why a worker of our own rather than workbox-build 7.4.1 (measured on our book, December 2026):
workbox is 216 npm packages (48 MB) installed in 18 s, and its generateSW took 2.1 s for the same
~470 files, writing 70 KB of worker and runtime; ours is ~100 lines with no dependency, written
in 0.1 s, 33 KB with the list inlined (10 KB gzipped).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

WORKER = "sw.js"
WORKER_SOURCE = Path(__file__).with_name("offline_worker.js")
MANIFEST = "manifest.webmanifest"
ON_DEMAND_LIST = "offline.json"
ON_DEMAND_CACHE = "qa-on-demand"  # the worker's runtime cache (offline_worker.js ON_DEMAND)
FIGURE_DIR = "imgs"
OFFLINE_PAGE = "offline/"  # docs/offline.md, one per language (docs/overrides/offline.html)
THEME_COLOR = "#3f51b5"  # Material's indigo, the header's colour (mkdocs.yml theme.palette)
ICONS = [
    {"src": "assets/images/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "assets/images/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {"src": "assets/images/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
]
REVISION_LENGTH = 10
# Not needed offline: source maps, Material's own lunr search (the site searches with Pagefind),
# link-preview cards, KaTeX's older font formats (every browser that runs a worker reads woff2),
# and files for crawlers.
SKIPPED_SUFFIXES = (".map", ".jpg", ".woff", ".ttf", ".gz", ".xml", ".txt")
SKIPPED_FOLDERS = ("assets/javascripts/lunr/", "assets/javascripts/workers/", "downloads/")
SKIPPED_FILES = ("404.html", WORKER)


# What `mkdocs serve` publishes as sw.js: a preview changes with every edit, and a worker serving
# cached pages would hide the edits. It removes whatever an earlier build's worker kept, then itself.
PREVIEW_WORKER = """\
// A preview (mkdocs serve) keeps nothing offline: this removes an earlier worker and its caches.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(caches.keys()
  .then((names) => Promise.all(names.filter((name) => name.startsWith("qa-")).map((name) => caches.delete(name))))
  .then(() => self.registration.unregister())));
"""


class OfflineError(RuntimeError):
    pass


@dataclass(frozen=True)
class CachedFile:
    url: str  # under the site's root: "" for index.html, "sd3/" for sd3/index.html
    file: str  # relative to the site folder
    revision: str
    size: int


@dataclass
class OfflineReport:
    precached: list[CachedFile] = field(default_factory=list)
    on_demand: list[CachedFile] = field(default_factory=list)  # the figures first, then (several books) the books' pages
    worker_bytes: int = 0

    @property
    def figures(self) -> list[CachedFile]:
        return [f for f in self.on_demand if is_figure(f.file)]

    def __str__(self) -> str:
        raw = sum(f.size for f in self.precached)
        later = sum(f.size for f in self.on_demand if not is_figure(f.file))
        pages = f", {len(self.on_demand) - len(self.figures)} pages ({later / 1024:.0f} KB) once read" if later else ""
        return (f"offline: {len(self.precached)} files precached ({raw / 1024:.0f} KB), "
                f"{len(self.figures)} figures on demand{pages}, worker {self.worker_bytes / 1024:.0f} KB")


def revision(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:REVISION_LENGTH]


def page_url(file: str) -> str:
    """The URL a reader visits for a built file: directory URLs for index.html pages."""
    if file == "index.html":
        return ""
    return file[: -len("index.html")] if file.endswith("/index.html") else file


def is_figure(file: str) -> bool:
    return PurePosixPath(file).parts[0] == FIGURE_DIR


def is_precached(file: str) -> bool:
    if is_figure(file) or file in SKIPPED_FILES or file.startswith(SKIPPED_FOLDERS):
        return False
    if any(part.startswith(".") for part in PurePosixPath(file).parts):
        return False
    return not file.endswith(SKIPPED_SUFFIXES)


def is_on_demand_page(file: str, book_folders: Iterable[str], language_folders: Iterable[str]) -> bool:
    """On a site of several books (`book_folders` their folders), a page of a book other than its
    home, in any language: cached once seen, not on the first visit."""
    for language in language_folders:
        for book in book_folders:
            inside = f"{language}{book}/"
            if file.startswith(inside) and file != f"{inside}index.html":
                return True
    return False


def _cached(site_dir: Path, files: Iterable[str]) -> list[CachedFile]:
    out = []
    for file in files:
        data = (site_dir / file).read_bytes()
        out.append(CachedFile(page_url(file), file, revision(data), len(data)))
    return out


def site_files(site_dir: Path) -> list[str]:
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())


def web_app_manifest(app: dict, language: str, site_path: str, start: str) -> dict:
    """One language's manifest; `site_path` is the deploy path ("/repo/"), `start` its home under it."""
    return {
        "id": site_path + start,
        "name": app["name"],
        "short_name": app["short_name"],
        "lang": language,
        "start_url": site_path + start,
        "scope": site_path,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [{**icon, "src": site_path + icon["src"]} for icon in ICONS],
    }


def worker_script(precached: list[CachedFile], on_demand: list[CachedFile], offline_pages: dict[str, str],
                  source: str | None = None) -> str:
    source = WORKER_SOURCE.read_text(encoding="utf-8") if source is None else source
    lists = {
        "/*PRECACHED*/[]": [[f.url, f.revision] for f in precached],
        "/*ON_DEMAND*/[]": [[f.url, f.revision] for f in on_demand],
        "/*OFFLINE_PAGES*/{}": offline_pages,
    }
    for marker, value in lists.items():
        if source.count(marker) != 1:
            raise OfflineError(f"{WORKER_SOURCE}: expected the marker {marker} once")
        source = source.replace(marker, json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    return source


def publish(site_dir: Path, site_path: str, languages: list[str], strings: Callable[[str], dict], *,
            book_folders: Iterable[str] = (), preview: bool = False, log=None) -> OfflineReport:
    """Write the manifests, the on-demand list and the worker into `site_dir`. `languages`: the
    site's language codes, the book's own first (its pages sit at the root, the others' under
    <code>/); `strings(code)` gives that language's UI strings (scripts/strings.load_strings);
    `book_folders`: each book's folder on a site of several books (none on a site of one);
    `preview`: a `mkdocs serve` build, whose worker keeps nothing (PREVIEW_WORKER)."""
    site_dir = Path(site_dir)
    site_path = "/" + site_path.strip("/") + "/" if site_path.strip("/") else "/"
    folders = {code: "" if number == 0 else f"{code}/" for number, code in enumerate(languages)}
    for code, folder in folders.items():
        if not (site_dir / folder / OFFLINE_PAGE / "index.html").exists():
            raise OfflineError(f"{site_dir / folder / OFFLINE_PAGE}index.html is missing: docs/offline.md "
                               f"(and docs/offline.<code>.md per language) must be built")
        manifest = web_app_manifest(strings(code)["theme"]["app"], code, site_path, folder)
        (site_dir / folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    book_folders = [folder.strip("/") for folder in book_folders if folder.strip("/")]
    files = site_files(site_dir)
    later = [f for f in files if is_precached(f) and is_on_demand_page(f, book_folders, folders.values())]
    report = OfflineReport(on_demand=_cached(site_dir, [f for f in files if is_figure(f)] + later))
    (site_dir / ON_DEMAND_LIST).write_text(json.dumps(
        {"cache": ON_DEMAND_CACHE, "files": [[f.url, f.revision, f.size] for f in report.on_demand]}, separators=(",", ":")), encoding="utf-8")
    kept_later = set(later)
    report.precached = _cached(site_dir, [f for f in site_files(site_dir) if is_precached(f) and f not in kept_later])
    offline_pages = {folder: folder + OFFLINE_PAGE for folder in folders.values()}
    script = (PREVIEW_WORKER if preview else worker_script(report.precached, report.on_demand, offline_pages)).encode("utf-8")
    (site_dir / WORKER).write_bytes(script)
    report.worker_bytes = len(script)
    if log is not None:
        log.info(str(report))
    return report
