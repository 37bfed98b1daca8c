"""Text markup, pen and eraser tools, driven by real mouse drags on an upright and a turned page."""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication, QGraphicsPathItem, QGraphicsRectItem
from pytestqt.qtbot import QtBot

from reviewer_app.instant.ink_strokes import segments_distance
from reviewer_app.instant.records import Record
from reviewer_app.ui.drawing.ink import PIECE
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.tools.page_tools import PREVIEW_Z
from tests.ui.conftest import open_and_wait
from tests.ui.tools.conftest import (
    LEFT,
    TURNED,
    UPRIGHT,
    USER,
    _send,
    click,
    drag,
    layer_annotations,
    new_annotations,
    viewport_point,
)

COLORS = {
    "highlight": "#ffeb3b",
    "underline": "#1e88e5",
    "strikeout": "#e53935",
    "squiggly": "#43a047",
}
Box = tuple[float, float, float, float]


def pdf_words(window: MainWindow, page: int) -> dict[str, Box]:
    """The page's words and their boxes as PyMuPDF reads them (Instant coordinates)."""
    assert window.document is not None
    with pymupdf.open(window.engine.pdf_path(window.document.id)) as doc:
        found: dict[str, Box] = {}
        for word in doc[page].get_text("words", sort=True):  # the first of equal words
            found.setdefault(word[4], tuple(word[:4]))
        return found


def instant_rect(*boxes: Box) -> list[float]:
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return [x0, y0, x1 - x0, y1 - y0]


def inside(box: Box, fx: float = 0.5) -> tuple[float, float]:
    """A point inside a word box, ``fx`` of the way along it."""
    return (box[0] + (box[2] - box[0]) * fx, (box[1] + box[3]) / 2)


def one_new(qtbot: QtBot, window: MainWindow, before: list[Record]) -> Record:
    qtbot.waitUntil(lambda: len(new_annotations(window, before)) == 1, timeout=5000)
    return new_annotations(window, before)[0]


def preview_items(window: MainWindow, page: int, kind: type) -> list:  # type: ignore[type-arg]
    space = window.view.pages[page].space
    return [i for i in space.childItems() if isinstance(i, kind) and i.zValue() == PREVIEW_Z]


# -- text markup -----------------------------------------------------------------------------


@pytest.mark.parametrize("page", [UPRIGHT, TURNED])
@pytest.mark.parametrize("tool", list(COLORS))
def test_markup_snaps_to_the_words_under_the_drag(
    qtbot: QtBot, annotating: MainWindow, tool: str, page: int
) -> None:
    window, words = annotating, pdf_words(annotating, page)
    window.tools.choose(tool)
    before = layer_annotations(window)
    start, end = inside(words["words"], 0.6), inside(words["mark"], 0.3)
    drag(qtbot, window, page, [start, ((start[0] + end[0]) / 2, start[1] + 2), end])
    content = one_new(qtbot, window, before).content
    assert content["type"] == f"pspdfkit/markup/{tool}" and content["pageIndex"] == page
    expected = instant_rect(words["words"], words["to"], words["mark"])
    assert content["rects"] == [pytest.approx(expected, abs=0.05)]
    assert content["bbox"] == pytest.approx(expected, abs=0.05)
    assert content["color"] == COLORS[tool] and content["opacity"] == 1.0
    assert content["creatorName"] == USER
    assert content["customData"] == {"markedText": "words to mark"}
    assert window.overlay.record_count(page) == len(before) + 1
    window.editor.undo()
    assert not new_annotations(window, before)


