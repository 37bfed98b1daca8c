"""Sync UI fixtures: a real server that can restart on its port, tokens kept under the test's
folder, a window whose sync client retries fast, and the user's gestures (Connect, a note)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from reviewer_app.server.tokens import keygen
from reviewer_app.sync import CredentialStore, SyncClient
from reviewer_app.sync.client import layer_path
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.sync import controls as sync_ui
from tests.server.conftest import note
from tests.sync.conftest import FAST, LiveServer, Proxy, run_proxy, running

WAIT = 20000


@pytest.fixture(scope="module")
def module_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("live")
    private, public = keygen(root / "keys", "ES256")
    server = LiveServer(root / "server", ("--jwt-public-key", str(public)))
    server.private_key = private.read_bytes()
    server.start()
    server.args = (*server.args, "--port", server.url.rsplit(":", 1)[1])
    yield server
    server.stop()


@pytest.fixture
def live(module_live: LiveServer) -> LiveServer:
    """A server on 127.0.0.1 that restarts on the same port (so the client's URL stays),
    shared by a module's tests, running at each test's start."""
    return running(module_live)


@pytest.fixture
def proxy_to_live(live: LiveServer) -> Iterator[Proxy]:
    """A proxy in front of ``live`` that can answer 503 on purpose."""
    yield from run_proxy(live.url)


@pytest.fixture(autouse=True)
def credentials_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Tokens go to a file under the test's folder, never to the real keyring or config."""
    path = tmp_path / "config" / "sync-credentials.json"
    monkeypatch.setattr(
        sync_ui, "CredentialStore", functools.partial(CredentialStore, path, use_keyring=False)
    )
    return path


@pytest.fixture
def app(window: MainWindow) -> Iterator[MainWindow]:
    window.sync.make_client = lambda url, token: SyncClient(
        url, token, retry=FAST, timeout=(2.0, 10.0)
    )
    yield window
    window.close()  # before the engine fixture closes the engine
    assert not window.sync.background.busy()
    assert window.sync.session is None


def fill_connect_dialog(
    window: MainWindow, url: str, token: str, doc: str, read: Callable[[], object] = lambda: None
) -> None:
    """Open File > Connect to Server…, ``read`` it (bench/ lets the event loop paint it, as
    a person reads before typing), fill it in and click OK (the tests and bench/ wait for
    what follows each in their own way)."""
    window.sync.ask_connect()
    read()
    dialog = window.sync.connect_dialog
    assert dialog is not None
    dialog.url.setText(url)
    dialog.token.setText(token)
    dialog.document.setText(doc)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def connect(qtbot: QtBot, window: MainWindow, url: str, token: str, doc: str) -> None:
    """Fill in File > Connect to Server… and wait for the document and its first sync."""
    fill_connect_dialog(window, url, token, doc)
    qtbot.waitUntil(lambda: window.document is not None and window.document.id == doc, timeout=WAIT)
    qtbot.waitUntil(lambda: window.sync.indicator.text() == "Synced", timeout=WAIT)


def add_note(window: MainWindow, layer: str, text: str, rid: str) -> None:
    """An annotation made the way the UI makes them: engine first, then the change hub."""
    assert window.document is not None
    change = window.engine.create_records(
        window.document.id, layer, "annotation", [note(0, 40, text, id=rid)]
    )
    window.review.context.changes.record_change(change)


def server_texts(live: LiveServer, doc: str, layer: str) -> dict[str, str]:
    path = layer_path(doc, layer) + "/annotations"
    lines = live.call("GET", path, headers={"Accept": "application/x-ndjson"}).text.splitlines()
    found = [json.loads(line) for line in lines if line.strip()]
    return {a["id"]: a["content"]["text"]["value"] for a in found}
