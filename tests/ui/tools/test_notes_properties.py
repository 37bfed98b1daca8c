"""Sticky notes and free text typed in place, and the properties panel."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage
from PySide6.QtWidgets import QColorDialog, QWidget
from pytestqt.qtbot import QtBot

from reviewer_app.instant.records import Record
from reviewer_app.instant.transform import turned_size
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.tools.text_edit import (
    AnnotationTextEditor,
    current_editor,
    edit_in_place,
    page_font,
    reading_corner,
)
from tests.ui.conftest import largest_difference, open_and_wait
from tests.ui.tools.conftest import (
    TURNED,
    UPRIGHT,
    USER,
    click,
    drag,
    layer_annotations,
    make_annotating_pdf,
    new_annotations,
    viewport_point,
)

CTRL = Qt.KeyboardModifier.ControlModifier


def open_editor(qtbot: QtBot) -> AnnotationTextEditor:
    qtbot.waitUntil(lambda: current_editor() is not None, timeout=2000)
    editor = current_editor()
    assert editor is not None
    return editor


def type_and_commit(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Type ``text`` as a user would (keys to the focused page view), then Ctrl+Enter."""
    editor = open_editor(qtbot)
    assert editor.hasFocus() and window.view.hasFocus()
    for index, line in enumerate(text.split("\n")):
        if index:
            qtbot.keyClick(window.view, Qt.Key.Key_Return)
        qtbot.keyClicks(window.view, line)
    assert editor.text() == text
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    assert current_editor() is None


def text_value(record: Record) -> str:
    text = record.content["text"]
    return str(text["value"] if isinstance(text, dict) else text)


@pytest.mark.parametrize("page", [UPRIGHT, TURNED])
def test_a_click_places_a_note_and_its_text_is_typed_in_its_popup(
    qtbot: QtBot, annotating: MainWindow, page: int
) -> None:
    window = annotating
    window.tools.choose("note")
    before = layer_annotations(window)
    click(qtbot, window, page, (100, 150))
    assert not new_annotations(window, before)  # added when the text is committed
    type_and_commit(qtbot, window, "Tone: 6 Note")  # letters and digits of tool shortcuts
    assert window.tools.current.name == "note"
    (note,) = new_annotations(window, before)
    c = note.content  # a comment thread's marker, drawn as a sticky note
    assert c["type"] == "pspdfkit/comment-marker" and c["pageIndex"] == page
    assert c["icon"] == "comment" and c["isCommentThreadRoot"] is True
    x, y, w, h = c["bbox"]
    assert (w, h) == (24, 24) and (x + w / 2, y + h / 2) == pytest.approx((100, 150), abs=1.5)
    assert text_value(note) == "Tone: 6 Note" and c["creatorName"] == USER
    assert c["color"] == "#ffd400"
    (first,) = window.engine.thread_comments(window.document.id, window.layer, note.id)
    assert first.content["text"]["value"] == "Tone: 6 Note"
    assert first.content["creatorName"] == USER  # the thread's first comment
    window.editor.undo()  # marker and comment in one step
    assert not new_annotations(window, before)
    assert window.engine.records(window.document.id, window.layer, "comment") == []


def icon_pixels(window: MainWindow, page: int, rect: QRectF) -> QImage:
    """What the view shows of ``rect`` (page points) and a pixel around it."""
    view = window.view
    box = view.mapFromScene(view.pages[page].space.mapRectToScene(rect)).boundingRect()
    return view.viewport().grab(box.adjusted(-2, -2, 2, 2)).toImage()


@pytest.mark.parametrize(("page", "at"), [(UPRIGHT, (110, 150)), (TURNED, (40, 340))])
def test_the_preview_while_typing_is_the_icon_the_note_becomes(
    qtbot: QtBot, annotating: MainWindow, page: int, at: tuple[float, float]
) -> None:
    """On a page upright (the icon's picture copied) and turned (drawn as vectors), in the
    narrow view's width."""
    window = annotating
    window.tools.choose("note")
    before = layer_annotations(window)
    click(qtbot, window, page, at)
    preview = window.tools.current.preview
    assert preview is not None and preview.isVisible()
    editor = window.tools.current.editor
    editor.setOpacity(0)  # (the popup covers the icon in this narrow view; hidden, it closes)
    shown = icon_pixels(window, page, preview.rect)
    editor.setOpacity(1)
    type_and_commit(qtbot, window, "same look")
    (note,) = new_annotations(window, before)
    qtbot.waitUntil(lambda: window.tools.current.preview is None, timeout=2000)
    placed = icon_pixels(window, page, QRectF(*note.content["bbox"]))
    assert placed.size() == shown.size()
    assert largest_difference(shown, placed) == 0  # the same picture at the same pixels


