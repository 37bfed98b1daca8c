"""Tile geometry and pixels: what part of a page a tile covers, drawn as BGRA into shared slots."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pymupdf

from reviewer_app.pdf.render import run_page_widgets, run_pdf_only_annotations

BYTES_PER_PIXEL = 4  # BGRA, which is Qt's RGB32 (and ARGB32) in memory: no conversion

_mupdf: Any = pymupdf


@dataclass
class Pixels:
    """A drawn tile: its size, its row length in bytes, and its samples or the slot holding them."""

    width: int
    height: int
    stride: int
    samples: bytes | None = None
    slot: int | None = None


Run = Callable[[Any, Any, Any], None]  # (device, ctm, device-space area) -> None


def _box(clip: tuple[float, float, float, float], scale: float) -> Any:
    """The whole pixels that ``clip`` (points) covers at ``scale`` (an FzIrect)."""
    mu = _mupdf.mupdf
    return mu.fz_round_rect(mu.fz_transform_rect(mu.FzRect(*clip), mu.fz_scale(scale, scale)))


def draw(run: Run, clip: tuple[float, float, float, float], scale: float, out: Any) -> Pixels:
    """Draw with ``run`` the ``clip`` (points) at ``scale`` on white, into ``out`` (a writable
    buffer) when it is big enough, else into new bytes (``Pixels.samples``)."""
    box = _box(clip, scale)
    width, height = box.x1 - box.x0, box.y1 - box.y0
    stride = width * BYTES_PER_PIXEL
    inline = out is None or height * stride > len(out)
    target = bytearray(height * stride) if inline else out
    draw_into(run, clip, scale, target, stride)
    return Pixels(width, height, stride, samples=bytes(target) if inline else None)


def draw_into(
    run: Run, clip: tuple[float, float, float, float], scale: float, out: Any, stride: int
) -> tuple[int, int] | None:
    """Draw with ``run`` the ``clip`` (points) at ``scale`` on white into the top-left corner
    of ``out``, a writable BGRA buffer of rows of ``stride`` bytes (a QImage's bits, say);
    the width and height drawn, or None when they do not fit (or there is nothing to draw)."""
    mu = _mupdf.mupdf
    box = _box(clip, scale)
    width, height = box.x1 - box.x0, box.y1 - box.y0
    if width <= 0 or height <= 0 or width * BYTES_PER_PIXEL > stride or height * stride > len(out):
        return None
    ctm = mu.fz_concat(mu.fz_scale(scale, scale), mu.fz_translate(-box.x0, -box.y0))
    area = mu.FzRect(0, 0, width, height)
    data = mu.python_mutable_buffer_data(out)
    bgr, seps = mu.fz_device_bgr(), mu.FzSeparations()
    pixmap = mu.fz_new_pixmap_with_data(bgr, width, height, seps, 1, stride, data)
    mu.fz_clear_pixmap_with_value(pixmap, 255)
    device = mu.fz_new_draw_device(mu.FzMatrix(), pixmap)
    run(device, ctm, area)
    mu.fz_close_device(device)
    return width, height


def page_runner(page: Any) -> tuple[Run, Any]:
    """A runner drawing the page's content, its push buttons and signatures and the annotations
    no layer holds (not the layer's annotations nor the form fields, which the viewer draws
    from the layer shown), and the page's bounds."""
    mu = _mupdf.mupdf
    fz_page = page.this.super() if hasattr(page.this, "super") else page.this

    def run(device: Any, ctm: Any, area: Any) -> None:
        mu.fz_run_page_contents(fz_page, device, ctm, mu.FzCookie())
        run_page_widgets(fz_page, device, ctm, fields=False)
        run_pdf_only_annotations(fz_page, device, ctm)

    return run, mu.fz_bound_page(fz_page)


def display_list_runner(display: Any) -> Run:
    """A runner replaying a display list (recorded with ``page_runner``) over an area only."""
    mu = _mupdf.mupdf
    fz_list = display.this

    def run(device: Any, ctm: Any, area: Any) -> None:
        mu.fz_run_display_list(fz_list, device, ctm, area, mu.FzCookie())

    return run
