"""A base annotation the layer did not change, or changed in a way its appearance survives
(moved, a stamp resized, another opacity), shows as the PDF draws it: a picture stamp as its
picture, a custom stamp in its own colours (issue 17, finding 3). What no viewer shows stays
hidden, and a stamp drawn from its record takes its colour."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.marks import Mark, paint_marks
from reviewer_app.ui.annotations.overlay import MOST_PIXELS_PER_POINT, appearance_object
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.pdf import cases
from tests.ui.annotations.test_changes import FullReads, assert_as_a_full_read_shows
from tests.ui.conftest import open_and_wait
from tests.ui.tools.conftest import USER, viewport_point

Box = tuple[float, float, float, float]  # Instant points: left, top, width, height
Test = Callable[[QColor], bool]


def greenish(c: QColor) -> bool:  # the picture's (30, 160, 60) squares, the PAID stamp's frame
    return c.green() > 120 and c.red() < 90 and c.blue() < 110


def bluish(c: QColor) -> bool:  # the Approved stamp's (0.1, 0.2, 0.8)
    return c.blue() > 150 and c.red() < 90 and c.green() < 110


def reddish(c: QColor) -> bool:
    return c.red() > 160 and c.green() < 90 and c.blue() < 90


def count(window: MainWindow, box: Box, test: Test, page: int = 0) -> int:
    """Pixels on screen within ``box`` (Instant points of ``page``) that pass ``test``."""
    window.view.viewport().repaint()
    shot = window.view.viewport().grab().toImage()
    x, y, w, h = box
    corners = [viewport_point(window, page, p) for p in ((x, y), (x + w, y + h))]
    left, right = sorted(c.x() for c in corners)
    top, bottom = sorted(c.y() for c in corners)
    found = 0
    for px in range(max(left, 0), min(right, shot.width())):
        for py in range(max(top, 0), min(bottom, shot.height())):
            found += test(QColor(shot.pixel(px, py)))
    return found


def open_case(qtbot: QtBot, window: MainWindow, path: Path, data: bytes) -> MainWindow:
    ViewerSettings().set_user_name(USER)
    path.write_bytes(data)
    open_and_wait(qtbot, window, path)
    for dock in window.findChildren(QDockWidget):
        dock.hide()  # room for the page
    window.view.set_zoom(1.0)
    window.view.go_to_page(0)
    return window


def drawn(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until page 0's item has every appearance image its records are drawn from, drawn
    at the view's scale. Every case here has such records: none known yet means the page's
    records have not been read yet (on a loaded machine the check could otherwise pass before
    there is anything to draw), and the item is looked up each time (a resize makes it anew).
    The item must hold the overlay's image itself: a sharper image is placed on the item a
    turn after it arrives, and until then the item keeps the blurred one and its place."""
    overlay = window.overlay
    scale = min(window.view.render_scale(), MOST_PIXELS_PER_POINT)

    def sharp() -> bool:
        item = overlay.page_item(0)
        wanted = {r.id: appearance_object(r) for r in overlay.from_appearance.get(0, ())}
        return (
            item is not None
            and bool(wanted)
            and all(
                item.from_pdf.get(i) is not None
                and item.from_pdf[i].image is not None
                and overlay.images.get(xref or 0, (0.0,))[0] >= scale
                and item.from_pdf[i].image is overlay.images[xref or 0][1]
                for i, xref in wanted.items()
            )
        )

    qtbot.waitUntil(sharp, timeout=10000)


def stamp(window: MainWindow, title: str | None, type_: str = "Custom") -> Record:
    return next(
        r
        for r in window.editor.records("annotation")
        if r.content.get("stampType") == type_ and (title is None or r.content["title"] == title)
    )


