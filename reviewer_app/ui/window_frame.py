"""The window's frame while its first page is being shown: empty docks where the real ones
will be, so the pages get the width they keep, and the sizes at the first start; a menu bar
and toolbars as tall as the real ones, so the pages do not move down when those come.

The window shows the page view first and builds its other parts once the first page is sharp
(main_window.py). Until then these stand-ins hold the docks' and toolbars' places: the same
names, titles, sides and tabs as the real docks, the same names and icon size as the real
toolbars (a blank button each, greyed), the real menus' titles (greyed), laid out by the
saved window state (or the first start's sizes). The real ones then take their places
through the window state (``swap_out``, ``restore_layout``)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import delete

from reviewer_app.ui.core.settings import ViewerSettings

LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea

# Each real dock's object name and title (the window state knows a dock by its name; a tab
# shows its title, and the left side's width is made from its tabs' titles).
DOCKS = {
    "thumbnails": "Pages",
    "outline": "Outline",
    "bookmarks": "Bookmarks",
    "review-panel": "Layers",
    "compare": "Compare Layers",
    "annotation-list": "Annotations",
    "properties-dock": "Properties",
    "comments": "Comments",
    "grading-dock": "Grading",
    "score-sheet-dock": "Score Sheet",
}

MENUS = ("&File", "&Edit", "&View", "&Go", "&Tools", "&Layers", "G&rading", "&Help")
TOOLBARS = {"main-toolbar": "Main", "annotate-toolbar": "Annotate"}  # (on rows of their own)
RIGHT_CHARACTERS = 70  # the first start's right side, in average characters (first_layout)


def central_layout(window: QMainWindow, view: QWidget) -> QVBoxLayout:
    """The pages (``view``) in the middle of the window, in a column (the find bar comes
    under them once built)."""
    layout = QVBoxLayout(central := QWidget())
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(view, 1)
    window.setCentralWidget(central)
    return layout


def stand_in_docks(window: QMainWindow, settings: ViewerSettings) -> dict[str, QDockWidget]:
    """Empty docks placed as MainWindow places the real ones (``_build_docks``, the
    Comments dock, ``Grading.install``): the same sides, tabs and tab in front, laid out as
    the settings keep the window, else as at the first start. The menu bar and toolbars
    get stand-ins too (``stand_in_bars``)."""
    stand_in_bars(window)
    docks = {}
    for name, title in DOCKS.items():
        dock = docks[name] = QDockWidget(title, window)
        dock.setObjectName(name)
        dock.setWidget(QWidget())
    d = docks
    for name in ("thumbnails", "outline", "bookmarks"):
        window.addDockWidget(LEFT, d[name])
    window.tabifyDockWidget(d["thumbnails"], d["outline"])
    window.tabifyDockWidget(d["outline"], d["bookmarks"])
    d["thumbnails"].raise_()
    for name in ("review-panel", "compare", "annotation-list", "properties-dock"):
        window.addDockWidget(RIGHT, d[name])
    window.tabifyDockWidget(d["compare"], d["annotation-list"])
    window.tabifyDockWidget(d["annotation-list"], d["properties-dock"])
    window.addDockWidget(RIGHT, d["comments"])
    window.tabifyDockWidget(d["annotation-list"], d["comments"])
    d["annotation-list"].raise_()
    d["review-panel"].raise_()
    window.addDockWidget(RIGHT, d["grading-dock"])
    window.tabifyDockWidget(d["properties-dock"], d["grading-dock"])
    d["annotation-list"].raise_()
    window.addDockWidget(BOTTOM, d["score-sheet-dock"])
    d["score-sheet-dock"].hide()
    if not settings.restore_window(window):
        right = RIGHT_CHARACTERS * window.fontMetrics().averageCharWidth()
        first_layout(window, d["thumbnails"], d["review-panel"], d["annotation-list"], right)
    return docks


def stand_in_bars(window: QMainWindow) -> None:
    """The menus' titles, greyed, and each toolbar empty but for a blank button of its icon
    size (the real toolbars' height: their icon buttons are their tallest items)."""
    for title in MENUS:
        window.menuBar().addMenu(title).setEnabled(False)
    for name, title in TOOLBARS.items():
        if name != "main-toolbar":
            window.addToolBarBreak()
        bar = window.addToolBar(title)
        bar.setObjectName(name)
        blank = QToolButton()
        blank.setIconSize(bar.iconSize())
        blank.setEnabled(False)
        bar.addWidget(blank)


def swap_out(window: QMainWindow, stand_ins: dict[str, QDockWidget]) -> QByteArray:
    """Take the stand-ins away; returns the window state they were in, for the real docks
    and toolbars (``restore_layout``) once they are added."""
    state = window.saveState()
    window.menuBar().clear()
    for bar in window.findChildren(QToolBar):
        if bar.objectName() in TOOLBARS:  # (the real ones are built after)
            window.removeToolBar(bar)
            delete(bar)
    for name, dock in stand_ins.items():
        window.removeDockWidget(dock)
        dock.setObjectName(f"stand-in {name}")  # not restored in place of the real one
        dock.deleteLater()
    return state


def first_layout(
    window: QMainWindow,
    left: QDockWidget,
    layers: QDockWidget,
    annotations: QDockWidget,
    right: int = 300,
) -> None:
    """The window's and docks' sizes at the first start: the window as large as 1200 x 850
    and the screen allow (set before it shows, so its docks are sized for that width), the
    pages get the room, and the Layers list most of its side's height (a class of thirty).

    The right side is asked for ``right`` pixels, or what its docks need, if more: the real
    docks need about 407 (their rows of buttons and boxes, Comments' the widest, with 6 px
    characters). The stand-ins need nothing: they are asked for RIGHT_CHARACTERS average
    characters instead, so that they hold the real docks' room and page 1 is not laid out
    and drawn again when those come."""
    screen = window.screen().availableGeometry()
    window.resize(min(1200, screen.width()), min(850, screen.height()))
    tabs = [left, *window.tabifiedDockWidgets(left)]
    metrics = window.fontMetrics()  # wide enough that no tab's title is cut ("P...", "Bo...")
    width = max(160, sum(metrics.horizontalAdvance(dock.windowTitle()) + 28 for dock in tabs))
    window.resizeDocks([left, layers], [width, right], Qt.Orientation.Horizontal)
    window.resizeDocks([layers, annotations], [460, 300], Qt.Orientation.Vertical)


def restore_layout(
    window: QMainWindow,
    stand_ins: QByteArray | None,
    settings: ViewerSettings,
    left: QDockWidget,
    right: list[QDockWidget],
) -> None:
    """Lay out the real docks just built (``right``: Layers, Compare, Annotations ...): as
    the settings keep the window, else where the stand-ins were (``stand_ins``, their window
    state, which has no toolbars: the Annotate toolbar is put back on its own row), else as
    at the first start.

    At the first start the real docks can need more room than the stand-ins had (their
    contents' minimum widths), so the pages are laid out once more; the layout is kept at
    once, so that from the next start the stand-ins take the real docks' sizes."""
    saved = settings.window_state()
    if stand_ins is not None and saved is not None:
        window.restoreState(saved)  # (the geometry was restored for the stand-ins)
    elif stand_ins is not None:
        window.restoreState(stand_ins)
        annotate = window.findChild(QToolBar, "annotate-toolbar")
        if annotate is not None and not window.toolBarBreak(annotate):
            window.insertToolBarBreak(annotate)
        QTimer.singleShot(0, window, lambda: keep_layout(window, settings))  # once shown
    elif not settings.restore_window(window):
        first_layout(window, left, right[0], right[2])


def keep_layout(window: QMainWindow, settings: ViewerSettings) -> None:
    settings.save_window(window)
    settings.sync()
