"""The import contracts leave no hole: every part of reviewer_app sits in a layer, and Qt is
forbidden, directly or through anything, to every part below the UI."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "reviewer_app"


def contracts(kind: str) -> list[dict[str, Any]]:
    """The import-linter contracts of this type, from pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == kind]


def layered(layers: list[str]) -> set[str]:
    return {name.strip() for layer in layers for name in layer.split("|")}


def package_layers() -> dict[str, Any]:
    """The layers contract of reviewer_app's top-level parts (the UI's rooms have their own)."""
    (contract,) = [c for c in contracts("layers") if "containers" not in c]
    return contract


def parts_of(package: Path) -> tuple[set[str], set[str]]:
    """The sub-packages and the modules (``__init__`` aside) directly in ``package``."""
    folders = {p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    modules = {p.stem for p in package.glob("*.py") if p.name != "__init__.py"}
    return folders, modules


def test_every_module_of_reviewer_app_is_in_a_layer() -> None:
    folders, modules = parts_of(PACKAGE)
    parts = {f"reviewer_app.{name}" for name in folders | modules}
    assert parts == layered(package_layers()["layers"])


def test_every_room_of_the_ui_is_in_a_layer_and_none_imports_the_shell() -> None:
    """A new folder under ui/ is a room: it gets a place in the rooms' layers and may not
    import the shell (the modules directly in ui/, which assemble the rooms)."""
    (rooms,) = [c for c in contracts("layers") if c.get("containers") == ["reviewer_app.ui"]]
    folders, shell = parts_of(PACKAGE / "ui")
    assert layered(rooms["layers"]) == folders
    (no_shell,) = [
        c for c in contracts("forbidden") if "reviewer_app.ui.main_window" in c["forbidden_modules"]
    ]
    assert set(no_shell["source_modules"]) == {f"reviewer_app.ui.{f}" for f in folders}
    assert set(no_shell["forbidden_modules"]) == {f"reviewer_app.ui.{m}" for m in shell}


def test_the_root_package_imports_nothing() -> None:
    """``reviewer_app/__init__.py`` is outside every layer, so it may not lead anywhere."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]


def test_qt_is_forbidden_to_every_part_below_the_ui_even_indirectly() -> None:
    forbidden = contracts("forbidden")
    assert forbidden and not [c for c in forbidden if c.get("allow_indirect_imports")]
    layers = package_layers()
    below_ui = layered(layers["layers"][layers["layers"].index("reviewer_app.ui") + 1 :])
    (qt,) = [c for c in forbidden if "reviewer_app.engine" in c["source_modules"]]
    assert set(qt["source_modules"]) == below_ui
    assert {"PySide6", "shiboken6"} <= set(qt["forbidden_modules"])


def test_only_the_gui_launch_of_the_cli_may_reach_the_ui() -> None:
    """Every module of reviewer_app.cli but ``gui`` (and ``__init__``, which dispatches to it)
    is forbidden the UI and Qt."""
    (commands,) = [c for c in contracts("forbidden") if "reviewer_app.ui" in c["forbidden_modules"]]
    modules = {f"reviewer_app.cli.{p.stem}" for p in (PACKAGE / "cli").glob("*.py")}
    assert set(commands["source_modules"]) == modules - {
        "reviewer_app.cli.__init__",
        "reviewer_app.cli.gui",
    }
    assert {"PySide6", "shiboken6"} <= set(commands["forbidden_modules"])
