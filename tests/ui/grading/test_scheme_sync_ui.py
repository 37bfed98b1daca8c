"""A scheme a co-teacher changed on the server reaches the Grading dock and the score sheet
at the next sync, even when no layer changed with it."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from reviewer_app.engine.grading_scheme import Question, Scheme
from reviewer_app.ui.main_window import MainWindow
from tests.journeys.gestures import when_shown
from tests.sync.conftest import LiveServer
from tests.ui.sync.conftest import WAIT, app, connect, credentials_in_tmp, live, module_live

__all__ = ["app", "credentials_in_tmp", "live", "module_live"]


def test_a_scheme_changed_on_the_server_shows_after_the_next_sync(
    qtbot: QtBot, app: MainWindow, live: LiveServer
) -> None:
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layers=["*"]), doc)
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Synced", timeout=WAIT)
    assert app.grading.dock.table.rowCount() == 0
    scheme = Scheme((Question("q1", "Question 1", 4), Question("q2", "Question 2", 6)))
    answer = live.call("PUT", f"/api/documents/{doc}/grading_scheme",
                       json={"scheme": scheme.to_json(), "base_revision": 0})  # fmt: skip
    assert answer.status_code == 200, answer.text
    app.sync.sync_action.trigger()  # F5
    qtbot.waitUntil(lambda: app.grading.dock.table.rowCount() == 2, timeout=WAIT)
    assert app.grading.dock.table.item(1, 0).text() == "Question 2"
    assert app.grading.sheet.model.columnCount() == 2 + 4


def test_a_scheme_changed_here_and_on_the_server_is_asked_about_and_kept_as_mine(
    qtbot: QtBot, app: MainWindow, live: LiveServer
) -> None:
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layers=["*"]), doc)
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Synced", timeout=WAIT)
    theirs = Scheme((Question("q1", "Theirs", 4),))
    answer = live.call("PUT", f"/api/documents/{doc}/grading_scheme",
                       json={"scheme": theirs.to_json(), "base_revision": 0})  # fmt: skip
    assert answer.status_code == 200
    app.grading.dock.add_question()  # edited here meanwhile, before the sync
    asked: list[str] = []

    def keep_mine(box: QMessageBox) -> None:
        asked.append(box.text())
        keep = next(b for b in box.buttons() if b.text() == "Keep &Mine")
        keep.click()

    when_shown(QMessageBox, keep_mine)
    app.sync.sync_action.trigger()
    path = f"/api/documents/{doc}/grading_scheme"
    qtbot.waitUntil(lambda: live.call("GET", path).json()["data"]["revision"] == 2, timeout=WAIT)
    assert asked and "changed here and, meanwhile, on the server" in asked[0]
    names = [q["name"] for q in live.call("GET", path).json()["data"]["scheme"]["questions"]]
    assert names == ["Question 1"]  # mine, sent over theirs once the teacher said so
    qtbot.waitUntil(lambda: not app.engine.stored_scheme(doc).unpushed, timeout=WAIT)
