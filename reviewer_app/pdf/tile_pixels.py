"""Tile geometry and pixels: what part of a page a tile covers, drawn as BGRA into shared slots."""

from __future__ import annotations

import contextlib
import mmap
import os
import queue
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pymupdf

from reviewer_app.pdf.render import run_page_widgets, run_pdf_only_annotations

TILE_SIZE = 1024  # pixels: the side of a tile when a page is too big to be drawn whole
WHOLE_PAGE_PIXELS = 4_000_000  # a page of at most this many pixels is one tile
BYTES_PER_PIXEL = 4  # BGRA, which is Qt's RGB32 (and ARGB32) in memory: no conversion
SLOT_BYTES = 16 * 1024 * 1024  # more than a whole page or a tile
SLOTS = 3
SLOTS_FLAG = "--slots-fd"

TileKey = tuple[int, float, int, int]
_mupdf: Any = pymupdf


def tile_step(width: float, height: float, scale: float) -> float:
    """The side of a tile in points for a ``width`` x ``height`` point page at ``scale``.

    A page small enough is one tile (column 0, row 0), drawn in one go; a bigger one is cut in
    tiles of TILE_SIZE pixels so that no single render or image is huge."""
    if width * height * scale * scale <= WHOLE_PAGE_PIXELS:
        return max(width, height) + 1.0
    return TILE_SIZE / scale


def tile_clip(width: float, height: float, key: TileKey) -> tuple[float, float, float, float]:
    """The part of a ``width`` x ``height`` point page that tile ``key`` covers, in points."""
    _, scale, column, row = key
    step = tile_step(width, height, scale)
    x0, y0 = column * step, row * step
    return (x0, y0, min(width, x0 + step), min(height, y0 + step))


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


class TileSlots:
    """SLOTS buffers of SLOT_BYTES in one shared-memory file (an inherited descriptor).

    The worker draws a tile into a slot it ``acquire``s; the viewer copies the pixels out and
    tells the worker, which ``release``s the slot. ``close`` wakes a worker waiting for one."""

    def __init__(self, fd: int) -> None:
        self.memory = mmap.mmap(fd, SLOTS * SLOT_BYTES)
        os.close(fd)
        self._free: queue.SimpleQueue[int | None] = queue.SimpleQueue()
        for index in range(SLOTS):
            self._free.put(index)
        self.closed = False

    @staticmethod
    def new_file() -> int | None:
        """A descriptor of a new shared-memory file big enough for the slots (None if the
        platform has none: tiles then travel in the messages)."""
        try:
            fd = os.memfd_create("reviewer-tiles") if hasattr(os, "memfd_create") else -1
            if fd < 0:
                with tempfile.TemporaryFile() as handle:
                    fd = os.dup(handle.fileno())
            os.ftruncate(fd, SLOTS * SLOT_BYTES)
            os.set_inheritable(fd, True)
        except OSError:
            return None
        return fd

    def slot(self, index: int) -> memoryview:
        """Slot ``index`` as a writable view (release it when done)."""
        return memoryview(self.memory)[index * SLOT_BYTES : (index + 1) * SLOT_BYTES]

    def acquire(self) -> int | None:
        """A free slot, waiting for one; None once closed."""
        index = None if self.closed else self._free.get()
        return None if self.closed else index

    def release(self, index: int) -> None:
        if 0 <= index < SLOTS:
            self._free.put(index)

    def close(self) -> None:
        """Wake whoever waits for a slot: none will be freed any more."""
        self.closed = True
        self._free.put(None)

    def unmap(self) -> None:
        """Let the memory go (once nothing reads or draws into it)."""
        with contextlib.suppress(BufferError):
            self.memory.close()
