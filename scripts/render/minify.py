"""Bundle and minify the site's own scripts, and minify its stylesheets, with esbuild.

The sources in docs/assets stay readable ES modules; readers download one minified file per page
script (a third of the gzip bytes for our commented JavaScript). A script is an entry point unless
it sits in a lib/ folder: library modules are bundled into the entry points that import them and
never published on their own. Bare imports (`import … from "ts-fsrs"`) resolve from the build's
own npm packages (scripts/js/node_modules, pinned by its package-lock.json). Results are cached
by content hash, so unchanged inputs cost nothing on the next build, including each rebuild of
`mkdocs serve`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

NODE_MODULES = Path(__file__).resolve().parents[1] / "js" / "node_modules"
ESBUILD = NODE_MODULES / ".bin" / "esbuild"
# Which versions of the bundled packages are installed: part of every bundle's cache key.
PACKAGE_LOCK = NODE_MODULES.parent / "package-lock.json"
# Classic scripts, not modules: old-anchors.js needs document.currentScript, and pages load
# them with plain <script> tags.
BUNDLE_OPTIONS = ("--bundle", "--format=iife", "--target=es2020", "--minify", "--log-level=error")
CSS_OPTIONS = ("--minify", "--log-level=error")


class MinifyError(RuntimeError):
    pass


def is_library(path: str) -> bool:
    return "lib" in Path(path).parts[:-1]


def minify_assets(files: dict[str, bytes], cache_dir: Path) -> dict[str, bytes]:
    """`files` with every assets/**.js entry point bundled and minified, every assets/**.css
    minified, and library modules (assets/**/lib/*.js) left out."""
    scripts = {path: data for path, data in files.items() if path.startswith("assets/") and path.endswith(".js")}
    styles = {path: data for path, data in files.items() if path.startswith("assets/") and path.endswith(".css")}
    out = {path: data for path, data in files.items() if path not in scripts and path not in styles}
    out.update(_bundled(scripts, cache_dir))
    out.update(_minified_styles(styles, cache_dir))
    return out


def _digest(*parts: bytes) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(len(part).to_bytes(8, "big") + part)
    return hashed.hexdigest()[:20]


def _bundled(scripts: dict[str, bytes], cache_dir: Path) -> dict[str, bytes]:
    entries = sorted(path for path in scripts if not is_library(path))
    # Any script may import any other, so every script is an input of every bundle.
    lock = PACKAGE_LOCK.read_bytes() if PACKAGE_LOCK.exists() else b""
    key = _digest(" ".join(BUNDLE_OPTIONS).encode(), lock, *(p.encode() + b"\0" + scripts[p] for p in sorted(scripts)))
    folder = cache_dir / f"bundles-{key}"
    if entries and not folder.exists():
        _run_esbuild(scripts, entries, BUNDLE_OPTIONS, folder)
    return {path: (folder / path).read_bytes() for path in entries}


def _minified_styles(styles: dict[str, bytes], cache_dir: Path) -> dict[str, bytes]:
    names = {path: _digest(data) + ".css" for path, data in styles.items()}
    missing = {names[path]: data for path, data in styles.items() if not (cache_dir / names[path]).exists()}
    if missing:
        with tempfile.TemporaryDirectory() as scratch:
            built = Path(scratch) / "built"
            _run_esbuild(missing, sorted(missing), CSS_OPTIONS, built)
            cache_dir.mkdir(parents=True, exist_ok=True)
            for name in missing:
                (cache_dir / name).write_bytes((built / name).read_bytes())
    return {path: (cache_dir / name).read_bytes() for path, name in names.items()}


def _run_esbuild(sources: dict[str, bytes], entries: list[str], options: tuple[str, ...], target: Path) -> None:
    """esbuild over `sources` laid out as in the site, writing `entries` to `target` whole or not at all."""
    if not ESBUILD.exists():
        raise MinifyError(f"esbuild is missing ({ESBUILD}); run `npm ci --prefix scripts/js`.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        tree, built = Path(scratch) / "in", Path(scratch) / "out"
        for path, data in sources.items():
            (tree / path).parent.mkdir(parents=True, exist_ok=True)
            (tree / path).write_bytes(data)
        # One process for every file: esbuild starts in milliseconds, Node-free.
        # The sources sit in a scratch folder, outside any node_modules lookup: NODE_PATH is where
        # esbuild finds the packages they import.
        result = subprocess.run(
            [str(ESBUILD), *(str(tree / path) for path in entries), *options, f"--outdir={built}", f"--outbase={tree}"],
            capture_output=True, text=True, env={**os.environ, "NODE_PATH": str(NODE_MODULES)},
        )
        if result.returncode:
            raise MinifyError(f"esbuild could not minify the site's assets:\n{result.stderr.strip()}")
        if not target.exists():
            built.rename(target)  # a build cut short leaves no half-filled cache entry
