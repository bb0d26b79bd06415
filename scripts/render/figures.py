"""Figures sized for the screen that shows them.

The book's figures are full-size PNGs (up to 3272 px wide, 665 KB on one page). Each is
published as it is, for the zoom view, plus WebP copies at a few widths; the page's <img> gets
its intrinsic width and height (no layout shift), a srcset of the copies, and loading="lazy"
for every figure but a page's first (the likely largest paint). Copies are cached by the
source's content hash, so a rebuild (and every rebuild of `mkdocs serve`) costs only a lookup.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

WIDTHS = (480, 960, 1440)  # phone, tablet or 2x phone, desktop 2x column
# Material's content column is at most about 46rem (736 px at 16 px) wide.
SIZES = "(max-width: 47rem) 100vw, 736px"
_WEBP_QUALITY = 82


@dataclass(frozen=True)
class Figure:
    width: int
    height: int
    variants: tuple[tuple[int, str], ...]  # (width, site path), narrowest first


class FigureError(RuntimeError):
    """A figure that cannot be read as an image; the message names the file."""


def variant_path(site_path: str, width: int) -> str:
    stem, _ = posixpath.splitext(site_path)
    return f"{stem}.{width}w.webp"


def prepare_figure(source: Path, site_path: str, cache: Path) -> tuple[Figure, dict[str, Path]]:
    """The figure's size and its copies: {site path of a copy: its file in `cache`}."""
    stat = source.stat()
    known = _index(cache).get(str(source.resolve()))
    if known and known["stamp"] == [stat.st_mtime_ns, stat.st_size]:
        # Unchanged since a build measured it: no need to read megabytes of PNG again.
        variants = tuple((w, variant_path(site_path, w)) for w in known["widths"])
        copies = {path: cache / f"{known['key']}-{w}.webp" for w, path in variants}
        if all(copy.exists() for copy in copies.values()):
            return Figure(known["width"], known["height"], variants), copies
    figure, copies, key = _measure(source, site_path, cache)
    _index(cache)[str(source.resolve())] = {"stamp": [stat.st_mtime_ns, stat.st_size], "key": key, "width": figure.width,
                                            "height": figure.height, "widths": [w for w, _ in figure.variants]}
    _save_index(cache)
    return figure, copies


_INDEXES: dict[Path, dict] = {}


def _index(cache: Path) -> dict:
    """What earlier builds measured, by source file; kept in the cache beside the copies."""
    if cache not in _INDEXES:
        try:
            _INDEXES[cache] = json.loads((cache / "index.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _INDEXES[cache] = {}
    return _INDEXES[cache]


def _save_index(cache: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    staging = cache / "index.json.tmp"
    staging.write_text(json.dumps(_INDEXES[cache], ensure_ascii=False), encoding="utf-8")
    staging.replace(cache / "index.json")


def _measure(source: Path, site_path: str, cache: Path) -> tuple[Figure, dict[str, Path], str]:
    from PIL import Image, ImageOps, UnidentifiedImageError

    data = source.read_bytes()
    key = hashlib.sha256(data).hexdigest()[:20]
    try:
        with Image.open(source) as image:
            animated = getattr(image, "is_animated", False)
            image = ImageOps.exif_transpose(image)
            width, height = image.size
            files: dict[str, Path] = {}
            if animated or image.format == "SVG":
                return Figure(width, height, ()), files, key
            for target in (w for w in WIDTHS if w < width):
                copy = cache / f"{key}-{target}.webp"
                if not copy.exists():
                    cache.mkdir(parents=True, exist_ok=True)
                    resized = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
                    resized = resized.resize((target, max(1, round(height * target / width))), Image.LANCZOS)
                    staging = copy.with_suffix(".tmp")
                    resized.save(staging, "WEBP", quality=_WEBP_QUALITY, method=4)
                    staging.replace(copy)  # a build killed halfway leaves no truncated copy behind
                files[variant_path(site_path, target)] = copy
    except (UnidentifiedImageError, OSError) as error:
        raise FigureError(f"{source}: not an image the build can read ({error})") from None
    return Figure(width, height, tuple((w, variant_path(site_path, w)) for w in WIDTHS if w < width)), files, key


_IMG = re.compile(r"<img\b[^>]*>", re.I)
_SRC = re.compile(r'\ssrc="([^"]+)"')


def size_figures(page_html: str, page_url: str, figures: Mapping[str, Figure]) -> str:
    """Every <img> of a known figure gets width, height, srcset and lazy loading (but the first)."""
    seen = 0

    def rewrite(match: re.Match) -> str:
        nonlocal seen
        tag = match.group()
        source = _SRC.search(tag)
        if source is None or " srcset=" in tag:
            return tag
        site_path = posixpath.normpath(posixpath.join(posixpath.dirname("/" + page_url + "x"), unquote(html.unescape(source.group(1))))).lstrip("/")
        figure = figures.get(site_path)
        if figure is None:
            return tag
        seen += 1
        prefix = source.group(1)[: len(source.group(1)) - len(quote(posixpath.basename(site_path)))]
        extra = []
        if " width=" not in tag and " height=" not in tag:
            extra.append(f'width="{figure.width}" height="{figure.height}"')
        if figure.variants:
            srcset = ", ".join(f"{prefix}{quote(posixpath.basename(path))} {w}w" for w, path in figure.variants)
            extra.append(f'srcset="{srcset}, {source.group(1)} {figure.width}w" sizes="{SIZES}"')
        extra.append('decoding="async"' + (' loading="lazy"' if seen > 1 else ""))
        return tag[:-1].rstrip("/").rstrip() + " " + " ".join(extra) + ">"

    return _IMG.sub(rewrite, page_html)
