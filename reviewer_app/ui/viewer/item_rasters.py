"""What an item of the page view paints (a page's annotations) kept as pixels at the view's
scale: painting it again (a layer switched back to, a scroll, a hover, a caret blinking) is
two image copies, not every antialiased stroke again (1,000 marks: 12-13 ms, copied 1.5 ms).

Marks are painted over the page and some multiply it (a highlight), so what they paint
depends on what is under it. But where every mark is painted normally, multiplied, screened
or excluded (``marks.AFFINE``), each channel of the result is affine in the channel under
it, ``result = P + under × Q``, as each of those modes keeps that form. A raster keeps P
(the drawing painted over black) and Q (over white, less P) and lays them with two copies:
multiplying by Q, then adding P. An item whose drawing has not that form paints itself.

A raster is painted a slice per event-loop turn (``turns.RASTERS``, after all other sliced
work) once the item has painted itself in a view that then stayed a moment (``QUIET_MS``:
not each step of a zoom, each layer flicked past). It serves while its drawing and view are
the item's (a view moved by whole pixels, as a scroll moves it, is the same view). Rasters
are kept within ``BUDGET`` bytes, the least recently used dropped first."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QPoint, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsItem, QWidget

from reviewer_app.ui.core import turns

BUDGET = 64 * 2**20  # bytes of every raster together (a page at 125 %: 7 MB)
MOST_PIXELS = 4_000_000  # a raster's pixels at most: the page, or the part near the view
QUIET_MS = 150  # how long a drawing is shown before a raster of it is painted
SLICE = 32  # parts of a drawing painted between two looks at the clock, at most
_MODE = QPainter.CompositionMode
Draw = Callable[[QPainter, Sequence[Any]], None]  # paints some parts of a drawing, in order


class Raster:
    """``drawing`` (a sequence of parts, painted by ``draw`` in order) painted with the
    ``device`` transform over ``region`` (device pixels): over black and over white, the
    second becoming Q once all is painted."""

    def __init__(
        self, drawing: Sequence[Any], draw: Draw, device: QTransform, region: QRect, hints: Any
    ) -> None:
        self.drawing, self.draw, self.hints = drawing, draw, hints
        self.device, self.region = QTransform(device), QRect(region)
        self.over_black = self.over_white = QImage()  # made at the first step
        self.painted = 0  # parts painted so far
        self.slice = 1  # parts painted between two looks at the clock
        self.ready = False

    @property
    def size(self) -> int:  # bytes
        return self.region.width() * self.region.height() * 8

    def step(self, deadline: float) -> bool:
        """Paint the next parts until ``deadline`` (a perf_counter); True once all are."""
        if self.over_black.isNull():  # (not before: a view zoomed step by step makes many)
            self.over_black = QImage(self.region.size(), QImage.Format.Format_RGB32)
            self.over_black.fill(Qt.GlobalColor.black)
            self.over_white = QImage(self.region.size(), QImage.Format.Format_RGB32)
            self.over_white.fill(Qt.GlobalColor.white)
        placed = self.device * QTransform.fromTranslate(-self.region.x(), -self.region.y())
        painters = [QPainter(self.over_black), QPainter(self.over_white)]
        try:
            for painter in painters:
                painter.setRenderHints(self.hints)
                painter.setTransform(placed)
            while self.painted < len(self.drawing):
                began = time.perf_counter()
                parts = self.drawing[self.painted : self.painted + self.slice]
                for painter in painters:
                    self.draw(painter, parts)
                self.painted += len(parts)
                now = time.perf_counter()  # about 1 ms a slice, whatever a part costs:
                if now - began > 0.001:  # a mark, or a run of hundreds
                    self.slice = max(1, self.slice // 2)
                elif now - began < 0.00025:
                    self.slice = min(SLICE, self.slice * 2)
                if now > deadline:
                    return False
        finally:
            for painter in painters:
                painter.end()
        difference = QPainter(self.over_white)  # over white - over black: Q
        difference.setCompositionMode(_MODE.CompositionMode_Difference)
        difference.drawImage(0, 0, self.over_black)
        difference.end()
        self.ready = True
        return True

    def offset(self, device: QTransform) -> QPoint | None:
        """How many whole device pixels ``device`` moves what the raster holds; None when it
        scales, turns or moves it by part of a pixel (the raster is of another view)."""
        if _linear(device) != _linear(self.device):
            return None
        dx, dy = device.dx() - self.device.dx(), device.dy() - self.device.dy()
        moved = QPoint(round(dx), round(dy))
        if abs(dx - moved.x()) > 1e-6 or abs(dy - moved.y()) > 1e-6:
            return None
        return moved

    def lay(self, painter: QPainter, exposed: QRectF, view: QRect) -> bool:
        """Paint the pixels over ``exposed`` (the item's coordinates; only the part within
        ``view``, the widget's device pixels) if the raster holds them; whether it did."""
        device = painter.deviceTransform()
        moved = self.offset(device) if self.ready else None
        if moved is None:
            return False
        held = self.region.translated(moved)
        wanted = device.mapRect(exposed).toAlignedRect().intersected(view)
        if not held.contains(wanted):
            return False
        if wanted.isEmpty():
            return True
        source = QRectF(wanted.translated(-held.topLeft()))
        painter.save()
        painter.setWorldTransform(_to_device(painter).inverted()[0])  # draw in device pixels
        painter.setCompositionMode(_MODE.CompositionMode_Multiply)
        painter.drawImage(QRectF(wanted), self.over_white, source)
        painter.setCompositionMode(_MODE.CompositionMode_Plus)
        painter.drawImage(QRectF(wanted), self.over_black, source)
        painter.restore()
        return True


def _to_device(painter: QPainter) -> QTransform:
    """How the painter's own coordinates (before its world transform) map to device pixels:
    the screen's pixel ratio, and where the widget lies in the window's backing store."""
    return painter.worldTransform().inverted()[0] * painter.deviceTransform()


def _linear(device: QTransform) -> tuple[float, ...]:
    return (device.m11(), device.m12(), device.m21(), device.m22(), device.m13(), device.m23())


_kept: OrderedDict[tuple[int, int], Raster] = OrderedDict()  # by (item, drawing), oldest first


def laid(
    item: QGraphicsItem,
    painter: QPainter,
    drawing: Sequence[Any],
    draw: Draw,
    exposed: QRectF,
    widget: QWidget | None,
) -> bool:
    """Paint ``item``'s ``drawing`` over ``exposed`` from its raster, if one holds it in this
    view; else False (the item paints it itself), and a raster of it in this view is made
    in the next turns. ``drawing`` is the item's as long as it paints the same pixels: one
    that would paint others (a new appearance image) is a new sequence, or ``forget``."""
    if widget is None or painter.opacity() != 1.0:
        return False
    if painter.compositionMode() != _MODE.CompositionMode_SourceOver:
        return False
    view = _to_device(painter).mapRect(QRectF(widget.rect())).toAlignedRect()
    key, device = (id(item), id(drawing)), painter.deviceTransform()
    raster = _kept.get(key)
    if raster is not None and raster.drawing is drawing:
        if raster.lay(painter, exposed, view):
            _kept.move_to_end(key)
            return True
        if not raster.ready and raster.offset(device) is not None:
            return False  # being made for this view
    region = _region(device.mapRect(item.boundingRect()).toAlignedRect(), view)
    if region is not None:
        _drop(key)
        raster = _kept[key] = Raster(drawing, draw, device, region, painter.renderHints())
        QTimer.singleShot(QUIET_MS, lambda: _start(key, raster))
        while kept_bytes() > BUDGET and len(_kept) > 1:
            _drop(next(iter(_kept)))
    return False


def _start(key: tuple[int, int], raster: Raster) -> None:
    if _kept.get(key) is raster:  # (not dropped or made anew meanwhile)
        turns.later(raster, raster.step, turns.RASTERS)


def _region(bounds: QRect, view: QRect) -> QRect | None:
    """The device pixels a raster of an item over ``bounds`` holds: all of it, or the part
    within half a view of the view, or the part in it; None when even that is too big."""
    half_wide, half_high = view.width() // 2, view.height() // 2
    near = view.adjusted(-half_wide, -half_high, half_wide, half_high)
    for region in (bounds, bounds.intersected(near), bounds.intersected(view)):
        if not region.isEmpty() and region.width() * region.height() <= MOST_PIXELS:
            return region
    return None


def _drop(key: tuple[int, int]) -> None:
    raster = _kept.pop(key, None)
    if raster is not None:
        turns.drop(raster)


def forget(item: QGraphicsItem) -> None:
    """Drop ``item``'s rasters: what it paints changed without a new drawing."""
    for key in [k for k in _kept if k[0] == id(item)]:
        _drop(key)


def clear() -> None:
    """Drop every raster (a document closed: its items went)."""
    for key in list(_kept):
        _drop(key)


def pending() -> bool:
    """Whether a raster is waiting to be painted or being painted."""
    return not all(raster.ready for raster in _kept.values())


def kept_bytes() -> int:
    """The bytes every raster holds together (at most ``BUDGET``, or one raster's)."""
    return sum(r.size for r in _kept.values())
