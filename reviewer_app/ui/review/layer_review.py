"""The reviewer: layer list, comparison, annotation list and export, wired to the main window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer

from reviewer_app.engine import BASE, DEFAULT, Change, EngineError, RecordKey
from reviewer_app.engine.trash import DeletedLayer
from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.list_dock import AnnotationListDock
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.review import layer_dialogs
from reviewer_app.ui.review.actions import ReviewActions
from reviewer_app.ui.review.compare import Comparison, ComparisonOverlay, Difference
from reviewer_app.ui.review.compare_dock import CompareDock
from reviewer_app.ui.review.export_dialog import PdfExport, ask_and_export
from reviewer_app.ui.review.layer_list import LayerEvents, LayerList, layer_title
from reviewer_app.ui.review.layers_dock import ReviewPanel

if TYPE_CHECKING:
    from reviewer_app.ui.main_window import MainWindow

RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
SUMMARY_DELAY_MS = 100  # layer summaries are read again at most this often while editing


class Review(QObject):
    """Everything the reviewer panel adds to ``window``: docks, a Layers menu, actions.

    Mutations go through the engine; their :class:`Change` goes to ``events`` and every
    view refreshes from there, following the change rather than reading the layer again.
    ``deleted`` holds deletions that can still be undone; ``merges`` the layers merged into,
    newest last (undone with the engine's undo)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window, self.engine = window, window.engine
        self.events = LayerEvents(self)
        self.layers = LayerList()
        self.actions = ReviewActions(window)
        self.panel = ReviewPanel(self.layers, self.actions, window)
        self.compare_dock = CompareDock(window)
        self.annotations = AnnotationListDock(window)
        self.overlay = ComparisonOverlay()
        self.comparison: Comparison | None = None
        self.deleted: list[DeletedLayer] = []
        self.merges: list[str] = []
        self.export: PdfExport | None = None
        self._base_keys: tuple[str, frozenset[RecordKey]] = ("", frozenset())
        self._summaries = QTimer(self, singleShot=True, interval=SUMMARY_DELAY_MS)
        self._summaries.timeout.connect(self.refresh_layers)
        for dock in (self.panel, self.compare_dock, self.annotations):
            window.addDockWidget(RIGHT, dock)
        window.tabifyDockWidget(self.compare_dock, self.annotations)
        self.panel.raise_()
        self._connect()
        self._build_menu()
        self._update_enabled()

    def _connect(self) -> None:
        a, w = self.actions, self.window
        a.next_layer.triggered.connect(lambda: self.step(1))
        a.previous_layer.triggered.connect(lambda: self.step(-1))
        a.new_layer.triggered.connect(lambda: layer_dialogs.ask_new_layer(self))
        a.fork_layer.triggered.connect(lambda: layer_dialogs.ask_fork_layer(self))
        a.delete_layer.triggered.connect(lambda: layer_dialogs.ask_delete_layer(self))
        a.undo_delete.triggered.connect(self.undo_delete)
        a.import_json.triggered.connect(lambda: layer_dialogs.ask_import_json(self))
        a.export_json.triggered.connect(lambda: layer_dialogs.ask_export_json(self))
        a.compare.triggered.connect(self.open_compare)
        a.export_pdfs.triggered.connect(self.ask_export_pdfs)
        self.panel.layer_chosen.connect(w.set_layer)
        self.annotations.annotation_chosen.connect(self.jump_to_record)
        d = self.compare_dock
        d.compare_requested.connect(self.compare)
        d.difference_chosen.connect(lambda diff: self.jump_to_record(diff.shown))
        d.merge_requested.connect(self.merge)
        d.undo_requested.connect(self.undo_merge)
        d.close_requested.connect(self.close_compare)
        self.events.changed.connect(self._changed)
        self.events.layers_changed.connect(self.refresh_layers)

    def _build_menu(self) -> None:
        menu = self.window.menuBar().addMenu("&Layers")
        a = self.actions
        menu.addActions([a.next_layer, a.previous_layer, a.find_layer])
        menu.addSeparator()
        menu.addActions([a.new_layer, a.fork_layer, a.delete_layer, a.undo_delete])
        menu.addSeparator()
        menu.addActions([a.import_json, a.export_json, a.compare, a.export_pdfs])
        menu.addSeparator()
        for dock in (self.panel, self.compare_dock, self.annotations):
            menu.addAction(dock.toggleViewAction())

    # -- following the window ------------------------------------------------------------

    @property
    def doc_id(self) -> str:
        assert self.window.document is not None
        return self.window.document.id

    def set_document(self) -> None:
        """A document was imported: list its layers (the window then shows one)."""
        self.close_compare()
        self.deleted.clear()
        self.merges.clear()
        self.refresh_layers()

    def refresh_layers(self) -> None:
        """Re-read the layer summaries; keep the toolbar's layer box in step."""
        self._summaries.stop()
        if self.window.document is None:
            return
        summaries = self.engine.layer_summaries(self.doc_id)
        self.layers.sync(summaries, shown=self.window.layer)
        existing = {s.name for s in summaries} | {DEFAULT}
        box = self.window.layer_box
        box.blockSignals(True)
        box.clear()
        for name in self.layers.names():  # the user's own reads "(new)" until its first change
            box.addItem(layer_title(name) + ("" if name in existing else " (new)"), name)
        box.setCurrentIndex(max(0, box.findData(self.window.layer)))
        box.blockSignals(False)
        current = self.compare_dock.a_box.currentData(), self.compare_dock.b_box.currentData()
        self.compare_dock.set_layers(self.layers.names(), *(c or "" for c in current))
        self.panel.select(self.window.layer)
        self._update_enabled()

    def layer_shown(self, name: str, records: list[Record] | None = None) -> None:
        """The window now shows ``name``: select it and list its annotations."""
        self.panel.select(name)
        if self.comparison is not None and name != self.comparison.a:
            self.close_compare()
        if self.window.document is not None:
            if records is None:
                records = self.engine.records(self.doc_id, name, "annotation")
            self.annotations.show_layer(name, records)
        self._update_enabled()

    def _update_enabled(self) -> None:
        has = self.window.document is not None
        self.actions.update_enabled(has, self.window.layer, bool(self.deleted))

    def step(self, delta: int) -> None:
        """Show the next (1) or previous (-1) layer of the list; page and zoom stay."""
        name = self.panel.neighbour(delta)
        if name is not None and self.window.document is not None:
            self.window.set_layer(name)

    def jump_to_record(self, record: Record) -> None:
        page, box = record.content.get("pageIndex"), record.content.get("bbox")
        if isinstance(page, int):
            top = float(box[1]) if isinstance(box, list) and len(box) >= 2 else 0.0
            self.window.view.go_to_page(page, max(0.0, top - 24))

    # -- changes -------------------------------------------------------------------------

    def _changed(self, change: Change) -> None:
        """Follow a record change: the shown layer's drawing and list (only what changed),
        the comparison it is part of, and the layer summaries a moment later (one read for a
        burst of changes, such as a held nudge key)."""
        if not self._summaries.isActive():
            self._summaries.start()
        if self.window.apply_change(change):  # else the layer was shown again, list and all
            self.annotations.apply(change)
        if self.comparison and change.layer in (self.comparison.a, self.comparison.b):
            self.compare(self.comparison.a, self.comparison.b)

    def base_keys(self) -> frozenset[RecordKey]:
        """The keys of the base layer's annotations (read once per document)."""
        if self.window.document is None:
            return frozenset()
        if self._base_keys[0] != self.doc_id:
            base = self.engine.records(self.doc_id, BASE, "annotation")
            self._base_keys = (self.doc_id, frozenset(r.key for r in base))
        return self._base_keys[1]

    # -- layer commands (the ask_* methods are the dialogs in front of them) -------------

    def create_layer(self, name: str, source: str | None = None) -> bool:
        try:
            if source is None:
                self.engine.create_layer(self.doc_id, name)
            else:
                self.engine.fork_layer(self.doc_id, source, name)
        except EngineError as exc:
            self.window.show_error("Layer not created", str(exc))
            return False
        self.events.layer_set_changed()
        self.window.set_layer(name)
        return True

    def delete_layer(self, name: str) -> bool:
        try:
            deleted = self.engine.delete_layer(self.doc_id, name)
        except EngineError as exc:
            self.window.show_error("Layer not deleted", str(exc))
            return False
        self.deleted.append(deleted)
        if self.window.layer == name:
            self.window.set_layer("")
        self.events.layer_set_changed()
        self.window.statusBar().showMessage(f"Deleted {layer_title(name)} (Ctrl+Alt+Z undoes)")
        return True

    def undo_delete(self) -> None:
        if not self.deleted:
            return
        deleted = self.deleted.pop()
        try:
            self.engine.restore_layer(deleted)
        except EngineError as exc:
            self.deleted.append(deleted)
            self.window.show_error("Deletion not undone", str(exc))
            return
        self.events.layer_set_changed()
        self.window.set_layer(deleted.name)

    def import_json(self, path: Path, name: str) -> bool:
        try:
            created = self.engine.create_layer(self.doc_id, name, instant_json=path.read_bytes())
        except (OSError, EngineError) as exc:
            self.window.show_error("Instant JSON not imported", str(exc))
            return False
        self.events.layer_set_changed()
        self.window.set_layer(name)
        if created.errors:
            self.window.statusBar().showMessage(f"{len(created.errors)} record(s) skipped")
        return True

    # -- compare and merge ---------------------------------------------------------------

    def open_compare(self) -> None:
        """Show the compare dock, proposing the current layer against the next one."""
        if self.comparison is None:
            names = self.layers.names()
            a = self.window.layer
            others = [n for n in names if n != a]
            after = [n for n in names[names.index(a) + 1 :] if n in others] if a in names else []
            self.compare_dock.set_layers(names, a, (after or others or [a])[0])
        self.compare_dock.show()
        self.compare_dock.raise_()
        self.compare_dock.a_box.setFocus()

    def compare(self, a: str, b: str) -> Comparison:
        """Show ``a`` with ``b``'s differences drawn over it and listed by page."""
        if self.window.layer != a:
            self.window.set_layer(a)
        self.comparison = Comparison(self.engine.diff(self.doc_id, a, b))
        self.overlay.show(self.window.view.pages, self.comparison)
        self.compare_dock.set_layers(self.layers.names(), a, b)
        self.compare_dock.set_comparison(self.comparison, bool(self.merges))
        return self.comparison

    def merge(self, differences: list[Difference], side: str) -> Change | None:
        """Copy ``differences`` (all, when empty) into layer A (``side`` "a") or B."""
        if self.comparison is None:
            return None
        a, b = self.comparison.a, self.comparison.b
        source, target = (b, a) if side == "a" else (a, b)
        keys = [d.key for d in differences] or None
        try:
            change = self.engine.copy_records(self.doc_id, source, target, keys)
        except EngineError as exc:
            self.window.show_error("Not merged", str(exc))
            return None
        if not change.empty:
            self.merges.append(target)
        self._record_change(change)
        return change

    def undo_merge(self) -> Change | None:
        if not self.merges:
            return None
        change = self.engine.undo(self.doc_id, self.merges.pop())
        if change is not None:
            self._record_change(change)
        return change

    def _record_change(self, change: Change) -> None:
        """Show a merge's change; it is a step of its layer's undo history too."""
        self.events.record_change(change)
        if change.layer == self.window.layer:
            emit(self.window.editor.history_changed)

    def close_compare(self) -> None:
        self.comparison = None
        self.overlay.clear()
        self.compare_dock.set_comparison(None)

    # -- export --------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop a running export (the files already written stay)."""
        if self.export is not None:
            self.export.run.wait()

    def ask_export_pdfs(self) -> None:
        names = [n for n in self.layers.names() if n != BASE and n not in self.layers.pending]
        opened = self.window.opened
        self.export = ask_and_export(
            self.window,
            self.engine.data_dir,
            self.doc_id,
            self.window.layer,
            names,
            opened.password if opened else None,
        )
        if self.export is not None:
            self.export.ended.connect(self.window.statusBar().showMessage)
