"""Stamps, free text and pictures put on pages with /Rotate 90, 180 and 270 read upright as the
page shows, in the viewer and in the exported layer PDF, and keep their rotation when read back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from reviewer_app.instant.transform import turned_size
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.pdf.extract import extract_base_layer
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.tools.text_edit import current_editor, reading_corner
from tests.ui.conftest import open_and_wait
from tests.ui.tools.conftest import USER, click, drag, layer_annotations, viewport_point

TURNS = (0, 90, 180, 270)  # page i has /Rotate TURNS[i]; page 0 is the upright reference
TURNED = pytest.mark.parametrize("turn", TURNS[1:])
Mask = list[int]
SHIFT = 2  # pixels either way the two pictures may be off
Ink = Callable[[QColor], bool]


def red(c: QColor) -> bool:
    return c.red() > 150 and c.green() < 120 and c.blue() < 120


def dark(c: QColor) -> bool:
    return max(c.red(), c.green(), c.blue()) < 110


@pytest.fixture
def quarters(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> MainWindow:
    """The window on four blank pages turned 0, 90, 180 and 270 degrees, the user's layer."""
    doc = pymupdf.open()
    for turn in TURNS:
        doc.new_page(width=400, height=560).set_rotation(turn)
    doc.save(tmp_path / "quarters.pdf")
    ViewerSettings().set_user_name(USER)
    window.resize(1200, 1000)
    open_and_wait(qtbot, window, tmp_path / "quarters.pdf")
    window.view.set_zoom(1.0)
    return window


def at_shown(window: MainWindow, page: int, x: float, y: float) -> tuple[float, float]:
    """The page point (Instant coordinates) shown ``x``, ``y`` points from the page's top-left."""
    point = window.view.pages[page].space.mapFromParent(QPointF(x, y))
    return (point.x(), point.y())


def made_on(window: MainWindow, page: int, kind: str) -> dict[str, Any]:
    (record,) = [
        r
        for r in layer_annotations(window)
        if r.content["pageIndex"] == page and r.content["type"] == kind
    ]
    assert record.content["creatorName"] == USER
    return record.content


def ink_rows(image: QImage, ink: Ink) -> Mask:
    """Each row of ``image`` as a bit mask of its inked pixels (bit x = pixel x)."""
    rows = []
    for y in range(image.height()):
        bits = 0
        for x in range(image.width()):
            if ink(image.pixelColor(x, y)):
                bits |= 1 << x
        rows.append(bits)
    return rows


def mismatch(a: Mask, b: Mask, shift: int = SHIFT) -> float:
    """The share of inked pixels that only one of ``a`` and ``b`` inks, at the best alignment
    within ``shift`` pixels each way (a pixel's shift is not a difference)."""
    height = min(len(a), len(b)) - 2 * shift
    window = (1 << (max(x.bit_length() for x in (*a, *b, 1)) + shift)) - 1
    best = 1.0
    for dy in range(-shift, shift + 1):
        for dx in range(-shift, shift + 1):
            only = both = 0
            for y in range(shift, shift + height):
                p, q = a[y], b[y + dy]
                q = (q >> dx if dx > 0 else q << -dx) & window
                only += (p ^ q).bit_count()
                both += (p | q).bit_count()
            best = min(best, only / both) if both else best
    return best


def assert_reads_like(shown: QImage, upright: QImage, ink: Ink) -> None:
    """``shown`` is wider than tall, the size of ``upright``, and looks like it (not like it
    upside down)."""
    assert shown.width() > shown.height() * 1.5
    assert abs(shown.width() - upright.width()) <= 3 and abs(shown.height() - upright.height()) <= 3
    seen, reference = ink_rows(shown, ink), ink_rows(upright, ink)
    assert sum(r.bit_count() for r in reference) > 100  # there is something drawn to compare
    width = max(upright.width(), shown.width())
    upside_down = [int(f"{r:0{width}b}"[::-1], 2) for r in reference[::-1]]
    assert mismatch(seen, reference) < 0.3  # antialiased edges differ, the strokes do not
    assert mismatch(seen, reference) < mismatch(seen, upside_down) / 2


def on_screen(window: MainWindow, page: int, bbox: list[float]) -> QImage:
    """What the viewer shows of ``bbox`` on ``page``, as the page is turned."""
    window.view.go_to_page(page)
    x, y, w, h = bbox
    corners = [viewport_point(window, page, (x + dx, y + dy)) for dx in (0, w) for dy in (0, h)]
    xs, ys = [c.x() for c in corners], [c.y() for c in corners]
    rect = QRect(min(xs) + 2, min(ys) + 2, max(xs) - min(xs) - 4, max(ys) - min(ys) - 4)
    return window.view.viewport().grab(rect).toImage()


