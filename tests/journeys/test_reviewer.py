"""A reviewer's journey, with no server: she drops a PDF on the window, highlights a passage,
writes a note (a comment thread of its own) and a free text, replies to her highlight and
resolves that thread with the keys, quits, starts the app again, opens the PDF from Open
Recent, finds everything in her own layer and its Comments dock, and can still undo it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pymupdf
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reviewer_app.engine import BASE
from reviewer_app.instant.records import Record
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.session.describing import groups_of
from tests.journeys.gestures import (
    ALT,
    CTRL,
    SHIFT,
    WAIT,
    click_layer_row,
    click_page,
    drag_page,
    give_name,
    layer_rows,
    menu,
    on_screen,
    press,
    type_text,
)

REVIEWER = "Rae Kim"
PASSAGE = [(74, 136), (200, 136), (265, 136)]  # "The parties agree to deliver the goods"
NOTE_AT, TEXT_AT, ELSEWHERE = (360, 90), (72, 300), (300, 420)
NOTE = "Which goods? Name them"
FREE_TEXT = "Needs a date"
REPLY = "Cite clause 4 here"


def make_contract(path: Path) -> Path:
    """One page of text to review."""
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=595)
    page.insert_text((72, 90), "Supply agreement", fontsize=16)
    page.insert_text((72, 140), "The parties agree to deliver the goods on time.", fontsize=12)
    page.insert_text((72, 170), "Payment is due thirty days after delivery.", fontsize=12)
    doc.save(path)
    return path


def drop_file(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    """A file dragged from a file manager and dropped on the pages: the events the platform
    delivers to the widget under the pointer (Qt passes them up to the window)."""
    target = window.view.viewport()
    at = QPointF(target.rect().center())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    action, left = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    no = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at.toPoint(), action, mime, left, no)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "the window does not take the PDF"
    QApplication.sendEvent(target, QDragMoveEvent(at.toPoint(), action, mime, left, no))
    drop = QDropEvent(at, action, mime, left, no)
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted()


def listed(window: MainWindow) -> dict[str, list[str]]:
    """The Annotations dock as shown, grouped: group title → its entries' lines."""
    tree = window.review.annotations.tree
    return {top.text(0): [e.text(0) for e in entries] for top, entries in groups_of(tree)}


def hers(window: MainWindow) -> list[Record]:
    assert window.document is not None
    found = window.engine.records(window.document.id, REVIEWER, "annotation")
    return [r for r in found if r.content.get("creatorName") == REVIEWER]


def threads(window: MainWindow) -> dict[str, tuple[str, list[str]]]:
    """Her layer's threads: root type → (state, the comments' words in order)."""
    assert window.document is not None
    return {
        str(t.root.content["type"]): (
            t.state.state,
            [c.content["text"]["value"] for c in t.comments],
        )
        for t in window.engine.threads(window.document.id, REVIEWER)
    }


