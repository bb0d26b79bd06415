"""The layers stay layers: what each package may import, and a hook that only wires events."""

from __future__ import annotations

import ast

from ..conftest import ROOT

SCRIPTS = ROOT / "scripts"


def imports_of(package: str) -> dict[str, set[str]]:
    """{module file: every module it imports}, for the .py files of scripts/<package>."""
    found = {}
    for path in sorted((SCRIPTS / package).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        found[path.relative_to(ROOT).as_posix()] = names
    return found


def offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{path} imports {name}" for path, names in imports_of(package).items()
            for name in sorted(names) if name.split(".")[0] in forbidden or name.startswith(forbidden)]


def test_the_book_steps_never_import_mkdocs_or_later_steps():
    assert offenders("book", ("mkdocs", "scripts.emit", "scripts.render", "scripts.glue", "scripts.dev", "tests")) == []


def test_the_emit_steps_never_import_mkdocs_or_the_glue():
    assert offenders("emit", ("mkdocs", "scripts.glue", "scripts.dev", "tests")) == []


def test_nothing_in_scripts_imports_the_tests_and_the_build_never_imports_dev_tools():
    assert offenders("", ("tests",)) == []
    build_side = ("book", "emit", "render", "glue")
    assert [o for package in build_side for o in offenders(package, ("scripts.dev",))] == []


def test_the_hook_only_wires_events():
    hook = (SCRIPTS / "mkdocs_hook.py").read_text(encoding="utf-8")
    assert len(hook.splitlines()) <= 80
    tree = ast.parse(hook)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            # One statement each: hand the event to the build.
            assert len(node.body) == 1, f"{node.name} does more than forward the event"


def test_no_module_of_the_build_imports_itself_back():
    graph = {}
    for path in sorted(SCRIPTS.rglob("*.py")):
        if "node_modules" in path.parts:
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("scripts"):
                names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        graph[module] = names
    graph = {module: {name for name in names if name in graph and name != module} for module, names in graph.items()}

    def cycle_from(start):
        stack = [(start, [start])]
        seen = set()
        while stack:
            module, path = stack.pop()
            for name in graph[module]:
                if name == start:
                    return [*path, name]
                if name not in seen:
                    seen.add(name)
                    stack.append((name, [*path, name]))
        return None

    assert [cycle for module in graph if (cycle := cycle_from(module))] == []
