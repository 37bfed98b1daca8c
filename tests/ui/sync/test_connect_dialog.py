"""Connect to Server: a dialog a 340-character token fits in, an address checked as typed, and
a token checked with the server before it replaces the one that works."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from reviewer_app.server.tokens import TokenRequest, issue_token
from reviewer_app.sync import CredentialStore
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.sync.connect_dialog import ConnectDialog, server_url
from tests.server.conftest import SECRET
from tests.sync.conftest import LiveServer
from tests.ui.sync.conftest import WAIT, connect


def opened_dialog(window: MainWindow) -> ConnectDialog:
    window.sync.ask_connect()
    dialog = window.sync.connect_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def fill(dialog: ConnectDialog, url: str, token: str, doc: str) -> None:
    dialog.url.setText(url)
    dialog.token.setText(token)
    dialog.document.setText(doc)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("https://reviewer.example.org/", "https://reviewer.example.org"),
        ("reviewer.example.org", "https://reviewer.example.org"),
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
        ("127.0.0.1:5000", "http://127.0.0.1:5000"),  # a test server here: no TLS assumed
        ("localhost:5000/", "http://localhost:5000"),
        ("https://example.org/reviewer", "https://example.org/reviewer"),
        ("ftp://example.org", None),
        ("https://", None),
        ("http://host:port", None),
        ("two words", None),
        ("eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJkb2N1bWVudF9pZCI6IlNPTUVP.sig_x", None),
        ("https://reviewer-.example.org", None),
        ("", None),
    ],
)
def test_the_address_is_checked(typed: str, expected: str | None) -> None:
    assert server_url(typed) == expected


def test_the_dialog_is_wide_enough_for_a_long_token_and_says_what_it_grants(
    qtbot: QtBot, app: MainWindow, live: LiveServer
) -> None:
    doc = live.upload()
    token = live.token(doc, layer="dana", user_id="a-rather-long-user-id-" + "x" * 120)
    assert len(token) >= 340
    dialog = opened_dialog(app)
    assert dialog.width() >= 600 and dialog.token.width() >= 360
    QGuiApplication.clipboard().setText(token)
    dialog.paste.click()
    assert dialog.token.text() == token
    assert dialog.document.text() == doc  # read from the token
    assert "your layer “dana”" in dialog.token_note.text()
    dialog.url.setText("not an address")
    assert "not a server address" in dialog.url_note.text() and not dialog.ok.isEnabled()
    dialog.url.setText("http://reviewer.example.org")
    assert "unencrypted" in dialog.url_note.text() and dialog.ok.isEnabled()
    dialog.reject()


def test_a_refused_token_is_said_in_the_dialog_and_the_working_one_is_kept(
    qtbot: QtBot, app: MainWindow, live: LiveServer, credentials_in_tmp: Path
) -> None:
    doc = live.upload()
    good = live.token(doc, layer="dana")
    connect(qtbot, app, live.url, good, doc)
    old = TokenRequest(doc, ["all"], layer="dana", expires_in=-3600)
    expired = issue_token(old, live.private_key)
    other_doc = live.token(live.upload(), layer="dana")
    store = CredentialStore(credentials_in_tmp, use_keyring=False)
    for bad, said in (
        (expired, "The server refused the token: it has expired. Ask for a new one."),
        (other_doc, "The server refused the token: it was issued for another document."),
    ):
        dialog = opened_dialog(app)
        fill(dialog, live.url, bad, doc)
        if bad == other_doc:  # said before asking the server, which then refuses it too
            assert "is for the document" in dialog.token_note.text()
        dialog.ok.click()
        qtbot.waitUntil(lambda d=dialog, s=said: d.message.text().startswith(s), timeout=WAIT)
        assert dialog.isVisible() and dialog.ok.isEnabled()  # the user can fix it
        assert store.get(live.url) == good  # the working token is still the one kept
        dialog.reject()
    assert app.sync.session is not None and app.sync.session.client.token == good


def test_an_unreachable_or_unknown_server_is_said_and_nothing_is_kept(
    qtbot: QtBot, app: MainWindow, live: LiveServer, credentials_in_tmp: Path
) -> None:
    doc = live.upload()
    store = CredentialStore(credentials_in_tmp, use_keyring=False)
    nowhere = closed_port_url()
    dialog = opened_dialog(app)
    fill(dialog, nowhere, live.token(doc), doc)
    dialog.ok.click()
    assert "Checking the token" in dialog.message.text() and not dialog.ok.isEnabled()
    host = nowhere.removeprefix("http://")
    qtbot.waitUntil(
        lambda: dialog.message.text().startswith(f"The server at {host} cannot be reached"),
        timeout=WAIT,
    )
    fill(dialog, live.url, SECRET, "no-such-document")  # the server's own token: a 404
    dialog.ok.click()
    qtbot.waitUntil(lambda: "does not have this document" in dialog.message.text(), timeout=WAIT)
    assert store.get(nowhere) is None and store.get(live.url) is None
    assert app.sync.connections.get(doc) is None and app.sync.session is None
    token = live.token(doc)
    fill(dialog, live.url, token, doc)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        dialog.ok.click()  # now it works: kept, connected, synced
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Synced", timeout=WAIT)
    assert store.get(live.url) == token
