"""The select tool with a real mouse and keys: choose, move, resize, nudge, delete, copy/paste."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from reviewer_app.instant.records import Record
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.tools import clipboard
from reviewer_app.ui.tools.select import SelectTool
from tests.ui.tools.conftest import (
    TURNED,
    UPRIGHT,
    USER,
    click,
    drag,
    layer_annotations,
    viewport_point,
)

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
PAGES = pytest.mark.parametrize("page", [UPRIGHT, TURNED], ids=["upright", "turned"])


def rectangle(page: int, bbox: list[float], color: str = "#d03030") -> dict[str, Any]:
    return {
        "v": 2,
        "type": "pspdfkit/shape/rectangle",
        "pageIndex": page,
        "bbox": bbox,
        "strokeColor": color,
        "strokeWidth": 2,
    }


def make(window: MainWindow, *contents: dict[str, Any]) -> list[Record]:
    change = window.editor.create(list(contents))
    assert change is not None
    return list(change.upserted)


def bbox(window: MainWindow, record: Record, layer: str | None = None) -> list[float]:
    found = {r.id: r for r in layer_annotations(window, layer)}
    return list(found[record.id].content["bbox"])


def near(expected: list[float]) -> Any:
    """A bbox as far as mouse pixels can place it (a pixel is 0.75 pt at 100 %)."""
    return pytest.approx(expected, abs=0.8)


def chosen(window: MainWindow) -> list[str]:
    return [r.id for r in window.tools.selected]


def tool(window: MainWindow) -> SelectTool:
    select = window.tools.by_name["select"]
    assert isinstance(select, SelectTool)
    return select


def key(qtbot: QtBot, window: MainWindow, code: Qt.Key, modifiers: Any = None) -> None:
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, code, modifiers or Qt.KeyboardModifier.NoModifier)


def undo(qtbot: QtBot, window: MainWindow) -> None:
    key(qtbot, window, Qt.Key.Key_Z, CTRL)


@PAGES
def test_a_click_chooses_the_topmost_annotation_and_one_on_nothing_lets_go(
    qtbot: QtBot, annotating: MainWindow, page: int
) -> None:
    window = annotating
    below, above = make(
        window, rectangle(page, [100, 200, 80, 50]), rectangle(page, [150, 230, 80, 50])
    )
    click(qtbot, window, page, (120, 210))
    assert chosen(window) == [below.id]
    assert len(tool(window).marks.handles) == 8
    click(qtbot, window, page, (160, 240))  # where both are: the one drawn last
    assert chosen(window) == [above.id]
    click(qtbot, window, page, (300, 450))
    assert chosen(window) == [] and tool(window).marks.items == []


@PAGES
def test_a_drag_moves_the_annotation_by_the_page_distance(
    qtbot: QtBot, annotating: MainWindow, page: int
) -> None:
    window = annotating
    (record,) = make(window, rectangle(page, [100, 200, 80, 50]))
    if page == UPRIGHT:
        drag(qtbot, window, page, [(140, 225), (150, 240), (170, 265)])
        assert bbox(window, record) == near([130, 240, 80, 50])
    else:  # the page turned a quarter clockwise: a drag to the right on screen goes up it
        start, end = (
            viewport_point(window, page, (140, 225)),
            viewport_point(window, page, (140, 185)),
        )
        assert end.x() - start.x() > 40 and end.y() == start.y()
        click(qtbot, window, page, (140, 225))  # (the properties panel may lay out anew)
        drag(qtbot, window, page, [(140, 225), (140, 200), (140, 185)])
        assert bbox(window, record) == near([100, 160, 80, 50])
    moved = next(r for r in layer_annotations(window) if r.id == record.id)
    assert moved.content["creatorName"] == USER and moved.content["strokeColor"] == "#d03030"
    assert chosen(window) == [record.id] and window.tools.selected[0].content == moved.content
    undo(qtbot, window)
    assert bbox(window, record) == [100, 200, 80, 50]


@PAGES
def test_a_handle_resizes_and_shift_keeps_the_proportions(
    qtbot: QtBot, annotating: MainWindow, page: int
) -> None:
    window = annotating
    (record,) = make(window, rectangle(page, [100, 200, 80, 40]))
    click(qtbot, window, page, (120, 210))
    drag(qtbot, window, page, [(180, 240), (190, 250), (200, 280)])  # the bottom-right handle
    assert bbox(window, record) == near([100, 200, 100, 80])
    drag(qtbot, window, page, [(100, 240), (60, 240)])  # the bottom-left one: wider to the left
    assert bbox(window, record) == near([60, 200, 140, 80])
    undo(qtbot, window)
    assert bbox(window, record) == near([100, 200, 100, 80])
    drag(qtbot, window, page, [(200, 280), (210, 280), (240, 290)], modifiers=SHIFT)
    assert bbox(window, record) == near([100, 200, 140, 112])  # 1.4 times both ways
    undo(qtbot, window)
    undo(qtbot, window)
    assert bbox(window, record) == [100, 200, 80, 40]


def test_a_note_only_moves(qtbot: QtBot, annotating: MainWindow) -> None:
    window = annotating
    note = {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": UPRIGHT,
        "bbox": [50, 60, 20, 20],
        "text": {"format": "plain", "value": "hi"},
        "icon": "comment",
    }
    (record,) = make(window, note)
    click(qtbot, window, UPRIGHT, (60, 70))
    assert chosen(window) == [record.id] and tool(window).marks.handles == []
    drag(qtbot, window, UPRIGHT, [(60, 70), (80, 90), (90, 100)])
    assert bbox(window, record) == near([80, 90, 20, 20])


@PAGES
def test_delete_and_arrow_keys(qtbot: QtBot, annotating: MainWindow, page: int) -> None:
    window = annotating
    (record,) = make(window, rectangle(page, [100, 200, 80, 50]))
    click(qtbot, window, page, (120, 210))
    key(qtbot, window, Qt.Key.Key_Right)
    key(qtbot, window, Qt.Key.Key_Down, SHIFT)
    if page == UPRIGHT:
        assert bbox(window, record) == [101, 210, 80, 50]
    else:  # right on screen is up the turned page, down on screen is right
        assert bbox(window, record) == [110, 199, 80, 50]
    assert chosen(window) == [record.id]
    undo(qtbot, window)  # one step per key press
    assert bbox(window, record) == ([101, 200, 80, 50] if page == UPRIGHT else [100, 199, 80, 50])
    key(qtbot, window, Qt.Key.Key_Delete)
    assert record.id not in {r.id for r in layer_annotations(window)} and chosen(window) == []
    undo(qtbot, window)
    assert record.id in {r.id for r in layer_annotations(window)}
    click(qtbot, window, page, (120, 210))
    key(qtbot, window, Qt.Key.Key_Backspace)
    assert record.id not in {r.id for r in layer_annotations(window)}


def test_shift_click_and_a_rubber_band_choose_several(qtbot: QtBot, annotating: MainWindow) -> None:
    window = annotating
    a, b, c = make(
        window,
        rectangle(UPRIGHT, [60, 200, 40, 40]),
        rectangle(UPRIGHT, [120, 200, 40, 40]),
        rectangle(UPRIGHT, [60, 400, 40, 40]),
    )
    click(qtbot, window, UPRIGHT, (70, 210))
    click(qtbot, window, UPRIGHT, (130, 210), SHIFT)
    assert chosen(window) == [a.id, b.id] and tool(window).marks.handles == []
    click(qtbot, window, UPRIGHT, (70, 410), CTRL)
    click(qtbot, window, UPRIGHT, (70, 210), CTRL)
    assert chosen(window) == [b.id, c.id]
    drag(qtbot, window, UPRIGHT, [(40, 180), (100, 250), (140, 260)])  # touches a and b
    assert chosen(window) == [a.id, b.id]
    drag(qtbot, window, UPRIGHT, [(70, 210), (90, 230), (100, 240)])  # moves both, one step
    assert bbox(window, a) == near([90, 230, 40, 40]) and bbox(window, b) == near(
        [150, 230, 40, 40]
    )
    assert bbox(window, c) == [60, 400, 40, 40]
    undo(qtbot, window)
    assert bbox(window, a) == [60, 200, 40, 40] and bbox(window, b) == [120, 200, 40, 40]
    key(qtbot, window, Qt.Key.Key_A, CTRL)
    mine = {a.id, b.id, c.id}
    assert mine <= set(chosen(window)) and len(tool(window).marks.items) >= 3
    key(qtbot, window, Qt.Key.Key_Escape)
    assert chosen(window) == []


def test_copy_in_one_layer_and_paste_in_another(qtbot: QtBot, annotating: MainWindow) -> None:
    window = annotating
    (record,) = make(window, rectangle(UPRIGHT, [100, 200, 80, 50], "#20a020"))
    click(qtbot, window, UPRIGHT, (120, 210))
    key(qtbot, window, Qt.Key.Key_C, CTRL)
    data = QGuiApplication.clipboard().mimeData()
    assert data is not None and data.hasFormat(clipboard.MIME) and "Rectangle" in data.text()
    mine = layer_annotations(window)
    assert window.review.create_layer("Second")
    window.set_layer("Second")
    key(qtbot, window, Qt.Key.Key_V, CTRL)
    pasted = [r for r in layer_annotations(window) if r.content.get("strokeColor") == "#20a020"]
    assert len(pasted) == 1 and pasted[0].id != record.id
    assert pasted[0].content["bbox"] == [100, 200, 80, 50]  # another layer: where it was
    assert pasted[0].content["creatorName"] == USER and chosen(window) == [pasted[0].id]
    assert layer_annotations(window, USER) == mine
    undo(qtbot, window)
    assert not [r for r in layer_annotations(window) if r.content.get("strokeColor") == "#20a020"]
    window.set_layer(USER)
    key(qtbot, window, Qt.Key.Key_V, CTRL)  # the same page of the same layer: shifted
    copies = [r for r in layer_annotations(window) if r.id != record.id]
    assert [r.content["bbox"] for r in copies] == [[110, 210, 80, 50]]


def test_cut_and_paste_onto_the_turned_page(qtbot: QtBot, annotating: MainWindow) -> None:
    window = annotating
    (record,) = make(window, rectangle(UPRIGHT, [100, 200, 80, 50]))
    click(qtbot, window, UPRIGHT, (120, 210))
    key(qtbot, window, Qt.Key.Key_X, CTRL)
    assert record.id not in {r.id for r in layer_annotations(window)}
    window.view.go_to_page(TURNED)
    qtbot.waitUntil(lambda: window.view.current_page() == TURNED)
    key(qtbot, window, Qt.Key.Key_V, CTRL)
    (pasted,) = layer_annotations(window)
    assert pasted.content["pageIndex"] == TURNED and pasted.content["bbox"] == [100, 200, 80, 50]


def test_a_malformed_clipboard_adds_nothing(qtbot: QtBot, annotating: MainWindow) -> None:
    window = annotating
    data = QMimeData()
    data.setData(clipboard.MIME, b'{"annotations": [{"type": 3}]}')
    QGuiApplication.clipboard().setMimeData(data)
    key(qtbot, window, Qt.Key.Key_V, CTRL)
    assert layer_annotations(window) == []
    assert "Not pasted" in window.statusBar().currentMessage()


def test_double_click_edits_text_in_place_and_form_fields_get_their_clicks(
    qtbot: QtBot, annotating: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewer_app.ui.tools import select

    window = annotating
    (record,) = make(window, rectangle(UPRIGHT, [100, 200, 80, 50]))
    edited: list[str] = []
    monkeypatch.setattr(select, "edit_in_place", lambda tools, r: edited.append(r.id) or True)
    free_text = {
        "v": 2,
        "type": "pspdfkit/text",
        "pageIndex": UPRIGHT,
        "bbox": [100, 400, 120, 30],
        "text": {"format": "plain", "value": "Hello"},
        "fontSize": 12,
        "opacity": 1,
        "horizontalAlign": "left",
        "verticalAlign": "top",
    }
    (text,) = make(window, free_text)
    qtbot.mouseDClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, pos=viewport_point(window, 0, (110, 410))
    )
    assert edited == [text.id]
    field = object()
    monkeypatch.setattr(
        window.forms, "field_at", lambda page, pos: field if pos.x() < 150 else None
    )
    click(qtbot, window, UPRIGHT, (120, 210))  # over a (pretended) field: not chosen
    assert record.id not in chosen(window)
    click(qtbot, window, UPRIGHT, (170, 210))  # beside it: chosen
    assert chosen(window) == [record.id]
