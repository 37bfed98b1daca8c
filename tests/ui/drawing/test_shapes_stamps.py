"""Shapes, lines, polygons, stamps and pictures drawn with the mouse on the upright and the
turned page, found in the engine, undone, and written into the layer PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from reviewer_app.instant.records import Record
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.ui.annotations.stamps import picture
from reviewer_app.ui.drawing.shape_geometry import dragged_box, fitted, placed, snapped
from reviewer_app.ui.main_window import MainWindow
from tests.ui.tools.conftest import (
    LEFT,
    TURNED,
    UPRIGHT,
    USER,
    click,
    drag,
    layer_annotations,
    new_annotations,
    viewport_point,
)

PAGES = pytest.mark.parametrize("page", [UPRIGHT, TURNED], ids=["upright", "turned"])
SHIFT = Qt.KeyboardModifier.ShiftModifier


def use(window: MainWindow, tool: str) -> None:
    window.tool_actions.by_name[tool].trigger()
    assert window.tools.current.name == tool


def only_new(window: MainWindow, before: list[Record]) -> dict[str, Any]:
    made = new_annotations(window, before)
    assert len(made) == 1, made
    content = made[0].content
    assert content["creatorName"] == USER
    return content


def flat(points: list[list[float]]) -> list[float]:
    return [v for point in points for v in point]


def undo(qtbot: QtBot, window: MainWindow) -> None:
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def double_click(qtbot: QtBot, window: MainWindow, page: int, point: tuple[float, float]) -> None:
    window.view.go_to_page(page)
    at = viewport_point(window, page, point)
    qtbot.mouseDClick(window.view.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, at)


@PAGES
def test_a_dragged_rectangle_is_its_box_in_page_points(
    qtbot: QtBot, annotating: MainWindow, page: int
) -> None:
    window, before = annotating, layer_annotations(annotating)
    use(window, "rectangle")
    drag(qtbot, window, page, [(50, 60), (90, 100), (150, 120)])
    content = only_new(window, before)
    assert content["type"] == "pspdfkit/shape/rectangle" and content["pageIndex"] == page
    assert content["bbox"] == pytest.approx([50, 60, 100, 60], abs=1)
    assert content["strokeColor"] == "#e0301e" and content["strokeWidth"] == 2.0
    assert "fillColor" not in content and content["opacity"] == 1.0
    assert window.overlay.record_count(page) == len(
        [r for r in layer_annotations(window) if r.content["pageIndex"] == page]
    )
    undo(qtbot, window)
    assert layer_annotations(window) == before


@PAGES
def test_shift_makes_a_circle_and_the_style_gives_the_colours(
    qtbot: QtBot, annotating: MainWindow, page: int
) -> None:
    window, before = annotating, layer_annotations(annotating)
    use(window, "ellipse")
    window.tools.set_style(window.tools.current, {"strokeColor": "#00ff00", "fillColor": "#0000ff"})
    drag(qtbot, window, page, [(60, 200), (120, 230), (160, 240)], modifiers=SHIFT)
    content = only_new(window, before)
    assert content["type"] == "pspdfkit/shape/ellipse"
    assert content["bbox"] == pytest.approx([60, 200, 100, 100], abs=1)
    assert (content["strokeColor"], content["fillColor"]) == ("#00ff00", "#0000ff")


def test_a_click_without_a_drag_makes_no_rectangle(qtbot: QtBot, annotating: MainWindow) -> None:
    window, before = annotating, layer_annotations(annotating)
    use(window, "rectangle")
    click(qtbot, window, UPRIGHT, (100, 100))
    assert layer_annotations(window) == before


@PAGES
def test_lines_and_arrows_run_from_the_press_to_the_release(
    qtbot: QtBot, annotating: MainWindow, page: int
) -> None:
    window, before = annotating, layer_annotations(annotating)
    use(window, "line")
    drag(qtbot, window, page, [(40, 300), (100, 330), (200, 360)])
    line = only_new(window, before)
    assert line["type"] == "pspdfkit/shape/line" and "lineCaps" not in line
    assert line["startPoint"] == pytest.approx([40, 300], abs=1)
    assert line["endPoint"] == pytest.approx([200, 360], abs=1)
    assert line["bbox"] == pytest.approx([39, 299, 162, 62], abs=1)  # half the stroke around
    use(window, "arrow")
    before = layer_annotations(window)
    drag(qtbot, window, page, [(40, 400), (120, 420)], modifiers=SHIFT)  # snaps to level
    arrow = only_new(window, before)
    assert arrow["lineCaps"] == {"end": "openArrow"}
    assert arrow["endPoint"][1] == pytest.approx(400, abs=1)
    assert arrow["endPoint"][0] == pytest.approx(120, abs=1.5)
    undo(qtbot, window)
    assert len(layer_annotations(window)) == len(before)


@PAGES
def test_a_polygon_is_clicked_vertex_by_vertex_and_ends_with_a_double_click(
    qtbot: QtBot, annotating: MainWindow, page: int
) -> None:
    window, before = annotating, layer_annotations(annotating)
    use(window, "polygon")
    for point in [(60, 60), (200, 70), (300, 90)]:
        click(qtbot, window, page, point)
    qtbot.keyClick(window.view, Qt.Key.Key_Backspace)  # takes (300, 90) back
    click(qtbot, window, page, (150, 200))
    double_click(qtbot, window, page, (150, 200))
    content = only_new(window, before)
    assert content["type"] == "pspdfkit/shape/polygon" and content["pageIndex"] == page
    assert flat(content["points"]) == pytest.approx([60, 60, 200, 70, 150, 200], abs=1)
    assert content["bbox"] == pytest.approx([59, 59, 142, 142], abs=1)
    assert window.tools.current.name == "polygon"  # ready for the next one


def test_a_polyline_ends_with_enter_and_needs_two_points(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window, before = annotating, layer_annotations(annotating)
    use(window, "polyline")
    click(qtbot, window, TURNED, (80, 80))
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    assert layer_annotations(window) == before
    assert "at least 2 points" in window.statusBar().currentMessage()
    click(qtbot, window, TURNED, (120, 140))
    click(qtbot, window, TURNED, (90, 300))
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    content = only_new(window, before)
    assert content["type"] == "pspdfkit/shape/polyline"
    assert flat(content["points"]) == pytest.approx([80, 80, 120, 140, 90, 300], abs=1)


def test_escape_drops_a_polygon_in_progress_and_keeps_the_tool(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window, before = annotating, layer_annotations(annotating)
    use(window, "polygon")
    for point in [(60, 60), (200, 70), (150, 200)]:
        click(qtbot, window, UPRIGHT, point)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.tools.current.name == "polygon"
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    assert layer_annotations(window) == before


def choose_stamp(window: MainWindow, key: str) -> None:
    action = window.tool_actions.by_name["stamp"]
    entry = next(a for a in action.menu().actions() if a.objectName() == f"stamp-{key}")
    entry.trigger()


@PAGES
@pytest.mark.parametrize(
    ("key", "stamp_type", "title"),
    [
        ("approved", "Approved", None),
        ("rejected", "NotApproved", "Rejected"),
        ("check", "Accepted", None),
        ("cross", "Rejected", None),
    ],
)
def test_the_stamp_menu_chooses_what_a_click_places(
    qtbot: QtBot, annotating: MainWindow, page: int, key: str, stamp_type: str, title: str | None
) -> None:
    window, before = annotating, layer_annotations(annotating)
    choose_stamp(window, key)
    assert window.tools.current.name == "stamp"
    click(qtbot, window, page, (200, 300))
    content = only_new(window, before)
    assert content["type"] == "pspdfkit/stamp" and content["pageIndex"] == page
    assert content["stampType"] == stamp_type and content.get("title") == title
    x, y, w, h = content["bbox"]
    assert (x + w / 2, y + h / 2) == pytest.approx((200, 300), abs=1)
    assert content.get("rotation") == (90 if page == TURNED else None)  # reads upright
    shown_width = h if page == TURNED else w
    assert shown_width == pytest.approx(40 if key in ("check", "cross") else 150, abs=1)
    window.tools.choose("select")
    window.tools.choose("stamp")  # the choice is remembered
    assert window.tools.current.style()["stampType"] == stamp_type


def test_a_custom_stamp_asks_for_its_words_and_a_drag_sizes_it(
    qtbot: QtBot, annotating: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, before = annotating, layer_annotations(annotating)
    monkeypatch.setattr(QInputDialog, "getText", lambda *args: ("See me", True))
    choose_stamp(window, "custom")
    drag(qtbot, window, TURNED, [(50, 50), (250, 110)])
    content = only_new(window, before)
    assert (content["stampType"], content["title"]) == ("Custom", "See me")
    assert content["bbox"] == pytest.approx([50, 50, 200, 60], abs=1)
    undo(qtbot, window)
    assert layer_annotations(window) == before


def make_png(path: Path, width: int = 40, height: int = 20) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#00a000"))
    assert image.save(str(path), "PNG")
    return path


def pick_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The one thing that cannot run here: a person choosing a file in the dialog."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(path), ""))


@PAGES
def test_a_clicked_picture_is_200_points_wide_and_stored_once(
    qtbot: QtBot, annotating: MainWindow, page: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, before = annotating, layer_annotations(annotating)
    pick_file(monkeypatch, make_png(tmp_path / "green.png"))
    use(window, "image")
    click(qtbot, window, page, (200, 200))
    content = only_new(window, before)
    assert content["type"] == "pspdfkit/image" and content["contentType"] == "image/png"
    assert content["fileName"] == "green.png" and content["pageIndex"] == page
    box = [150, 100, 100, 200] if page == TURNED else [100, 150, 200, 100]  # 200 wide as shown
    assert content["bbox"] == pytest.approx(box, abs=1)
    stored = window.engine.attachment(content["imageAttachmentId"])
    assert stored == (tmp_path / "green.png").read_bytes()
    found = picture(content["imageAttachmentId"])
    assert found is not None and found.width() == 40
    undo(qtbot, window)
    assert layer_annotations(window) == before


def test_a_dragged_picture_keeps_its_ratio_inside_the_box(
    qtbot: QtBot, annotating: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, before = annotating, layer_annotations(annotating)
    pick_file(monkeypatch, make_png(tmp_path / "wide.png", 40, 20))
    use(window, "image")
    drag(qtbot, window, UPRIGHT, [(50, 50), (150, 250)])  # 100 × 200: the picture is 2:1
    content = only_new(window, before)
    assert content["bbox"] == pytest.approx([50, 125, 100, 50], abs=1)


def test_a_file_that_is_no_picture_is_refused(
    qtbot: QtBot, annotating: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, before = annotating, layer_annotations(annotating)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    pick_file(monkeypatch, fake)
    use(window, "image")
    click(qtbot, window, UPRIGHT, (200, 200))
    pick_file(monkeypatch, tmp_path / "missing.png")
    click(qtbot, window, UPRIGHT, (200, 200))
    assert layer_annotations(window) == before
    assert "fake.png is not a PNG or JPEG" in warnings[0] and "could not be read" in warnings[1]


def test_the_layer_pdf_shows_the_check_the_cross_and_the_picture(
    qtbot: QtBot, annotating: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = annotating
    pick_file(monkeypatch, make_png(tmp_path / "green.png"))
    use(window, "image")
    click(qtbot, window, UPRIGHT, (300, 400))  # bbox 200, 350, 200, 100
    choose_stamp(window, "check")
    click(qtbot, window, UPRIGHT, (100, 300))
    choose_stamp(window, "cross")
    click(qtbot, window, UPRIGHT, (100, 400))
    doc = window.document
    assert doc is not None
    skipped: list[Any] = []
    source = window.engine.pdf_path(doc.id).read_bytes()
    data = export_layer_pdf(source, window.engine.layer_export(doc.id, USER), skipped=skipped)
    assert skipped == []
    page = pymupdf.open(stream=data)[UPRIGHT]
    assert sorted(a.info["name"] for a in page.annots()) == ["Accepted", "ImageStamp", "Rejected"]
    pixels = page.get_pixmap(dpi=72)
    assert pixels.pixel(300, 400) == (0, 160, 0)  # the picture's green
    check = [pixels.pixel(x, y) for x in range(82, 118) for y in range(282, 318)]
    cross = [pixels.pixel(x, y) for x in range(82, 118) for y in range(382, 418)]
    assert any(g > 100 and r < 100 for r, g, b in check)  # a green tick
    assert any(r > 150 and g < 100 for r, g, b in cross)  # a red cross


def test_boxes_stay_on_the_page() -> None:
    page = (400.0, 560.0)
    assert dragged_box((390, 10), (300, 40), page, square=True) == (300, 10, 90, 90)
    assert dragged_box((390, 550), (395, 100), page, square=True) == pytest.approx(
        (390, 540, 10, 10)
    )  # a square as large as the page allows on the side of the drag
    assert snapped((10, 10), (100, 95), page) == pytest.approx((97.5, 97.5))
    assert snapped((10, 10), (500, 12), page) == pytest.approx((400, 10))
    assert placed((200, 100), (390, 5), page) == (200, 0, 200, 100)
    assert placed((800, 400), (10, 10), page) == (0, 0, 400, 200)
    assert fitted((40, 20), (0, 0, 100, 100)) == (0, 25, 100, 50)
