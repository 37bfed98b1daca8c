"""LayerReview: the Layers dock and toolbar box, compare and merge, the Annotations dock, export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QComboBox, QDockWidget, QMenu

from reviewer_app.engine import BASE, DEFAULT, Change, EngineError
from reviewer_app.instant.records import Record, canonical_json
from reviewer_app.ui.annotations.marks import Mark
from reviewer_app.ui.annotations.shapes import mark_of
from reviewer_app.ui.compare.comparing import LayerComparing
from reviewer_app.ui.core.tasks import TaskRunner
from reviewer_app.ui.core.words import plural
from reviewer_app.ui.export.dialog import PdfExport, ask_export_of
from reviewer_app.ui.export.printing import LayerPrint, print_shown_layer
from reviewer_app.ui.export.xfdf_files import LayerXfdf
from reviewer_app.ui.review import layer_dialogs
from reviewer_app.ui.review.actions import ReviewActions
from reviewer_app.ui.review.layers_dock import LayersDock
from reviewer_app.ui.review.list_dock import AnnotationListDock
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.session.editor import LayerEditor
from reviewer_app.ui.session.layer_list import LayerList
from reviewer_app.ui.viewer.page_view import PageView

SUMMARY_DELAY_MS = 100  # layer summaries are read again at most this often while editing


class LayerReview(QObject):
    """What the reviewer works with: the Layers dock (``layers_dock``) and the toolbar's
    layer box (``layer_box``) over one :class:`LayerList`, the Compare and Annotations docks,
    the layer commands (``actions``, also as a Layers menu) and the export of layer PDFs.

    Mutations go through the engine; their :class:`Change` goes to the change hub
    (``context.changes``) and every view refreshes from there, following the change rather
    than reading the layer again. Deleted layers wait in the engine's trash until the
    document closes (Undo Delete Layer puts the newest back). Compare and merge are
    ``comparing`` (:class:`LayerComparing`)."""

    def __init__(
        self,
        context: DocumentContext,
        editor: LayerEditor,
        view: PageView,
        tasks: TaskRunner,
        draw: Callable[[Record], Mark | None] = mark_of,
    ) -> None:
        super().__init__(context)
        self.context, self.engine, self.editor, self.view = context, context.engine, editor, view
        self.tasks = tasks
        parent = context.dialog_parent
        self.layers = LayerList()
        self.layers.title, self.layers.author = context.names.title, context.names.author
        self.actions = ReviewActions(parent)
        self.layers_dock = LayersDock(self.layers, self.actions, parent)
        self.annotations = AnnotationListDock(parent)
        self.annotations.author = context.names.author
        self.layer_box = QComboBox()
        self.layer_box.setAccessibleName("Layer")
        self.layer_box.setMinimumContentsLength(14)
        self.comparing = LayerComparing(context, editor, view, tasks, draw)
        self.xfdf = LayerXfdf(context, tasks)
        self.export: PdfExport | None = None
        self.printing: LayerPrint | None = None
        self._summaries = QTimer(self, singleShot=True, interval=SUMMARY_DELAY_MS)
        self._summaries.timeout.connect(self.refresh_layers)
        self._connect()
        self._update_enabled()

    def docks(self) -> list[QDockWidget]:
        return [self.layers_dock, self.comparing.dock, self.annotations]

    def _connect(self) -> None:
        a, context = self.actions, self.context
        a.next_layer.triggered.connect(lambda: self.step(1))
        a.previous_layer.triggered.connect(lambda: self.step(-1))
        a.new_layer.triggered.connect(self.ask_new_layer)
        a.fork_layer.triggered.connect(self.ask_fork_layer)
        a.delete_layer.triggered.connect(self.ask_delete_layer)
        a.undo_delete.triggered.connect(self.undo_delete)
        a.import_json.triggered.connect(self.ask_import_json)
        a.export_json.triggered.connect(self.ask_export_json)
        a.import_xfdf.triggered.connect(self.xfdf.ask_import)
        a.export_xfdf.triggered.connect(self.xfdf.ask_export)
        a.compare.triggered.connect(lambda: self.comparing.open(self.layers.names()))
        a.export_pdfs.triggered.connect(self.ask_export_pdfs)
        self.layers_dock.layer_chosen.connect(context.show_layer)
        self.layer_box.currentIndexChanged.connect(self._box_chosen)
        self.annotations.annotation_chosen.connect(self.jump_to_record)
        self.comparing.dock.difference_chosen.connect(lambda d: self.jump_to_record(d.shown))
        context.changes.changed.connect(self._changed)
        context.changes.layers_changed.connect(self.refresh_layers)
        context.names.changed.connect(self._names_changed)

    def fill_menu(self, menu: QMenu) -> None:
        """The Layers menu: the layer commands and the reviewer's docks."""
        a = self.actions
        menu.addActions([a.next_layer, a.previous_layer, a.find_layer])
        menu.addSeparator()
        menu.addActions([a.new_layer, a.fork_layer, a.delete_layer, a.undo_delete])
        menu.addSeparator()
        menu.addActions([a.import_json, a.export_json, a.import_xfdf, a.export_xfdf])
        menu.addActions([a.compare, a.export_pdfs])
        menu.addSeparator()
        for dock in self.docks():
            menu.addAction(dock.toggleViewAction())

    # -- following the window ------------------------------------------------------------

    @property
    def doc_id(self) -> str:
        assert self.context.document is not None
        return self.context.document.id

    def set_document(self) -> None:
        """A document was imported: list its layers (the window then shows one). Deletions
        left in its trash by an earlier run cannot be undone from here."""
        self.comparing.close()
        self.comparing.merges.clear()
        self.empty_trash()
        self.refresh_layers()

    def empty_trash(self) -> None:
        """The document is closing (or opening): its deleted layers are gone for good."""
        if self.context.document is not None:
            try:
                self.engine.purge_deleted_layers(self.doc_id)
            except EngineError as exc:  # the next open empties it
                self.context.notify(f"Deleted layers are still kept: {exc}", 8000)

    def _names_changed(self) -> None:
        """Names hidden or shown (anonymous grading): every place a layer is named again."""
        self.layers.names_changed()
        self.annotations.names_changed()
        self.refresh_layers()
        self.comparing.offer(self.layers.names())

    def refresh_layers(self) -> None:
        """Re-read the layer summaries; keep the toolbar's layer box in step."""
        self._summaries.stop()
        if self.context.document is None:
            return
        summaries = self.engine.layer_summaries(self.doc_id)
        shown = self.context.layer
        with self.layers_dock.updating():
            self.layers.sync(summaries, shown=shown, own=self.context.own_layer())
        existing = {s.name for s in summaries} | {DEFAULT}
        box = self.layer_box
        box.blockSignals(True)
        box.clear()
        title = self.context.names.title
        for name in self.layers.names():  # the user's own reads "(new)" until its first change
            box.addItem(title(name) + ("" if name in existing else " (new)"), name)
        box.setCurrentIndex(max(0, box.findData(shown)))
        box.blockSignals(False)
        self.comparing.offer(self.layers.names())
        self.layers_dock.select(shown)
        self._update_enabled()

    def layer_shown(self, name: str, records: list[Record] | None = None) -> None:
        """The window now shows ``name``: select it (in the dock and the box) and list its
        annotations."""
        self.layers_dock.select(name)
        own = self.context.own_layer()
        if self.layer_box.findData(name) < 0 or self.layers.pending - {name, own}:
            self.refresh_layers()  # a layer shown before its first change, as "(new)", is
            # listed while it is shown (the user's own always is), and leaves the list after
        index = self.layer_box.findData(name)
        if index != self.layer_box.currentIndex():
            self.layer_box.setCurrentIndex(index)
        self.comparing.layer_shown(name)  # (a comparison of another layer closes)
        if self.context.document is not None:
            if records is None:
                records = self.engine.records(self.doc_id, name, "annotation")
            self.annotations.show_layer(name, records)
        self._update_enabled()

    def _box_chosen(self, index: int) -> None:
        name = self.layer_box.itemData(index)
        if isinstance(name, str) and name != self.context.layer:
            self.context.show_layer(name)

    def _update_enabled(self) -> None:
        has = self.context.document is not None
        can_restore = has and bool(self.engine.deleted_layers(self.doc_id))
        self.actions.update_enabled(has, self.context.layer, can_restore)

    def step(self, delta: int) -> None:
        """Show the next (1) or previous (-1) person's layer of the list (a teacher's "next
        student"): the base, the default layer and one's own are reached by a click, not
        here. Page and zoom stay."""
        if self.context.document is None:
            return
        own = self.editor.default_layer()
        name = self.layers_dock.neighbour(delta, skip={BASE, DEFAULT, own})
        if name is None:
            self.context.notify("There is no other person's layer to go to", 4000)
        else:
            self.context.show_layer(name)

    def jump_to_record(self, record: Record) -> None:
        page, box = record.content.get("pageIndex"), record.content.get("bbox")
        if isinstance(page, int):
            top = float(box[1]) if isinstance(box, list) and len(box) >= 2 else 0.0
            self.view.go_to_page(page, max(0.0, top - 24))

    # -- changes -------------------------------------------------------------------------

    def _changed(self, change: Change) -> None:
        """Follow a record change: the layer summaries a moment later (one read for a burst
        of changes, such as a held nudge key) and the comparison it is part of."""
        if not self._summaries.isActive():
            self._summaries.start()
        self.comparing.follow(change)

    # -- layer commands (each ask_* puts a dialog in front of one) -----------------------

    def ask_new_layer(self) -> None:
        """Ask for a name, then create an empty layer (it reads as the base layer)."""
        name = layer_dialogs.ask_new_layer_name(self.context.dialog_parent)
        if name is not None:
            self.create_layer(name)

    def ask_fork_layer(self) -> None:
        """Ask for a name, then fork the current layer (base included) under it."""
        source = self.context.layer
        title = self.context.names.title(source)
        name = layer_dialogs.ask_fork_name(self.context.dialog_parent, title)
        if name is not None:
            self.create_layer(name, source)

    def ask_delete_layer(self) -> None:
        """Confirm, then delete the current layer (undoable while the app is open)."""
        name = self.context.layer
        if name == BASE or not self.engine.has_layer(self.doc_id, name):
            shown = self.context.names.title(name)
            self.context.show_error("Delete Layer", f"{shown} has nothing to delete.")
        elif layer_dialogs.confirm_delete(
            self.context.dialog_parent, self.context.names.title(name)
        ):
            self.delete_layer(name)

    def ask_import_json(self) -> None:
        """Ask for an Instant JSON file and a layer name, then import it as a new layer."""
        answer = layer_dialogs.ask_instant_json_to_import(
            self.context.dialog_parent, self.context.settings
        )
        if answer is not None:
            self.import_json(*answer)

    def ask_export_json(self) -> None:
        """Ask for a file, then write the current layer's Instant JSON into it."""
        shown = self.context.names.shown(self.context.layer)
        parent, settings = self.context.dialog_parent, self.context.settings
        path = layer_dialogs.ask_instant_json_file(parent, settings, shown)
        if path is not None:
            self.export_json(path)

    def export_json(self, path: Path) -> None:
        data = self.engine.export_instant(self.doc_id, self.context.layer)
        try:
            path.write_text(canonical_json(data), encoding="utf-8")
        except OSError as exc:
            self.context.show_error("Instant JSON not written", str(exc))

    def create_layer(self, name: str, source: str | None = None) -> bool:
        """Create layer ``name``: empty, or a copy of ``source``. A source listed but not
        made yet (the user's own before their first change) reads as the base layer, and
        so does its copy: an empty layer (the engine has nothing to copy)."""
        try:
            if source is None or (
                source != BASE and not self.engine.has_layer(self.doc_id, source)
            ):
                self.engine.create_layer(self.doc_id, name)
            else:
                self.engine.fork_layer(self.doc_id, source, name)
        except EngineError as exc:
            self.context.show_error("Layer not created", str(exc))
            return False
        self.context.changes.layer_set_changed()
        self.context.show_layer(name)
        return True

    def delete_layer(self, name: str) -> bool:
        shown = self.context.names.title(name)  # as named before: no alias once it is gone
        try:
            self.engine.delete_layer(self.doc_id, name)
        except EngineError as exc:
            self.context.show_error("Layer not deleted", str(exc))
            return False
        self.comparing.forget_layer(name)
        if self.context.layer == name:
            self.context.show_layer("")
        self.context.changes.layer_set_changed()
        self.context.notify(f"Deleted {shown} (Ctrl+Alt+Z undoes)")
        return True

    def undo_delete(self) -> None:
        """Put back the layer deleted last (its records, history and identity)."""
        if self.context.document is None:
            return
        try:
            restored = self.engine.restore_layer(self.doc_id)
        except EngineError as exc:
            self.context.show_error("Deletion not undone", str(exc))
            return
        self.context.changes.layer_set_changed()
        self.context.show_layer(restored.name)

    def import_json(self, path: Path, name: str) -> bool:
        try:
            created = self.engine.create_layer(self.doc_id, name, instant_json=path.read_bytes())
        except (OSError, EngineError) as exc:
            self.context.show_error("Instant JSON not imported", str(exc))
            return False
        self.context.changes.layer_set_changed()
        self.context.show_layer(name)
        if created.errors:
            self.context.notify(f"{plural(len(created.errors), 'record')} skipped")
        return True

    # -- export --------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop a running export or printing now (the files already written stay)."""
        if self.export is not None:
            self.export.run.stop()
        if self.printing is not None:
            self.printing.stop()

    def ask_export_pdfs(self) -> None:
        """Export Layers as PDF: which layers and how, then the folder (ui/export)."""
        self.export = ask_export_of(self.context, self.layers)

    def print_layer(self) -> None:
        """Print the layer shown: flattened, with its comments summary after the last page."""
        self.printing = print_shown_layer(self.context) or self.printing
