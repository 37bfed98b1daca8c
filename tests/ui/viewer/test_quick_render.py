"""Quick renders in the viewer's process: a jump's page is sharp at once when that is cheap."""

from __future__ import annotations

import time
from pathlib import Path

import pymupdf
from PySide6.QtCore import QPoint, QRect, QRectF
from PySide6.QtGui import QImage, QPainter, QTransform
from pytestqt.qtbot import QtBot

from reviewer_app.pdf.render_costs import Weight, page_weight
from reviewer_app.pdf.tile_pixels import draw, draw_into, page_runner
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.viewer.page_items import draw_exact
from tests.ui.conftest import make_pdf, open_and_wait


def _known(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the render server has rendered a page and weighed them all."""
    costs, pages = window.client.costs, window.view.page_count()
    qtbot.waitUntil(lambda: bool(costs.renders) and len(costs.weights) == pages, timeout=10000)


def _heavy_page(path: Path, pages: int, heavy: int) -> Path:
    doc = pymupdf.open(make_pdf(path, pages=pages))
    shape = doc[heavy].new_shape()
    for i in range(4000):  # tens of milliseconds to render
        x, y = 20 + (i * 37) % 380, 20 + (i * 53) % 550
        shape.draw_bezier((x, y), (x + 40, y - 30), (x - 20, y + 50), (x + 30, y + 20))
    shape.finish(color=(0, 0, 1), width=0.3)
    shape.commit()
    heavier = path.with_name("heavy.pdf")
    doc.save(heavier)
    return heavier


def test_a_far_page_shows_sharp_before_the_event_loop_turns_with_the_servers_pixels(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.view.set_zoom(1.0)  # 100 %: whole pixels, as the tile and the patch compare
    open_and_wait(qtbot, window, make_pdf(tmp_path / "long.pdf", pages=40))
    _known(qtbot, window)
    view, sharp = window.view, []
    view.page_sharp.connect(sharp.append)
    view.go_to_page(30)
    patch = view.cache.patch(30)
    assert patch is not None and 30 in sharp  # painted, with no reply from the server yet
    assert 30 not in view.rendered_pages
    scale = view.render_scale()
    key = (30, scale, 0, 0)
    qtbot.waitUntil(lambda: key in view.cache, timeout=10000)
    tile = view.cache.get(key)
    assert tile is not None
    corner = QPoint(round(patch.rect.left() * scale), round(patch.rect.top() * scale))
    assert patch.image.copy(patch.source) == tile.copy(QRect(corner, patch.source.size()))
    assert view.cache.patch(30) is None  # the server's tile took over


def test_a_page_heavier_than_any_rendered_waits_for_the_render_server(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = _heavy_page(tmp_path / "long.pdf", pages=40, heavy=30)
    open_and_wait(qtbot, window, path)
    _known(qtbot, window)
    assert window.client.costs.weights[30].content > 4 * window.client.costs.weights[29].content
    view, sharp = window.view, []
    view.page_sharp.connect(sharp.append)
    view.go_to_page(30)
    assert view.cache.patch(30) is None and 30 not in sharp
    qtbot.waitUntil(lambda: 30 in sharp, timeout=10000)
    assert 30 in view.rendered_pages
    view.go_to_page(20)  # a light page still is quick
    assert view.cache.patch(20) is not None and 20 in sharp


def test_nothing_is_rendered_here_before_the_server_rendered_a_page(
    window: MainWindow, tmp_path: Path
) -> None:
    assert window.open_file(make_pdf(tmp_path / "doc.pdf", pages=5))
    assert window.view.cache.patch(0) is None and not window.client.costs.renders


def test_replies_about_the_document_shown_before_are_dropped(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    assert window.open_file(make_pdf(tmp_path / "first.pdf", pages=40))
    reader, deadline = window.client.reader, time.monotonic() + 10
    while reader.replies < 2 and time.monotonic() < deadline:  # replies about the first
        time.sleep(0.01)  # document wait in the pipe: the event loop does not turn here
    assert reader.replies >= 2
    second = _heavy_page(tmp_path / "second.pdf", pages=3, heavy=1)
    with qtbot.waitSignal(window.client.opened, timeout=10000):  # every older reply came
        assert window.open_file(second)  # before the second document's "opened"
    _known(qtbot, window)
    doc = pymupdf.open(second)
    assert window.client.costs.weights == {i: page_weight(doc[i]) for i in range(3)}
    assert all(
        render.weight in window.client.costs.weights.values()
        for render in window.client.costs.renders
    )
    assert window.view.rendered_pages <= {0, 1, 2}


def test_draw_into_draws_what_pymupdf_draws_into_an_images_rows(tmp_path: Path) -> None:
    page = pymupdf.open(make_pdf(tmp_path / "doc.pdf", pages=2))[0]  # no annotations, no fields
    run, _ = page_runner(page)
    clip, scale = (30.0, 40.0, 330.0, 240.0), 1.5
    own = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), clip=clip, alpha=False)
    wanted = QImage(own.samples, own.width, own.height, own.stride, QImage.Format.Format_RGB888)
    wanted = wanted.convertToFormat(QImage.Format.Format_RGB32)
    image = QImage(600, 400, QImage.Format.Format_RGB32)
    image.fill(0xFF00FF00)
    drawn = draw_into(run, clip, scale, image.bits(), image.bytesPerLine())
    assert drawn == (own.width, own.height) == (450, 300)
    assert image.copy(0, 0, 450, 300) == wanted
    assert image.pixel(500, 350) == 0xFF00FF00  # beyond the drawing: untouched
    assert draw_into(run, clip, scale, image.bits(), 400 * 4) is None  # rows too short
    pixels = draw(run, clip, scale, None)  # into bytes of its own
    assert pixels.samples is not None and (pixels.width, pixels.height) == (450, 300)
    inline = QImage(pixels.samples, 450, 300, pixels.stride, QImage.Format.Format_RGB32)
    assert inline == wanted


def test_drawing_pixel_for_pixel_matches_qpainters_own_mapping() -> None:
    source = QImage(90, 60, QImage.Format.Format_RGB32)
    for x in range(90):
        for y in range(60):
            source.setPixel(x, y, 0xFF000000 | (x * 2 << 16) | (y * 4 << 8) | (x + y))
    scale = 1.5
    target = QRectF(4, 6, 90 / scale, 60 / scale)
    results = []
    for exact in (True, False):
        canvas = QImage(200, 150, QImage.Format.Format_ARGB32_Premultiplied)
        canvas.fill(0)
        painter = QPainter(canvas)
        painter.setTransform(QTransform(scale, 0, 0, scale, 11, 3))
        if exact:
            draw_exact(painter, target, source, source.rect())
        else:
            painter.drawImage(target, source, QRectF(source.rect()))
        painter.end()
        results.append(canvas)
    assert results[0] == results[1]
    assert Weight(1, 1).within(Weight(1, 1))
