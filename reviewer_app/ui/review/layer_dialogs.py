"""The questions in front of the layer commands: names, confirmations, files to read or write.

Each function only asks (None or False when the user cancels); the reviewer acts on the answer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from reviewer_app.ui.session.context import layer_title


def ask_new_layer_name(parent: QWidget) -> str | None:
    """The name of a new, empty layer."""
    name, ok = QInputDialog.getText(parent, "New Layer", "Name of the new, empty layer:")
    return name.strip() if ok and name.strip() else None


def ask_fork_name(parent: QWidget, source: str) -> str | None:
    """The name of the copy of layer ``source``."""
    title = layer_title(source)
    name, ok = QInputDialog.getText(
        parent, "Fork Layer", f"Name of the copy of {title}:", text=f"{title} (copy)"
    )
    return name.strip() if ok and name.strip() else None


def confirm_delete(parent: QWidget, name: str) -> bool:
    """Whether to delete layer ``name`` and all its annotations."""
    answer = QMessageBox.question(
        parent,
        "Delete Layer",
        f"Delete {layer_title(name)} and all its annotations?\n\n"
        "Layers > Undo Delete Layer brings it back until you quit.",
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_instant_json_to_import(parent: QWidget) -> tuple[Path, str] | None:
    """An Instant JSON file and the name of the new layer to import it as."""
    file, _ = QFileDialog.getOpenFileName(
        parent, "Import Instant JSON", "", "Instant JSON (*.json)"
    )
    if not file:
        return None
    name, ok = QInputDialog.getText(parent, "Import", "New layer name:", text=Path(file).stem)
    return (Path(file), name.strip()) if ok and name.strip() else None


def ask_instant_json_file(parent: QWidget, layer: str) -> Path | None:
    """Where to write layer ``layer``'s Instant JSON."""
    file, _ = QFileDialog.getSaveFileName(
        parent, "Export Instant JSON", f"{layer or 'default'}.json", "Instant JSON (*.json)"
    )
    return Path(file) if file else None