def test_a_markup_over_two_lines_has_a_rect_per_line_and_a_preview(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window, words = annotating, pdf_words(annotating, TURNED)
    window.tools.choose("strikeout")
    window.view.go_to_page(TURNED)
    window.client.words(TURNED)
    qtbot.waitUntil(lambda: TURNED in window.selection.words)
    viewport = window.view.viewport()
    points = [viewport_point(window, TURNED, inside(words[w])) for w in ("up", "second")]
    qtbot.mousePress(viewport, LEFT, Qt.KeyboardModifier.NoModifier, points[0])
    _send(window, QEvent.Type.MouseMove, points[1], LEFT)
    shown = [i.rect().getRect() for i in preview_items(window, TURNED, QGraphicsRectItem)]
    first_line = instant_rect(words["up"], words["here"])
    second_line = instant_rect(words["A"], words["second"])
    assert shown == [pytest.approx(first_line, abs=0.05), pytest.approx(second_line, abs=0.05)]
    before = layer_annotations(window)
    qtbot.mouseRelease(viewport, LEFT, Qt.KeyboardModifier.NoModifier, points[1])
    assert not preview_items(window, TURNED, QGraphicsRectItem)
    content = one_new(qtbot, window, before).content
    assert content["rects"] == [pytest.approx(r, abs=0.05) for r in (first_line, second_line)]
    assert content["customData"]["markedText"] == "up here\nA second"


def test_a_click_marks_nothing_and_a_page_without_text_takes_the_dragged_rect(
    qtbot: QtBot, annotating: MainWindow, tmp_path: Path
) -> None:
    window = annotating
    window.tools.choose("highlight")
    before = layer_annotations(window)
    click(qtbot, window, UPRIGHT, inside(pdf_words(window, UPRIGHT)["words"]))
    qtbot.waitUntil(lambda: UPRIGHT in window.selection.words)
    assert new_annotations(window, before) == []
    blank = pymupdf.open()
    blank.new_page(width=300, height=300)
    blank.save(tmp_path / "blank.pdf")
    open_and_wait(qtbot, window, tmp_path / "blank.pdf")
    window.tools.choose("underline")
    drag(qtbot, window, 0, [(40, 50), (80, 60), (120, 70)])
    content = one_new(qtbot, window, []).content
    assert content["rects"] == [pytest.approx([40, 50, 80, 20], abs=1.0)]
    assert "customData" not in content


def test_the_shortcuts_choose_the_tools(qtbot: QtBot, annotating: MainWindow) -> None:
    window = annotating
    window.view.setFocus()
    keys = [("1", "highlight"), ("U", "underline"), ("K", "strikeout"), ("4", "squiggly")]
    keys += [("P", "ink"), ("E", "eraser"), ("H", "highlight"), ("5", "ink")]
    for key, name in keys:
        qtbot.keyClick(window.view, key)
        assert window.tools.current.name == name, key


# -- the pen -----------------------------------------------------------------------------------


def stroke_path(count: int = 120) -> list[tuple[float, float]]:
    return [(80 + i * 2, 250 + 30 * math.sin(i / 12)) for i in range(count)]


def off_path(points: list[list[float]], path: list[tuple[float, float]]) -> float:
    """How far the farthest of ``points`` is from the dragged polyline."""
    return max(
        min(segments_distance((p[0], p[1]), (p[0], p[1]), a, b) for a, b in pairwise(path))
        for p in points
    )


@pytest.mark.parametrize("page", [UPRIGHT, TURNED])
def test_a_pen_stroke_is_one_smoothed_ink_line(
    qtbot: QtBot, annotating: MainWindow, page: int
) -> None:
    window, path = annotating, stroke_path()
    window.tools.choose("ink")
    before = layer_annotations(window)
    drag(qtbot, window, page, path)
    content = one_new(qtbot, window, before).content
    assert content["type"] == "pspdfkit/ink" and content["pageIndex"] == page
    [line] = content["lines"]["points"]
    assert 2 < len(line) < len(path) / 2
    assert line[0] == pytest.approx(path[0], abs=1.0)
    assert line[-1] == pytest.approx(path[-1], abs=1.0)
    assert off_path(line, path) < 1.5
    assert off_path([list(p) for p in path], [(p[0], p[1]) for p in line]) < 1.5
    assert content["lines"]["intensities"] == [[1.0] * len(line)]
    assert content["isDrawnNaturally"] is False
    assert content["strokeColor"] == "#1e40af" and content["lineWidth"] == 2.0
    assert content["creatorName"] == USER
    x, y, w, h = content["bbox"]
    assert all(x <= p[0] <= x + w and y <= p[1] <= y + h for p in line)
    assert not preview_items(window, page, QGraphicsPathItem)
    window.editor.undo()
    assert not new_annotations(window, before)


def test_the_pen_preview_follows_the_mouse_in_short_pieces(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window, path = annotating, stroke_path()
    window.tools.choose("ink")
    window.view.go_to_page(TURNED)
    viewport = window.view.viewport()
    at = [viewport_point(window, TURNED, p) for p in path]
    qtbot.mousePress(viewport, LEFT, Qt.KeyboardModifier.NoModifier, at[0])
    for point in at[1:]:
        _send(window, QEvent.Type.MouseMove, point, LEFT)
    pieces = preview_items(window, TURNED, QGraphicsPathItem)
    assert len(pieces) > 2
    assert all(p.path().elementCount() <= PIECE + 1 for p in pieces)
    paths = [p.path() for p in pieces]
    drawn = [[e.x, e.y] for p in paths for e in map(p.elementAt, range(p.elementCount()))]
    assert off_path(drawn, path) < 1.0
    assert drawn[0] == pytest.approx(path[0], abs=1.0)
    qtbot.mouseRelease(viewport, LEFT, Qt.KeyboardModifier.NoModifier, at[-1])
    assert not preview_items(window, TURNED, QGraphicsPathItem)


def test_a_click_with_the_pen_draws_nothing(qtbot: QtBot, annotating: MainWindow) -> None:
    window = annotating
    window.tools.choose("ink")
    before = layer_annotations(window)
    click(qtbot, window, UPRIGHT, (100, 300))
    assert new_annotations(window, before) == []


def test_tablet_pressure_is_stored_as_intensities(qtbot: QtBot, annotating: MainWindow) -> None:
    window = annotating
    window.tools.choose("ink")
    window.view.go_to_page(UPRIGHT)
    viewport, path = window.view.viewport(), stroke_path(40)
    before = layer_annotations(window)
    for index, point in enumerate(path):
        at = viewport_point(window, UPRIGHT, point)
        kind = QEvent.Type.TabletPress if index == 0 else QEvent.Type.TabletMove
        tablet = QTabletEvent(
            kind, QPointingDevice.primaryPointingDevice(), QPointF(at),
            QPointF(viewport.mapToGlobal(at)), 0.2 + 0.02 * index, 0.0, 0.0, 0.0, 0.0, 0.0,
            Qt.KeyboardModifier.NoModifier, LEFT, LEFT,
        )  # fmt: skip
        QApplication.sendEvent(viewport, tablet)
        if index == 0:
            qtbot.mousePress(viewport, LEFT, Qt.KeyboardModifier.NoModifier, at)
        else:
            _send(window, QEvent.Type.MouseMove, at, LEFT)
    qtbot.mouseRelease(viewport, LEFT, Qt.KeyboardModifier.NoModifier, at)
    content = one_new(qtbot, window, before).content
    [intensities] = content["lines"]["intensities"]
    assert content["isDrawnNaturally"] is True
    assert intensities[0] == pytest.approx(0.2) and intensities == sorted(intensities)
    assert len(intensities) == len(content["lines"]["points"][0])


# -- the eraser --------------------------------------------------------------------------------


def ink(page: int, lines: list[list[list[float]]]) -> dict[str, object]:
    return {
        "v": 2,
        "type": "pspdfkit/ink",
        "pageIndex": page,
        "bbox": [0, 0, 400, 400],
        "lines": {"points": lines, "intensities": [[1.0] * len(line) for line in lines]},
        "lineWidth": 3,
        "strokeColor": "#000000",
    }


@pytest.mark.parametrize("page", [UPRIGHT, TURNED])
def test_the_eraser_removes_touched_strokes_and_emptied_inks(
    qtbot: QtBot, annotating: MainWindow, page: int
) -> None:
    window = annotating
    two = [[[100, 200], [200, 200], [250, 220]], [[100, 300], [200, 300]]]
    change = window.editor.create(
        [
            ink(page, two),  # its first line is rubbed out
            ink(page, [[[150, 150], [150, 250]]]),  # rubbed out: the ink goes
            ink(page, [[[300, 350], [350, 350]]]),  # untouched
            {**ink(page, []), "type": "pspdfkit/markup/highlight", "rects": [[100, 190, 90, 20]],
             "color": "#ffff00"},  # under the eraser, but not ink
        ]
    )  # fmt: skip
    assert change is not None
    made = [r.id for r in change.upserted]
    start = layer_annotations(window)
    window.tools.choose("eraser")
    drag(qtbot, window, page, [(120, 180), (130, 195), (140, 210), (155, 230), (170, 240)])
    after = {r.id: r.content for r in layer_annotations(window)}
    assert after[made[0]]["lines"]["points"] == [two[1]]
    assert after[made[0]]["lines"]["intensities"] == [[1.0, 1.0]]
    assert after[made[0]]["bbox"] == pytest.approx([98.5, 298.5, 103, 3])
    assert made[1] not in after
    assert after[made[2]] == next(r.content for r in start if r.id == made[2])
    assert made[3] in after
    assert not preview_items(window, page, QGraphicsPathItem)
    assert window.editor.undo_label() == "Edit 2 annotations"
    window.editor.undo()  # the trim and the deletion: one step
    assert {r.id: r.content for r in layer_annotations(window)} == {r.id: r.content for r in start}


def test_the_eraser_shows_strokes_gone_while_dragging_and_esc_keeps_them(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window = annotating
    change = window.editor.create(
        [ink(UPRIGHT, [[[100, 200], [200, 200]], [[100, 300], [200, 300]]])]
    )
    assert change is not None
    start = layer_annotations(window)
    window.tools.choose("eraser")
    window.view.go_to_page(UPRIGHT)
    viewport, page_item = window.view.viewport(), window.overlay.page_item(UPRIGHT)
    assert page_item is not None
    qtbot.mousePress(viewport, LEFT, Qt.KeyboardModifier.NoModifier,
                     viewport_point(window, UPRIGHT, (150, 180)))  # fmt: skip
    _send(window, QEvent.Type.MouseMove, viewport_point(window, UPRIGHT, (150, 220)), LEFT)
    [shown] = [r for r in page_item.records if r.id == change.upserted[0].id]
    assert shown.content["lines"]["points"] == [[[100, 300], [200, 300]]]
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.tools.current.name == "select"
    [shown] = [r for r in page_item.records if r.id == change.upserted[0].id]
    assert len(shown.content["lines"]["points"]) == 2
    qtbot.mouseRelease(viewport, LEFT, Qt.KeyboardModifier.NoModifier,
                       viewport_point(window, UPRIGHT, (150, 220)))  # fmt: skip
    assert layer_annotations(window) == start