def in_pdf(doc: Any, page: int, bbox: list[float], zoom: float = 2.0) -> QImage:
    """What a PDF reader shows of ``bbox`` on ``page`` of the exported ``doc``, page turned."""
    shown = doc[page]
    x, y, w, h = bbox
    rect = pymupdf.Rect(x, y, x + w, y + h) * shown.rotation_matrix * pymupdf.Matrix(zoom, zoom)
    pixels = shown.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom))
    samples = pixels.samples  # kept alive while the QImage reads it
    image = QImage(samples, pixels.width, pixels.height, pixels.stride, QImage.Format.Format_RGB888)
    inner = QRect(int(rect.x0) + 2, int(rect.y0) + 2, int(rect.width) - 4, int(rect.height) - 4)
    return image.copy(inner)


def exported(window: MainWindow) -> bytes:
    document = window.document
    assert document is not None
    source = window.engine.pdf_path(document.id).read_bytes()
    skipped: list[Any] = []
    data = export_layer_pdf(source, window.engine.layer_export(document.id, USER), skipped=skipped)
    assert skipped == []
    return data


def choose_stamp(window: MainWindow, key: str) -> None:
    action = window.tool_actions.by_name["stamp"]
    next(a for a in action.menu().actions() if a.objectName() == f"stamp-{key}").trigger()


def type_text(qtbot: QtBot, window: MainWindow, text: str) -> None:
    qtbot.waitUntil(lambda: current_editor() is not None, timeout=2000)
    qtbot.keyClicks(window.view, text)
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert current_editor() is None


def picture_file(path: Path) -> Path:
    """A 60 × 30 green picture with a red top-left corner: which way up it is shows."""
    image = QImage(60, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#00a000"))
    for x in range(20):
        for y in range(12):
            image.setPixelColor(x, y, QColor("#ff0000"))
    assert image.save(str(path), "PNG")
    return path


def corners_of(image: QImage) -> tuple[QColor, QColor]:
    """The colours near the top-left and the bottom-right corner of ``image``."""
    w, h = image.width(), image.height()
    return image.pixelColor(w // 10, h // 10), image.pixelColor(w * 9 // 10, h * 9 // 10)


@TURNED
def test_a_stamp_on_a_turned_page_reads_upright_in_the_viewer_and_the_pdf(
    qtbot: QtBot, quarters: MainWindow, turn: int
) -> None:
    window, page = quarters, TURNS.index(turn)
    choose_stamp(window, "approved")
    for where in (0, page):
        click(qtbot, window, where, at_shown(window, where, 150, 100))
    upright, stamp = made_on(window, 0, "pspdfkit/stamp"), made_on(window, page, "pspdfkit/stamp")
    assert "rotation" not in upright and upright["bbox"] == pytest.approx([75, 76, 150, 48], abs=1)
    assert stamp["rotation"] == turn
    x, y, w, h = stamp["bbox"]
    assert (w, h) == turned_size(150, 48, turn)  # 150 wide as the page shows
    assert at_shown(window, page, 150, 100) == pytest.approx((x + w / 2, y + h / 2), abs=1)
    assert_reads_like(
        on_screen(window, page, stamp["bbox"]), on_screen(window, 0, upright["bbox"]), red
    )
    data = exported(window)
    doc = pymupdf.open(stream=data)
    assert_reads_like(in_pdf(doc, page, stamp["bbox"]), in_pdf(doc, 0, upright["bbox"]), red)
    back = [r.content for r in extract_base_layer(data).records]
    (again,) = [c for c in back if c["pageIndex"] == page]
    assert again["rotation"] == turn and again["bbox"] == pytest.approx(stamp["bbox"], abs=0.01)
    assert "rotation" not in next(c for c in back if c["pageIndex"] == 0)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r.content["pageIndex"] for r in layer_annotations(window)] == [0]


@TURNED
def test_free_text_typed_on_a_turned_page_reads_upright(
    qtbot: QtBot, quarters: MainWindow, turn: int
) -> None:
    window, page = quarters, TURNS.index(turn)
    window.tools.choose("free_text")
    window.tools.set_style(window.tools.current, {"fontSize": 24})
    for where in (0, page):
        click(qtbot, window, where, at_shown(window, where, 100, 150))
        editor = current_editor()
        assert editor is not None and editor.sceneTransform().isRotating() is False  # level
        type_text(qtbot, window, "Look here")
    upright, text = made_on(window, 0, "pspdfkit/text"), made_on(window, page, "pspdfkit/text")
    assert "rotation" not in upright and upright["bbox"][:2] == pytest.approx([100, 150], abs=1)
    assert text["rotation"] == turn
    corner = reading_corner(text)  # the text starts where it was clicked, as the page shows
    assert (corner.x(), corner.y()) == pytest.approx(at_shown(window, page, 100, 150), abs=1)
    assert tuple(text["bbox"][2:]) == turned_size(*upright["bbox"][2:], turn)
    assert_reads_like(
        on_screen(window, page, text["bbox"]), on_screen(window, 0, upright["bbox"]), dark
    )
    data = exported(window)
    doc = pymupdf.open(stream=data)
    assert_reads_like(in_pdf(doc, page, text["bbox"]), in_pdf(doc, 0, upright["bbox"]), dark)
    back = [r.content for r in extract_base_layer(data).records]
    (again,) = [c for c in back if c["pageIndex"] == page]
    assert again["rotation"] == turn and again["bbox"] == pytest.approx(text["bbox"], abs=0.01)


@TURNED
def test_a_picture_on_a_turned_page_stands_upright(
    qtbot: QtBot, quarters: MainWindow, turn: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, page = quarters, TURNS.index(turn)
    path = picture_file(tmp_path / "corner.png")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(path), ""))
    window.tools.choose("image")
    drag(qtbot, window, page, [at_shown(window, page, 50, 50), at_shown(window, page, 350, 350)])
    image = made_on(window, page, "pspdfkit/image")
    assert image["rotation"] == turn
    start = at_shown(window, page, 50, 125)  # 300 × 150 as it shows: the picture's 2:1
    end = at_shown(window, page, 350, 275)
    box = [
        min(start[0], end[0]),
        min(start[1], end[1]),
        abs(end[0] - start[0]),
        abs(end[1] - start[1]),
    ]
    assert image["bbox"] == pytest.approx(box, abs=1.5)
    data = exported(window)
    in_viewer = on_screen(window, page, image["bbox"])
    for shown in (in_viewer, in_pdf(pymupdf.open(stream=data), page, image["bbox"])):
        assert shown.width() > shown.height() * 1.8
        top_left, bottom_right = corners_of(shown)
        assert red(top_left) and bottom_right.green() > 120 and bottom_right.red() < 80
    (again,) = [r.content for r in extract_base_layer(data).records]
    assert again["rotation"] == turn and again["bbox"] == pytest.approx(image["bbox"], abs=0.01)


