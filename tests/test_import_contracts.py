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


def package_layers() -> dict[str, Any]:
    """The layers contract over reviewer_app's parts (not one inside a container, e.g. ui's)."""
    (contract,) = [c for c in contracts("layers") if not c.get("containers")]
    return contract


def layered(layers: list[str]) -> set[str]:
    return {name.strip() for layer in layers for name in layer.split("|")}


def test_every_module_of_reviewer_app_is_in_a_layer() -> None:
    contract = package_layers()
    parts = {
        f"reviewer_app.{path.stem if path.is_file() else path.name}"
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" and path.name != "__init__.py")
        or (path.is_dir() and (path / "__init__.py").is_file())
    }
    assert parts == layered(contract["layers"])


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