@pytest.fixture
def stamps(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> MainWindow:
    window = open_case(qtbot, window, tmp_path / "stamps.pdf", cases.stamps())
    drawn(qtbot, window)
    return window


PICTURE: Box = (60, 152, 120, 80)  # the picture stamp (Rect [60 560 180 640])
APPROVED: Box = (260, 307, 150, 45)


def test_stamps_show_their_pdf_appearance_not_a_frame_of_words(
    qtbot: QtBot, stamps: MainWindow
) -> None:
    window = stamps
    ids = {r.id for r in window.overlay.from_appearance[0]}
    assert ids == {r.id for r in window.editor.records("annotation")}  # all four stamps
    area = PICTURE[2] * PICTURE[3]
    assert count(window, PICTURE, greenish) > area * 0.15  # a quarter of the squares are green
    assert count(window, PICTURE, bluish) > area * 0.15
    assert count(window, APPROVED, bluish) > 200  # the blue frame and words
    assert count(window, APPROVED, reddish) == 0  # not our red frame
    for box in (PICTURE, APPROVED):  # what the appearance covers is where the record says
        item = window.overlay.page_item(0)
        assert item is not None
        rects = [a.rect for a in item.from_pdf.values()]
        near = 1.5 / window.view.render_scale()  # pixels round outwards
        assert any(abs(r.x() - box[0]) < near and abs(r.width() - box[2]) < 2 * near for r in rects)


def test_a_moved_and_resized_picture_stamp_keeps_its_picture(
    qtbot: QtBot, stamps: MainWindow
) -> None:
    window = stamps
    picture = stamp(window, "Image")
    moved: Box = (330, 20, 240, 160)  # moved and twice the size
    assert window.editor.update([{**picture.content, "id": picture.id, "bbox": list(moved)}])
    drawn(qtbot, window)
    assert picture.id in window.overlay.page_item(0).from_pdf  # type: ignore[union-attr]
    assert count(window, PICTURE, greenish) == 0  # gone from where it was
    area = moved[2] * moved[3]
    assert count(window, moved, greenish) > area * 0.15
    assert count(window, moved, bluish) > area * 0.15
    assert picture_in_preview(window, stamp(window, "Image"), moved) > area * 0.15
    half = {**picture.content, "id": picture.id, "bbox": list(moved), "opacity": 0.4}
    assert window.editor.update([half])
    drawn(qtbot, window)
    assert count(window, moved, greenish) < area * 0.05  # faded: no square stays that green
    window.editor.undo()
    window.editor.undo()
    drawn(qtbot, window)
    assert count(window, PICTURE, greenish) > PICTURE[2] * PICTURE[3] * 0.15


def test_a_stamp_changed_in_what_it_shows_is_drawn_from_its_record_in_its_colour(
    qtbot: QtBot, stamps: MainWindow
) -> None:
    window = stamps
    approved = stamp(window, None, "Approved")
    retitled = {**approved.content, "id": approved.id, "stampType": "Final"}
    assert window.editor.update([retitled])
    drawn(qtbot, window)
    item = window.overlay.page_item(0)
    assert item is not None and approved.id not in item.from_pdf
    assert count(window, APPROVED, bluish) > 200  # its colour (#1a33cc), as the export draws it
    assert count(window, APPROVED, reddish) == 0
    own: Box = (60, 380, 150, 50)
    assert window.editor.create([_stamp(own, "#00a000")])
    assert count(window, own, greenish) > 200 and count(window, own, reddish) == 0
    assert window.editor.create([_stamp((300, 380, 150, 50), None)])
    assert count(window, (300, 380, 150, 50), reddish) > 200  # red when it has no colour


def _stamp(box: Box, colour: str | None) -> dict[str, Any]:
    made: dict[str, Any] = {
        "v": 2,
        "type": "pspdfkit/stamp",
        "pageIndex": 0,
        "bbox": list(box),
        "stampType": "Custom",
        "title": "CHECKED",
    }
    if colour is not None:
        made["color"] = colour
    return made


def test_annotations_flagged_hidden_or_no_view_are_not_shown(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window = open_case(qtbot, window, tmp_path / "hidden.pdf", cases.hidden())
    drawn(qtbot, window)
    hidden, no_view, shown = (60, 252, 80, 40), (160, 252, 80, 40), (260, 252, 80, 40)
    assert count(window, hidden, reddish) == 0
    assert count(window, no_view, bluish) == 0
    assert count(window, shown, greenish) > 80 * 40 * 0.8  # NoPrint still shows on screen
    assert {tuple(r.content["flags"]) for r in window.overlay.undrawn} >= {
        ("hidden",),
        ("noView",),
    }


def test_an_annotation_whose_appearance_draws_nothing_is_drawn_from_its_record(
    qtbot: QtBot, stamps: MainWindow
) -> None:
    window = stamps
    approved = stamp(window, None, "Approved")
    xref = approved.content["pdfObjectId"]
    item = window.overlay.page_item(0)
    assert item is not None and approved.id in item.from_pdf
    window.view.client.appearances(0, 1.0, [xref + 1000])  # no such object: an empty reply
    empty = []
    window.view.client.appearance_ready.connect(
        lambda page, x, scale, image: empty.append(image.isNull())
    )
    qtbot.waitUntil(lambda: empty == [True], timeout=5000)
    scale = window.overlay.images[xref][0]  # the worker's reply had it drawn nothing:
    window.view.client.appearance_ready.emit(0, xref, scale, QImage())
    assert xref in window.overlay.lacking and approved.id not in item.from_pdf
    assert count(window, APPROVED, bluish) > 200  # its own frame, in its colour


def test_another_tools_free_text_rewritten_keeps_its_colour_size_and_centring(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window = open_case(qtbot, window, tmp_path / "rich.pdf", cases.rich_free_text())
    drawn(qtbot, window)
    box: Box = (100, 192, 220, 40)  # "Check this step": bold, 16 pt, #E52237, centred (/DS)
    as_pdf = count(window, box, reddish)
    assert as_pdf > 200
    text = next(r for r in window.editor.records("annotation") if r.content["fontSize"] == 16)
    words = {"format": "plain", "value": "Check this"}  # new words: drawn from the record
    assert window.editor.update([{**text.content, "id": text.id, "text": words}])
    item = window.overlay.page_item(0)
    assert item is not None and text.id not in item.from_pdf
    assert count(window, box, reddish) > as_pdf * 0.5  # its colour, its size, bold
    window.view.viewport().repaint()
    columns = red_columns(window, box)
    middle = (min(columns) + max(columns)) / 2
    left, right = (viewport_point(window, 0, (x, box[1])).x() for x in (box[0], box[0] + box[2]))
    assert abs(middle - (left + right) / 2) < 6  # centred, as the PDF has it


def red_columns(window: MainWindow, box: Box) -> list[int]:
    shot = window.view.viewport().grab().toImage()
    x, y, w, h = box
    (left, top), (right, bottom) = (
        (p.x(), p.y()) for p in (viewport_point(window, 0, c) for c in ((x, y), (x + w, y + h)))
    )
    return [
        px
        for px in range(left, right)
        if any(reddish(QColor(shot.pixel(px, py))) for py in range(top, bottom))
    ]


def picture_in_preview(window: MainWindow, record: Record, box: Box) -> int:
    """Green pixels of the drag's preview of ``record`` (as the select tool shows it)."""
    drawn = window.overlay.drawing_of(record)
    assert drawn is not None
    return picture_in(drawn, box)


def picture_in(drawn: Mark, box: Box) -> int:
    """Green pixels of ``drawn`` painted alone at one pixel per point, within ``box``."""
    assert drawn.bounds.contains(QRectF(*box).adjusted(1, 1, -1, -1))
    image = QImage(612, 792, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    paint_marks(painter, [drawn], drawn.bounds)
    painter.end()
    x, y, w, h = (int(v) for v in box)
    return sum(
        greenish(QColor(image.pixel(px, py))) for px in range(x, x + w) for py in range(y, y + h)
    )


def dark(c: QColor) -> bool:
    return c.lightness() < 90


def test_a_multiply_blend_lets_the_words_show_through(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window = open_case(qtbot, window, tmp_path / "blend.pdf", cases.blend_modes())
    drawn(qtbot, window)
    square: Box = (58, 94, 282, 20)  # light blue, /BM /Multiply, over the second line
    assert {r.content.get("blendMode") for r in window.overlay.from_appearance[0]} == {"multiply"}
    # the words under it, once the page's tiles came
    qtbot.waitUntil(lambda: count(window, square, dark) > 150, timeout=10000)
    assert count(window, square, lambda c: c.blue() > 200 and c.red() < 200) > 1500  # and blue


def test_link_borders_show_as_readers_draw_them(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window = open_case(qtbot, window, tmp_path / "links.pdf", cases.links())
    qtbot.waitUntil(lambda: window.overlay.page_item(0) is not None)
    solid, dashed, none = (58, 88, 242, 18), (58, 118, 242, 18), (58, 148, 242, 18)
    assert count(window, solid, reddish) > 400  # 2 points wide all round
    assert 100 < count(window, dashed, bluish) < count(window, solid, reddish)
    assert count(window, none, lambda c: c.green() > 160 and c.red() < 100) == 0


def test_on_a_user_unit_page_records_and_appearances_agree_in_points(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window = open_case(qtbot, window, tmp_path / "unit.pdf", cases.user_unit())
    assert window.view.pages[0].unrotated == pytest.approx((612, 792))  # 306 x 396 units of 2
    drawn(qtbot, window)
    item = window.overlay.page_item(0)
    assert item is not None
    near = 2 / window.view.render_scale() + 1
    for record in window.editor.records("annotation"):
        rect = item.from_pdf[record.id].rect  # where MuPDF draws it, in points
        x, y, w, h = record.content["bbox"]
        assert abs(rect.x() - x) < near and abs(rect.y() - y) < near, record.content["type"]
        assert abs(rect.width() - w) < 2 * near and abs(rect.height() - h) < 2 * near
    square: Box = (60, 324, 100, 60)  # [30 200 80 230] in units of 2 points
    assert count(window, square, reddish) > 300  # its 4-point frame, at its full size
    own: Box = (330, 400, 200, 60)  # a record of the layer's own, drawn by Qt in points
    assert window.editor.create([_stamp(own, "#00a000")])
    assert count(window, own, greenish) > 600


def test_a_comparison_draws_the_other_layers_moved_stamp_as_its_picture(
    qtbot: QtBot, stamps: MainWindow
) -> None:
    window = stamps
    picture = stamp(window, "Image")
    moved: Box = (330, 20, 240, 160)
    assert window.document is not None
    window.engine.update_records(
        window.document.id,
        "moved",
        "annotation",
        [{**picture.content, "id": picture.id, "bbox": list(moved)}],
    )
    window.review.refresh_layers()
    comparing = window.review.comparing
    with qtbot.waitSignal(comparing.compared, timeout=10_000):
        comparing.compare(window.layer, "moved")  # (off the UI thread)
    (mark,) = [m for item in comparing.overlay.items for m in item.marks]  # B's side
    assert mark.record.id == picture.id
    assert picture_in(mark, moved) > moved[2] * moved[3] * 0.15  # not a red frame


def test_a_pdf_annotation_moved_is_followed_without_reading_the_layer_again(
    qtbot: QtBot, stamps: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = stamps
    reads = FullReads(window, monkeypatch)
    picture, approved = stamp(window, "Image"), stamp(window, None, "Approved")
    moved = {**picture.content, "id": picture.id, "bbox": [330, 20, 240, 160]}
    retitled = {**approved.content, "id": approved.id, "stampType": "Final"}
    assert window.editor.update([moved]) and window.editor.update([retitled])
    window.editor.undo()  # the Approved stamp from its appearance again
    assert reads.count == 0
    drawn(qtbot, window)
    assert count(window, (330, 20, 240, 160), greenish) > 240 * 160 * 0.15
    assert count(window, APPROVED, bluish) > 200
    assert_as_a_full_read_shows(qtbot, window)
