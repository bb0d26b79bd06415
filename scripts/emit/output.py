"""Write the emitted pages: atomically, without stale files, and not at all when nothing changed.

`out` is a symlink to a versioned folder beside it (`.out.v-*`). A new version is written in
full first and then put in place by one `os.replace` of the symlink, so `out` always names a
complete tree: a run killed at any point leaves the previous output whole, and the next run
removes what the killed one left behind. (Two renames, old folder away and new one in, had a
moment with no output at all.) MkDocs reads and watches `out` through the link: its file
discovery walks with `followlinks=True` and `mkdocs serve` polls by path.

Skipping identical output matters for `mkdocs serve`: rewriting unchanged pages would
wake its file watcher and rebuild forever.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

MARKER = "manifest.json"


class OutputError(Exception):
    """The output folder cannot be (re)placed; a usage problem, not a book problem."""


def _read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _version_prefix(out: Path) -> str:
    return f".{out.name}.v-"


def _current_version(out: Path) -> Path | None:
    """The versioned folder `out` links to, when it is one of ours."""
    if not out.is_symlink():
        return None
    target = Path(os.readlink(out))
    if target.parent != Path(".") or not target.name.startswith(_version_prefix(out)):
        return None
    return out.parent / target.name


@contextlib.contextmanager
def _exclusive(out: Path) -> Iterator[None]:
    """One writer at a time per output folder, so a run never takes another's staging for a leftover."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no concurrent builds to guard against there
        yield
        return
    with open(out.parent / f".{out.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _remove_leftovers(out: Path) -> None:
    """What killed runs left: unused versions, half-written links, and the folders of the old
    two-rename swap (`.out.new-*`, `.out.old-*`)."""
    keep = _current_version(out)
    for prefix in (_version_prefix(out), f".{out.name}.link-", f".{out.name}.new-", f".{out.name}.old-"):
        for path in out.parent.glob(prefix + "*"):
            if path == keep:
                continue
            if path.is_symlink() or not path.is_dir():
                path.unlink(missing_ok=True)
            else:
                shutil.rmtree(path, ignore_errors=True)


def _check_replaceable(out: Path) -> None:
    if not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    if any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputError(f"{out}: refusing to replace a folder the splitter did not write (no {MARKER})")


def _write_version(out: Path, files: dict[str, bytes]) -> Path:
    version = Path(tempfile.mkdtemp(prefix=_version_prefix(out), dir=out.parent))
    try:
        for path, data in sorted(files.items()):
            target = version / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(version, 0o755)
    except BaseException:
        shutil.rmtree(version, ignore_errors=True)
        raise
    return version


def _point_at(out: Path, version: Path) -> None:
    """Make `out` link to `version` in one step."""
    link = Path(tempfile.mktemp(prefix=f".{out.name}.link-", dir=out.parent))
    os.symlink(version.name, link, target_is_directory=True)
    moved_aside = None
    if out.exists() and not out.is_symlink():
        # A real folder, from before outputs were versioned: a symlink cannot replace it in one
        # step, so it moves aside first. Only this first run has a moment without output.
        moved_aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent)) / out.name
        out.rename(moved_aside)
    try:
        os.replace(link, out)
    except BaseException:
        link.unlink(missing_ok=True)
        if moved_aside is not None:
            moved_aside.rename(out)
        raise


def write_tree(out: Path, files: dict[str, str | bytes]) -> bool:
    """Make `out` hold exactly `files`; returns False when it already did."""
    encoded = {path: data if isinstance(data, bytes) else data.encode("utf-8") for path, data in files.items()}
    out.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(out):
        if out.exists():
            _check_replaceable(out)
        elif out.is_symlink() and _current_version(out) is None:
            raise OutputError(f"{out}: is a symlink to a folder that does not exist")
        _remove_leftovers(out)
        if out.exists() and _read_tree(out) == encoded:
            return False
        previous = _current_version(out)
        version = _write_version(out, encoded)
        try:
            _point_at(out, version)
        except BaseException:
            shutil.rmtree(version, ignore_errors=True)
            raise
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        _remove_leftovers(out)  # the real folder a first run moved aside
    return True
