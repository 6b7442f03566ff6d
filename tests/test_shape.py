"""The shape of the house, held by tests (import-linter holds the layers):
no import cycle anywhere in the package, no file too big to read, and a TUI
that runs no query of its own."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import grimp

PACKAGE = Path(__file__).resolve().parents[1] / "duty_desk"
CATALOGS = {PACKAGE / "core" / "i18n" / "zh.py", PACKAGE / "core" / "i18n" / "en.py"}


def import_cycles(package: str = "duty_desk") -> list[list[str]]:
    """Every set of modules that import each other, directly or round about
    (Tarjan's strongly connected components of the import graph). The graph
    holds imports inside functions too, so an import moved into a function
    cannot hide a cycle."""
    graph = grimp.build_graph(package, cache_dir=None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in graph.modules:
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for module in sorted(graph.modules):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return cycles


def test_the_package_has_no_import_cycle():
    assert import_cycles() == []


def test_the_cycle_finder_finds_a_cycle(tmp_path, monkeypatch):
    """The check above can fail: two modules importing each other are found."""
    pkg = tmp_path / "loop_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from loop_pkg import b  # inside a function: still an import\n")
    (pkg / "b.py").write_text("from loop_pkg import a\n")
    (pkg / "c.py").write_text("from loop_pkg import a\n")  # imports into the loop, not part of it
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("loop_pkg") == [["loop_pkg.a", "loop_pkg.b"]]


def test_no_python_file_is_over_500_lines_except_the_message_catalogs():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if p not in CATALOGS and (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}


def test_the_tui_names_neither_peewee_nor_the_models():
    """`grep -rE "peewee|models" duty_desk/tui` finds nothing: the desk asks
    the core, it runs no query of its own."""
    pattern = re.compile(r"peewee|models")
    found = [f"{p.relative_to(PACKAGE)}:{i}" for p in sorted((PACKAGE / "tui").rglob("*"))
             if p.is_file() and p.suffix in (".py", ".tcss")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []


def test_the_core_imports_no_textual_no_tui_and_no_command_line():
    graph = grimp.build_graph("duty_desk", include_external_packages=True)
    core = {m for m in graph.modules if m == "duty_desk.core" or m.startswith("duty_desk.core.")}
    reached = {imported for m in core for imported in graph.find_modules_directly_imported_by(m)}
    assert sorted(m for m in reached if m.split(".")[0] == "textual"
                  or m.startswith(("duty_desk.tui", "duty_desk.cli"))) == []


def test_the_files_the_wheel_carries_are_where_the_desk_looks_for_them():
    """config.toml and app.tcss travel inside the wheel, next to the package's
    __init__, where core.config.packaged_file looks (a non-editable install
    finds nothing else)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    carried = project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert carried == {name: f"duty_desk/{name}" for name in ("app.tcss", "config.toml")}
    for name in carried:
        assert (PACKAGE.parent / name).is_file()
