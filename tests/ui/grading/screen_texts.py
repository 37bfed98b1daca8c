"""What the screen says: every text of every window shown (titles, labels, buttons, fields,
lists' rows and their tooltips, actions, the status bar), for tests that look for a name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    Qt,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressDialog,
    QWidget,
)

ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)


def _model_texts(model: QAbstractItemModel, parent: QModelIndex, depth: int = 0) -> Iterator[str]:
    flat = isinstance(model, (QAbstractListModel, QAbstractTableModel))  # private methods
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    for row in range(min(model.rowCount(parent), 500)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in ROLES:
                value = index.data(role)
                if isinstance(value, str):
                    yield value
            if not flat and column == 0 and depth < 3 and model.hasChildren(index):
                yield from _model_texts(model, index, depth + 1)
    for section in range(columns):
        header = model.headerData(section, Qt.Orientation.Horizontal)
        if isinstance(header, str):
            yield header


def widget_texts(widget: QWidget) -> Iterator[str]:
    """The texts ``widget`` shows, or shows on hover (its tooltip)."""
    yield widget.windowTitle()
    yield widget.toolTip()
    if isinstance(widget, (QLabel, QAbstractButton, QLineEdit)):
        yield widget.text()
    if isinstance(widget, QProgressDialog):
        yield widget.labelText()
    if isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        yield from _model_texts(widget.model(), QModelIndex())
    if isinstance(widget, QMainWindow):
        yield widget.statusBar().currentMessage()
    for action in widget.actions():
        yield from (action.text(), action.toolTip(), action.statusTip())


def screen_texts() -> list[str]:
    """Every text of every window on screen (main window, docks, dialogs) and their parts."""
    texts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        for widget in (top, *top.findChildren(QWidget)):
            if widget.isVisible():  # a dock behind another's tab is read when raised
                texts.extend(t for t in widget_texts(widget) if t)
        for action in top.findChildren(QAction):
            texts.extend(t for t in (action.text(), action.toolTip()) if t)
    return texts


def every_dock_texts(window: QMainWindow) -> list[str]:
    """The screen read with each dock of ``window`` in front in turn (a tabbed dock fills
    when it comes to the front, so each is read as the user would see it)."""
    texts = screen_texts()
    for dock in window.findChildren(QDockWidget):
        if dock.isHidden():
            continue
        dock.raise_()
        QApplication.processEvents()
        texts.extend(screen_texts())
    return texts


def names_in(texts: list[str], names: tuple[str, ...]) -> list[str]:
    """The texts that say one of ``names`` (a whole word, in any case)."""
    word = re.compile(rf"(?<!\w)({'|'.join(map(re.escape, names))})(?!\w)", re.I)
    return [t for t in texts if word.search(t)]