def test_esc_keeps_a_note_and_an_empty_note_is_not_kept(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window = annotating
    window.tools.choose("note")
    before = layer_annotations(window)
    click(qtbot, window, UPRIGHT, (100, 150))
    qtbot.keyClicks(window.view, "draft")
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)  # kept, as Acrobat and Xournal++ do
    assert current_editor() is None and window.tools.current.name == "note"
    (kept,) = new_annotations(window, before)
    assert text_value(kept) == "draft"
    window.editor.undo()  # and taken back with undo
    assert not new_annotations(window, before)
    click(qtbot, window, UPRIGHT, (200, 150))
    open_editor(qtbot)
    click(qtbot, window, UPRIGHT, (300, 400))  # a click elsewhere commits: empty, not kept
    assert current_editor() is None
    assert not new_annotations(window, before)


def test_a_click_elsewhere_commits_a_note(qtbot: QtBot, annotating: MainWindow) -> None:
    window = annotating
    window.tools.choose("note")
    before = layer_annotations(window)
    click(qtbot, window, UPRIGHT, (60, 300))
    open_editor(qtbot)
    qtbot.keyClicks(window.view, "kept")
    click(qtbot, window, UPRIGHT, (300, 500))
    (note,) = new_annotations(window, before)
    assert text_value(note) == "kept" and current_editor() is None


@pytest.mark.parametrize("page", [UPRIGHT, TURNED])
def test_free_text_is_typed_on_the_page_at_its_font_size(
    qtbot: QtBot, annotating: MainWindow, page: int
) -> None:
    window = annotating
    window.tools.choose("free_text")
    window.tools.set_style(window.tools.current, {"fontSize": 20, "fontColor": "#c00000"})
    before = layer_annotations(window)
    click(qtbot, window, page, (80, 200))
    type_and_commit(qtbot, window, "Look here")
    (made,) = new_annotations(window, before)
    c = made.content
    assert c["type"] == "pspdfkit/text" and c["pageIndex"] == page
    assert c["fontSize"] == 20 and c["fontColor"] == "#c00000" and text_value(made) == "Look here"
    assert c["creatorName"] == USER and c["font"] == "Helvetica"
    assert c.get("rotation") == (90 if page == TURNED else None)  # reads upright on the page
    corner = reading_corner(c)
    w, h = turned_size(*c["bbox"][2:], c.get("rotation") or 0)  # as the text reads
    metrics = QFontMetricsF(page_font(20))
    assert (corner.x(), corner.y()) == pytest.approx((80, 200), abs=1.5)
    assert metrics.horizontalAdvance("Look here") < w < metrics.horizontalAdvance("Look here") + 12
    assert metrics.height() <= h < metrics.height() + 8
    assert 15 < metrics.height() < 30  # 20 points, not 20 screen pixels at 96 dpi


