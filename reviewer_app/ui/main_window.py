"""The viewer window: pages in the middle, docks at the side, a find bar below, menus above."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.engine import Change, Document, LayerEngine
from reviewer_app.ui.actions import ViewerActions
from reviewer_app.ui.annotations.overlay import AnnotationOverlay
from reviewer_app.ui.annotations.warmer import MarkWarmer
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.forms.layer_forms import FormFields
from reviewer_app.ui.review.layer_list import layer_title
from reviewer_app.ui.review.layer_review import Review
from reviewer_app.ui.session.editor import LayerEditor
from reviewer_app.ui.session.opening import ImportTask, OpenedPdf, read_pdf
from reviewer_app.ui.sync.controls import SyncUi
from reviewer_app.ui.tools import TOOLS
from reviewer_app.ui.tools.actions import ToolActions
from reviewer_app.ui.tools.box import ToolBox
from reviewer_app.ui.tools.clipboard import AnnotationClipboard
from reviewer_app.ui.tools.properties import PropertiesDock
from reviewer_app.ui.tools.select import SelectTool
from reviewer_app.ui.viewer.docks import BookmarksDock, OutlineDock, ThumbnailDock
from reviewer_app.ui.viewer.find import DocumentSearch, FindBar
from reviewer_app.ui.viewer.page_view import FIT_PAGE, FIT_WIDTH, ZOOM_STEP, PageView
from reviewer_app.ui.viewer.render_client import RenderClient
from reviewer_app.ui.viewer.text_selection import TextSelection


class MainWindow(QMainWindow):
    """Shows one PDF at a time with the annotations of one of its layers (``layer``)."""

    def __init__(self, engine: LayerEngine, settings: ViewerSettings | None = None) -> None:
        super().__init__()
        self.engine = engine
        self.settings = settings or ViewerSettings()
        self.opened: OpenedPdf | None = None
        self.document: Document | None = None
        self.layer = ""
        self.client = RenderClient(self)
        self.view = PageView(self.client)
        self.overlay = AnnotationOverlay(self.view)
        self.search = DocumentSearch(self.view, self.client)
        self.selection = TextSelection(self.view, self.client)
        self.find_bar = FindBar(self.search)
        self.viewer_actions = ViewerActions(self)
        self.editor = LayerEditor(self)
        self.warmer = MarkWarmer(engine, self)
        self.tools = ToolBox(self, self.editor, TOOLS)
        self.clipboard = AnnotationClipboard(self.tools)
        self.forms = FormFields(self)
        self.tool_actions = ToolActions(self.tools, self)
        self._build_central()
        self._build_docks()
        self._connect_actions()
        self._build_menus()
        self._build_toolbar()
        self.review = Review(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.properties)
        self.tabifyDockWidget(self.review.annotations, self.properties)
        self.review.annotations.raise_()
        self.tools.selection_changed.connect(self._show_properties)
        self.review.events.changed.connect(self.tools.follow)
        self.editor.history_changed.connect(self._update_history)
        self.tools.selection_changed.connect(self._update_annotation_actions)
        self.sync = SyncUi(self)
        self.selection.set_active(False)
        self.tools.apply_cursor()
        self.viewer_actions.update_enabled(False)
        self._update_history()
        self._import_pending: ImportTask | None = None
        self._import_timer = QTimer(self, singleShot=True, interval=1000)
        self._import_timer.timeout.connect(self._start_import)
        self.view.page_sharp.connect(lambda _: self._start_import())
        self.setAcceptDrops(True)
        self.setWindowTitle("Reviewer")
        self.resize(1100, 850)
        self.settings.restore_window(self)

    # -- building ------------------------------------------------------------------------

    def _build_central(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.find_bar)
        self.find_bar.hide()
        self.setCentralWidget(central)
        self.page_label = QLabel()
        self.page_label.setAccessibleName("Current page")
        self.zoom_label = QLabel()
        self.zoom_label.setAccessibleName("Zoom")
        self.statusBar().addPermanentWidget(self.page_label)
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.view.current_page_changed.connect(self._page_changed)
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z * 100:.0f} %"))

    def _build_docks(self) -> None:
        self.thumbnails = ThumbnailDock(self.client, self)
        self.outline = OutlineDock(self)
        self.bookmarks = BookmarksDock(self)
        for dock in (self.thumbnails, self.outline, self.bookmarks):
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
            dock.page_chosen.connect(self.view.go_to_page)
        self.tabifyDockWidget(self.thumbnails, self.outline)
        self.tabifyDockWidget(self.outline, self.bookmarks)
        self.thumbnails.raise_()
        self.properties = PropertiesDock(self)  # docked right, under the review docks

    def _connect_actions(self) -> None:
        a, view = self.viewer_actions, self.view
        a.open.triggered.connect(self.choose_file)
        a.quit.triggered.connect(self.close)
        a.zoom_in.triggered.connect(lambda: view.zoom_by(ZOOM_STEP))
        a.zoom_out.triggered.connect(lambda: view.zoom_by(1 / ZOOM_STEP))
        a.fit_width.triggered.connect(lambda: view.set_fit(FIT_WIDTH))
        a.fit_page.triggered.connect(lambda: view.set_fit(FIT_PAGE))
        a.actual_size.triggered.connect(lambda: view.set_zoom(1.0))
        view.zoom_changed.connect(self._zoom_mode_changed)
        a.rotate_right.triggered.connect(lambda: view.rotate_by(90))
        a.rotate_left.triggered.connect(lambda: view.rotate_by(-90))
        a.go_to_page.triggered.connect(self.ask_page)
        a.next_page.triggered.connect(lambda: view.go_to_page(view.current_page() + 1))
        a.previous_page.triggered.connect(lambda: view.go_to_page(view.current_page() - 1))
        a.first_page.triggered.connect(lambda: view.go_to_page(0))
        a.last_page.triggered.connect(lambda: view.go_to_page(view.page_count() - 1))
        a.find.triggered.connect(self.find_bar.open)
        a.find_next.triggered.connect(self.find_bar.find_next)
        a.find_previous.triggered.connect(self.find_bar.find_previous)
        a.select_text.toggled.connect(self.selection.set_active)
        a.select_text.toggled.connect(lambda _: self.tools.apply_cursor())
        a.copy.triggered.connect(lambda: self.clipboard.copy() or self.selection.copy())
        a.cut.triggered.connect(self.clipboard.cut)
        a.paste.triggered.connect(self.clipboard.paste)
        select = self.tools.tools["select"]
        assert isinstance(select, SelectTool)
        a.delete.triggered.connect(select.delete_selected)
        a.select_all.triggered.connect(select.select_all)
        view.addActions(a.annotation_actions())
        a.undo.triggered.connect(self.editor.undo)
        a.redo.triggered.connect(self.editor.redo)
        view.addActions(a.navigation_actions())
        view.addActions(self.tool_actions.actions())

    def _build_menus(self) -> None:
        a, bar = self.viewer_actions, self.menuBar()
        file_menu = self.file_menu = bar.addMenu("&File")
        file_menu.addAction(a.open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(a.quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([a.undo, a.redo])
        edit_menu.addSeparator()
        edit_menu.addActions([a.cut, a.copy, a.paste, a.delete, a.select_all, a.select_text])
        edit_menu.addSeparator()
        edit_menu.addActions([a.find, a.find_next, a.find_previous])
        view_menu = bar.addMenu("&View")
        view_menu.addActions([a.zoom_in, a.zoom_out, a.actual_size, a.fit_width, a.fit_page])
        view_menu.addSeparator()
        view_menu.addActions([a.rotate_right, a.rotate_left])
        view_menu.addSeparator()
        for dock in (self.thumbnails, self.outline, self.bookmarks, self.properties):
            view_menu.addAction(dock.toggleViewAction())
        go_menu = bar.addMenu("&Go")
        go_menu.addActions([a.go_to_page, *a.navigation_actions()])
        tools_menu = bar.addMenu("&Tools")
        tools_menu.addActions(self.tool_actions.actions())

    def _build_toolbar(self) -> None:
        a = self.viewer_actions
        bar = self.addToolBar("Main")
        bar.setObjectName("main-toolbar")
        bar.addActions([a.open])
        bar.addSeparator()
        bar.addActions([a.zoom_out, a.zoom_in, a.fit_width, a.fit_page])
        bar.addActions([a.rotate_left, a.rotate_right, a.select_text])
        bar.addSeparator()
        bar.addWidget(QLabel(" Layer: "))
        self.layer_box = QComboBox()
        self.layer_box.setAccessibleName("Layer")
        self.layer_box.setMinimumContentsLength(14)
        self.layer_box.currentIndexChanged.connect(self._layer_chosen)
        bar.addWidget(self.layer_box)
        bar.addSeparator()
        bar.addActions([a.undo, a.redo])
        self.addToolBarBreak()
        tools = self.addToolBar("Annotate")
        tools.setObjectName("annotate-toolbar")
        tools.addActions(self.tool_actions.actions())

    # -- opening -------------------------------------------------------------------------

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open PDF", "", "PDF files (*.pdf)")
        if name:
            self.open_file(Path(name))

    def open_file(self, path: Path) -> bool:
        """Show ``path`` at once and import it into the engine in the background."""
        opened = read_pdf(self, path)
        if opened is None:
            return False
        self._remember_page()
        self.opened, self.document = opened, None
        self.tools.select([])
        self.overlay.clear()
        self.warmer.stop()
        self.selection.reset()
        self.find_bar.hide()
        self.client.open_document(str(path), opened.password)
        self.forms.load(path, opened.password)
        self.view.open_source(path, opened.password)
        self.view.show_pages(opened.sizes, opened.rotations)
        self.view.go_to_page(self.settings.last_page(str(path.resolve())))
        self.thumbnails.set_pages(opened.sizes)
        self.outline.set_outline(opened.toc)
        self.bookmarks.set_bookmarks([])
        self.settings.add_recent_file(path)
        self.viewer_actions.update_enabled(True)
        self._update_title()
        self._import_pending = ImportTask(self.engine, opened)
        self._import_timer.start()  # or sooner: once the first page shows sharp
        return True

    def _start_import(self) -> None:
        """Import the shown PDF into the engine (after its first page is on screen, so the
        extraction does not compete with the first render)."""
        task, self._import_pending = self._import_pending, None
        if task is None:
            return
        self._import_timer.stop()
        opened = task.opened
        task.signals.imported.connect(lambda doc: self._imported(opened, doc))
        task.signals.failed.connect(self._import_failed)
        task.start()

    def _imported(self, opened: OpenedPdf, document: Document) -> None:
        if opened is not self.opened:
            return  # another file was opened meanwhile
        self.document = document
        self.review.set_document()  # lists the layers in the panel and the Layer box
        self.set_layer(self.editor.default_layer())

    def _import_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"Annotations cannot be shown: {message}")

    def set_layer(self, name: str) -> None:
        """Draw the annotations and list the bookmarks of layer ``name`` (no page re-render)."""
        changed = name != self.layer
        self.layer = name
        if self.document is None:
            return
        if changed:
            self.tools.current.cancel()
            self.tools.select([])
        records = self.engine.records(self.document.id, name)
        self.overlay.show(self.view.pages, records)
        self.forms.show(records)
        self.bookmarks.set_bookmarks(records)
        self.review.layer_shown(name, [r for r in records if r.kind == "annotation"])
        if self.layer_box.findData(name) < 0:  # the user's own, before its first change
            self.review.refresh_layers()  # lists it in the panel and the box, as "(new)"
        index = self.layer_box.findData(name)
        if index != self.layer_box.currentIndex():
            self.layer_box.setCurrentIndex(index)
        self._update_title()
        self._update_history()
        self.warmer.start(self.document.id, self.review.layers.names(), name)

    def apply_change(self, change: Change) -> bool:
        """Follow a change of the layer shown where it is drawn, redrawing only what it
        touches; False when the layer had to be read and shown again instead."""
        doc = self.document
        if doc is None or change.layer != self.layer or change.document_id != doc.id:
            return True
        if not self.overlay.apply(change, self.review.base_keys()):
            self.set_layer(self.layer)
            return False
        kinds = {kind for kind, _ in change.keys}
        if "formFieldValue" in kinds:
            self.forms.apply(change)
        if "bookmark" in kinds:
            self.bookmarks.set_bookmarks(self.engine.records(doc.id, self.layer, "bookmark"))
        return True

    def _show_properties(self) -> None:
        """Bring the Properties tab forward when annotations get selected."""
        if self.tools.selected and self.properties.toggleViewAction().isChecked():
            self.properties.raise_()

    def _update_title(self) -> None:
        if self.opened is None:
            self.setWindowTitle("Reviewer")
            return
        layer = f" — {layer_title(self.layer)}" if self.document is not None else ""
        self.setWindowTitle(f"{self.opened.path.name}{layer} — Reviewer")

    def _update_history(self) -> None:
        """Undo/Redo name what they would do; tools are enabled where the layer can change."""
        a = self.viewer_actions
        undo, redo = self.editor.undo_label(), self.editor.redo_label()
        a.undo.setText(f"&Undo {undo}" if undo else "&Undo")
        a.redo.setText(f"&Redo {redo}" if redo else "&Redo")
        a.undo.setEnabled(undo is not None)
        a.redo.setEnabled(redo is not None)
        self.tool_actions.update_enabled(self.editor.can_edit())
        self._update_annotation_actions()

    def _update_annotation_actions(self) -> None:
        """Cut and Delete need chosen annotations in a layer that can change; Paste the layer."""
        a, editable = self.viewer_actions, self.editor.can_edit()
        a.cut.setEnabled(editable and bool(self.tools.selected))
        a.delete.setEnabled(editable and bool(self.tools.selected))
        a.paste.setEnabled(editable)
        a.select_all.setEnabled(self.document is not None)

    def _layer_chosen(self, index: int) -> None:
        name = self.layer_box.itemData(index)
        if isinstance(name, str) and name != self.layer:
            self.set_layer(name)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for name in self.settings.recent_files():
            action = self.recent_menu.addAction(Path(name).name)
            action.setToolTip(name)
            action.triggered.connect(lambda _=False, n=name: self.open_file(Path(n)))
        self.recent_menu.setEnabled(True)

    # -- state ---------------------------------------------------------------------------

    def ask_page(self) -> None:
        count = self.view.page_count()
        page, ok = QInputDialog.getInt(
            self, "Go to Page", f"Page (1–{count}):", self.view.current_page() + 1, 1, count
        )
        if ok:
            self.view.go_to_page(page - 1)

    def _page_changed(self, page: int) -> None:
        self.page_label.setText(f"Page {page + 1} of {self.view.page_count()}")
        self.thumbnails.show_current(page)

    def _zoom_mode_changed(self) -> None:
        self.viewer_actions.fit_width.setChecked(self.view.fit == FIT_WIDTH)
        self.viewer_actions.fit_page.setChecked(self.view.fit == FIT_PAGE)

    def _remember_page(self) -> None:
        if self.opened is not None and self.view.current_page() >= 0:
            key = str(self.opened.path.resolve())
            self.settings.set_last_page(key, self.view.current_page())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if any(u.isLocalFile() and u.toLocalFile().lower().endswith(".pdf") for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".pdf"):
                event.acceptProposedAction()
                self.open_file(Path(url.toLocalFile()))
                return

    def closeEvent(self, event: QCloseEvent) -> None:
        self._remember_page()
        self.settings.save_window(self)
        self.settings.sync()
        self._import_pending = None
        self.warmer.stop()
        self.client.shutdown()
        self.view.quick.close()
        self.review.shutdown()
        self.sync.shutdown()
        ImportTask.wait_all()
        super().closeEvent(event)

    def show_error(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)
