"""The viewer window: builds every part, hands each what it needs, and wires them together."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QVBoxLayout, QWidget

from reviewer_app.engine import Change, Document, LayerEngine
from reviewer_app.instant.records import Record
from reviewer_app.ui import window_menus as menus
from reviewer_app.ui.actions import ViewerActions, connect_view_actions
from reviewer_app.ui.annotations.overlay import AnnotationOverlay
from reviewer_app.ui.annotations.shapes import paint_record
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.core.tasks import Task, TaskRunner
from reviewer_app.ui.drawing.catalog import TOOLS
from reviewer_app.ui.forms.layer_forms import FormFields
from reviewer_app.ui.grading.grading import Grading
from reviewer_app.ui.grading.points_tool import PointsTool
from reviewer_app.ui.help import WindowHelp
from reviewer_app.ui.mark_warmer import MarkWarmer
from reviewer_app.ui.review.layer_review import LayerReview
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.session.editor import LayerEditor
from reviewer_app.ui.session.layer_reading import LayerReading
from reviewer_app.ui.session.opening import (
    OpenedPdf,
    PdfOpening,
    dropped_pdf,
    import_failure,
    import_in_background,
)
from reviewer_app.ui.sync.controls import SyncControls
from reviewer_app.ui.tools.actions import ToolActions
from reviewer_app.ui.tools.clipboard import AnnotationClipboard
from reviewer_app.ui.tools.page_tools import PageTools
from reviewer_app.ui.tools.properties import PropertiesDock
from reviewer_app.ui.tools.select import SelectTool
from reviewer_app.ui.viewer.docks import BookmarksDock, OutlineDock, ThumbnailDock
from reviewer_app.ui.viewer.find import DocumentSearch, FindBar
from reviewer_app.ui.viewer.page_view import FIT_PAGE, FIT_WIDTH, PageView
from reviewer_app.ui.viewer.render_client import RenderClient
from reviewer_app.ui.viewer.text_selection import TextSelection
from reviewer_app.ui.viewer.view_boxes import PageNumberBox, ZoomBox
from reviewer_app.ui.window_comments import (
    add_comment_actions,
    add_comments_dock,
    properties_follow_selection,
)

LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea


class MainWindow(QMainWindow):
    """Shows one PDF at a time with the annotations of one of its layers (``layer``). The
    window owns what the parts share, in ``context``; the parts ask for a layer or a file
    through it and the window shows it (:meth:`set_layer`, :meth:`open_file`)."""

    def __init__(self, engine: LayerEngine, settings: ViewerSettings | None = None) -> None:
        super().__init__()
        self.engine = engine
        self.settings = settings or ViewerSettings()
        self.context = DocumentContext(engine, self.settings, self)
        self.tasks = TaskRunner(at_once=2, parent=self)
        self.client = RenderClient(self)
        self.view = PageView(self.client)
        self.overlay = AnnotationOverlay(self.view, self.context.base_records)
        self.overlay.author = self.context.names.author  # anonymous grading hides some
        self.search = DocumentSearch(self.view, self.client)
        self.selection = TextSelection(self.view, self.client)
        self.find_bar = FindBar(self.search)
        self.viewer_actions = ViewerActions(self)
        self.editor = LayerEditor(self.context)
        self.warmer = MarkWarmer(engine, self)
        show, notify = self._show_layer, self.context.notify
        self.reading = LayerReading(engine, show, notify, self, self.overlay.sorter)
        self.tools = PageTools(
            self.context,
            self.editor,
            self.view,
            self.overlay,
            self.selection,
            [*TOOLS, PointsTool],
            field_at=lambda page, pos: self.forms.field_at(page, pos),
        )
        self.clipboard = AnnotationClipboard(self.tools)
        self.forms = FormFields(  # after the tools: its presses go to a field first
            self.context,
            self.editor,
            self.view,
            may_fill=lambda: self.tools.current.home,
            before_typing=lambda: self.tools.select([]),
        )
        self.tool_actions = ToolActions(self.tools, self)
        drawing_of = self.overlay.drawing_of
        self.review = LayerReview(self.context, self.editor, self.view, self.tasks, drawing_of)
        self.layer_box = self.review.layer_box
        self.sync = SyncControls(self.context, paint_record)  # draws conflicts' previews
        self.grading = Grading(self.context, self.editor, self.view, self.tools, self.tasks)
        self._build_central()
        self._build_docks()
        self._connect_actions()
        self._build_menus()
        self._connect_parts()
        self.selection.set_active(False)
        self.tools.apply_cursor()
        self.viewer_actions.update_enabled(False)
        self._update_history()
        self.opening = PdfOpening(self, self._show_opened, self.statusBar())
        self._import: Task | None = None
        self._import_pending: OpenedPdf | None = None
        self._import_timer = QTimer(self, singleShot=True, interval=1000)
        self._import_timer.timeout.connect(self._start_import)
        self.view.page_sharp.connect(lambda _: self._start_import())
        self.setAcceptDrops(True)
        self.setWindowTitle("Reviewer")
        if not self.settings.restore_window(self):  # the first start: the pages get the room
            menus.first_layout(self, self.thumbnails, self.review)

    # -- what the parts share ------------------------------------------------------------

    @property
    def document(self) -> Document | None:
        return self.context.document

    @property
    def opened(self) -> OpenedPdf | None:
        return self.context.opened

    @property
    def layer(self) -> str:
        return self.context.layer

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
        self.statusBar().addPermanentWidget(self.sync.indicator)  # page and zoom: the toolbar

    def _build_docks(self) -> None:
        self.thumbnails = ThumbnailDock(self.client, self)
        self.view.current_page_changed.connect(self.thumbnails.show_current)
        self.outline = OutlineDock(self)
        self.bookmarks = BookmarksDock(self)
        for dock in (self.thumbnails, self.outline, self.bookmarks):
            self.addDockWidget(LEFT, dock)
            dock.page_chosen.connect(self.view.go_to_page)
        self.tabifyDockWidget(self.thumbnails, self.outline)
        self.tabifyDockWidget(self.outline, self.bookmarks)
        self.thumbnails.raise_()
        self.properties = PropertiesDock(self.tools, self)
        review = self.review
        for right in (*review.docks(), self.properties):
            self.addDockWidget(RIGHT, right)
        self.tabifyDockWidget(review.comparing.dock, review.annotations)
        self.tabifyDockWidget(review.annotations, self.properties)
        self.comments = add_comments_dock(self, self.editor, self.selection, review)
        review.annotations.raise_()
        review.layers_dock.raise_()
        self.sync_conflicts_button = review.layers_dock.add_wide_button(self.sync.conflicts_action)
        self.sync_conflicts_button.setVisible(False)

    def _connect_actions(self) -> None:
        a, view = self.viewer_actions, self.view
        a.open.triggered.connect(self.choose_file)
        a.print_layer.triggered.connect(self.review.print_layer)
        a.quit.triggered.connect(self.close)
        connect_view_actions(a, view)  # zoom, rotation, pages
        view.zoom_changed.connect(self._zoom_mode_changed)
        a.find.triggered.connect(self.find_bar.open)
        self.find_bar.closed.connect(lambda: view.setFocus(Qt.FocusReason.OtherFocusReason))
        a.find_next.triggered.connect(self.find_bar.find_next)
        a.find_previous.triggered.connect(self.find_bar.find_previous)
        a.select_text.toggled.connect(self.selection.set_active)
        a.select_text.toggled.connect(lambda _: self.tools.apply_cursor())
        a.copy.triggered.connect(lambda: self.clipboard.copy() or self.selection.copy())
        a.cut.triggered.connect(self.clipboard.cut)
        a.paste.triggered.connect(self.clipboard.paste)
        select = self.tools.by_name["select"]
        assert isinstance(select, SelectTool)
        a.delete.triggered.connect(select.delete_selected)
        a.select_all.triggered.connect(select.select_all)
        view.addActions(a.annotation_actions())
        a.undo.triggered.connect(self.editor.undo)
        a.redo.triggered.connect(self.editor.redo)
        view.addActions(a.navigation_actions())
        view.addActions(self.tool_actions.actions())

    def _build_menus(self) -> None:
        self.recent_menu = menus.RecentFilesMenu(self.context, self.open_file, self)
        self.help = WindowHelp(self, self.engine.data_dir, self.settings.path())
        self.help.menus = menus.build_menus(
            self,
            self.viewer_actions,
            recent=self.recent_menu,
            server=self.sync.actions(),
            output=[self.review.actions.export_pdfs, self.viewer_actions.print_layer],
            docks=(self.thumbnails, self.outline, self.bookmarks, self.properties, self.comments),
            tools=self.tool_actions.actions(),
            fill_layers=self.review.fill_menu,
            help_actions=self.help.actions(),
        )
        self.file_menu = self.help.menus[0]
        add_comment_actions(self.help.menus[1], self.comments)
        boxes = (PageNumberBox(self.view), ZoomBox(self.view))
        self.page_box, self.zoom_box = boxes
        tools = self.tool_actions.actions()
        menus.build_toolbars(self, self.viewer_actions, boxes, self.layer_box, tools)
        self.grading.install(self, beside=self.properties, front=self.review.annotations)
        self.help.menus.insert(-1, self.grading.menu)  # its keys on the shortcuts sheet

    def _connect_parts(self) -> None:
        context, changes = self.context, self.context.changes
        context.names.changed.connect(self._update_title)
        context.layer_requested.connect(self.set_layer)
        context.open_requested.connect(lambda path: self.open_file(Path(path)))
        context.message.connect(self.statusBar().showMessage)
        context.keys_to_pages.connect(lambda: self.view.setFocus(Qt.FocusReason.OtherFocusReason))
        changes.changed.connect(self._follow_change)  # the page and lists, then the selection
        changes.changed.connect(self.tools.follow)
        properties_follow_selection(self.tools, self.properties)
        self.tools.selection_changed.connect(self._update_annotation_actions)
        self.editor.history_changed.connect(self._update_history)
        self.sync.attention.connect(self.sync_conflicts_button.setVisible)
        self.review.layers.mark = self.sync.layer_mark  # each Layers row's sync mark
        self.sync.marks_changed.connect(self.review.layers.marks_changed)
        self.sync.background.synced.connect(lambda _: self.grading.after_sync(self.sync.session))

    # -- opening -------------------------------------------------------------------------

    def choose_file(self) -> None:
        if name := QFileDialog.getOpenFileName(self, "Open PDF", "", "PDF files (*.pdf)")[0]:
            self.open_file(Path(name))

    def open_file(self, path: Path) -> None:
        """Read ``path`` on a task; shown when read (``opening.opened``), then imported."""
        self.opening.open(path)

    def _show_opened(self, opened: OpenedPdf) -> None:
        self._remember_page()
        self.review.empty_trash()  # the document shown so far closes
        self.context.opened, self.context.document = opened, None
        if self._import is not None:
            self._import.cancel()
        self.tools.select([])
        self.overlay.clear()
        self.warmer.stop()
        self.selection.reset()
        self.find_bar.hide()
        self.client.open_document(str(path := opened.path), opened.password)
        self.forms.load(path)
        self.view.show_pages(opened.sizes, opened.rotations)
        self.view.go_to_page(self.settings.last_page(str(path.resolve())))
        self.thumbnails.set_pages(opened.sizes)
        self.outline.set_outline(opened.toc)
        self.bookmarks.set_bookmarks([])
        self.settings.add_recent_file(path)
        self.viewer_actions.update_enabled(True)
        self._update_title()
        self.reading.cancel()  # the previous document's layer
        self._import_pending = opened
        self._import_timer.start()  # or sooner: once the first page shows sharp

    def _start_import(self) -> None:
        """Import the shown PDF into the engine (after its first page is on screen, so the
        extraction does not compete with the first render)."""
        opened, self._import_pending = self._import_pending, None
        if opened is None:
            return
        self._import_timer.stop()
        task = self._import = import_in_background(self.tasks, self.engine, opened)
        task.returned.connect(lambda document: self._imported(opened, document))
        task.errored.connect(self._import_failed)

    def _imported(self, opened: OpenedPdf, document: Document) -> None:
        if opened is not self.context.opened:
            return  # another file was opened meanwhile
        self.context.document = document
        self.review.set_document()  # lists the layers in the panel and the Layer box
        self.set_layer(self.editor.default_layer())

    def _import_failed(self, exc: BaseException) -> None:
        self.statusBar().showMessage(f"Annotations cannot be shown: {import_failure(exc)}")

    # -- the layer shown -----------------------------------------------------------------

    def set_layer(self, name: str) -> None:
        """Show layer ``name``; a big one once read on a task, the one shown staying until then."""
        if name != self.context.layer and self.context.document is not None:
            self.tools.current.finish()  # typed text goes to the layer it was typed in
            self.tools.select([])
        self.context.layer = name
        self.warmer.stop()  # the layer asked for first (restarted once it is shown)
        if self.context.document is None:
            return self.reading.cancel()
        self.reading.read(self.context.document.id, name)

    def _show_layer(self, document_id: str, name: str, records: list[Record], made: object) -> None:
        document = self.context.document
        if document is None or document.id != document_id or name != self.context.layer:
            return  # another document or layer was asked for meanwhile
        self.overlay.show(self.view.pages, records, made)  # (made: sorted out on the task)
        self.forms.show(records)
        self.bookmarks.set_bookmarks(records)
        self.review.layer_shown(name, records)  # annotations, and comments for their counts
        self.comments.show_layer(records)
        self.grading.layer_shown(name)
        self._update_title()
        self._update_history()
        self.warmer.start(document.id, self.review.layers.names(), name)

    def apply_change(self, change: Change) -> bool:
        """Follow a change of the layer shown where it is drawn, redrawing only what it
        touches; False when the layer was read and shown again instead."""
        document = self.context.document
        if document is None or change.layer != self.layer or change.document_id != document.id:
            return True
        if self.reading.pending():  # the layer being read: read it again, with the change
            self.set_layer(self.layer)
            return False
        if not self.overlay.apply(change, self.context.base_records()):
            self.set_layer(self.layer)
            return False
        kinds = {kind for kind, _ in change.keys}
        if "formFieldValue" in kinds:
            self.forms.apply(change)
        if "bookmark" in kinds:
            self.bookmarks.set_bookmarks(self.engine.records(document.id, self.layer, "bookmark"))
        return True

    def _follow_change(self, change: Change) -> None:
        if self.apply_change(change):  # else the layer was shown again, list and all
            self.review.annotations.apply(change)

    def _update_title(self) -> None:
        opened = self.context.opened
        if opened is None:
            self.setWindowTitle("Reviewer")
            return
        shown = self.context.names.title(self.layer)
        layer = f" — {shown}" if self.document is not None else ""
        self.setWindowTitle(f"{self.context.pdf_name(opened.path)}{layer} — Reviewer")

    def _update_history(self) -> None:
        """Undo/Redo name what they would do; tools are enabled where the layer can change."""
        self.viewer_actions.update_history(self.editor.undo_label(), self.editor.redo_label())
        self.tool_actions.update_enabled(self.editor.can_edit())
        self._update_annotation_actions()

    def _update_annotation_actions(self) -> None:
        selected, document = bool(self.tools.selected), self.document is not None
        self.viewer_actions.update_annotation_actions(self.editor.can_edit(), selected, document)

    # -- state ---------------------------------------------------------------------------

    def _zoom_mode_changed(self) -> None:
        self.viewer_actions.fit_width.setChecked(self.view.fit == FIT_WIDTH)
        self.viewer_actions.fit_page.setChecked(self.view.fit == FIT_PAGE)

    def _remember_page(self) -> None:
        opened = self.context.opened
        if opened is not None and self.view.current_page() >= 0:
            self.settings.set_last_page(str(opened.path.resolve()), self.view.current_page())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_pdf(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if (path := dropped_pdf(event.mimeData())) is not None:
            event.acceptProposedAction()
            self.open_file(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Keep the window's state and stop the background work; nothing is waited for but
        the render worker's exit (killed after 3 s)."""
        self._remember_page()
        self.review.empty_trash()
        self.settings.save_window(self)
        self.settings.sync()
        self._import_pending = None
        self.opening.shutdown()  # a file still being read is not shown
        self.warmer.stop()
        self.reading.shutdown()
        self.client.shutdown()
        self.review.shutdown()
        self.grading.shutdown()
        self.sync.shutdown()
        self.tasks.shutdown()
        super().closeEvent(event)
