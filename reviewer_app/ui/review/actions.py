"""ReviewActions: the reviewer panel's actions (layers, compare, export) with texts and keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from reviewer_app.ui.core.action_collection import ActionCollection

Key = QKeySequence.StandardKey


class ReviewActions(ActionCollection):
    """The reviewer's QActions, created, given texts and shortcuts in separate small steps.

    Callers connect ``triggered``; ``update_enabled`` follows the current state."""

    def create_actions(self) -> None:
        new = self._new
        self.next_layer = new()
        self.previous_layer = new()
        self.new_layer = new()
        self.fork_layer = new()
        self.delete_layer = new()
        self.undo_delete = new()
        self.import_json = new()
        self.export_json = new()
        self.import_xfdf = new()
        self.export_xfdf = new()
        self.compare = new()
        self.export_pdfs = new()
        self.find_layer = new()

    def set_texts(self) -> None:
        texts = {
            self.next_layer: "&Next Layer",
            self.previous_layer: "&Previous Layer",
            self.new_layer: "&New Empty Layer…",
            self.fork_layer: "&Fork Layer…",
            self.delete_layer: "&Delete Layer…",
            self.undo_delete: "&Undo Delete Layer",
            self.import_json: "&Import Instant JSON as Layer…",
            self.export_json: "E&xport Layer's Instant JSON…",
            self.import_xfdf: "Import XFDF Co&mments into Layer…",
            self.export_xfdf: "Expo&rt Layer as XFDF…",
            self.compare: "&Compare Layers…",
            self.export_pdfs: "Export Layers as &PDF…",
            self.find_layer: "Fi&nd Layer",
        }
        self.apply_texts(texts)

    def set_shortcuts(self) -> None:
        own = {
            self.next_layer: "Ctrl+PgDown",
            self.previous_layer: "Ctrl+PgUp",
            self.new_layer: "Ctrl+Shift+N",
            self.fork_layer: "Ctrl+Shift+K",
            self.delete_layer: "Ctrl+Shift+Del",
            self.undo_delete: "Ctrl+Alt+Z",
            self.compare: "Ctrl+Shift+M",
            self.export_pdfs: "Ctrl+E",
            self.find_layer: "Ctrl+L",
        }
        self.apply_sequences(own)
        for action in own:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def all(self) -> list[QAction]:
        return [
            *(self.next_layer, self.previous_layer, self.find_layer, self.new_layer),
            *(self.fork_layer, self.delete_layer, self.undo_delete, self.import_json),
            *(self.export_json, self.import_xfdf, self.export_xfdf, self.compare),
            self.export_pdfs,
        ]

    def update_enabled(self, has_document: bool, layer: str, can_undo_delete: bool) -> None:
        """Enablement as a function of the state: a document, the layer, a deletion to undo."""
        for action in self.all():
            action.setEnabled(has_document)
        self.delete_layer.setEnabled(has_document and layer != "*base")
        self.undo_delete.setEnabled(has_document and can_undo_delete)
