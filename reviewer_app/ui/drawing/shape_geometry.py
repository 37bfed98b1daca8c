"""Shape geometry in page points (no Qt): dragged boxes, 45° snapping, pictures fitted to a box."""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # Instant bbox: left, top, width, height
Size = tuple[float, float]


def dragged_box(start: Point, end: Point, page: Size, square: bool = False) -> Box:
    """The box between ``start`` and ``end``; with ``square``, a square on the side of the
    drag, as large as the longer side allows without leaving the page."""
    (x0, y0), (x1, y1) = start, end
    if square:
        dx, dy = x1 - x0, y1 - y0
        room_x = page[0] - x0 if dx >= 0 else x0
        room_y = page[1] - y0 if dy >= 0 else y0
        side = min(max(abs(dx), abs(dy)), room_x, room_y)
        x1 = x0 + math.copysign(side, dx or 1.0)
        y1 = y0 + math.copysign(side, dy or 1.0)
    return (min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))


def snapped(start: Point, end: Point, page: Size) -> Point:
    """``end`` moved to the nearest multiple of 45° around ``start`` (the same distance along
    that direction, shortened where the page ends)."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    if length == 0:
        return end
    angle = round(math.atan2(dy, dx) / (math.pi / 4)) * (math.pi / 4)
    ux, uy = math.cos(angle), math.sin(angle)
    ux, uy = (0.0 if abs(ux) < 1e-9 else ux), (0.0 if abs(uy) < 1e-9 else uy)
    length = length * abs(math.cos(math.atan2(dy, dx) - angle))  # the projection
    for u, at, size in ((ux, start[0], page[0]), (uy, start[1], page[1])):
        if u > 0:
            length = min(length, (size - at) / u)
        elif u < 0:
            length = min(length, at / -u)
    return (start[0] + ux * length, start[1] + uy * length)


def bounds(points: Sequence[Point], margin: float = 0.0) -> Box:
    """The box around ``points``, ``margin`` wider on every side."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    left, top = min(xs) - margin, min(ys) - margin
    return (left, top, max(xs) + margin - left, max(ys) + margin - top)


def fitted(size: Size, box: Box) -> Box:
    """A picture of ``size`` as large as fits in ``box``, centred in it (ratio kept)."""
    scale = min(box[2] / size[0], box[3] / size[1])
    width, height = size[0] * scale, size[1] * scale
    return (box[0] + (box[2] - width) / 2, box[1] + (box[3] - height) / 2, width, height)


def placed(size: Size, at: Point, page: Size) -> Box:
    """A box of ``size`` centred on ``at``, shrunk (ratio kept) and moved to lie on the page."""
    scale = min(1.0, page[0] / size[0], page[1] / size[1])
    width, height = size[0] * scale, size[1] * scale
    left = min(max(at[0] - width / 2, 0.0), page[0] - width)
    top = min(max(at[1] - height / 2, 0.0), page[1] - height)
    return (left, top, width, height)


def rounded(values: Sequence[float]) -> list[float]:
    """Page points to two decimals (a hundredth of a point is finer than any printer)."""
    return [round(float(v), 2) for v in values]
