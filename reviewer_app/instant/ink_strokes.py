"""Ink strokes as Instant JSON keeps them: smoothing a drawn stroke, its bbox, erasing by touch."""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

Point = tuple[float, float]

TOLERANCE = 0.35  # points a simplified stroke may stray from the smoothed one
SOFTEN_PASSES = 2  # passes of a [1, 2, 1] / 4 moving average over the drawn points


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    """The distance from ``p`` to the segment ``a``–``b``."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2
    t = min(max(t, 0.0), 1.0)
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def simplify(points: Sequence[Point], tolerance: float = TOLERANCE) -> list[int]:
    """The indices of the points Ramer–Douglas–Peucker keeps (the ends always)."""
    if len(points) < 3:
        return list(range(len(points)))
    keep = {0, len(points) - 1}
    spans = [(0, len(points) - 1)]
    while spans:  # a stack, not recursion: a long stroke has thousands of points
        first, last = spans.pop()
        far, index = 0.0, -1
        for i in range(first + 1, last):
            distance = _segment_distance(points[i], points[first], points[last])
            if distance > far:
                far, index = distance, i
        if far > tolerance:
            keep.add(index)
            spans += [(first, index), (index, last)]
    return sorted(keep)


def soften(points: Sequence[Point], passes: int = SOFTEN_PASSES) -> list[Point]:
    """The points with the mouse's jitter taken out (a light moving average; ends stay put)."""
    result = list(points)
    for _ in range(passes):
        if len(result) < 3:
            break
        inner = [
            ((a[0] + 2 * b[0] + c[0]) / 4, (a[1] + 2 * b[1] + c[1]) / 4)
            for a, b, c in zip(result, result[1:], result[2:], strict=False)
        ]
        result = [result[0], *inner, result[-1]]
    return result


def smooth_stroke(
    points: Sequence[Point],
    intensities: Sequence[float] | None = None,
    tolerance: float = TOLERANCE,
) -> tuple[list[Point], list[float]]:
    """A drawn stroke ready to store: repeated points dropped, softened, then simplified; the
    ends are kept exactly. ``intensities`` (pen pressure, one per point; 1.0 when not given)
    follow the points kept."""
    pressures = list(intensities) if intensities is not None else [1.0] * len(points)
    if len(pressures) != len(points):
        pressures = [1.0] * len(points)
    distinct: list[Point] = []
    kept_pressure: list[float] = []
    for point, pressure in zip(points, pressures, strict=True):
        if distinct and distinct[-1] == point:
            kept_pressure[-1] = max(kept_pressure[-1], pressure)
            continue
        distinct.append((float(point[0]), float(point[1])))
        kept_pressure.append(float(pressure))
    softened = soften(distinct)
    indices = simplify(softened, tolerance)
    return (
        [(round(softened[i][0], 2), round(softened[i][1], 2)) for i in indices],
        [round(min(max(kept_pressure[i], 0.0), 1.0), 3) for i in indices],
    )


def lines_bbox(lines: Sequence[Sequence[Sequence[float]]], width: float) -> list[float]:
    """The Instant ``bbox`` [x, y, w, h] around ``lines`` and half the pen ``width``."""
    xs = [float(p[0]) for line in lines for p in line]
    ys = [float(p[1]) for line in lines for p in line]
    if not xs:
        return [0.0, 0.0, 0.0, 0.0]
    half = max(width, 0.0) / 2
    x0, y0 = min(xs) - half, min(ys) - half
    return [
        round(x0, 2),
        round(y0, 2),
        round(max(xs) + half - x0, 2),
        round(max(ys) + half - y0, 2),
    ]


def _crosses(a: Point, b: Point, c: Point, d: Point) -> bool:
    def side(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    d1, d2, d3, d4 = side(c, d, a), side(c, d, b), side(a, b, c), side(a, b, d)
    return d1 * d2 < 0 and d3 * d4 < 0


def segments_distance(a: Point, b: Point, c: Point, d: Point) -> float:
    """The distance between the segments ``a``–``b`` and ``c``–``d`` (0 when they cross)."""
    if _crosses(a, b, c, d):
        return 0.0
    return min(
        _segment_distance(a, c, d),
        _segment_distance(b, c, d),
        _segment_distance(c, a, b),
        _segment_distance(d, a, b),
    )


def line_touched(line: Sequence[Sequence[float]], a: Point, b: Point, reach: float) -> bool:
    """Whether the eraser moving from ``a`` to ``b`` comes within ``reach`` of the stroke
    ``line`` (a list of [x, y] points; a single point is a dot)."""
    points = [(float(p[0]), float(p[1])) for p in line if len(p) >= 2]
    if not points:
        return False
    left, right = min(a[0], b[0]) - reach, max(a[0], b[0]) + reach
    top, bottom = min(a[1], b[1]) - reach, max(a[1], b[1]) + reach
    if len(points) == 1:
        return segments_distance(points[0], points[0], a, b) <= reach
    for p, q in pairwise(points):
        if max(p[0], q[0]) < left or min(p[0], q[0]) > right:
            continue
        if max(p[1], q[1]) < top or min(p[1], q[1]) > bottom:
            continue
        if segments_distance(p, q, a, b) <= reach:
            return True
    return False
