"""Minify the site's own scripts and stylesheets with esbuild, as they go into the build.

The sources in docs/assets stay readable; readers download the minified copies (a third of
the gzip bytes for our commented JavaScript). Results are cached by content hash, so an
unchanged file costs nothing on the next build, including each rebuild of `mkdocs serve`.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from pathlib import Path

ESBUILD = Path(__file__).resolve().parents[1] / "js" / "node_modules" / ".bin" / "esbuild"
MINIFIED_SUFFIXES = (".js", ".css")


class MinifyError(RuntimeError):
    pass


def _key(data: bytes, suffix: str) -> str:
    return hashlib.sha256(data).hexdigest()[:20] + suffix


def minify_assets(files: dict[str, bytes], cache_dir: Path) -> dict[str, bytes]:
    """`files` with every assets/**.js and .css replaced by its minified form."""
    targets = {path: data for path, data in files.items() if path.startswith("assets/") and path.endswith(MINIFIED_SUFFIXES)}
    missing = {path: data for path, data in targets.items() if not (cache_dir / _key(data, Path(path).suffix)).exists()}
    if missing:
        _run_esbuild(missing, cache_dir)
    return {path: (cache_dir / _key(data, Path(path).suffix)).read_bytes() if path in targets else data for path, data in files.items()}


def _run_esbuild(files: dict[str, bytes], cache_dir: Path) -> None:
    if not ESBUILD.exists():
        raise MinifyError(f"esbuild is missing ({ESBUILD}); run `npm ci --prefix scripts/js`.")
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        sources, outputs = Path(scratch) / "in", Path(scratch) / "out"
        sources.mkdir()
        names = {}
        for path, data in files.items():
            name = _key(data, Path(path).suffix)
            (sources / name).write_bytes(data)
            names[path] = name
        # One process for every file: esbuild starts in milliseconds, Node-free.
        result = subprocess.run(
            [str(ESBUILD), *sorted(str(sources / n) for n in set(names.values())), "--minify", f"--outdir={outputs}", "--log-level=error"],
            capture_output=True, text=True,
        )
        if result.returncode:
            raise MinifyError(f"esbuild could not minify the site's assets:\n{result.stderr.strip()}")
        for name in set(names.values()):
            (cache_dir / name).write_bytes((outputs / name).read_bytes())
