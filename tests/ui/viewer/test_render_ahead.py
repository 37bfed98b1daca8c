"""Rendering ahead of the scroll, and annotation drawings reused across layer switches."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QPainter, QTransform
from pytestqt.qtbot import QtBot

from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.marks import batched, paint_marks
from reviewer_app.ui.annotations.shapes import cached_mark
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import largest_difference, make_pdf, open_and_wait


def _sharp_at_once(window: MainWindow, page: int) -> bool:
    view = window.view
    return not view._missing(page, view.render_scale(), view.visible_area())


def test_the_page_below_is_rendered_before_it_scrolls_into_view(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.view.set_zoom(1.0)  # 100 %: a page or two in view
    open_and_wait(qtbot, window, make_pdf(tmp_path / "long.pdf", pages=40))
    view = window.view
    first, last = view.visible_range()
    below = last + 1
    qtbot.waitUntil(lambda: below in view.rendered_pages, timeout=10000)
    assert view.visible_range() == (first, last)  # rendered while still out of view
    qtbot.waitUntil(lambda: not window.client.waiting("view"), timeout=10000)  # all it asked
    assert max(view.rendered_pages) <= last + 3  # about one viewport ahead, no further
    bar = view.verticalScrollBar()
    top = view.spans[below][0] * view.pixels_per_point()
    bar.setValue(round(top - view.viewport().height() / 2))
    assert below in range(view.visible_range()[0], view.visible_range()[1] + 1)
    assert _sharp_at_once(window, below)  # its sharp image was waiting in the cache


def test_far_pages_are_not_rendered_and_work_ahead_is_dropped_when_scrolled_away(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.view.set_zoom(1.0)  # 100 %: a page or two in view
    open_and_wait(qtbot, window, make_pdf(tmp_path / "long.pdf", pages=40))
    view = window.view
    view.go_to_page(30)
    near = range(view.visible_range()[0] - 3, view.visible_range()[1] + 4)
    assert all(key[0] in near for key in window.client._wanted.get("view", []))
    qtbot.waitUntil(lambda: 30 in view.rendered_pages, timeout=10000)
    qtbot.waitUntil(lambda: not window.client.waiting("view"), timeout=10000)  # all it asked
    assert not {page for page in view.rendered_pages if 4 < page < 27}


def _blank(width: int, height: int) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    return image


def _record(record_id: str, x: float, kind: str = "pspdfkit/shape/rectangle") -> Record:
    content = {
        "v": 2,
        "type": kind,
        "pageIndex": 0,
        "bbox": [x, 100, 40, 30],
        "strokeColor": "#ff0000",
        "strokeWidth": 2,
        "lineWidth": 2,
        "lines": {"points": [[[x, 100], [x + 20, 120]]], "intensities": []},
        "startPoint": [x, 100],
        "endPoint": [x + 40, 130],
    }
    return Record("annotation", record_id, content)


def test_a_record_drawn_before_reuses_its_drawing() -> None:
    record = _record("a", 10)
    made = cached_mark(record)
    assert made is not None
    again = Record("annotation", "a", copy.deepcopy(record.content))  # as read again
    assert cached_mark(again) is made
    moved = _record("a", 20)  # the same record with other content: drawn anew
    assert cached_mark(moved) is not made
    assert cached_mark(again) is made  # both versions kept (layers showing each)
    assert cached_mark(_record("b", 10)) is not made  # another record


def test_switching_back_to_a_layer_reuses_its_drawings(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    doc = window.document
    assert doc is not None
    for name, x in (("one", 10), ("two", 60)):
        contents = [_record(str(i), x + i, "pspdfkit/ink").content for i in range(20)]
        window.engine.create_records(doc.id, name, "annotation", contents)
    window.set_layer("one")
    item = window.overlay.page_item(0)
    assert item is not None
    first = item.marks()
    window.set_layer("two")
    assert not set(map(id, item.marks())) & set(map(id, first))
    window.set_layer("one")
    assert [id(m) for m in item.marks()] == [id(m) for m in first]


@pytest.mark.parametrize(
    "kinds",
    [
        ["rectangle"],
        ["ellipse"],
        ["line"],
        ["ink"],
        ["rectangle", "ellipse", "line"],  # (ink has round caps: a pen of its own)
    ],
)
def test_stroke_runs_paint_as_one_mark_with_the_same_pixels(kinds: list[str]) -> None:
    types = {"ink": "pspdfkit/ink"}
    marks = [
        cached_mark(_record(str(i), 10 + 30 * i, types.get(k, f"pspdfkit/shape/{k}")))
        for i, k in enumerate(kinds * (8 // len(kinds)))
    ]
    drawn = [m for m in marks if m is not None]
    plan = batched(drawn)
    assert len(plan) == 1 and plan[0].bounds.contains(drawn[-1].bounds)
    images = []
    for painted in (drawn, plan):
        image = QImage(300, 200, QImage.Format.Format_RGB32)
        image.fill(0xFFFFFFFF)
        painter = QPainter(image)
        painter.setTransform(QTransform.fromScale(1.25, 1.25))
        paint_marks(painter, painted, plan[0].bounds)
        painter.end()
        images.append(image)
    assert images[0] != _blank(300, 200)
    # the same pixels; a line drawn with others (drawLines) differs by the rounding of its
    # antialiased edges where lines overlap
    assert largest_difference(*images) <= (2 if "line" in kinds else 0)
