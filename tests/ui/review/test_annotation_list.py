"""The Annotations list as a model and a view: a layer listed by one reset (no Qt object per
entry), an entry chosen by a click or the keys, the entry chosen kept through changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.review.list_dock import AnnotationListDock
from tests.ui.conftest import open_and_wait
from tests.ui.review.test_review_panel import shape

KEY = ("annotation", "a2")  # Ann's rectangle on page 3


@pytest.fixture
def listed(qtbot: QtBot, window: MainWindow, sample_pdf: Path) -> AnnotationListDock:
    """Alice's layer shown (a1 on page 1, a2 on page 3, Bob's a3 on page 4, and the PDF's
    highlight on page 2), its list on screen and built."""
    open_and_wait(qtbot, window, sample_pdf)
    doc = window.document
    assert doc is not None
    shapes = [shape("a1", 0, 50), shape("a2", 2, 100), shape("a3", 3, 150, author="Bob")]
    window.engine.create_records(doc.id, "alice", "annotation", shapes)
    window.review.refresh_layers()
    window.set_layer("alice")
    dock = window.review.annotations
    dock.raise_()
    qtbot.waitUntil(dock.on_screen)
    qtbot.waitUntil(lambda: KEY in dock.keys_listed() and not dock.filling())
    return dock


def chosen_row(dock: AnnotationListDock) -> str:
    return str(dock.model.data(dock.tree.currentIndex()))


def test_a_layer_is_listed_by_one_reset_with_no_qt_object_per_entry(
    qtbot: QtBot, window: MainWindow, listed: AnnotationListDock
) -> None:
    model, signals = listed.model, []
    model.modelReset.connect(lambda: signals.append("reset"))
    model.rowsInserted.connect(lambda parent, *_: signals.append(parent.isValid()))
    window.set_layer("")  # the default layer: the PDF's own highlight
    qtbot.waitUntil(lambda: KEY not in listed.keys_listed() and not listed.filling())
    window.set_layer("alice")
    qtbot.waitUntil(lambda: KEY in listed.keys_listed() and not listed.filling())
    assert signals == ["reset", False, "reset", False]  # each: a reset, then its groups
    shown = dict(listed.shown())  # (the PDF's own highlight is on page 2)
    assert list(shown) == ["Page 1 (1)", "Page 2 (1)", "Page 3 (1)", "Page 4 (1)"]
    assert shown["Page 3 (1)"] == ["Rectangle by Ann"] == shown["Page 1 (1)"]
    assert shown["Page 4 (1)"] == ["Rectangle by Bob"]
    for row in range(model.rowCount()):
        group = model.item(row)
        assert group.rowCount() == 1 and group.child(0) is None  # an empty slot, no item
    entry = model.row_of(KEY)
    assert model.data(entry, Qt.ItemDataRole.AccessibleTextRole) == "Rectangle by Ann"
    assert listed.tree.accessibleName() == "Annotations of the current layer"
    assert listed.text.accessibleName() == "Filter annotations by text"


def test_a_click_on_an_entry_shows_its_annotation(
    qtbot: QtBot, window: MainWindow, listed: AnnotationListDock
) -> None:
    window.view.go_to_page(0)
    tree = listed.tree
    place = tree.visualRect(listed.model.row_of(KEY)).center()
    with qtbot.waitSignal(listed.annotation_chosen) as chosen:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=place)
    assert chosen.args is not None and chosen.args[0].key == KEY
    qtbot.waitUntil(lambda: window.view.current_page() == 2)
    assert chosen_row(listed) == "Rectangle by Ann"


def test_the_keys_move_through_the_list_and_enter_chooses(
    qtbot: QtBot, listed: AnnotationListDock
) -> None:
    tree = listed.tree
    tree.setFocus()
    tree.setCurrentIndex(listed.model.row_of(("annotation", "a1")))
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert chosen_row(listed) == "Page 2 (1)"  # the next group's heading
    for _ in range(3):  # its highlight, the next heading, then a2
        qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentIndex() == listed.model.row_of(KEY)
    with qtbot.waitSignal(listed.annotation_chosen) as chosen:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert chosen.args is not None and chosen.args[0].key == KEY
    qtbot.keyClick(tree, Qt.Key.Key_Left)  # to its group, then the group folds
    qtbot.keyClick(tree, Qt.Key.Key_Left)
    group = tree.currentIndex()
    assert chosen_row(listed) == "Page 3 (1)" and not tree.isExpanded(group)
    qtbot.keyClick(tree, Qt.Key.Key_Right)
    assert tree.isExpanded(group)


def test_the_entry_chosen_stays_chosen_as_the_list_changes(
    qtbot: QtBot, window: MainWindow, listed: AnnotationListDock
) -> None:
    review, tree, model = window.review, listed.tree, listed.model
    tree.setCurrentIndex(model.row_of(KEY))
    doc = review.doc_id
    made = review.engine.create_records(doc, "alice", "annotation", [shape("a0", 0, 10)])
    review.context.changes.record_change(made)  # an entry before it
    assert listed.entries()[:3] == ["Page 1 (2)", "Rectangle by Ann", "Rectangle by Ann"]
    assert tree.currentIndex() == model.row_of(KEY)
    moved = review.engine.update_records(doc, "alice", "annotation", [shape("a2", 3, 100)])
    review.context.changes.record_change(moved)  # to another page: its entry moves
    assert "Page 4 (2)" in listed.entries() and "Page 3 (1)" not in listed.entries()
    assert tree.currentIndex() == model.row_of(KEY) and model.row_of(KEY).parent().row() == 2
    listed.group.setCurrentIndex(1)  # by author: listed anew
    qtbot.waitUntil(lambda: "Ann (3)" in [heading for heading, _ in listed.shown()])
    assert tree.currentIndex() == model.row_of(KEY) != QModelIndex()
    assert chosen_row(listed) == "Rectangle by Ann (p. 4)"
