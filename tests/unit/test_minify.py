from pathlib import Path

import pytest

from scripts.render import minify
from scripts.render.minify import MinifyError, minify_assets

JS = b"// why: a comment\n(function () {\n  var greeting = 'hi';\n  window.qaGreet = function () { return greeting; };\n})();\n"
CSS = b"/* why */\n.qa-x {\n  color: red;\n}\n"


def test_scripts_and_stylesheets_shrink_and_other_files_pass_through(tmp_path: Path):
    files = {"assets/javascripts/a.js": JS, "assets/stylesheets/a.css": CSS, "index.md": b"# x\n", "assets/images/a.jpg": b"\xff\xd8"}
    out = minify_assets(files, tmp_path / "cache")
    assert out["index.md"] == files["index.md"] and out["assets/images/a.jpg"] == files["assets/images/a.jpg"]
    assert len(out["assets/javascripts/a.js"]) < len(JS) and b"comment" not in out["assets/javascripts/a.js"]
    assert b"window.qaGreet" in out["assets/javascripts/a.js"]  # globals other scripts use keep their names
    assert out["assets/stylesheets/a.css"].strip() == b".qa-x{color:red}"


def test_results_are_cached_by_content(tmp_path: Path, monkeypatch):
    first = minify_assets({"assets/a.js": JS}, tmp_path)
    monkeypatch.setattr(minify, "ESBUILD", tmp_path / "no-esbuild")  # a cache hit must not need it
    assert minify_assets({"assets/a.js": JS}, tmp_path) == first
    with pytest.raises(MinifyError, match="npm ci"):
        minify_assets({"assets/b.js": JS + b"\n"}, tmp_path)


def test_a_syntax_error_is_reported_not_shipped(tmp_path: Path):
    with pytest.raises(MinifyError, match="could not minify"):
        minify_assets({"assets/broken.js": b"function ( {"}, tmp_path)


def test_entry_points_bundle_their_library_modules_which_are_not_published(tmp_path: Path):
    files = {"assets/javascripts/lib/greet.js": b"export const greet = () => 'hi from lib';\n",
             "assets/javascripts/page.js": b"import { greet } from './lib/greet.js';\nwindow.qaGreet = greet;\n"}
    out = minify_assets(files, tmp_path)
    assert set(out) == {"assets/javascripts/page.js"}
    assert b"hi from lib" in out["assets/javascripts/page.js"] and b"import" not in out["assets/javascripts/page.js"]
    changed = {**files, "assets/javascripts/lib/greet.js": b"export const greet = () => 'changed';\n"}
    assert b"changed" in minify_assets(changed, tmp_path)["assets/javascripts/page.js"]  # a library edit rebuilds its users
