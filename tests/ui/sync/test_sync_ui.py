"""Sync in the window against a real server: connect, background sync, offline, conflicts."""

from __future__ import annotations

import socket
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from reviewer_app.engine import LayerEngine
from reviewer_app.sync import CredentialStore, SyncClient, SyncSession, SyncStatus
from reviewer_app.ui.core.tasks import running_tasks
from reviewer_app.ui.main_window import MainWindow
from tests.server.conftest import note
from tests.sync.conftest import FAST, LiveServer
from tests.ui.sync.conftest import WAIT, add_note, connect, server_texts


def test_connect_opens_the_remote_document_and_keeps_the_token(
    qtbot: QtBot, app: MainWindow, live: LiveServer, credentials_in_tmp: Path
) -> None:
    doc = live.upload()
    token = live.token(doc, layers=["*"])
    connect(qtbot, app, live.url, token, doc)
    assert app.engine.document(doc).id == doc
    assert app.view.page_count() == 2
    assert CredentialStore(credentials_in_tmp, use_keyring=False).get(live.url) == token
    assert stat.S_IMODE(credentials_in_tmp.stat().st_mode) == 0o600
    assert app.sync.sync_action.isEnabled()


def test_edits_sync_in_the_background_offline_and_back(
    qtbot: QtBot, app: MainWindow, live: LiveServer
) -> None:
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layers=["*"]), doc)
    app.engine.create_layer(doc, "teacher")
    app.review.context.changes.layer_set_changed()
    add_note(app, "teacher", "well done", "n1")
    qtbot.waitUntil(
        lambda: server_texts(live, doc, "teacher").get("n1") == "well done", timeout=WAIT
    )
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Synced", timeout=WAIT)

    live.stop()
    add_note(app, "teacher", "on the train", "n2")
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Offline · 1 pending", timeout=WAIT)
    assert app.sync.session is not None and app.sync.session.status.error

    live.start()
    app.sync.sync_action.trigger()  # F5
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Synced", timeout=WAIT)
    texts = server_texts(live, doc, "teacher")
    assert (texts["n1"], texts["n2"]) == ("well done", "on the train")


def test_local_changes_are_counted_off_the_ui_thread(
    qtbot: QtBot, app: MainWindow, live: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layers=["*"]), doc)
    app.engine.create_layer(doc, "teacher")
    app.review.context.changes.layer_set_changed()
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Synced", timeout=WAIT)
    live.stop()
    readers: list[threading.Thread] = []
    real = app.engine.sync_outbox_size

    def sync_outbox_size(*args: Any) -> Any:  # each synced layer's waiting changes, counted
        readers.append(threading.current_thread())
        return real(*args)

    monkeypatch.setattr(app.engine, "sync_outbox_size", sync_outbox_size)
    add_note(app, "teacher", "on the train", "n2")  # offline: counted, not sent
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Offline · 1 pending", timeout=WAIT)
    assert readers and threading.main_thread() not in readers


def test_a_pulled_change_refreshes_the_panel_and_a_conflict_resolves_as_mine(
    qtbot: QtBot, app: MainWindow, live: LiveServer, tmp_path: Path
) -> None:
    doc = live.upload()
    token = live.token(doc, layers=["*"])
    connect(qtbot, app, live.url, token, doc)
    add_note(app, "", "first", "n1")
    qtbot.waitUntil(lambda: "n1" in server_texts(live, doc, ""), timeout=WAIT)
    with LayerEngine(tmp_path / "laptop") as laptop:
        other = SyncSession.open(laptop, SyncClient(live.url, token, retry=FAST), doc)
        other.sync_all()
        laptop.create_layer(doc, "laptop")
        laptop.update_records(doc, "", "annotation", [note(0, 40, "theirs", id="n1")])
        other.sync_all()

        change = app.engine.update_records(doc, "", "annotation", [note(0, 40, "mine", id="n1")])
        app.review.context.changes.record_change(change)
        qtbot.waitUntil(lambda: "1 conflict" in app.sync.indicator.text(), timeout=WAIT)
        assert "laptop" in app.review.layers.names()  # pulled, and listed by then
        assert app.sync_conflicts_button.isVisibleTo(
            app.review.layers_dock
        )  # the panel offers it too

        app.sync_conflicts_button.click()
        dialog = app.sync.dialog
        assert dialog is not None and dialog.tree.topLevelItemCount() == 1
        item = dialog.tree.topLevelItem(0)
        assert item is not None and "mine" in item.text(2) and "theirs" in item.text(3)
        dialog.buttons["mine"].click()
        qtbot.waitUntil(lambda: app.sync.indicator.text() == "Synced", timeout=WAIT)
        qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 0, timeout=WAIT)
        assert not app.sync_conflicts_button.isVisibleTo(app.review.layers_dock)
        assert server_texts(live, doc, "")["n1"] == "mine"
        other.sync_all()
        texts = {r.id: r.content["text"]["value"] for r in laptop.records(doc, "", "annotation")}
        assert texts["n1"] == "mine"
        other.client.close()


