"""A student's journey: she connects with the token her teacher gave her (bound to her layer
"dana"), fills the worksheet, highlights a sentence, writes a note, works on while the server
is away, and finds her layer again when she starts the app the next day."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer_app.ui.main_window import MainWindow
from tests.journeys.gestures import (
    CTRL,
    WAIT,
    click_page,
    click_widget,
    drag_page,
    fill_connect_dialog,
    give_name,
    indicator_texts,
    layer_rows,
    press,
    server_form_values,
    server_records,
    status_messages,
    synced_after_pending,
    type_text,
    upload_worksheet,
)
from tests.sync.conftest import LiveServer

NAME_FIELD = (200, 466)  # page 1 of the worksheet, in points
ANSWER_FIELD = (300, 539)
SENTENCE = [(58, 318), (200, 318), (398, 318)]  # "The water cycle describes how water …"
NOTE_AT = (540, 318)
SKETCH = [(100, 700), (160, 740), (220, 700), (280, 740)]  # the foot of page 1
ANSWERS = {"name": "Dana Smith", "answer": "The sun heats it", "read_all": "Yes"}


def of_type(kind: str) -> Callable[[dict[str, Any]], bool]:
    return lambda record: record["content"]["type"] == f"pspdfkit/{kind}"


def hers(live: LiveServer, doc: str) -> list[dict[str, Any]]:
    """The annotations of the server's layer "dana" that she wrote (not the PDF's own)."""
    return [r for r in server_records(live, doc, "dana") if r["createdBy"] == "dana"]


def test_a_student_fills_the_worksheet_offline_and_back_and_finds_her_layer_next_day(
    qtbot: QtBot, start_app: Callable[..., MainWindow], live: LiveServer
) -> None:
    doc = upload_worksheet(live)
    token = live.token(doc, layer="dana", user_id="dana")
    window = start_app(open_file=False)

    # She connects: the document downloads, her layer "dana" is shown, all is synced.
    dialog = fill_connect_dialog(qtbot, live.url, token)
    assert dialog.document.text() == doc  # read from the token
    assert "Read and change: your layer “dana”" in dialog.token_note.text()
    click_widget(qtbot, dialog.ok)
    qtbot.waitUntil(lambda: window.document is not None and window.document.id == doc, timeout=WAIT)
    qtbot.waitUntil(lambda: window.sync.indicator.text() == "Synced", timeout=WAIT)
    assert window.layer == "dana"
    assert window.windowTitle() == "The water cycle: a worksheet — dana — Reviewer"
    assert window.layer_box.currentText() == "dana (new)"
    assert layer_rows(window) == ["Base (from the PDF)", "Default layer", "dana (new)"]
    seen = indicator_texts(window)

    # She fills the worksheet; her first change asks her name.
    press(qtbot, Qt.Key.Key_2, CTRL)  # fit page: the whole worksheet shows
    qtbot.waitUntil(lambda: bool(window.forms.items.get(0)), timeout=WAIT)
    asked = give_name("Dana Smith")
    click_page(qtbot, window, 0, NAME_FIELD)
    type_text(qtbot, "Dana Smith")
    press(qtbot, Qt.Key.Key_Tab)  # kept; on to the answer
    assert asked == ["Your name"]
    assert window.forms.editing is not None
    assert window.forms.editing.item.widget.name == "answer"
    type_text(qtbot, "The sun heats it")
    press(qtbot, Qt.Key.Key_Tab)  # kept; on to the check box, framed
    assert window.forms.editing is None and window.forms.focused is not None
    press(qtbot, Qt.Key.Key_Space)  # ticked
    press(qtbot, Qt.Key.Key_Tab)  # on to the difficulty; Space shows its choices
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.forms.popup is not None, timeout=WAIT)
    press(qtbot, Qt.Key.Key_Down)  # from "just right", the PDF's value
    press(qtbot, Qt.Key.Key_Return)
    assert window.forms.popup is None
    press(qtbot, Qt.Key.Key_Escape)  # out of the form: the keys are the tools' again

    # She highlights the sentence and writes a note (a comment thread: its marker and words).
    press(qtbot, Qt.Key.Key_H)
    assert window.tools.current.name == "highlight"
    drag_page(qtbot, window, 0, SENTENCE)
    press(qtbot, Qt.Key.Key_N)
    click_page(qtbot, window, 0, NOTE_AT)
    type_text(qtbot, "Is this the main idea?")
    press(qtbot, Qt.Key.Key_Escape)  # keeps what she typed
    assert window.layer == "dana" and window.layer_box.currentText() == "dana"

    # The status goes from pending to Synced; the server's layer "dana" holds it all.
    synced_after_pending(qtbot, window, seen)
    assert seen[0] in ("6 pending", "7 pending")  # the highlight waits for the page's words
    values = server_form_values(live, doc, "dana")
    assert values == {**ANSWERS, "difficulty": "hard"}
    (highlight,) = filter(of_type("markup/highlight"), hers(live, doc))
    assert highlight["content"]["customData"]["markedText"].startswith("The water cycle")
    assert highlight["content"]["creatorName"] == "Dana Smith"
    (note,) = filter(of_type("comment-marker"), hers(live, doc))
    assert note["content"]["text"]["value"] == "Is this the main idea?"
    said = live.call("GET", f"/api/documents/{doc}/layers/dana/annotations/{note['id']}/comments")
    (comment,) = said.json()["data"]["comments"]  # the thread the note started, on the server
    assert comment["content"]["text"]["value"] == "Is this the main idea?"
    assert live.layers(doc) == {"", "dana"}  # no layer named "Dana Smith"
    assert layer_rows(window)[2] == "dana — synced"

    # The server goes away: she types on and draws; the status says offline, 2 pending.
    live.stop()
    said = status_messages(window)
    press(qtbot, Qt.Key.Key_Escape)  # back to the select tool, which fills the form
    assert window.tools.current.name == "select"
    click_page(qtbot, window, 0, ANSWER_FIELD)
    press(qtbot, Qt.Key.Key_End)
    type_text(qtbot, " and it rises")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_P)
    drag_page(qtbot, window, 0, SKETCH)
    qtbot.waitUntil(lambda: window.sync.indicator.text() == "Offline · 2 pending", timeout=WAIT)
    reached = "cannot be reached; your changes are kept and will be sent when it can."
    qtbot.waitUntil(lambda: any(text.endswith(reached) for text in said), timeout=WAIT)
    tooltip = window.sync.indicator.tooltip()
    assert "2 changes of this document wait to go to" in tooltip
    assert layer_rows(window)[2] == "dana — pending"

    # It comes back; F5 syncs; the server holds every edit in "dana".
    live.start()
    press(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.sync.indicator.text() == "Synced", timeout=WAIT)
    answers = server_form_values(live, doc, "dana")
    assert answers["answer"] == "The sun heats it and it rises"
    assert len(list(filter(of_type("ink"), hers(live, doc)))) == 1
    assert len(hers(live, doc)) == 3 and live.layers(doc) == {"", "dana"}

    # The next day: Ctrl+Q, then the app starts again on the same data and settings.
    press(qtbot, Qt.Key.Key_Q, CTRL)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    again = start_app()  # the worksheet, as `reviewer-app` opens it
    qtbot.waitUntil(lambda: again.document is not None, timeout=WAIT)
    assert again.layer == "dana"
    assert again.windowTitle() == "sample-worksheet.pdf — dana — Reviewer"
    qtbot.waitUntil(lambda: again.sync.indicator.text() == "Synced", timeout=WAIT)
    assert again.sync.connect_dialog is None  # nothing was asked
    assert layer_rows(again)[2] == "dana — synced"
    assert again.layer_box.currentText() == "dana"


def test_her_name_is_asked_when_she_clicks_into_the_form_not_while_she_types_on(
    qtbot: QtBot, start_app: Callable[..., MainWindow]
) -> None:
    """Asked at the first change (the first field kept, at Tab), the question took the keys
    she typed on into the next field: her answer became her name, or was lost with Esc. It
    is asked when she clicks into the first field, before she types anything."""
    window = start_app()
    qtbot.waitUntil(window.editor.can_edit, timeout=WAIT)  # her own layer, not made yet
    press(qtbot, Qt.Key.Key_2, CTRL)  # fit page: the whole worksheet shows
    qtbot.waitUntil(lambda: bool(window.forms.items.get(0)), timeout=WAIT)
    asked = give_name("Dana Smith")
    click_page(qtbot, window, 0, NAME_FIELD)
    assert asked == ["Your name"]  # at the click, nothing typed yet
    qtbot.waitUntil(lambda: window.forms.editing is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: window.forms.editing.editor.hasFocus(), timeout=WAIT)  # type: ignore[union-attr]
    type_text(qtbot, "Dana Smith")
    press(qtbot, Qt.Key.Key_Tab)  # kept; on to the answer, nothing asked
    type_text(qtbot, "The sun heats it")
    press(qtbot, Qt.Key.Key_Tab)
    assert asked == ["Your name"] and window.settings.user_name() == "Dana Smith"
    assert window.layer == "Dana Smith"  # her own layer, named as she said
    assert window.document is not None
    values = {
        r.id: r.content["value"]
        for r in window.engine.records(window.document.id, window.layer, "formFieldValue")
    }
    assert values["name"] == "Dana Smith" and values["answer"] == "The sun heats it"