def test_a_drag_sets_the_free_text_width_and_empty_text_adds_nothing(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window = annotating
    window.tools.choose("free_text")
    before = layer_annotations(window)
    drag(qtbot, window, UPRIGHT, [(60, 100), (120, 110), (160, 130)])
    words = "one two three four five six"
    type_and_commit(qtbot, window, words)
    (made,) = new_annotations(window, before)
    x, y, w, h = made.content["bbox"]
    line = QFontMetricsF(page_font(14)).lineSpacing()
    assert (x, y, w) == pytest.approx((60, 100, 100), abs=1) and h > 2 * line  # wrapped
    click(qtbot, window, UPRIGHT, (60, 400))
    open_editor(qtbot)
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    click(qtbot, window, UPRIGHT, (60, 450))
    qtbot.keyClicks(window.view, "kept")
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert sorted(text_value(a) for a in new_annotations(window, before)) == [
        "kept",
        words,
    ]


@pytest.mark.parametrize("kind", ["note", "free_text"])
def test_edit_in_place_updates_the_text(qtbot: QtBot, annotating: MainWindow, kind: str) -> None:
    window = annotating
    before = layer_annotations(window)
    if kind == "note":  # a sticky note as PDFs have them (the note tool starts threads)
        note = {"v": 2, "type": "pspdfkit/note", "pageIndex": TURNED, "bbox": [108, 208, 24, 24]}
        window.editor.create(
            [{**note, "icon": "comment", "text": {"format": "plain", "value": "first"}}]
        )
    else:
        window.tools.choose(kind)
        click(qtbot, window, TURNED, (120, 220))
        type_and_commit(qtbot, window, "first")
    (made,) = new_annotations(window, before)
    window.tools.choose("select")
    assert edit_in_place(window.tools, made)
    editor = open_editor(qtbot)
    assert editor.text() == "first"
    qtbot.keyClick(window.view, Qt.Key.Key_Backspace)
    qtbot.keyClicks(window.view, "ST")
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    (edited,) = new_annotations(window, before)
    assert text_value(edited) == "firsST" and edited.id == made.id
    assert reading_corner(edited.content) == reading_corner(made.content)  # where text starts
    window.editor.undo()
    (undone,) = new_annotations(window, before)
    assert text_value(undone) == "first"
    assert not edit_in_place(window.tools, Record("annotation", "x", {"type": "pspdfkit/ink"}))


# -- the properties panel ------------------------------------------------------------------


def rectangle(page: int = UPRIGHT) -> dict[str, object]:
    return {
        "v": 2,
        "type": "pspdfkit/shape/rectangle",
        "pageIndex": page,
        "bbox": [50, 60, 100, 80],
        "strokeColor": "#2060d0",
        "strokeWidth": 2.0,
        "opacity": 1.0,
    }


def made(window: MainWindow, content: dict[str, object]) -> Record:
    change = window.editor.create([content])
    assert change is not None
    (record,) = change.upserted
    return record


def shown(window: MainWindow, record: Record) -> dict[str, object]:
    return next(r for r in layer_annotations(window) if r.id == record.id).content


def type_into(qtbot: QtBot, spin: QWidget, text: str) -> None:
    """Select what the spin box holds, type ``text`` and press Enter, as a user does."""
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def test_properties_edit_the_selection_one_undo_step_each(
    qtbot: QtBot, annotating: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, dock = annotating, annotating.properties
    record = made(window, rectangle(TURNED))
    window.tools.select([record])
    assert not dock.colours["strokeColor"].isHidden() and not dock.widths["strokeWidth"].isHidden()
    assert dock.font_size.isHidden() and dock.text.isHidden()
    assert dock.opacity.spin.value() == 100 and dock.widths["strokeWidth"].value() == 2.0
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a: QColor("#00aa00"))
    qtbot.mouseClick(dock.colours["strokeColor"].swatch, Qt.MouseButton.LeftButton)
    assert shown(window, record)["strokeColor"] == "#00aa00"
    type_into(qtbot, dock.widths["strokeWidth"], "4")
    assert shown(window, record)["strokeWidth"] == 4.0
    type_into(qtbot, dock.opacity.spin, "40")
    assert shown(window, record)["opacity"] == pytest.approx(0.4)
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a: QColor("#ffee00"))
    qtbot.mouseClick(dock.colours["fillColor"].swatch, Qt.MouseButton.LeftButton)
    assert shown(window, record)["fillColor"] == "#ffee00"
    qtbot.mouseClick(dock.colours["fillColor"].none, Qt.MouseButton.LeftButton)
    assert "fillColor" not in shown(window, record)
    assert window.tools.selected[0].content.get("opacity") == pytest.approx(0.4)  # followed
    for key, before in (("fillColor", "#ffee00"), ("fillColor", None), ("opacity", 1.0)):
        window.editor.undo()
        assert shown(window, record).get(key) == pytest.approx(before)
    window.editor.undo()
    window.editor.undo()
    assert shown(window, record) == {**shown(window, record), **rectangle(TURNED)}
    assert dock.widths["strokeWidth"].value() == 2.0  # the panel follows the undo


def test_an_edit_applies_to_every_selected_record_that_has_the_property(
    qtbot: QtBot, annotating: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, dock = annotating, annotating.properties
    box = made(window, rectangle())
    text = {"format": "plain", "value": "n"}
    note = made(
        window,
        {
            **rectangle(),
            "type": "pspdfkit/note",
            "icon": "comment",
            "text": text,
            "color": "#ffd400",
        },
    )
    window.tools.select([box, note])
    assert not dock.colours["color"].isHidden() and not dock.colours["strokeColor"].isHidden()
    assert dock.text.isHidden()  # not one text for several
    type_into(qtbot, dock.opacity.spin, "50")
    assert shown(window, box)["opacity"] == shown(window, note)["opacity"] == 0.5
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a: QColor("#ff0000"))
    qtbot.mouseClick(dock.colours["color"].swatch, Qt.MouseButton.LeftButton)
    assert shown(window, note)["color"] == "#ff0000" and "color" not in shown(window, box)
    window.editor.undo()
    window.editor.undo()
    assert shown(window, box)["opacity"] == shown(window, note)["opacity"] == 1.0


