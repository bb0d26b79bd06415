"""write_tree's swap: whatever step a run dies at, the previous output stays whole, and the
next run removes what the dead one left."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from scripts.emit import output
from scripts.emit.output import MARKER, OutputError, write_tree

OLD = {MARKER: "[]", "index.md": "old home", "a/x.md": "old x", "a/y.md": "old y"}
NEW = {MARKER: "[1]", "index.md": "new home", "b/z.md": "new z"}


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in root.rglob("*") if p.is_file()}


def leftovers(out: Path) -> list[str]:
    expected = {out.name, f".{out.name}.lock", out.readlink().name if out.is_symlink() else out.name}
    return sorted(p.name for p in out.parent.iterdir() if p.name not in expected)


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even `except Exception` handlers."""


# Every filesystem step of a write, in order: dying at each must leave the old output whole.
STEPS = [
    (tempfile, "mkdtemp"),
    (Path, "mkdir"),
    (Path, "write_bytes"),
    (os, "chmod"),
    (os, "symlink"),
    (os, "replace"),
    (shutil, "rmtree"),
]


@pytest.mark.parametrize("calls_before_death", [0, 1, 2, 3])
@pytest.mark.parametrize(("module", "name"), STEPS, ids=[name for _, name in STEPS])
def test_a_run_killed_at_any_step_leaves_the_previous_output_whole(tmp_path: Path, monkeypatch, module, name, calls_before_death):
    out = tmp_path / "pages"
    write_tree(out, OLD)
    real, calls = getattr(module, name), []

    def dying(*args, **kwargs):
        calls.append(args)
        if len(calls) > calls_before_death:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, dying)
    try:
        write_tree(out, NEW)
    except Killed:
        pass
    monkeypatch.undo()
    assert tree(out) in (OLD, NEW)  # complete, never a mix, never missing
    write_tree(out, NEW)  # the next run finishes the job and tidies up
    assert tree(out) == NEW
    assert leftovers(out) == []


def test_a_kill_between_writing_and_swapping_keeps_the_old_output(tmp_path: Path, monkeypatch):
    out = tmp_path / "pages"
    write_tree(out, OLD)
    monkeypatch.setattr(output.os, "replace", lambda *a: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        write_tree(out, NEW)
    monkeypatch.undo()
    assert tree(out) == OLD


def test_leftovers_of_killed_runs_are_removed_by_the_next(tmp_path: Path):
    out = tmp_path / "pages"
    write_tree(out, OLD)
    for prefix in (".pages.new-", ".pages.old-", ".pages.v-"):  # the old swap's and this one's
        (Path(tempfile.mkdtemp(prefix=prefix, dir=tmp_path)) / "half.md").write_text("x")
    os.symlink("nowhere", tmp_path / ".pages.link-abc")
    assert len(leftovers(out)) == 4
    assert write_tree(out, OLD) is False  # even when nothing changed
    assert leftovers(out) == [] and tree(out) == OLD


def test_a_real_output_folder_from_before_versioning_is_replaced(tmp_path: Path, monkeypatch):
    out = tmp_path / "pages"
    out.mkdir()
    for path, text in OLD.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text)
    monkeypatch.setattr(output.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("full")))
    with pytest.raises(OSError):
        write_tree(out, NEW)
    monkeypatch.undo()
    assert not out.is_symlink() and tree(out) == OLD  # a failed swap moves it back
    assert write_tree(out, NEW) is True
    assert out.is_symlink() and tree(out) == NEW and leftovers(out) == []


def test_a_folder_the_splitter_did_not_write_is_refused(tmp_path: Path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="did not write"):
        write_tree(tmp_path / "pages", NEW)
    assert (tmp_path / "pages" / "notes.txt").read_text() == "mine"
