"""Closing a synced document while its sync pushes (another PDF opened) loses nothing: an
edit made just before arrives on the server once the document is opened again."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from reviewer_app.ui.main_window import MainWindow
from tests.sync.conftest import LiveServer
from tests.ui.conftest import make_pdf
from tests.ui.sync.conftest import WAIT, add_note, connect, server_texts


def test_an_edit_made_just_before_closing_mid_push_arrives_after_reopening(
    qtbot: QtBot, app: MainWindow, live: LiveServer, tmp_path: Path
) -> None:
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layers=["*"]), doc)
    app.engine.create_layer(doc, "teacher")
    app.review.context.changes.layer_set_changed()
    for n in range(40):  # a push long enough to close the document in the middle of it
        add_note(app, "teacher", f"note {n}", f"n{n}")
    app.sync.background.sync_now()
    qtbot.waitUntil(app.sync.background.busy, timeout=WAIT)
    add_note(app, "teacher", "the last word", "last")  # after the push began
    app.open_file(make_pdf(tmp_path / "other.pdf", pages=2))  # closes the synced document
    qtbot.waitUntil(lambda: app.sync.session is None, timeout=WAIT)
    qtbot.waitUntil(lambda: app.document is not None and app.document.id != doc, timeout=WAIT)

    app.open_file(app.engine.pdf_path(doc))  # reconnects in the background
    qtbot.waitUntil(lambda: app.document is not None and app.document.id == doc, timeout=WAIT)
    qtbot.waitUntil(lambda: "last" in server_texts(live, doc, "teacher"), timeout=WAIT)
    texts = server_texts(live, doc, "teacher")
    assert texts["last"] == "the last word"
    assert all(texts[f"n{n}"] == f"note {n}" for n in range(40))
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Synced", timeout=WAIT)