def test_the_text_and_font_size_of_a_free_text_refit_its_box(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window, dock = annotating, annotating.properties
    window.tools.choose("free_text")
    before = layer_annotations(window)
    click(qtbot, window, UPRIGHT, (80, 300))
    type_and_commit(qtbot, window, "short")
    (text,) = new_annotations(window, before)
    window.tools.choose("select")
    window.tools.select([text])
    assert not dock.text.isHidden() and dock.text.toPlainText() == "short"
    type_into(qtbot, dock.font_size, "28")
    bigger = shown(window, text)
    assert bigger["fontSize"] == 28 and bigger["bbox"][3] > text.content["bbox"][3]
    dock.text.setFocus()
    qtbot.keyClick(dock.text, Qt.Key.Key_End)
    qtbot.keyClicks(dock.text, " and longer")
    qtbot.keyClick(dock.text, Qt.Key.Key_Return, CTRL)
    longer = shown(window, text)
    assert text_value(window.tools.selected[0]) == "short and longer"
    assert longer["bbox"][2] > bigger["bbox"][2] and longer["bbox"][:2] == bigger["bbox"][:2]


def test_with_nothing_selected_the_panel_sets_the_next_annotations_style(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window, dock = annotating, annotating.properties
    window.tools.select([])
    window.tools.choose("ink")
    assert "Pen" in dock.heading.text() and not dock.widths["lineWidth"].isHidden()
    assert dock.widths["strokeWidth"].isHidden() and dock.widths["lineWidth"].value() == 2.0
    type_into(qtbot, dock.widths["lineWidth"], "6")
    type_into(qtbot, dock.opacity.spin, "70")
    before = layer_annotations(window)
    drag(qtbot, window, TURNED, [(60, 60), (90, 80), (140, 90)])
    (stroke,) = new_annotations(window, before)
    assert stroke.content["lineWidth"] == 6.0 and stroke.content["opacity"] == pytest.approx(0.7)
    window.tools.choose("free_text")
    assert not dock.colours["backgroundColor"].isHidden() and not dock.font_size.isHidden()
    assert dock.widths["lineWidth"].isHidden()


def test_a_double_click_with_the_select_tool_edits_a_free_text(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window = annotating
    window.tools.choose("free_text")
    before = layer_annotations(window)
    click(qtbot, window, TURNED, (100, 100))
    type_and_commit(qtbot, window, "Edit me")
    (text,) = new_annotations(window, before)
    window.tools.choose("select")
    x, y, w, h = text.content["bbox"]
    window.view.go_to_page(TURNED)
    at = viewport_point(window, TURNED, (x + w / 2, y + h / 2))
    qtbot.mouseDClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    editor = open_editor(qtbot)
    assert editor.text() == "Edit me"
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)  # a key, not the Delete action on the text
    qtbot.keyClick(window.view, Qt.Key.Key_Home)
    qtbot.keyClicks(window.view, "V: ")
    click(qtbot, window, UPRIGHT, (300, 500))  # elsewhere: commits
    (edited,) = new_annotations(window, before)
    assert text_value(edited) == "V: Edit me" and window.tools.current.name == "select"
    assert edited.content["rotation"] == 90 and edited.content["bbox"][3] > h  # longer as it reads


def test_an_editor_open_when_another_file_opens_is_dropped(
    qtbot: QtBot, annotating: MainWindow, tmp_path: Path
) -> None:
    window = annotating
    window.tools.choose("note")
    click(qtbot, window, UPRIGHT, (100, 100))
    qtbot.keyClicks(window.view, "lost")
    open_and_wait(qtbot, window, make_annotating_pdf(tmp_path / "other.pdf"))
    window.tools.choose("free_text")  # the dropped editor does not stand in the way
    click(qtbot, window, UPRIGHT, (100, 100))
    type_and_commit(qtbot, window, "new")
    assert [text_value(r) for r in layer_annotations(window)] == ["new"]


@pytest.mark.parametrize("kind", ["note", "free_text"])
def test_text_being_typed_when_the_layer_changes_stays_in_its_layer(
    qtbot: QtBot, annotating: MainWindow, kind: str
) -> None:
    window = annotating
    assert window.document is not None
    window.engine.create_layer(window.document.id, "student")
    window.review.refresh_layers()
    window.tools.choose(kind)
    click(qtbot, window, UPRIGHT, (100, 150))
    open_editor(qtbot)
    qtbot.keyClicks(window.view, "half a thought")
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.layer == "student" and current_editor() is None
    assert [
        text_value(r) for r in layer_annotations(window, USER) if r.id not in BASE_IDS(window)
    ] == ["half a thought"]
    assert not [r for r in layer_annotations(window, "student") if r.id not in BASE_IDS(window)]


def BASE_IDS(window: MainWindow) -> set[str]:
    assert window.document is not None
    return {r.id for r in window.engine.records(window.document.id, "*base", "annotation")}
