"""The Comments pane as a user works it: a double-click on a highlight opens its thread,
replies are typed and sent with the keyboard, threads are resolved, filtered and sorted,
one's own comments edited and deleted; the Annotations list quotes and counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import layer_read
from tests.ui.tools.conftest import UPRIGHT, USER, viewport_point

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
WORDS = [60, 64, 160, 22]  # "Page 1: words to mark up here" on the annotating PDF


def highlight(window: MainWindow) -> str:
    content: dict[str, Any] = {
        "v": 2,
        "type": "pspdfkit/markup/highlight",
        "pageIndex": UPRIGHT,
        "bbox": WORDS,
        "rects": [WORDS],
        "color": "#fcee7c",
        "opacity": 1,
    }
    change = window.editor.create([content])
    assert change is not None
    return change.upserted[0].id


def comments(window: MainWindow) -> list[Any]:
    assert window.document is not None
    return list(window.engine.records(window.document.id, window.layer, "comment"))


def reply_with_keys(qtbot: QtBot, window: MainWindow, text: str) -> None:
    box = window.comments.box
    qtbot.waitUntil(box.hasFocus, timeout=2000)
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return, CTRL)


def test_a_double_click_on_a_highlight_opens_its_thread_to_reply(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window = annotating
    root = highlight(window)
    window.tools.choose("select")
    at = viewport_point(window, UPRIGHT, (WORDS[0] + 20, WORDS[1] + 10))
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    pane = window.comments
    qtbot.waitUntil(lambda: pane.chosen_thread() is not None, timeout=3000)
    assert pane.chosen_thread().root.id == root
    reply_with_keys(qtbot, window, "Why this word?")
    (said,) = comments(window)
    assert said.content["text"]["value"] == "Why this word?"
    assert said.content["creatorName"] == USER and said.content["rootId"] == root
    assert pane.box.toPlainText() == ""  # sent, the box is empty for the next one
    qtbot.waitUntil(lambda: any("Why this word?" in e for e in pane.entries()), timeout=3000)
    # the highlight's text is quoted once the page's words come from the render worker
    qtbot.waitUntil(lambda: "words to mark up" in pane.entries()[1], timeout=5000)
    entries = pane.entries()
    assert entries[0] == "Page 1 (1 thread)"
    assert "Highlight · Tester · Open · 1 comment" in entries[1]
    assert entries[2].strip().startswith(f"{USER}, ") and entries[2].endswith(": Why this word?")

    def listed() -> bool:
        entries = window.review.annotations.entries()
        return any("words to mark up" in e and "· 1 reply" in e for e in entries)

    window.review.annotations.raise_()
    qtbot.waitUntil(listed, timeout=5000)


def test_enter_on_a_selected_highlight_opens_its_thread(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window = annotating
    root = highlight(window)
    window.tools.choose("select")
    shown = next(r for r in window.editor.records("annotation") if r.id == root)
    window.tools.select([shown])
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.comments.box.hasFocus(), timeout=3000)
    assert window.comments.chosen_thread().root.id == root


def test_resolve_filter_sort_edit_and_delete_with_the_keyboard(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window = annotating
    pane = window.comments
    root = highlight(window)
    window.context.open_thread(root)
    reply_with_keys(qtbot, window, "first")
    reply_with_keys(qtbot, window, "second")
    qtbot.waitUntil(lambda: len(comments(window)) == 2, timeout=3000)
    qtbot.waitUntil(lambda: pane.chosen_thread() is not None, timeout=3000)
    pane.resolve_button.click()
    (thread,) = window.engine.threads(window.document.id, window.layer)
    assert thread.state.state == "resolved" and thread.state.by == USER
    qtbot.waitUntil(lambda: pane.resolve_button.text() == "Re&open", timeout=3000)
    pane.state.setCurrentIndex(pane.state.findData("open"))
    assert pane.entries() == [] and pane.heading.text() == "No thread matches these filters."
    pane.state.setCurrentIndex(pane.state.findData("resolved"))
    assert "Resolved" in pane.entries()[1]
    pane.sort.setCurrentIndex(1)  # by date: under the day of the latest word
    assert pane.entries()[0].startswith(thread.state.at[:10])
    pane.sort.setCurrentIndex(0)
    pane.tree.setFocus()
    thread_row = pane.model.find_thread(root)
    pane.tree.setCurrentIndex(pane.model.index(1, 0, thread_row))  # "second"
    assert pane.edit_button.isEnabled()
    qtbot.keyClick(pane.edit_button, Qt.Key.Key_Space)
    assert pane.box.hasFocus() and pane.box.toPlainText() == "second"
    qtbot.keyClicks(pane.box, ", edited")
    qtbot.keyClick(pane.box, Qt.Key.Key_Return, CTRL)
    texts = sorted(c.content["text"]["value"] for c in comments(window))
    assert texts == ["first", "second, edited"]
    qtbot.waitUntil(lambda: any("edited" in e for e in pane.entries()), timeout=3000)
    pane.tree.setFocus()
    pane.tree.setCurrentIndex(pane.model.index(0, 0, pane.model.find_thread(root)))
    qtbot.keyClick(pane.tree, Qt.Key.Key_Delete)
    assert [c.content["text"]["value"] for c in comments(window)] == ["second, edited"]
    window.editor.undo()
    assert len(comments(window)) == 2


def test_someone_elses_comment_cannot_be_edited_and_every_control_is_named(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window = annotating
    pane = window.comments
    root = highlight(window)
    window.engine.add_comments(
        window.document.id, window.layer, root, [{"text": "x", "creatorName": "Other"}]
    )
    window.set_layer(window.layer)
    window.context.open_thread(root)
    pane.tree.setCurrentIndex(pane.model.index(0, 0, pane.model.find_thread(root)))
    assert not pane.edit_button.isEnabled() and not pane.delete_button.isEnabled()
    assert pane.reply_button.isEnabled() is False  # nothing typed yet
    for widget in pane.widget().findChildren(QWidget):
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.isVisible():
            assert widget.accessibleName(), widget
    pane.box.setPlainText("typed")  # so that Reply takes the focus too
    pane.state.setFocus()
    order = []
    for _ in range(10):  # Tab walks every control of the pane, as a keyboard user does
        focused = QApplication.focusWidget()
        order.append(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    for needed in (pane.author, pane.sort, pane.tree, pane.box, pane.reply_button):
        assert needed in order, [w.accessibleName() for w in order if w is not None]
    assert pane.resolve_button in order


def test_reply_and_resolve_keys_work_from_the_pages_and_undo_takes_them_back(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window = annotating
    pane = window.comments
    root = highlight(window)
    window.tools.choose("select")
    window.tools.select([r for r in window.editor.records("annotation") if r.id == root])
    window.context.open_thread(root)
    reply_with_keys(qtbot, window, "Check the date")
    qtbot.waitUntil(lambda: any("Check the date" in e for e in pane.entries()), timeout=3000)
    pane.tree.setCurrentIndex(pane.model.index(0, 0, pane.model.find_thread(root)))
    assert pane.heading.text().endswith(": Check the date")  # the comment chosen, whole
    edit_menu = window.help.menus[1]
    assert pane.reply_action in edit_menu.actions() and pane.resolve_action in edit_menu.actions()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_R, CTRL | ALT)  # Resolve or Reopen Thread
    doc = window.document
    assert doc is not None
    assert window.engine.threads(doc.id, window.layer)[0].state.state == "resolved"
    qtbot.waitUntil(lambda: pane.resolve_button.text() == "Re&open", timeout=3000)
    # the resolved root stays selected on the page, and the Comments tab stays in front
    assert [r.id for r in window.tools.selected] == [root]
    assert not pane.visibleRegion().isEmpty()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # the window's undo reopens it
    assert window.engine.threads(doc.id, window.layer)[0].state.state == "open"
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # and takes the reply back
    assert comments(window) == []
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert [c.content["text"]["value"] for c in comments(window)] == ["Check the date"]
    qtbot.waitUntil(lambda: any("Check the date" in e for e in pane.entries()), timeout=3000)
    window.view.setFocus()
    pane.choose(root)
    qtbot.keyClick(window.view, Qt.Key.Key_M, CTRL | ALT)  # Reply to Comment Thread
    qtbot.waitUntil(pane.box.hasFocus, timeout=2000)
    qtbot.keyClicks(pane.box, "Done")
    qtbot.keyClick(pane.box, Qt.Key.Key_Return, CTRL)
    texts = [c.content["text"]["value"] for c in comments(window)]
    assert sorted(texts) == ["Check the date", "Done"]


def test_a_long_list_opens_the_chosen_thread_and_its_page_only(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window = annotating
    pane = window.comments
    doc = window.document
    assert doc is not None
    roots = [highlight(window) for _ in range(200)]
    said = [
        {"v": 2, "type": "pspdfkit/comment", "rootId": root, "pageIndex": UPRIGHT,
         "text": {"format": "plain", "value": f"note {n}"}, "creatorName": "Other"}
        for root in roots for n in range(5)
    ]  # fmt: skip
    window.engine.create_records(doc.id, window.layer, "comment", said)
    window.set_layer(window.layer)
    layer_read(qtbot, window)  # 1,400 records: read on a task
    assert len(pane.threads) == 200  # 1,200 rows: more than are opened at once
    page = pane.model.index(0, 0)
    assert pane.entries()[0] == "Page 1 (200 threads)" and not pane.tree.isExpanded(page)
    pane.choose(roots[7])
    assert pane.tree.isExpanded(page)
    opened = [t for t in range(200) if pane.tree.isExpanded(pane.model.index(t, 0, page))]
    assert len(opened) == 1
    assert pane.model.thread_at(pane.model.index(opened[0], 0, page)).root.id == roots[7]
