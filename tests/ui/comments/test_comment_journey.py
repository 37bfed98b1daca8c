"""A review journey through threads: reply to a highlight, resolve the thread, export the
layer as a PDF, open that PDF again (its thread is the new document's own, resolved, with
the reply) and reopen the thread there."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer_app.engine import BASE
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.ui.main_window import MainWindow
from tests.ui.comments.test_comments_pane import highlight, reply_with_keys
from tests.ui.conftest import open_and_wait
from tests.ui.tools.conftest import USER


def test_reply_resolve_export_and_reopen(
    qtbot: QtBot, annotating: MainWindow, tmp_path: Path
) -> None:
    window = annotating
    pane = window.comments
    root = highlight(window)
    window.context.open_thread(root)
    reply_with_keys(qtbot, window, "Cite the passage here.")
    qtbot.waitUntil(lambda: pane.chosen_thread() is not None, timeout=3000)
    qtbot.keyClick(pane.resolve_button, Qt.Key.Key_Space)
    doc, layer = window.document, window.layer
    assert doc is not None
    (thread,) = window.engine.threads(doc.id, layer)
    assert thread.state.state == "resolved" and len(thread.comments) == 1

    exported = tmp_path / "handed-back.pdf"
    exported.write_bytes(
        export_layer_pdf(
            window.engine.pdf_path(doc.id).read_bytes(), window.engine.layer_export(doc.id, layer)
        )
    )
    open_and_wait(qtbot, window, exported)
    again = window.document
    assert again is not None and again.id != doc.id
    (base,) = window.engine.threads(again.id, BASE)  # the PDF's own thread now
    assert base.state.state == "resolved" and base.state.by == USER
    assert [c.content["text"]["value"] for c in base.comments] == ["Cite the passage here."]
    qtbot.waitUntil(lambda: any("Resolved" in e for e in pane.entries()), timeout=5000)
    assert any("Cite the passage here." in e for e in pane.entries())

    window.context.open_thread(base.root.id)
    qtbot.waitUntil(lambda: pane.resolve_button.text() == "Re&open", timeout=3000)
    qtbot.keyClick(pane.resolve_button, Qt.Key.Key_Space)  # reopened, in the user's layer
    (reopened,) = window.engine.threads(again.id, window.layer)
    assert reopened.state.state == "open" and window.layer == USER
    assert window.engine.threads(again.id, BASE)[0].state.state == "resolved"
    qtbot.waitUntil(lambda: pane.resolve_button.text() == "Re&solve", timeout=3000)
