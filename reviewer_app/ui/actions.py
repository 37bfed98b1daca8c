"""ViewerActions: every action of the viewer window, with its text and shortcut, in one place."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from reviewer_app.ui.core.action_collection import ActionCollection
from reviewer_app.ui.core.icons import themed_icon
from reviewer_app.ui.session.editor import LayerEditor
from reviewer_app.ui.tools.clipboard import AnnotationClipboard
from reviewer_app.ui.tools.page_tools import PageTools
from reviewer_app.ui.tools.select import SelectTool
from reviewer_app.ui.viewer.find import FindBar
from reviewer_app.ui.viewer.page_view import FIT_PAGE, FIT_WIDTH, ZOOM_STEP, PageView
from reviewer_app.ui.viewer.text_selection import TextSelection

Key = QKeySequence.StandardKey


class ViewerActions(ActionCollection):
    """The window's QActions, created, given texts and shortcuts in separate small steps.

    Callers connect ``triggered``; ``update_enabled`` follows whether a document is open."""

    def create_actions(self) -> None:
        new = self._new
        self.open = new()
        self.print_layer = new()
        self.quit = new()
        self.zoom_in = new()
        self.zoom_out = new()
        self.fit_width = new(checkable=True)
        self.fit_page = new(checkable=True)
        self.actual_size = new()
        self.rotate_right = new()
        self.rotate_left = new()
        self.go_to_page = new()
        self.next_page = new()
        self.previous_page = new()
        self.first_page = new()
        self.last_page = new()
        self.find = new()
        self.find_next = new()
        self.find_previous = new()
        self.select_text = new(checkable=True)
        self.copy = new()
        self.cut = new()
        self.paste = new()
        self.delete = new()
        self.select_all = new()
        self.undo = new()
        self.redo = new()

    def set_texts(self) -> None:
        texts = {
            self.open: "&Open…",
            self.print_layer: "&Print…",
            self.quit: "&Quit",
            self.zoom_in: "Zoom &In",
            self.zoom_out: "Zoom &Out",
            self.fit_width: "Fit &Width",
            self.fit_page: "Fit &Page",
            self.actual_size: "&Actual Size",
            self.rotate_right: "Rotate &Right",
            self.rotate_left: "Rotate &Left",
            self.go_to_page: "&Go to Page…",
            self.next_page: "&Next Page",
            self.previous_page: "&Previous Page",
            self.first_page: "&First Page",
            self.last_page: "&Last Page",
            self.find: "&Find…",
            self.find_next: "Find Ne&xt",
            self.find_previous: "Find Pre&vious",
            self.select_text: "&Select Text",
            self.copy: "&Copy",
            self.cut: "Cu&t",
            self.paste: "&Paste",
            self.delete: "&Delete",
            self.select_all: "Select &All",
            self.undo: "&Undo",
            self.redo: "&Redo",
        }
        self.apply_texts(texts)

    def set_shortcuts(self) -> None:
        standard = {
            self.open: Key.Open,
            self.print_layer: Key.Print,
            self.quit: Key.Quit,
            self.zoom_in: Key.ZoomIn,
            self.zoom_out: Key.ZoomOut,
            self.find: Key.Find,
            self.find_next: Key.FindNext,
            self.find_previous: Key.FindPrevious,
            self.copy: Key.Copy,
            self.cut: Key.Cut,
            self.paste: Key.Paste,
            self.delete: Key.Delete,
            self.select_all: Key.SelectAll,
            self.undo: Key.Undo,
        }
        for action, key in standard.items():
            action.setShortcuts(key)
        # Standard keys differ by platform: Windows has no Quit key, and its Find Next has
        # Ctrl+G, which is Go to Page here (a key two actions claim does nothing at all).
        if not self.quit.shortcuts():
            self.quit.setShortcut(QKeySequence("Ctrl+Q"))
        go_to = QKeySequence("Ctrl+G")
        self.find_next.setShortcuts([k for k in self.find_next.shortcuts() if k != go_to])
        self.delete.setShortcuts([*self.delete.shortcuts(), QKeySequence(Qt.Key.Key_Backspace)])
        # Every key acts on the document wherever the focus is (a dock, the layer list, the
        # toolbar), except in a text being typed: a text field takes the keys it edits with
        # (its own cut, paste, delete, Home, End) before any shortcut sees them.
        for action in self.annotation_actions():
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.zoom_in.setShortcuts([*self.zoom_in.shortcuts(), QKeySequence("Ctrl+=")])
        own = {
            self.actual_size: "Ctrl+0",
            self.fit_width: "Ctrl+1",
            self.fit_page: "Ctrl+2",
            self.rotate_right: "Ctrl+R",
            self.rotate_left: "Ctrl+Shift+R",
            self.go_to_page: "Ctrl+G",
            self.select_text: "Ctrl+T",
        }
        self.apply_sequences(own)
        navigation = {
            self.next_page: Qt.Key.Key_PageDown,
            self.previous_page: Qt.Key.Key_PageUp,
            self.first_page: Qt.Key.Key_Home,
            self.last_page: Qt.Key.Key_End,
        }
        for action, qt_key in navigation.items():
            action.setShortcut(QKeySequence(qt_key))  # (Home and End still move in a text)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def set_icons(self) -> None:
        icons = {
            self.open: "document-open",
            self.zoom_in: "zoom-in",
            self.zoom_out: "zoom-out",
            self.fit_width: "zoom-fit-width",
            self.fit_page: "zoom-fit-best",
            self.rotate_left: "object-rotate-left",
            self.rotate_right: "object-rotate-right",
            self.select_text: "edit-select-text",
            self.undo: "edit-undo",
            self.redo: "edit-redo",
        }
        for action, name in icons.items():
            action.setIcon(themed_icon(name))

    def document_actions(self) -> list[QAction]:
        return [
            *(self.zoom_in, self.zoom_out, self.fit_width, self.fit_page, self.actual_size),
            *(self.rotate_right, self.rotate_left, self.go_to_page, self.next_page),
            *(self.previous_page, self.first_page, self.last_page, self.find, self.find_next),
            *(self.find_previous, self.select_text, self.copy),
        ]

    def annotation_actions(self) -> list[QAction]:
        """What edits the selected annotations (Copy, also of text, works window-wide)."""
        return [self.cut, self.paste, self.delete, self.select_all]

    def navigation_actions(self) -> list[QAction]:
        return [self.next_page, self.previous_page, self.first_page, self.last_page]

    def update_history(self, undo: str | None, redo: str | None) -> None:
        """Undo and Redo name what they would do (None: nothing, and they are off)."""
        self.undo.setText(f"&Undo {undo}" if undo else "&Undo")
        self.redo.setText(f"&Redo {redo}" if redo else "&Redo")
        self.undo.setEnabled(undo is not None)
        self.redo.setEnabled(redo is not None)

    def update_annotation_actions(self, editable: bool, selected: bool, document: bool) -> None:
        """Cut and Delete need chosen annotations in a layer that can change; Paste the layer."""
        self.cut.setEnabled(editable and selected)
        self.delete.setEnabled(editable and selected)
        self.paste.setEnabled(editable)
        self.select_all.setEnabled(document)

    def update_enabled(self, has_document: bool) -> None:
        for action in self.document_actions():
            action.setEnabled(has_document)


def connect_view_actions(a: ViewerActions, view: PageView) -> None:
    """Zooming, rotating and going to pages act on ``view``."""
    a.zoom_in.triggered.connect(lambda: view.zoom_by(ZOOM_STEP))
    a.zoom_out.triggered.connect(lambda: view.zoom_by(1 / ZOOM_STEP))
    a.fit_width.triggered.connect(lambda: view.set_fit(FIT_WIDTH))
    a.fit_page.triggered.connect(lambda: view.set_fit(FIT_PAGE))
    a.actual_size.triggered.connect(lambda: view.set_zoom(1.0))
    a.rotate_right.triggered.connect(lambda: view.rotate_by(90))
    a.rotate_left.triggered.connect(lambda: view.rotate_by(-90))
    a.go_to_page.triggered.connect(view.ask_page)
    a.next_page.triggered.connect(lambda: view.go_to_page(view.current_page() + 1))
    a.previous_page.triggered.connect(lambda: view.go_to_page(view.current_page() - 1))
    a.first_page.triggered.connect(lambda: view.go_to_page(0))
    a.last_page.triggered.connect(lambda: view.go_to_page(view.page_count() - 1))

    def zoom_mode_changed() -> None:
        a.fit_width.setChecked(view.fit == FIT_WIDTH)
        a.fit_page.setChecked(view.fit == FIT_PAGE)

    view.zoom_changed.connect(zoom_mode_changed)


def connect_edit_actions(
    a: ViewerActions,
    view: PageView,
    find_bar: FindBar,
    selection: TextSelection,
    tools: PageTools,
    clipboard: AnnotationClipboard,
    editor: LayerEditor,
) -> None:
    """Find, selecting text, the clipboard, deleting, selecting all, undo and redo act on
    the parts that do them; the page keys and annotation keys work where the pages are."""
    a.find.triggered.connect(find_bar.open)
    find_bar.closed.connect(lambda: view.setFocus(Qt.FocusReason.OtherFocusReason))
    a.find_next.triggered.connect(find_bar.find_next)
    a.find_previous.triggered.connect(find_bar.find_previous)
    a.select_text.toggled.connect(selection.set_active)
    a.select_text.toggled.connect(lambda _: tools.apply_cursor())
    a.copy.triggered.connect(lambda: clipboard.copy() or selection.copy())
    a.cut.triggered.connect(clipboard.cut)
    a.paste.triggered.connect(clipboard.paste)
    select = tools.by_name["select"]
    assert isinstance(select, SelectTool)
    a.delete.triggered.connect(select.delete_selected)
    a.select_all.triggered.connect(select.select_all)
    view.addActions(a.annotation_actions())
    a.undo.triggered.connect(editor.undo)
    a.redo.triggered.connect(editor.redo)
    view.addActions(a.navigation_actions())
