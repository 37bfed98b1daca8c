"""The Layers list measures each row once per text: a row whose text grows (a longer sync
mark, a long name) is measured again, as Qt would measure it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QStyledItemDelegate, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from reviewer_app.engine import BASE, DEFAULT
from reviewer_app.engine.summaries import LayerSummary
from reviewer_app.ui.review.actions import ReviewActions
from reviewer_app.ui.review.layers_dock import LayersDock
from reviewer_app.ui.session.layer_list import LayerList


def test_a_rows_size_follows_its_text(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    layers, marks = LayerList(), {"ann": "synced"}
    layers.mark = lambda name: marks.get(name, "")
    dock = LayersDock(layers, ReviewActions(window), window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.show()
    stamp = "2026-01-01T00:00:00Z"
    layers.sync(
        [
            LayerSummary(BASE, 1, (), 0, None),
            LayerSummary(DEFAULT, 1, (), 1, stamp),
            LayerSummary("ann", 2, ("ann",), 1, stamp),
        ]
    )
    plain = QStyledItemDelegate()

    def sizes() -> tuple[int, int]:
        row = dock.proxy.mapFromSource(dock.model.index(layers.index_of("ann")))
        option = QStyleOptionViewItem()
        option.initFrom(dock.list)
        return dock.list.sizeHintForIndex(row).width(), plain.sizeHint(option, row).width()

    short, measured = sizes()
    assert short == measured and short > 0
    marks["ann"] = "12 changes waiting to be sent to the server, " * 3
    layers.marks_changed()
    longer, measured = sizes()
    assert longer == measured and longer > short  # measured again for the new text
    marks["ann"] = "synced"
    layers.marks_changed()
    assert sizes()[0] == short
