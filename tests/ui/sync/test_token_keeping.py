"""The token is written on the sync lane, not the UI thread, and a Disconnect while its write
waits is not undone by it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reviewer_app.sync import CredentialStore
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.sync.connections import TokenKeeping
from tests.sync.conftest import LiveServer
from tests.ui.sync.conftest import connect


def test_connecting_writes_the_token_off_the_ui_thread_before_the_document_opens(
    qtbot: QtBot,
    app: MainWindow,
    live: LiveServer,
    credentials_in_tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    writers: list[threading.Thread] = []
    write = CredentialStore.set

    def noted(store: CredentialStore, url: str, token: str) -> None:
        writers.append(threading.current_thread())
        write(store, url, token)

    monkeypatch.setattr(CredentialStore, "set", noted)
    doc = live.upload()
    token = live.token(doc, layers=["*"])
    connect(qtbot, app, live.url, token, doc)
    assert writers and threading.main_thread() not in writers  # fsync and all, elsewhere
    assert CredentialStore(credentials_in_tmp, use_keyring=False).get(live.url) == token


def test_a_token_deleted_while_its_write_waited_is_not_written_back(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path / "credentials.json", use_keyring=False)
    tokens = TokenKeeping(lambda: store)
    keep_old = tokens.keeper("http://server", "old")  # queued on the lane, not run yet
    tokens.delete("http://server")  # the user disconnects meanwhile
    keep_old()
    assert store.get("http://server") is None
    tokens.keeper("http://server", "new")()  # a connection made after it is kept
    assert store.get("http://server") == "new"
