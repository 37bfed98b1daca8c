"""The window's menu bar and toolbars, built from the actions its parts declare."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QWidget

from reviewer_app.ui.actions import ViewerActions
from reviewer_app.ui.session.context import DocumentContext


class RecentFilesMenu(QMenu):
    """File > Open Recent: the files of the settings' list, filled each time it opens and
    named as the title bar names them; choosing one calls ``open_file(path)``."""

    def __init__(
        self, context: DocumentContext, open_file: Callable[[Path], object], parent: QWidget
    ) -> None:
        super().__init__("Open &Recent", parent)
        self.context, self.open_file = context, open_file
        self.aboutToShow.connect(self.fill)

    def fill(self) -> None:
        self.clear()
        for name in self.context.settings.recent_files():
            action = self.addAction(self.context.pdf_name(Path(name)))
            action.setToolTip(name)
            action.triggered.connect(lambda _=False, n=name: self.open_file(Path(n)))
        self.setEnabled(True)


def build_menus(
    window: QMainWindow,
    a: ViewerActions,
    *,
    recent: QMenu,
    server: Sequence[QAction],
    output: Sequence[QAction],
    docks: Sequence[QDockWidget],
    tools: Sequence[QAction],
    fill_layers: Callable[[QMenu], None],
    help_actions: Sequence[QAction],
) -> list[QMenu]:
    """File, Edit, View, Go, Tools, Layers and Help; returns them (the File menu first)."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(a.open)
    file_menu.addMenu(recent)
    file_menu.addSeparator()
    file_menu.addActions(list(output))
    file_menu.addSeparator()
    file_menu.addActions(list(server))
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
    view_menu.addActions([dock.toggleViewAction() for dock in docks])
    go_menu = bar.addMenu("&Go")
    go_menu.addActions([a.go_to_page, *a.navigation_actions()])
    tools_menu = bar.addMenu("&Tools")
    tools_menu.addActions(list(tools))
    layers_menu = bar.addMenu("&Layers")
    fill_layers(layers_menu)
    help_menu = bar.addMenu("&Help")
    help_menu.addActions(list(help_actions))
    return [file_menu, edit_menu, view_menu, go_menu, tools_menu, layers_menu, help_menu]


def build_toolbars(
    window: QMainWindow,
    a: ViewerActions,
    boxes: Sequence[QWidget],
    layer_box: QWidget,
    tools: Sequence[QAction],
) -> None:
    """The main toolbar (open, the page and zoom ``boxes``, zoom and turn, the layer box,
    undo), icons only, and the Annotate toolbar."""
    bar = window.addToolBar("Main")
    bar.setObjectName("main-toolbar")
    bar.addActions([a.open])
    bar.addSeparator()
    page_box, zoom_box = boxes
    bar.addWidget(page_box)
    bar.addSeparator()
    bar.addAction(a.zoom_out)
    bar.addWidget(zoom_box)
    bar.addActions([a.zoom_in, a.fit_width, a.fit_page])
    bar.addSeparator()
    bar.addActions([a.rotate_left, a.rotate_right, a.select_text])
    bar.addSeparator()
    bar.addWidget(QLabel(" Layer: "))
    bar.addWidget(layer_box)
    bar.addSeparator()
    bar.addActions([a.undo, a.redo])
    window.addToolBarBreak()
    annotate = window.addToolBar("Annotate")
    annotate.setObjectName("annotate-toolbar")
    annotate.addActions(list(tools))
