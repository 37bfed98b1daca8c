"""A bank comment with a stamp look: chosen in the palette (Look…, one of the stamp tool's
looks), placed as that stamp saying the comment (a check mark keeps its glyph, the text in
its note), counted like any bank comment, and changed with the comment's points."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from reviewer_app.engine import BadRequest
from reviewer_app.ui.main_window import MainWindow
from tests.ui.grading.test_grading_ui import grading, key, marks
from tests.ui.tools.conftest import LEFT

__all__ = ["grading"]


def choose_look(qtbot: QtBot, window: MainWindow, look: str) -> list[list[str]]:
    """Click Look… in the open palette and answer ``look``; returns the looks offered."""
    offered: list[list[str]] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        offered.append(dialog.comboBoxItems())
        dialog.setTextValue(look)
        dialog.accept()

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(window.grading.bank.palette.look_button, LEFT)
    return offered


def open_palette(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view.setFocus()
    key(qtbot, Qt.Key.Key_B)
    palette = window.grading.bank.palette
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.search)


def stamps(window: MainWindow) -> list[dict[str, object]]:
    assert window.document is not None
    found = window.engine.annotations(window.document.id, "amy")
    return [r.content for r in found if r.content["type"] == "pspdfkit/stamp"]


def test_a_comment_with_a_stamp_look_is_placed_as_that_stamp_and_counts(
    qtbot: QtBot, grading: MainWindow
) -> None:
    window, engine = grading, grading.engine
    assert window.document is not None
    engine.add_bank_comment("Well done")
    units = engine.add_bank_comment("Check the units", -1)
    engine.use_bank_comment(units.id)  # first in the palette
    window.grading.state.set_question("q1")
    open_palette(qtbot, window)
    palette = window.grading.bank.palette
    (offered,) = choose_look(qtbot, window, "Approved")
    assert offered == ["Text (no stamp)", "Approved", "Rejected", "Check mark", "Cross",
                       "Custom text"]  # fmt: skip
    assert palette.list.item(0).text() == "−1  Check the units   [Approved stamp]   (1×)"
    qtbot.keyClick(palette.search, Qt.Key.Key_Down)  # "Well done"
    choose_look(qtbot, window, "Check mark")
    qtbot.keyClick(palette.search, Qt.Key.Key_Return)  # a check mark, the words in its note
    open_palette(qtbot, window)
    qtbot.keyClicks(palette.search, "units")
    qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    check, approved = stamps(window)
    assert (check["stampType"], check["note"], "title" in check) == ("Accepted", "Well done", False)
    assert (approved["stampType"], approved["title"]) == ("Approved", "−1 Check the units")
    assert all(s["bbox"][0] + s["bbox"][2] <= window.view.pages[0].unrotated[0]  # type: ignore[index,operator]
               for s in (check, approved))  # fmt: skip
    assert marks(window, "amy") == [("q1", -1.0, None)]  # "Well done" is feedback only
    (_, top, _, tall), (_, below, _, _) = check["bbox"], approved["bbox"]  # type: ignore[misc]
    assert below >= top + tall  # one under the other, not on top of each other
    grades = engine.grades(window.document.id, "amy")
    assert set(grades.feedback) == {"Well done", "−1 Check the units"}
    # the comment's new points reach the stamp placed from it (its words too)
    window.grading.bank.set_points(units.id, -2, apply=True)
    (_, approved) = stamps(window)
    assert approved["title"] == approved["note"] == "−2 Check the units"
    assert approved["customData"] == {
        "grading": {"question": "q1", "points": -2, "comment": units.id}
    }
    window.grading.bank.set_look(units.id, None)  # back to a text
    assert engine.bank_comment(units.id).stamp is None


def test_a_stamp_look_that_is_no_stamp_type_is_refused_and_nothing_changes(
    grading: MainWindow,
) -> None:
    engine = grading.engine
    comment = engine.add_bank_comment("Neat", stamp="Approved")
    try:
        engine.update_bank_comment(comment.id, stamp="Sparkles")
    except BadRequest as exc:
        assert "no stamp look" in str(exc)
    else:
        raise AssertionError("a made-up stamp look was taken")
    assert engine.bank_comment(comment.id).stamp == "Approved"
    bank = '{"comments": [{"text": "Hi", "stamp": "Sparkles"}, {"text": "Ok"}]}'
    try:
        engine.import_comment_bank(bank)
    except BadRequest as exc:
        assert "comment 1 ('Hi') has a 'stamp'" in str(exc)
    else:
        raise AssertionError("a bank file with a made-up stamp look was imported")
    assert [c.text for c in engine.bank_comments()] == ["Neat"]
