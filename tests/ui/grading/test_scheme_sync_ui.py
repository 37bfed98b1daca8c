"""A scheme a co-teacher changed on the server reaches the Grading dock and the score sheet
at the next sync, even when no layer changed with it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from reviewer_app.engine.grading_scheme import Question, Scheme
from reviewer_app.ui.main_window import MainWindow
from tests.sync.conftest import LiveServer
from tests.ui.sync.conftest import WAIT, app, connect, credentials_in_tmp, live

__all__ = ["app", "credentials_in_tmp", "live"]


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
