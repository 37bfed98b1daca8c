"""The status bar and the Layers rows tell the truth about the document shown: not connected,
pending, offline, local only, conflicts, sync error, and synced only when all is sent."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer_app.sync import SyncStatus, log_file
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.session.layer_list import NAME_ROLE
from reviewer_app.ui.sync.indicator import describe
from tests.sync.conftest import LiveServer, Proxy
from tests.ui.conftest import make_pdf, open_and_wait
from tests.ui.sync.conftest import WAIT, add_note, connect


def row_text(window: MainWindow, name: str) -> str:
    """What the Layers dock shows for layer ``name`` (title, then its details line)."""
    proxy = window.review.layers_dock.proxy
    for row in range(proxy.rowCount()):
        index = proxy.index(row, 0)
        if proxy.data(index, NAME_ROLE) == name:
            return str(proxy.data(index, Qt.ItemDataRole.DisplayRole))
    raise AssertionError(f"no row for layer {name!r}")


def mark(window: MainWindow, name: str) -> str:
    """The row's sync mark: what follows the title on its first line ("" for none)."""
    heading = row_text(window, name).split("\n", 1)[0]
    return heading.split(" — ", 1)[1] if " — " in heading else ""


def no_sync_until_asked(window: MainWindow) -> None:
    """Changes wait for F5: no sync a second after a change, none every 30 seconds."""
    window.sync.background.debounce.setInterval(3_600_000)
    window.sync.background.set_interval(3600)


def test_texts_never_contradict_themselves() -> None:
    assert describe(None) == "Not connected"
    assert describe(SyncStatus(state="new")) == "Connecting…"
    assert describe(SyncStatus()) == "Synced"
    assert describe(SyncStatus(pending=2)) == "2 pending"
    assert describe(SyncStatus(conflicts=1)) == "1 conflict"
    assert describe(SyncStatus(state="offline", pending=1)) == "Offline · 1 pending"
    assert describe(SyncStatus(state="error")) == "Sync error"
    local = SyncStatus(layers=(("dana", "synced"), ("notes", "local")))
    assert describe(local) == "1 layer local only"


def test_pending_then_synced_per_layer_and_not_connected_for_another_document(
    qtbot: QtBot, app: MainWindow, live: LiveServer, tmp_path: Path
) -> None:
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layers=["*"]), doc)
    no_sync_until_asked(app)
    add_note(app, "teacher", "to send", "n1")
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "1 pending", timeout=WAIT)
    qtbot.waitUntil(lambda: mark(app, "teacher") == "pending", timeout=WAIT)
    assert mark(app, "") == "synced"
    assert "1 change of this document waits" in app.sync.indicator.tooltip()

    app.sync.sync_action.trigger()
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Synced", timeout=WAIT)
    qtbot.waitUntil(lambda: mark(app, "teacher") == "synced", timeout=WAIT)
    assert "Every change of this document is on the server" in app.sync.indicator.tooltip()

    open_and_wait(qtbot, app, make_pdf(tmp_path / "local.pdf", pages=2))  # never connected
    assert app.sync.indicator.text() == "Not connected"
    assert "on this computer only" in app.sync.indicator.tooltip()
    assert app.sync.session is None and not app.sync.sync_action.isEnabled()
    assert mark(app, "") == "" and row_text(app, "").startswith("Default layer\n")  # no marks


def test_a_students_own_layer_synced_and_a_stray_one_local_only(
    qtbot: QtBot, app: MainWindow, live: LiveServer
) -> None:
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layer="dana"), doc)
    add_note(app, "dana", "answer", "n1")
    add_note(app, "scratch", "not for the teacher", "n2")  # a layer the token cannot send
    app.review.context.changes.layer_set_changed()
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "1 layer local only", timeout=WAIT)
    assert mark(app, "scratch") == "local only" and mark(app, "dana") == "synced"
    assert "“scratch”" in app.sync.indicator.tooltip()


def test_a_conflict_alone_and_a_sync_error_in_words(
    qtbot: QtBot, app: MainWindow, live: LiveServer, proxy_to_live: Proxy
) -> None:
    doc = live.upload()
    token = live.token(doc, layers=["*"])
    connect(qtbot, app, proxy_to_live.url, token, doc)
    no_sync_until_asked(app)
    add_note(app, "t", "here", "n1")
    app.sync.sync_action.trigger()
    qtbot.waitUntil(lambda: mark(app, "t") == "synced", timeout=WAIT)
    body = {"content": {**app.engine.record(doc, "t", "annotation", "n1").content}}
    body["content"]["text"] = {"format": "plain", "value": "there"}
    assert live.call("PUT", f"/api/documents/{doc}/layers/t/annotations/n1", json=body).ok
    change = app.engine.update_records(doc, "t", "annotation", [{**body["content"], "id": "n1"}])
    app.review.context.changes.record_change(change)
    app.sync.sync_action.trigger()
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "1 conflict", timeout=WAIT)
    assert mark(app, "t") == "conflict"

    proxy_to_live.fail_next = 1000  # the server answers 503 to everything
    app.sync.sync_action.trigger()
    qtbot.waitUntil(lambda: app.sync.indicator.text().startswith("Sync error"), timeout=WAIT)
    tip = app.sync.indicator.tooltip()
    assert "has a problem (503); your changes are kept" in tip and str(log_file()) in tip


def test_offline_is_a_sentence_and_the_details_are_in_the_log(
    qtbot: QtBot, app: MainWindow, live: LiveServer
) -> None:
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layers=["*"]), doc)
    said: list[str] = []
    app.context.message.connect(lambda text, _ms: said.append(text))
    live.stop()
    add_note(app, "t", "on the train", "n1")
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Offline · 1 pending", timeout=WAIT)
    host = live.url.removeprefix("http://")
    sentence = (
        f"The server at {host} cannot be reached; your changes are kept and will be sent "
        "when it can."
    )
    assert app.sync.indicator.tooltip().startswith(sentence)
    assert f"The details are written to {log_file()}." in app.sync.indicator.tooltip()
    qtbot.waitUntil(lambda: sentence in said, timeout=WAIT)  # the status bar said it too
    logged = log_file().read_text(encoding="utf-8")
    assert "OfflineError" in logged and "Traceback (most recent call last)" in logged
    assert "HTTPConnectionPool" in logged  # the raw exception is there, and only there
