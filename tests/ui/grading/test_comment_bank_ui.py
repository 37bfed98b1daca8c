"""The comment bank in the window: B opens the palette, most used first; a few letters and
Enter place a comment for the current question; the text just typed goes to the bank in one
action; a comment's new points reach every student who got it."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reviewer_app.engine.grades import mark_of
from reviewer_app.ui.main_window import MainWindow
from tests.ui.grading.test_grading_ui import grading, key, marks, sheet_row

__all__ = ["grading"]


def test_b_then_enter_places_the_most_used_comment_for_the_current_question(
    qtbot: QtBot, grading: MainWindow
) -> None:
    engine = grading.engine
    units = engine.add_bank_comment("Check the units", -1)
    praise = engine.add_bank_comment("Well argued")
    engine.use_bank_comment(units.id)
    grading.grading.state.set_question("q2")
    key(qtbot, Qt.Key.Key_B)
    palette = grading.grading.bank.palette
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.search)
    assert [palette.list.item(r).text() for r in range(2)] == [
        "−1  Check the units   (1×)",
        "Well argued",
    ]
    key(qtbot, Qt.Key.Key_Return)
    assert not palette.isVisible()
    assert marks(grading, "amy") == [("q2", -1.0, None)]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is grading)  # back (FocusReturn)
    key(qtbot, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.search)
    qtbot.keyClicks(palette.search, "argu")
    assert palette.current_id() == praise.id
    key(qtbot, Qt.Key.Key_Return)
    assert grading.document is not None
    placed = [
        r for r in engine.annotations(grading.document.id, "amy") if "customData" in r.content
    ]
    texts = sorted(r.content["text"]["value"] for r in placed)
    assert all(x + w <= grading.view.pages[0].unrotated[0] for x, _, w, _ in
               (r.content["bbox"] for r in placed))  # fmt: skip
    assert texts == ["Well argued", "−1 Check the units"]
    assert set(engine.grades(grading.document.id, "amy").feedback) == set(texts)
    assert [c.uses for c in engine.bank_comments()] == [2, 1]


def test_the_text_just_typed_goes_to_the_bank_in_one_action(
    qtbot: QtBot, grading: MainWindow
) -> None:
    grading.editor.create([{
        "v": 2, "type": "pspdfkit/note", "pageIndex": 0, "bbox": [10, 10, 24, 24],
        "text": {"format": "plain", "value": "Label the axes"}, "icon": "comment", "opacity": 1,
    }])  # fmt: skip
    key(
        qtbot, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert [c.text for c in grading.engine.bank_comments()] == ["Label the axes"]


def test_new_points_reach_every_student_who_got_the_comment(
    qtbot: QtBot, grading: MainWindow
) -> None:
    engine = grading.engine
    units = engine.add_bank_comment("Check the units", -1)
    grading.grading.state.set_question("q1")
    for student in ("amy", "ben"):
        grading.set_layer(student)
        grading.grading.bank.place(units.id)
    assert sheet_row(grading, "ben")[1] == "0"
    assert grading.grading.bank.set_points(units.id, 0.5, apply=True) == 2
    assert sheet_row(grading, "amy")[1] == "0.5" and sheet_row(grading, "ben")[1] == "0.5"
    assert grading.layer == "ben"
    grading.editor.undo()  # each student's change is one step of their own layer
    assert sheet_row(grading, "ben")[1] == "0" and sheet_row(grading, "amy")[1] == "0.5"


def test_a_bad_bank_file_is_refused_and_changes_nothing(
    qtbot: QtBot, grading: MainWindow, tmp_path: Path
) -> None:
    grading.engine.add_bank_comment("Keep me")
    bad = tmp_path / "bank.json"
    bad.write_text(json.dumps({"comments": [{"text": "ok"}, {"text": "x", "color": "red"}]}))
    shown: list[str] = []
    grading.context.show_error = lambda title, text: shown.append(text)  # type: ignore[method-assign]
    assert not grading.grading.bank.import_file(bad)
    assert "has a 'color' that is not #rrggbb" in shown[0]
    assert [c.text for c in grading.engine.bank_comments()] == ["Keep me"]
    assert all(mark_of(r) is None for r in grading.editor.records("annotation"))
