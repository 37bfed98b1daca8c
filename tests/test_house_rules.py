"""The shape of the code, checked: no import cycle anywhere in reviewer_app (imports inside
functions and type-only imports included), modules under 400 lines, UI rooms under 2,000."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "reviewer_app"
MODULE_LINES = 400
ROOM_LINES = 2000


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Each module of reviewer_app → the modules of reviewer_app it imports (by any means)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    graph[name].add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names)
    return {m: {d for d in deps if d in modules and d != m} for m, deps in graph.items()}


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(group)

    for v in list(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_modules_stay_small() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MODULE_LINES
    }
    assert long == {}, f"split these modules (over {MODULE_LINES} lines): {long}"


def test_ui_rooms_stay_rooms() -> None:
    rooms = [p for p in (PACKAGE / "ui").iterdir() if (p / "__init__.py").is_file()]
    sizes = {
        room.name: sum(len(f.read_text(encoding="utf-8").splitlines()) for f in room.glob("*.py"))
        for room in rooms
    }
    assert len(sizes) >= 8 and max(sizes.values()) <= ROOM_LINES, sizes


def qthread_subclasses(source: str) -> list[str]:
    """Classes in ``source`` that subclass QThread (by name, as imported or as QtCore.QThread)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            bases = [ast.unparse(base) for base in node.bases]
            if any(base.split(".")[-1] == "QThread" for base in bases):
                found.append(node.name)
    return found


def test_no_qthread_subclass() -> None:
    """Threads are Python threads: Qt names a starting QThread from ``metaObject()``, which for
    a Python subclass builds PySide's meta-object on the new thread without the GIL, racing the
    UI thread (a segfault at start-up, about one run in a hundred; see ui/viewer/render_client)."""
    found = {
        str(p.relative_to(ROOT)): names
        for p in PACKAGE.rglob("*.py")
        if (names := qthread_subclasses(p.read_text(encoding="utf-8")))
    }
    assert found == {}, f"use threading.Thread and a QObject's signals instead: {found}"


def test_the_qthread_finder_finds_one() -> None:
    source = "class A(QThread): pass\nclass B(QtCore.QThread): pass\nclass C(QObject): pass\n"
    assert qthread_subclasses(source) == ["A", "B"]