def test_a_reviewer_comments_quits_and_finds_everything_again(
    qtbot: QtBot, start_app: Callable[..., MainWindow], tmp_path: Path
) -> None:
    contract = make_contract(tmp_path / "contract.pdf")
    window = start_app()  # the sample worksheet, as at every start
    qtbot.waitUntil(lambda: window.document is not None, timeout=WAIT)
    drop_file(qtbot, window, contract)
    qtbot.waitUntil(
        lambda: window.document is not None and window.document.file_name == "contract.pdf",
        timeout=WAIT,
    )
    assert window.windowTitle().startswith("contract.pdf — ")
    press(qtbot, Qt.Key.Key_2, CTRL)  # the whole page

    # She looks at the contract as it came (its base layer) and clicks her own layer back:
    # her first change has not made it yet, and it is still listed.
    own = window.layer
    click_layer_row(qtbot, window, BASE)
    qtbot.waitUntil(lambda: window.layer == BASE and not window.reading.pending(), timeout=WAIT)
    assert window.layer_box.findText(f"{own} (new)") >= 0
    click_layer_row(qtbot, window, own)
    qtbot.waitUntil(lambda: window.layer == own and not window.reading.pending(), timeout=WAIT)

    # A highlight (her first change asks her name), a note, a free text.
    asked = give_name(REVIEWER)
    press(qtbot, Qt.Key.Key_H)
    drag_page(qtbot, window, 0, PASSAGE)
    qtbot.waitUntil(lambda: len(hers(window)) == 1, timeout=WAIT)
    (highlight,) = hers(window)
    marked = highlight.content["customData"]["markedText"]
    assert marked == "The parties agree to deliver the goods"
    assert asked == ["Your name"] and window.layer == REVIEWER
    assert window.windowTitle() == f"contract.pdf — {REVIEWER} — Reviewer"
    press(qtbot, Qt.Key.Key_N)
    click_page(qtbot, window, 0, NOTE_AT)
    type_text(qtbot, NOTE)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    press(qtbot, Qt.Key.Key_T)
    click_page(qtbot, window, 0, TEXT_AT)
    type_text(qtbot, FREE_TEXT)
    click_page(qtbot, window, 0, ELSEWHERE)  # a click beside it keeps the text
    kinds = sorted(r.content["type"] for r in hers(window))
    assert kinds == ["pspdfkit/comment-marker", "pspdfkit/markup/highlight", "pspdfkit/text"]

    # She replies to her highlight (Esc, a double-click on it, the words, Ctrl+Enter) and
    # resolves that thread with Ctrl+Alt+R, the keys still in the reply box.
    press(qtbot, Qt.Key.Key_Escape)
    at = on_screen(window, 0, (PASSAGE[1][0], PASSAGE[1][1] - 4))
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(window.comments.box.hasFocus, timeout=WAIT)
    type_text(qtbot, REPLY)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    press(qtbot, Qt.Key.Key_R, CTRL | ALT)
    said = {
        "pspdfkit/markup/highlight": ("resolved", [REPLY]),
        "pspdfkit/comment-marker": ("open", [NOTE]),
    }
    assert threads(window) == said
    pane = window.comments.entries()
    assert pane[0] == "Page 1 (2 threads)", pane
    before = {
        "Page 1 (3)": [
            f"Highlight by {REVIEWER} · 1 reply — “The parties agree to deliver the goods”",
            f"Comment by {REVIEWER} — “{NOTE}”",
            f"Text by {REVIEWER} — “{FREE_TEXT}”",
        ]
    }
    window.review.annotations.raise_()  # its tab, beside Comments
    qtbot.waitUntil(lambda: listed(window) == before, timeout=WAIT)

    # Ctrl+Q; the app starts again (on the worksheet); Open Recent brings the contract back.
    press(qtbot, Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    again = start_app()
    qtbot.waitUntil(lambda: again.document is not None, timeout=WAIT)
    menu(qtbot, Qt.Key.Key_F, Qt.Key.Key_R)  # File > Open Recent
    qtbot.waitUntil(lambda: again.recent_menu.isVisible(), timeout=WAIT)
    recent = [a.text() for a in again.recent_menu.actions()]
    assert recent[:2] == ["sample-worksheet.pdf", "contract.pdf"]
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: again.document is not None and again.document.file_name == "contract.pdf",
        timeout=WAIT,
    )
    assert again.layer == REVIEWER and again.layer_box.currentText() == REVIEWER
    assert again.windowTitle() == f"contract.pdf — {REVIEWER} — Reviewer"
    assert layer_rows(again) == ["Base (from the PDF)", "Default layer", REVIEWER]
    qtbot.waitUntil(lambda: listed(again) == before, timeout=WAIT)
    assert threads(again) == said
    shown = again.comments.entries()
    assert any("Resolved · 1 comment" in e for e in shown) and any(REPLY in e for e in shown)

    # Undo still works on them: the thread reopens, the reply goes, then the free text; and
    # they all come back.
    assert again.viewer_actions.undo.isEnabled()
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert threads(again)["pspdfkit/markup/highlight"] == ("open", [REPLY])
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert "pspdfkit/markup/highlight" not in threads(again)  # no comment: no thread
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert sorted(r.content["type"] for r in hers(again)) == kinds[:2]
    qtbot.waitUntil(lambda: sum(len(e) for e in listed(again).values()) == 2, timeout=WAIT)
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    assert sorted(r.content["type"] for r in hers(again)) == kinds
    assert threads(again) == said
