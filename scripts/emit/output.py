"""Write the emitted pages: atomically, without stale files, and not at all when nothing changed.

Skipping identical output matters for `mkdocs serve`: rewriting unchanged pages would
wake its file watcher and rebuild forever.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

MARKER = "manifest.json"


class OutputError(Exception):
    """The output folder cannot be (re)placed; a usage problem, not a book problem."""


def _read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def write_tree(out: Path, files: dict[str, str | bytes]) -> bool:
    """Make `out` hold exactly `files`; returns False when it already did."""
    encoded = {path: data if isinstance(data, bytes) else data.encode("utf-8") for path, data in files.items()}
    if out.exists():
        if not out.is_dir():
            raise OutputError(f"{out}: exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise OutputError(f"{out}: refusing to replace a folder the splitter did not write (no {MARKER})")
        if _read_tree(out) == encoded:
            return False
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for path, data in sorted(encoded.items()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(staging, 0o755)
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            retired.rmdir()
            out.rename(retired)
            staging.rename(out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return True
