"""The reviewer panel: layer list, fork, delete and undo, compare, merge, annotation list."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from reviewer_app.engine import BASE
from reviewer_app.engine.summaries import LayerSummary
from reviewer_app.ui.compare.comparison import (
    CHANGED,
    COLOURS,
    ONLY_A,
    ONLY_B,
    Comparison,
    Difference,
)
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.review.layer_review import LayerReview
from reviewer_app.ui.session.layer_list import NAME_ROLE, LayerRow
from tests.ui.conftest import make_pdf, open_and_wait


def shape(rid: str, page: int, x: float, colour: str = "#ff0000", author: str = "Ann") -> dict:
    return {
        "id": rid,
        "v": 2,
        "type": "pspdfkit/shape/rectangle",
        "pageIndex": page,
        "bbox": [x, 100, 40, 30],
        "strokeColor": colour,
        "strokeWidth": 2,
        "creatorName": author,
    }


@pytest.fixture
def review(qtbot: QtBot, window: MainWindow, sample_pdf: Path) -> LayerReview:
    open_and_wait(qtbot, window, sample_pdf)
    doc = window.document
    assert doc is not None
    shapes = [shape("a1", 0, 50), shape("a2", 2, 100), shape("a3", 3, 150, author="Bob")]
    window.engine.create_records(doc.id, "alice", "annotation", shapes)
    window.set_layer("")  # the default layer, rather than the user's own (not created yet)
    window.review.refresh_layers()
    return window.review


def contents(review: LayerReview, layer: str) -> dict[str, dict]:
    return {r.id: r.content for r in review.engine.records(review.doc_id, layer)}


def test_panel_lists_base_and_default_by_role(review: LayerReview) -> None:
    """The base and default layers first, then the others by name; the user's own is listed
    (a click away) though it is made only by their first change."""
    titles = [row.title for row in review.layers.rows]
    own = review.context.own_layer()
    assert titles == ["Base (from the PDF)", "Default layer", *sorted(["alice", own])]
    assert review.layers.pending == {own}
    alice = review.layers.rows[2]
    assert alice.summary.annotations == 4 and alice.summary.authors == ("Ann", "Bob")
    assert "4 annotations" in alice.details()
    review.layers_dock.filter.setText("ALI")
    assert review.layers_dock.visible_names() == ["alice"]


def test_a_filter_that_hides_the_layer_shown_leaves_no_other_row_selected(
    review: LayerReview, window: MainWindow
) -> None:
    """Qt makes a neighbouring row current when the shown one is filtered out: it looked
    shown (highlighted) while the page still showed the user's layer."""
    dock = review.layers_dock
    window.set_layer("alice")
    dock.filter.setText(" ")  # "Default layer" and "Base (from the PDF)" hold a space
    assert "alice" not in dock.visible_names() and dock.visible_names()
    assert dock.list.selectionModel().selectedIndexes() == [] and window.layer == "alice"
    dock.filter.clear()
    (selected,) = dock.list.selectionModel().selectedIndexes()
    assert selected.data(NAME_ROLE) == "alice" and window.layer == "alice"


def test_fork_reads_as_its_source(review: LayerReview, window: MainWindow) -> None:
    assert review.create_layer("alice copy", "alice")
    assert contents(review, "alice copy") == contents(review, "alice")
    assert window.layer == "alice copy"
    assert review.layers_dock.current == "alice copy"
    assert review.create_layer("from base", BASE)
    assert contents(review, "from base") == contents(review, BASE)


def test_forking_the_users_own_layer_before_its_first_change_copies_what_it_shows(
    review: LayerReview, window: MainWindow
) -> None:
    """Listed before it is made, the user's own layer reads as the base layer: its fork is
    a layer that reads so too (not an error naming the document's id)."""
    own = review.context.own_layer()
    window.set_layer(own)
    assert not review.engine.has_layer(review.doc_id, own)
    errors: list[str] = []
    review.context.show_error = lambda title, text: errors.append(f"{title}: {text}")  # type: ignore[method-assign]
    assert review.create_layer("my copy", own)
    assert errors == [] and window.layer == "my copy"
    assert contents(review, "my copy") == contents(review, BASE)
    assert "my copy" in review.layers.names()