def test_synced_shows_only_once_the_layers_it_pulled_are_listed(
    qtbot: QtBot, app: MainWindow, live: LiveServer
) -> None:
    """The sync's last status waits for its report: a teacher who sees "Synced" sees the
    students' layers it brought (they were listed a turn later)."""
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layers=["*"]), doc)
    seen: list[tuple[str, str, bool]] = []  # (status state, indicator, "amir" listed)

    def follow(status: SyncStatus) -> None:  # connected after the window's own handlers
        listed = "amir" in app.review.layers.names()
        seen.append((status.state, app.sync.indicator.text(), listed))

    app.sync.background.status.connect(follow)
    bearer = {"Authorization": f"Bearer {live.token(doc, layer='amir', user_id='amir')}"}
    body = {"id": "amir-q", "content": note(0, 60, "A question")}
    path = f"/api/documents/{doc}/layers/amir/annotations"
    assert live.call("POST", path, json=body, headers=bearer).status_code == 200
    app.sync.background.sync_now()
    qtbot.waitUntil(lambda: any(state == "synced" for state, _, _ in seen), timeout=WAIT)
    assert next(s for s in seen if s[0] == "synced") == ("synced", "Synced", True)
    assert seen[0][:2] == ("syncing", "Syncing…") and not seen[0][2]


def test_indicator_texts_progress_and_interval(app: MainWindow) -> None:
    indicator = app.sync.indicator
    assert indicator.text() == "Not connected"
    status = SyncStatus(state="offline", pending=3, conflicts=2, deleted_on_server=("x",))
    indicator.show_status(status)
    assert indicator.text() == "Offline · 3 pending · 2 conflicts · 1 layer deleted on server"
    indicator.show_status(SyncStatus(state="syncing"))
    indicator.show_progress(2, 30, "layer 'x'")
    assert not indicator.progress.isHidden() and indicator.progress.value() == 2
    indicator.show_progress(200, 200, "sent 200 changes")  # a step done, the sync goes on:
    indicator.show_progress(1, 1, "layer 'y'")  # the bar stays (no window laid out again)
    assert not indicator.progress.isHidden() and indicator.progress.value() == 200
    indicator.show_status(SyncStatus(pending=0))
    assert indicator.progress.isHidden() and indicator.text() == "Synced"
    indicator.show_progress(30, 30, "synced")  # (a step heard after the sync's end)
    indicator.show_status(None)  # another document shown while the first one's sync ends:
    indicator.show_progress(3, 30, "layer 'z'")  # its steps are not shown beside its words
    assert indicator.progress.isHidden() and indicator.text() == "Not connected"
    assert app.settings.sync_interval() == 30
    app.settings.store.setValue("sync/interval", "90")
    assert app.settings.sync_interval() == 90
    assert app.sync.sync_action.shortcut().toString() == "F5"


def test_a_layer_deleted_on_the_server_is_kept_until_the_user_accepts(
    qtbot: QtBot, app: MainWindow, live: LiveServer
) -> None:
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layers=["*"]), doc)
    app.engine.create_layer(doc, "draft")
    app.review.context.changes.layer_set_changed()
    qtbot.waitUntil(lambda: "draft" in live.layers(doc), timeout=WAIT)
    # the sync that pushed it has ended: a step of it still under way after the deletion
    # would write the layer again (a write makes a layer), and there would be none to report
    qtbot.waitUntil(lambda: not app.sync.background.busy(), timeout=WAIT)
    assert live.call("DELETE", f"/api/documents/{doc}/layers/draft").status_code < 300
    app.sync.sync_action.trigger()
    qtbot.waitUntil(lambda: "1 layer deleted on server" in app.sync.indicator.text(), timeout=WAIT)
    assert app.engine.has_layer(doc, "draft")
    app.sync.show_conflicts()
    dialog = app.sync.dialog
    assert dialog is not None and dialog.deleted.topLevelItemCount() == 1
    assert not dialog.deleted_box.isHidden()
    dialog.accept_deletion.click()
    # the choice shows at once: the row leaves the dialog before the sync that follows ends
    assert not app.engine.has_layer(doc, "draft")
    assert "draft" not in app.review.layers.names()
    assert dialog.deleted_box.isHidden() and dialog.deleted.topLevelItemCount() == 0
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Synced", timeout=WAIT)
    qtbot.waitUntil(lambda: not app.sync.background.busy(), timeout=WAIT)
    assert dialog.deleted_box.isHidden() and "draft" not in live.layers(doc)


class SilentServer:
    """A TCP server on 127.0.0.1 that accepts connections and never answers (until closed)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.accepted: list[socket.socket] = []
        self.connected = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            self.accepted.append(conn)
            self.connected.set()

    def close(self) -> None:
        """Refuse new connections and hang up on the accepted ones."""
        self.socket.shutdown(socket.SHUT_RDWR)  # wakes the accept() (close alone does not)
        self.socket.close()
        self.thread.join()
        for conn in self.accepted:
            conn.close()


def test_closing_the_window_during_a_stuck_sync_returns_at_once(
    qtbot: QtBot, window: MainWindow
) -> None:
    server = SilentServer()
    try:
        window.sync.make_client = lambda url, token: SyncClient(
            url,
            token,
            retry=FAST,
            timeout=(5.0, None),  # no read timeout: it hangs for good
        )
        window.sync.connect_to(server.url, "a-token-for-a-server-that-never-answers", "doc")
        assert server.connected.wait(10)
        qtbot.waitUntil(lambda: any(t.running() for t in running_tasks()), timeout=WAIT)
        window.close()  # would hang here if it waited for the sync
        assert any(t.running() for t in running_tasks())  # still stuck: it was not waited for
        assert not window.sync.background.busy() and window.sync.session is None
    finally:
        server.close()  # the request fails, its thread ends
    qtbot.waitUntil(lambda: not running_tasks(), timeout=WAIT)
