"""Ink strokes: smoothing keeps the drawn shape with fewer points; the eraser's touch test."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest

from reviewer_app.instant.ink_strokes import (
    line_touched,
    lines_bbox,
    segments_distance,
    simplify,
    smooth_stroke,
    soften,
)
from reviewer_app.instant.validate import validate_annotation


def wave(count: int = 200, jitter: float = 0.0) -> list[tuple[float, float]]:
    """A mouse-like stroke: one point per pixel along a sine wave, optionally jittered."""
    return [
        (50 + i, 100 + 20 * math.sin(i / 15) + (jitter if i % 2 else -jitter)) for i in range(count)
    ]


def distance_to_polyline(point: tuple[float, float], line: list[tuple[float, float]]) -> float:
    return min(segments_distance(point, point, a, b) for a, b in pairwise(line))


def test_smoothing_keeps_the_ends_and_the_shape_with_far_fewer_points() -> None:
    drawn = wave(jitter=0.4)
    points, intensities = smooth_stroke(drawn)
    assert points[0] == pytest.approx(drawn[0], abs=0.01)
    assert points[-1] == pytest.approx(drawn[-1], abs=0.01)
    assert len(points) < len(drawn) / 4
    assert len(intensities) == len(points) and set(intensities) == {1.0}
    assert max(distance_to_polyline(p, wave()) for p in points) < 1.0
    assert max(distance_to_polyline(p, points) for p in wave()) < 1.0


def test_pressure_follows_the_points_kept() -> None:
    drawn = [(float(x), 0.0) for x in range(10)] + [(9.0, float(y)) for y in range(1, 10)]
    pressure = [i / len(drawn) for i in range(len(drawn))]
    points, intensities = smooth_stroke(drawn, pressure)
    assert len(points) == len(intensities) >= 3
    assert intensities == sorted(intensities)  # still rising along the stroke
    assert intensities[0] == 0.0 and intensities[-1] == pytest.approx(pressure[-1], abs=1e-3)


def test_repeated_points_and_tiny_strokes() -> None:
    assert smooth_stroke([(1, 1), (1, 1), (5, 5)])[0] == [(1.0, 1.0), (5.0, 5.0)]
    assert smooth_stroke([]) == ([], [])
    assert simplify([(0, 0), (1, 0)]) == [0, 1]
    assert soften([(0, 0), (1, 1)]) == [(0, 0), (1, 1)]


def test_simplify_keeps_a_corner() -> None:
    line = [(float(x), 0.0) for x in range(20)] + [(19.0, float(y)) for y in range(1, 20)]
    kept = [line[i] for i in simplify(line)]
    assert kept == [(0.0, 0.0), (19.0, 0.0), (19.0, 19.0)]


def test_a_stored_stroke_is_valid_instant_json() -> None:
    points, intensities = smooth_stroke(wave())
    content = {
        "v": 2,
        "type": "pspdfkit/ink",
        "pageIndex": 0,
        "bbox": lines_bbox([points], 4),
        "lines": {"points": [[list(p) for p in points]], "intensities": [intensities]},
        "lineWidth": 4,
    }
    assert validate_annotation(content) == []
    x, y, w, h = content["bbox"]
    assert x == pytest.approx(48) and x + w == pytest.approx(251)
    assert y < 80 and y + h > 120


def test_the_eraser_touches_strokes_within_reach() -> None:
    line = [[0, 0], [100, 0]]
    assert line_touched(line, (50, 3), (50, 3), reach=4)
    assert not line_touched(line, (50, 6), (60, 6), reach=4)
    assert line_touched(line, (50, -30), (50, 30), reach=1)  # crossed between two moves
    assert not line_touched(line, (120, -30), (120, 30), reach=4)
    assert line_touched([[10, 10]], (12, 12), (12, 12), reach=4)  # a dot
    assert not line_touched([], (0, 0), (1, 1), reach=4)