def test_delete_asks_and_can_be_undone(
    review: LayerReview, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = contents(review, "alice")
    window.set_layer("alice")
    yes = QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: yes)
    review.actions.delete_layer.trigger()
    assert "alice" not in review.layers.names() and window.layer == ""
    assert review.actions.undo_delete.isEnabled()
    review.actions.undo_delete.trigger()
    assert "alice" in review.layers.names() and window.layer == "alice"
    assert contents(review, "alice") == before
    assert not review.actions.undo_delete.isEnabled()


def test_a_deletion_can_be_undone_until_the_document_closes(
    qtbot: QtBot, review: LayerReview, window: MainWindow, tmp_path: Path
) -> None:
    """Deleted layers wait in the engine's trash while their document is open; opening
    another document (or quitting) empties it, and so does opening it again after a crash."""
    doc = review.doc_id
    assert review.delete_layer("alice")
    assert [d.name for d in window.engine.deleted_layers(doc)] == ["alice"]
    open_and_wait(qtbot, window, make_pdf(tmp_path / "other.pdf", pages=2))
    assert window.engine.deleted_layers(doc) == []
    window.engine.create_layer(doc, "left")
    window.engine.delete_layer(doc, "left")  # as a run that crashed before closing it
    open_and_wait(qtbot, window, tmp_path / "sample.pdf")
    assert window.document is not None and window.document.id == doc
    assert window.engine.deleted_layers(doc) == []
    assert not review.actions.undo_delete.isEnabled()


def compared(qtbot: QtBot, review: LayerReview, a: str, b: str) -> Comparison:
    """Compare ``a`` with ``b`` and wait until the differences are drawn and listed (the
    layers are compared off the UI thread)."""
    with qtbot.waitSignal(review.comparing.compared, timeout=10_000) as shown:
        review.comparing.compare(a, b)
    comparison = shown.args[0]
    assert isinstance(comparison, Comparison)
    return comparison


def merged(qtbot: QtBot, review: LayerReview, differences: list[Difference], side: str) -> None:
    """Merge, and wait for the comparison that follows the change to be listed again."""
    with qtbot.waitSignal(review.comparing.compared, timeout=10_000):
        assert review.comparing.merge(differences, side) is not None


def undone(qtbot: QtBot, review: LayerReview) -> None:
    with qtbot.waitSignal(review.comparing.compared, timeout=10_000):
        assert review.comparing.undo_merge() is not None


def make_differences(review: LayerReview) -> None:
    """alice vs bob: a1 only in alice, b9 only in bob, a2 changed (blue in bob)."""
    review.engine.fork_layer(review.doc_id, "alice", "bob")
    review.engine.delete_records(review.doc_id, "bob", [("annotation", "a1")])
    review.engine.update_records(
        review.doc_id, "bob", "annotation", [shape("a2", 2, 100, "#0000ff")]
    )
    review.engine.create_records(review.doc_id, "bob", "annotation", [shape("b9", 2, 200)])
    review.refresh_layers()


