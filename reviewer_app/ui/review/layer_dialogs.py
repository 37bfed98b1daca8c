"""The questions in front of the layer commands: names, confirmations, files to read or write.

Each function only asks (None or False when the user cancels); the reviewer acts on the answer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from reviewer_app.ui.core import file_dialogs
from reviewer_app.ui.core.settings import ViewerSettings

JSON = "Instant JSON (*.json)"


def ask_new_layer_name(parent: QWidget) -> str | None:
    """The name of a new, empty layer."""
    name, ok = QInputDialog.getText(parent, "New Layer", "Name of the new, empty layer:")
    return name.strip() if ok and name.strip() else None


def ask_fork_name(parent: QWidget, title: str) -> str | None:
    """The name of the copy of the layer named ``title`` on screen."""
    name, ok = QInputDialog.getText(
        parent, "Fork Layer", f"Name of the copy of {title}:", text=f"{title} (copy)"
    )
    return name.strip() if ok and name.strip() else None


def confirm_delete(parent: QWidget, title: str) -> bool:
    """Whether to delete the layer named ``title`` on screen and all its annotations."""
    answer = QMessageBox.question(
        parent,
        "Delete Layer",
        f"Delete {title} and all its annotations?\n\n"
        "Layers > Undo Delete Layer brings it back until you quit.",
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_instant_json_to_import(
    parent: QWidget, settings: ViewerSettings
) -> tuple[Path, str] | None:
    """An Instant JSON file and the name of the new layer to import it as."""
    file = file_dialogs.open_file(parent, settings, "Import Instant JSON", JSON)
    if file is None:
        return None
    name, ok = QInputDialog.getText(parent, "Import", "New layer name:", text=file.stem)
    return (file, name.strip()) if ok and name.strip() else None


def ask_instant_json_file(parent: QWidget, settings: ViewerSettings, shown: str) -> Path | None:
    """Where to write a layer's Instant JSON (offered as ``shown``.json: the layer's name as
    the screen shows it)."""
    title, offered = "Export Instant JSON", f"{shown or 'default'}.json"
    return file_dialogs.save_file(parent, settings, title, offered, JSON)[0]
