"""A connected document reconnects by itself when it is opened again (in a new window, as at
the next start), without a dialog; File > Disconnect forgets it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reviewer_app.engine import LayerEngine
from reviewer_app.sync import CredentialStore, SyncClient
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.sync.connections import Connection
from tests.server.conftest import note
from tests.sync.conftest import FAST, LiveServer
from tests.ui.sync.conftest import WAIT, add_note, connect, server_texts


@pytest.fixture
def windows(qtbot: QtBot, engine: LayerEngine) -> Iterator[list[MainWindow]]:
    """New windows on the same engine and settings, closed before the engine."""
    made: list[MainWindow] = []
    yield made
    for window in made:
        window.close()


def new_window(qtbot: QtBot, engine: LayerEngine, made: list[MainWindow]) -> MainWindow:
    """A window as the app opens one at start: same data folder, same settings file."""
    window = MainWindow(engine, ViewerSettings())
    window.sync.make_client = lambda url, token: SyncClient(
        url, token, retry=FAST, timeout=(2.0, 10.0)
    )
    qtbot.addWidget(window)
    window.show()
    made.append(window)
    return window


def reopen(qtbot: QtBot, window: MainWindow, engine: LayerEngine, doc: str) -> None:
    with qtbot.waitSignal(window.opening.opened, timeout=WAIT):
        window.open_file(engine.pdf_path(doc))
    qtbot.waitUntil(lambda: window.document is not None, timeout=WAIT)


def test_reopening_reconnects_without_a_dialog_and_disconnect_forgets(
    qtbot: QtBot,
    app: MainWindow,
    engine: LayerEngine,
    live: LiveServer,
    windows: list[MainWindow],
    credentials_in_tmp: Path,
) -> None:
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layer="dana"), doc)
    add_note(app, "dana", "before the break", "n1")
    qtbot.waitUntil(lambda: "n1" in server_texts(live, doc, "dana"), timeout=WAIT)
    app.close()
    body = {"id": "t1", "content": note(0, 80, "teacher's remark")}  # written while closed
    assert live.call("POST", f"/api/documents/{doc}/layers/dana/annotations", json=body).ok

    second = new_window(qtbot, engine, windows)
    assert second.sync.indicator.text() == "Not connected"  # no document yet
    reopen(qtbot, second, engine, doc)
    assert second.layer == "dana"  # the token's layer, known before the server answers
    qtbot.waitUntil(lambda: second.sync.indicator.text() == "Synced", timeout=WAIT)
    assert second.sync.connect_dialog is None  # nothing was asked
    qtbot.waitUntil(lambda: second.engine.has_layer(doc, "dana"), timeout=WAIT)
    texts = {r.id for r in engine.records(doc, "dana", "annotation")}
    assert {"n1", "t1"} <= texts  # the server's change came in
    add_note(second, "dana", "after the break", "n2")
    qtbot.waitUntil(lambda: "n2" in server_texts(live, doc, "dana"), timeout=WAIT)

    assert second.sync.disconnect_action.isEnabled()
    second.sync.disconnect_action.trigger()  # File > Disconnect from Server
    assert second.sync.indicator.text() == "Not connected" and second.sync.session is None
    assert not second.sync.disconnect_action.isEnabled()
    store = CredentialStore(credentials_in_tmp, use_keyring=False)
    assert store.get(live.url) is None  # no other document uses that server
    add_note(second, "dana", "not sent", "n3")
    second.close()

    third = new_window(qtbot, engine, windows)
    reopen(qtbot, third, engine, doc)
    assert third.sync.session is None and third.sync.opening is None  # no reconnect started
    assert third.sync.indicator.text() == "Not connected"
    assert "n3" not in server_texts(live, doc, "dana")


def test_the_token_stays_while_another_document_uses_its_server(
    qtbot: QtBot, app: MainWindow, live: LiveServer, credentials_in_tmp: Path
) -> None:
    first, second = live.upload(), live.upload()
    token = live.token(first, layers=["*"])
    connect(qtbot, app, live.url, token, first)
    app.sync.connections.remember(second, Connection(live.url, second))
    app.sync.disconnect_action.trigger()
    assert app.sync.connections.get(first) is None
    assert CredentialStore(credentials_in_tmp, use_keyring=False).get(live.url) == token