def test_compare_lists_and_colours_the_differences(
    qtbot: QtBot, review: LayerReview, window: MainWindow
) -> None:
    make_differences(review)
    comparison = compared(qtbot, review, "alice", "bob")
    assert window.layer == "alice"
    kinds = {d.key[1]: d.kind for d in review.comparing.dock.entries()}
    assert kinds == {"a1": ONLY_A, "b9": ONLY_B, "a2": CHANGED}
    assert sorted(comparison.by_page()) == [0, 2]
    tree = review.comparing.dock.tree
    assert [tree.topLevelItem(i).text(0) for i in range(2)] == ["Page 1 (1)", "Page 3 (2)"]
    for rid, kind in kinds.items():  # each drawn when its page comes near the viewport
        page = next(d.page for d in comparison.differences if d.key[1] == rid)
        window.view.go_to_page(page)
        key = ("annotation", rid)
        qtbot.waitUntil(lambda k=key: review.comparing.overlay.colour_of(k) is not None)
        assert review.comparing.overlay.colour_of(key) == COLOURS[kind]
    assert len({c.name() for c in COLOURS.values()}) == 3
    legend = review.comparing.dock.legend.text()
    assert all(c.name() in legend for c in COLOURS.values()) and "only in B (bob)" in legend
    review.comparing.dock.difference_chosen.emit(review.comparing.dock.entries()[-1])
    assert window.view.current_page() == 2


def test_nothing_is_offered_to_copy_into_the_base_layer_or_when_nothing_differs(
    qtbot: QtBot, review: LayerReview
) -> None:
    """Compared with the base layer, alice's changes cannot be copied into it (the base
    layer is the PDF's own); two layers that do not differ offer no copy at all."""
    buttons = review.comparing.dock.buttons
    compared(qtbot, review, "alice", BASE)
    assert buttons["to_a"].isEnabled() and buttons["all_to_a"].isEnabled()
    assert not buttons["to_b"].isEnabled() and not buttons["all_to_b"].isEnabled()
    review.engine.fork_layer(review.doc_id, "alice", "alice again")
    review.refresh_layers()
    assert compared(qtbot, review, "alice", "alice again").differences == []
    assert not any(buttons[k].isEnabled() for k in ("to_a", "to_b", "all_to_a", "all_to_b"))
    assert buttons["close"].isEnabled()


def test_form_values_and_bookmarks_are_told_in_words(qtbot: QtBot, review: LayerReview) -> None:
    """A teacher comparing two students reads what differs in their answers, not record
    kinds and ids ("formFieldValue answer")."""
    doc, engine = review.doc_id, review.engine
    engine.set_form_field_values(doc, "alice", [{"name": "answer", "value": "heat"}])
    engine.set_form_field_values(doc, "bob", [{"name": "answer", "value": "the sun"}])
    engine.set_form_field_values(doc, "bob", [{"name": "pets", "value": ["Cat", "Fish"]}])
    bookmark = {
        "v": 1,
        "type": "pspdfkit/bookmark",
        "name": "Start",
        "action": {"type": "goTo", "pageIndex": 0},
    }
    engine.create_records(doc, "bob", "bookmark", [{**bookmark, "id": "bm1"}])
    review.refresh_layers()
    compared(qtbot, review, "alice", "bob")
    told = sorted(d.describe() for d in review.comparing.dock.entries())
    assert told[:1] == ["Bookmark “Start”"]
    assert "Form field “answer”: “heat” → “the sun”" in told
    assert "Form field “pets”: “Cat”, “Fish”" in told


def test_merge_one_then_all_with_undo(qtbot: QtBot, review: LayerReview) -> None:
    make_differences(review)
    compared(qtbot, review, "alice", "bob")
    only_b = [d for d in review.comparing.dock.entries() if d.kind == ONLY_B]
    merged(qtbot, review, only_b, "a")
    assert "b9" in contents(review, "alice")
    assert {d.key[1] for d in review.comparing.dock.entries()} == {"a1", "a2"}
    assert review.comparing.dock.buttons["undo"].isEnabled()
    undone(qtbot, review)
    assert "b9" not in contents(review, "alice")
    merged(qtbot, review, [], "a")  # everything bob adds or changes; nothing deleted
    assert contents(review, "alice")["a2"]["strokeColor"] == "#0000ff"
    assert [d.key[1] for d in review.comparing.dock.entries()] == ["a1"]
    undone(qtbot, review)
    assert contents(review, "alice")["a2"]["strokeColor"] == "#ff0000"
    assert len(review.comparing.dock.entries()) == 3