def test_a_box_dragged_on_the_turned_page_sets_the_width_as_it_shows(
    qtbot: QtBot, quarters: MainWindow
) -> None:
    window, page = quarters, 1
    window.tools.choose("free_text")
    drag(qtbot, window, page, [at_shown(window, page, 60, 100), at_shown(window, page, 160, 120)])
    type_text(qtbot, window, "one two three four five six")
    text = made_on(window, page, "pspdfkit/text")
    width, height = turned_size(*text["bbox"][2:], 90)  # as it reads
    assert text["rotation"] == 90 and width == pytest.approx(100, abs=1) and height > 40  # wraps
    corner = reading_corner(text)
    assert (corner.x(), corner.y()) == pytest.approx(at_shown(window, page, 60, 100), abs=1)


def test_a_turned_stamp_resized_by_its_handle_stays_turned_and_upright(
    qtbot: QtBot, quarters: MainWindow
) -> None:
    window, page = quarters, 1
    stamp = {"v": 2, "type": "pspdfkit/stamp", "stampType": "Approved"}
    change = window.editor.create(
        [
            {**stamp, "pageIndex": 0, "bbox": [100, 100, 170, 68]},
            {**stamp, "pageIndex": page, "bbox": [100, 100, 48, 150], "rotation": 90},
        ]
    )
    assert change is not None
    window.tools.choose("select")
    click(qtbot, window, page, (124, 175))
    assert [r.content["pageIndex"] for r in window.tools.selected] == [page]
    drag(qtbot, window, page, [(148, 250), (158, 260), (168, 270)])  # the far corner's handle
    resized = made_on(window, page, "pspdfkit/stamp")
    assert resized["rotation"] == 90
    assert resized["bbox"] == pytest.approx([100, 100, 68, 170], abs=0.8)
    upright = made_on(window, 0, "pspdfkit/stamp")
    window.tools.choose("stamp")  # no selection handles over the stamp
    assert_reads_like(
        on_screen(window, page, resized["bbox"]), on_screen(window, 0, upright["bbox"]), red
    )
