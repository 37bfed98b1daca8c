"""The questions in front of the layer commands: names, confirmations, files to read or write."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from reviewer_app.engine import BASE
from reviewer_app.instant.records import canonical_json
from reviewer_app.ui.session.context import layer_title

if TYPE_CHECKING:
    from reviewer_app.ui.review.layer_review import LayerReview


def ask_new_layer(review: LayerReview) -> None:
    """Ask for a name, then create an empty layer (it reads as the base layer)."""
    name, ok = QInputDialog.getText(
        review.context.dialog_parent, "New Layer", "Name of the new, empty layer:"
    )
    if ok and name.strip():
        review.create_layer(name.strip())


def ask_fork_layer(review: LayerReview) -> None:
    """Ask for a name, then fork the current layer (base included) under it."""
    source = review.context.layer
    title = layer_title(source)
    name, ok = QInputDialog.getText(
        review.context.dialog_parent,
        "Fork Layer",
        f"Name of the copy of {title}:",
        text=f"{title} (copy)",
    )
    if ok and name.strip():
        review.create_layer(name.strip(), source)


def ask_delete_layer(review: LayerReview) -> None:
    """Confirm, then delete the current layer (undoable while the app is open)."""
    name = review.context.layer
    if name == BASE or not review.engine.has_layer(review.doc_id, name):
        review.context.show_error("Delete Layer", f"{layer_title(name)} has nothing to delete.")
        return
    answer = QMessageBox.question(
        review.context.dialog_parent,
        "Delete Layer",
        f"Delete {layer_title(name)} and all its annotations?\n\n"
        "Layers > Undo Delete Layer brings it back until you quit.",
    )
    if answer == QMessageBox.StandardButton.Yes:
        review.delete_layer(name)


def ask_import_json(review: LayerReview) -> None:
    """Ask for an Instant JSON file and a layer name, then import the file as a new layer."""
    file, _ = QFileDialog.getOpenFileName(
        review.context.dialog_parent, "Import Instant JSON", "", "Instant JSON (*.json)"
    )
    if not file:
        return
    name, ok = QInputDialog.getText(
        review.context.dialog_parent, "Import", "New layer name:", text=Path(file).stem
    )
    if ok and name.strip():
        review.import_json(Path(file), name.strip())


def ask_export_json(review: LayerReview) -> None:
    """Ask for a file, then write the current layer's Instant JSON into it."""
    file, _ = QFileDialog.getSaveFileName(
        review.context.dialog_parent,
        "Export Instant JSON",
        f"{review.context.layer or 'default'}.json",
        "Instant JSON (*.json)",
    )
    if file:
        export_json(review, Path(file))


def export_json(review: LayerReview, path: Path) -> None:
    data = review.engine.export_instant(review.doc_id, review.context.layer)
    try:
        path.write_text(canonical_json(data), encoding="utf-8")
    except OSError as exc:
        review.context.show_error("Instant JSON not written", str(exc))