def test_undo_merge_never_takes_a_later_edit_with_it(
    qtbot: QtBot, review: LayerReview, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.settings.set_user_name("Ann")
    make_differences(review)
    compared(qtbot, review, "alice", "bob")
    merged(qtbot, review, [], "a")
    assert review.comparing.dock.buttons["undo"].isEnabled()
    with qtbot.waitSignal(review.comparing.compared, timeout=10_000):
        window.editor.create([shape("later", 0, 300)])  # an edit of alice after the merge
    assert not review.comparing.dock.buttons["undo"].isEnabled()
    errors: list[str] = []
    monkeypatch.setattr(window.context, "show_error", lambda title, text: errors.append(text))
    assert review.comparing.undo_merge() is None and errors  # said why, changed nothing
    assert "later" in contents(review, "alice")
    assert contents(review, "alice")["a2"]["strokeColor"] == "#0000ff"  # the merge stays
    with qtbot.waitSignal(review.comparing.compared, timeout=10_000):
        window.editor.undo()  # the edit undone: the merge is on top again
    assert review.comparing.dock.buttons["undo"].isEnabled()
    undone(qtbot, review)
    assert contents(review, "alice")["a2"]["strokeColor"] == "#ff0000"


def test_annotation_list_follows_edits(
    review: LayerReview, window: MainWindow, qtbot: QtBot
) -> None:
    window.set_layer("alice")
    listed = review.annotations
    qtbot.waitUntil(lambda: "Page 1 (1)" in listed.entries())
    change = review.engine.create_records(
        review.doc_id, "alice", "annotation", [shape("n1", 0, 300, "#00ff00", "Cy")]
    )
    review.context.changes.record_change(change)
    qtbot.waitUntil(lambda: "Page 1 (2)" in listed.entries())
    listed.group.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "Cy (1)" in listed.entries())
    listed.colour.setCurrentIndex(listed.colour.findData("#00ff00"))
    qtbot.waitUntil(lambda: listed.entries() == ["Cy (1)", "Rectangle by Cy (p. 1)"])
    change = review.engine.delete_records(review.doc_id, "alice", [("annotation", "n1")])
    review.context.changes.record_change(change)
    qtbot.waitUntil(lambda: "Cy (1)" not in listed.entries())  # its colour went with it
    assert listed.colour.currentData() == "" and len(listed.entries()) == 3 + 4


def test_next_layer_keeps_page_and_zoom(
    review: LayerReview, window: MainWindow, qtbot: QtBot
) -> None:
    review.create_layer("zed")
    window.set_layer("")
    window.view.set_zoom(1.5)
    window.view.go_to_page(5)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.layer == "alice"
    seen = []
    for action in [review.actions.next_layer] * 3 + [review.actions.previous_layer] * 2:
        action.trigger()
        seen.append(window.layer)
    assert seen == ["zed", "alice", "zed", "alice", "zed"]  # the others' layers, round
    assert window.view.current_page() == 5 and window.view.zoom == 1.5


def test_next_layer_passes_over_base_default_and_ones_own(
    review: LayerReview, window: MainWindow
) -> None:
    """A teacher's "next student" cycles the students: the base layer, the default layer and
    the teacher's own layer are reached by a click, not by Ctrl+PgDn."""
    window.settings.set_user_name("Ms Rivera")
    review.create_layer("Ms Rivera")
    review.create_layer("bo")
    window.set_layer(BASE)
    review.actions.next_layer.trigger()
    assert window.layer == "alice"
    seen = []
    for _ in range(3):
        review.actions.next_layer.trigger()
        seen.append(window.layer)
    assert seen == ["bo", "alice", "bo"]
    review.delete_layer("bo")
    window.set_layer("alice")
    review.actions.next_layer.trigger()
    assert window.layer == "alice"  # nobody else: it stays, and says so
    assert "no other" in window.statusBar().currentMessage()


