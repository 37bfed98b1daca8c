"""The viewer window: shows the first page, then builds every other part, hands each what it
needs, and wires them together."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow

from reviewer_app.ui import window_frame as frame
from reviewer_app.ui.core import file_dialogs, focus
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.session.opening import OpenedPdf, PdfOpening, dropped_pdf
from reviewer_app.ui.viewer.page_view import PageView
from reviewer_app.ui.viewer.render_client import RenderClient

if TYPE_CHECKING:
    from reviewer_app.engine import Change, Document, LayerEngine
    from reviewer_app.instant.records import Record

LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea


class MainWindow(QMainWindow):
    """Shows one PDF at a time with the annotations of one of its layers (``layer``). The
    window owns what the parts share, in ``context``; the parts ask for a layer or a file
    through it and the window shows it (:meth:`set_layer`, :meth:`open_file`)."""

    engine: LayerEngine  # given, or opened by ``open_engine`` before the rest is built

    def __init__(
        self,
        engine: LayerEngine | None,
        settings: ViewerSettings | None = None,
        *,
        staged: bool = False,
        open_engine: Callable[[], LayerEngine | None] | None = None,
    ) -> None:
        """``staged``: show the first page before the rest is built (the app's start): the
        docks are stand-ins, and the menus, toolbars, tools and panels come once the page is
        sharp (:meth:`build_rest`; a key meanwhile moves the pages or does nothing). Without
        an ``engine``, ``open_engine`` opens it then (None: the user quit, and so does the app)."""
        super().__init__()
        if engine is not None:
            self.engine = engine
        self._open_engine, self.engine_refused = open_engine, False
        self.settings = settings or ViewerSettings()
        self.client = RenderClient(self)
        self.view = PageView(self.client)
        self.built, self._sharp = False, False
        self._early: OpenedPdf | None = None  # shown before the rest was built
        self.opening = PdfOpening(self, self._show_opened, self.statusBar())
        self.central = frame.central_layout(self, self.view)
        self.setWindowTitle("Reviewer")
        self.focus_return = focus.FocusReturn(self)  # after a dialog, without a window manager
        self.view.page_sharp.connect(self._page_sharp)
        if not staged:
            return self.build_rest()
        self._stand_ins = frame.stand_in_docks(self, self.settings)
        self.opening.not_opened.connect(self.build_rest)
        QTimer.singleShot(1500, self, self.build_rest)  # a first page that takes its time

    def _page_sharp(self, _page: int) -> None:
        """The first page is on screen: the rest is built once this paint is done; the PDF
        is imported after it (so the extraction does not compete with the first render)."""
        self._sharp = True
        if not self.built:
            QTimer.singleShot(0, self, self.build_rest)
        else:
            self.importer.page_sharp()

    def build_rest(self) -> None:
        """Build every part but the page view, with the rooms' modules (once; the real docks
        take the stand-ins' places), and show them the PDF already shown."""
        if self.built or self.opening.tasks.closed or not self._engine_opened():
            return
        self.built = True
        from reviewer_app.ui import window_rooms as r

        state = frame.swap_out(self, self._stand_ins) if hasattr(self, "_stand_ins") else None
        self.context = r.DocumentContext(self.engine, self.settings, self)
        self.tasks = r.TaskRunner(at_once=2, parent=self)
        self.overlay = r.AnnotationOverlay(self.view, self.context.base_records)
        self.overlay.author = self.context.names.author  # anonymous grading hides some
        show, notify = self._show_layer, self.context.notify
        self.reading = r.LayerReading(self.engine, show, notify, self, self.overlay.sorter)
        self.context.changes.changed.connect(self.reading.finish)  # first: the layer is
        # shown whole (each list) before any part follows a change to it
        self.search = r.DocumentSearch(self.view, self.client)
        self.selection = r.TextSelection(self.view, self.client)
        self.find_bar = r.FindBar(self.search)
        self.viewer_actions = r.ViewerActions(self)
        self.editor = r.LayerEditor(self.context)
        self.warmer = r.MarkWarmer(self.engine, self)
        self.tools = r.PageTools(
            self.context,
            self.editor,
            self.view,
            self.overlay,
            self.selection,
            [*r.TOOLS, r.PointsTool],
            field_at=lambda page, pos: self.forms.field_at(page, pos),
        )
        self.clipboard = r.AnnotationClipboard(self.tools)
        self.forms = r.FormFields(  # after the tools: its presses go to a field first
            self.context,
            self.editor,
            self.view,
            may_fill=lambda: self.tools.current.home,
            before_typing=lambda: self.tools.select([]),
        )
        self.tool_actions = r.ToolActions(self.tools, self)
        drawing_of = self.overlay.drawing_of
        self.review = r.LayerReview(self.context, self.editor, self.view, self.tasks, drawing_of)
        self.layer_box = self.review.layer_box
        self.sync = r.SyncControls(self.context, r.paint_record)  # draws conflicts' previews
        self.grading = r.Grading(self.context, self.editor, self.view, self.tools, self.tasks)
        self.central.addWidget(self.find_bar)
        self.find_bar.hide()
        self.statusBar().addPermanentWidget(self.sync.indicator)  # page and zoom: the toolbar
        self._build_docks()
        self._build_menus()
        self._connect_parts()
        self.selection.set_active(False)
        self.tools.apply_cursor()
        self.viewer_actions.update_enabled(False)
        self._update_history()
        self.importer = r.ShownImport(
            self.tasks, self.context, self._imported, self._import_failed, self
        )
        self.setAcceptDrops(True)
        frame.restore_layout(self, state, self.settings, self.thumbnails, self.review.docks())
        if self._early is not None:  # the PDF shown before the rest was built
            self._show_parts(self._early)
            if self._sharp:
                self.importer.page_sharp()

    def _engine_opened(self) -> bool:
        if self.engine_if_open() is None and self._open_engine is not None:
            opener, self._open_engine = self._open_engine, None  # asked once (its dialogs)
            if (engine := opener()) is None:  # the data folder cannot be used: the user quit
                self.engine_refused = True  # (the app then exits with 1)
                self.close()
                return False
            self.engine = engine
        return self.engine_if_open() is not None

    def engine_if_open(self) -> LayerEngine | None:
        return getattr(self, "engine", None)

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

    def _build_docks(self) -> None:
        from reviewer_app.ui import window_rooms as r

        self.thumbnails = r.ThumbnailDock(self.client, self)
        self.view.current_page_changed.connect(self.thumbnails.show_current)
        self.outline = r.OutlineDock(self)
        self.bookmarks = r.BookmarksDock(self)
        for dock in (self.thumbnails, self.outline, self.bookmarks):
            self.addDockWidget(LEFT, dock)
            dock.page_chosen.connect(self.view.go_to_page)
        self.tabifyDockWidget(self.thumbnails, self.outline)
        self.tabifyDockWidget(self.outline, self.bookmarks)
        self.thumbnails.raise_()
        self.properties = r.PropertiesDock(self.tools, self)
        r.properties_follow_selection(self.tools, self.properties)
        review = self.review
        for right in (*review.docks(), self.properties):
            self.addDockWidget(RIGHT, right)
        self.tabifyDockWidget(review.comparing.dock, review.annotations)
        self.tabifyDockWidget(review.annotations, self.properties)
        self.comments = r.add_comments_dock(self, self.editor, self.selection, review)
        review.annotations.raise_()
        review.layers_dock.raise_()
        self.sync_conflicts_button = review.layers_dock.add_wide_button(self.sync.conflicts_action)
        self.sync_conflicts_button.setVisible(False)

    def _build_menus(self) -> None:
        """The actions' connections, the menus and the toolbars."""
        from reviewer_app.ui import window_rooms as r

        a, view = self.viewer_actions, self.view
        a.open.triggered.connect(self.choose_file)
        a.print_layer.triggered.connect(self.review.print_layer)
        a.quit.triggered.connect(self.close)
        r.connect_view_actions(a, view)  # zoom, rotation, pages
        r.connect_edit_actions(
            a, view, self.find_bar, self.selection, self.tools, self.clipboard, self.editor
        )
        view.addActions(self.tool_actions.actions())
        self.recent_menu = r.menus.RecentFilesMenu(self.context, self.open_file, self)
        self.help = r.WindowHelp(self, self.engine.data_dir, self.settings.path())
        self.help.menus = r.menus.build_menus(
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
        r.add_comment_actions(self.help.menus[1], self.comments)
        boxes = (r.PageNumberBox(self.view), r.ZoomBox(self.view))
        self.page_box, self.zoom_box = boxes
        tools = self.tool_actions.actions()
        r.menus.build_toolbars(self, self.viewer_actions, boxes, self.layer_box, tools)
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
        self.tools.selection_changed.connect(self._update_annotation_actions)
        self.editor.history_changed.connect(self._update_history)
        self.sync.attention.connect(self.sync_conflicts_button.setVisible)
        self.review.layers.mark = self.sync.layer_mark  # each Layers row's sync mark
        self.sync.marks_changed.connect(self.review.layers.marks_changed)
        self.sync.background.synced.connect(lambda _: self.grading.after_sync(self.sync.session))

    # -- opening -------------------------------------------------------------------------

    def choose_file(self) -> None:
        if name := file_dialogs.open_file(self, self.settings, "Open PDF", "PDF files (*.pdf)"):
            self.open_file(name)

    def open_file(self, path: Path) -> None:
        """Read ``path`` (by the render worker before the rest is built), show it, import it."""
        self.opening.open(path, renderer=None if self.built else self.client)

    def _show_opened(self, opened: OpenedPdf) -> None:
        if not self.built:  # the first page at once; the rest follows it (build_rest)
            self._early = opened
            return self._show_pages(opened)
        self.context.remember_page(self.view.current_page())
        self.review.empty_trash()  # the document shown so far closes
        self.context.opened, self.context.document = opened, None
        self.tools.select([])
        self.overlay.clear()
        self.warmer.stop()
        self.selection.reset()
        self.find_bar.hide()
        self._show_pages(opened)
        self._show_parts(opened)

    def _show_pages(self, opened: OpenedPdf) -> None:
        self.client.open_document(str(path := opened.path), opened.password)
        self.view.show_pages(opened.sizes, opened.rotations)
        self.view.go_to_page(self.settings.last_page(str(path.resolve())))

    def _show_parts(self, opened: OpenedPdf) -> None:
        self.context.opened, self._early = opened, None
        self.forms.load(opened.path)
        self.thumbnails.set_pages(opened.sizes)
        self.outline.set_outline(opened.toc)
        self.bookmarks.set_bookmarks([])
        self.settings.add_recent_file(opened.path)
        self.viewer_actions.update_enabled(True)
        self._update_title()
        self.reading.cancel()  # the previous document's layer
        self.importer.shown(opened)

    def _imported(self, opened: OpenedPdf, document: Document) -> None:
        """The layers listed (the one to show with them), then that layer a turn later."""
        if opened is not self.context.opened:
            return  # another file was opened meanwhile
        self.context.document = document
        self.context.layer = name = self.editor.default_layer()
        self.review.set_document()  # lists the layers in the panel and the Layer box
        self.reading.read_next_turn(document.id, name)  # (unless another is asked for first)

    def _import_failed(self, why: str) -> None:
        self.statusBar().showMessage(f"Annotations cannot be shown: {why}")

    # -- the layer shown -----------------------------------------------------------------

    def set_layer(self, name: str) -> None:
        """Show layer ``name``; a big one once read on a task, the one shown staying until then."""
        self.reading.finish()  # (the one shown so far shown whole first, its lists and all)
        if name != self.context.layer and self.context.document is not None:
            self.tools.current.finish()  # typed text goes to the layer it was typed in
            if self.tools.selected:  # (none: the Properties pane stays as it is)
                self.tools.select([])
        self.context.layer = name
        self.warmer.stop()  # the layer asked for first (restarted once it is shown)
        if self.context.document is None:
            return self.reading.cancel()
        self.reading.read(self.context.document.id, name)

    def _show_layer(
        self, document_id: str, name: str, records: list[Record], made: object
    ) -> Sequence[Callable[[], object]]:
        """The steps that show the layer read (the page first; see ``LayerReading``)."""
        document = self.context.document
        if document is None or document.id != document_id or name != self.context.layer:
            return ()  # another document or layer was asked for meanwhile
        self._update_title()
        self._update_history()
        return (
            lambda: self.overlay.show(self.view.pages, records, made),  # (made: on the task)
            lambda: self.forms.show(records),
            lambda: self.bookmarks.set_bookmarks(records),
            lambda: self.review.layer_shown(name, records),  # annotations, the layer's row
            lambda: self.comments.show_layer(records),
            lambda: self.grading.layer_shown(name),
            lambda: self.warmer.start(document.id, self.review.layers.names(), name),
        )

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
        self.setWindowTitle(self.context.window_title())

    def _update_history(self) -> None:
        """Undo/Redo name what they would do; tools are enabled where the layer can change."""
        self.viewer_actions.update_history(self.editor.undo_label(), self.editor.redo_label())
        self.tool_actions.update_enabled(self.editor.can_edit())
        self._update_annotation_actions()

    def _update_annotation_actions(self) -> None:
        selected, document = bool(self.tools.selected), self.document is not None
        self.viewer_actions.update_annotation_actions(self.editor.can_edit(), selected, document)

    # -- state ---------------------------------------------------------------------------

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
        if self.built:
            self.context.remember_page(self.view.current_page())
            self.review.empty_trash()
            self.importer.stop()
            self.warmer.stop()
            self.reading.shutdown()
            self.review.shutdown()
            self.grading.shutdown()
            self.sync.shutdown()
            self.tasks.shutdown()
        self.settings.save_window(self)
        self.settings.sync()
        self.opening.shutdown()  # a file still being read is not shown (nor the rest built)
        self.client.shutdown()
        super().closeEvent(event)