def test_leaving_ones_own_new_layer_for_a_layer_made_elsewhere_shows_that_layer(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    """The user's own layer, listed before it exists, leaves the list when another layer is
    shown; the row Qt then makes current is not a choice (it used to show the default layer
    for a moment, and only the layer box's echo brought the right one back)."""
    open_and_wait(qtbot, window, sample_pdf)
    doc = window.document
    assert doc is not None and window.layer in window.review.layers.pending
    window.engine.create_records(doc.id, "elsewhere", "annotation", [shape("e1", 0, 50)])
    requested: list[str] = []
    window.context.layer_requested.connect(requested.append)
    window.set_layer("elsewhere")
    assert requested == []
    assert window.layer == "elsewhere" and window.review.layers_dock.current == "elsewhere"
    assert "e1" in [r.id for records in window.overlay.by_page.values() for r in records]


def test_a_row_says_never_changed_until_the_layer_changes_and_then_when_in_local_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")  # UTC+05:30 all year
    time.tzset()
    try:
        untouched = LayerRow(LayerSummary("", 3, (), 0, "2026-12-06T06:18:00.000Z"))
        assert "never changed" in untouched.details()  # the default layer, made at import
        changed = LayerRow(LayerSummary("amy", 3, ("Amy",), 2, "2026-12-06T06:18:00.000Z"))
        assert changed.details() == "3 annotations · 2026-12-06 11:48 · Amy"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_ones_own_new_layer_leaves_the_list_when_a_student_is_shown(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    """A teacher not named yet sees her own layer as the login's "(new)" layer, listed while
    she is on a student's layer (a click takes her back) but passed over by Ctrl+PgDn; naming
    herself at her first mark (which renames her own layer) leaves no layer of the login's
    name for Ctrl+PgDn."""
    open_and_wait(qtbot, window, sample_pdf)
    doc = window.document
    assert doc is not None
    stand_in = window.layer
    for student in ("amy", "ben"):
        window.engine.create_records(doc.id, student, "annotation", [shape(student, 0, 50)])
    window.review.refresh_layers()
    assert stand_in in window.review.layers.names()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.layer == "amy" and stand_in in window.review.layers.names()
    box = window.layer_box
    assert box.itemText(box.findData(stand_in)).endswith(" (new)")
    window.settings.set_user_name("Ms Okafor")  # what her first mark asks
    seen = []
    for _ in range(3):
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        seen.append(window.layer)
    assert seen == ["ben", "amy", "ben"]
    names = window.review.layers.names()
    assert stand_in not in names and "Ms Okafor" in names


def test_a_student_who_looked_at_the_base_layer_clicks_her_own_back(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    """Her own layer is made by her first change; before that it stays in the Layers list
    (as "(new)" in the toolbar's box) while she looks at another, and a click on its row
    shows it again, where her marks go."""
    window.settings.set_user_name("Amy")
    open_and_wait(qtbot, window, sample_pdf)
    own = window.layer
    assert own == "Amy" == window.context.own_layer()
    window.set_layer(BASE)
    qtbot.waitUntil(lambda: window.layer == BASE and not window.reading.pending())
    box, listed = window.layer_box, window.review.layers_dock.list
    assert box.itemText(box.findData(own)).endswith(" (new)")
    row = window.review.layers_dock.visible_names().index(own)
    assert str(listed.model().index(row, 0).data()).split("\n")[0] == "Amy (new)"  # as the box
    place = listed.visualRect(listed.model().index(row, 0)).center()
    qtbot.mouseClick(listed.viewport(), Qt.MouseButton.LeftButton, pos=place)
    qtbot.waitUntil(lambda: window.layer == own and not window.reading.pending())
    assert box.currentData() == own
    doc = window.document
    assert doc is not None
    window.editor.create([shape("mine", 0, 80)])
    assert own in {s.name for s in window.engine.layer_summaries(doc.id)}
