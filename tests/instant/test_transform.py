"""Moving and resizing records: every geometry key follows, nothing else changes."""

from __future__ import annotations

import pytest

from reviewer_app.instant import validate_annotation
from reviewer_app.instant.transform import (
    bbox_of,
    kept_inside,
    moved,
    normalized,
    scaled,
    union,
)
from tests.instant.examples import ALL_TYPES, annotation


@pytest.mark.parametrize("annotation_type", ALL_TYPES)
def test_every_type_stays_valid_when_moved_and_scaled(annotation_type: str) -> None:
    content = annotation(annotation_type)
    shifted = moved(content, 12.5, -3)
    assert shifted["bbox"] == [23, 17, 100, 50]
    stretched = scaled(content, (10.5, 20, 100, 50), (0, 0, 200, 25))
    assert stretched["bbox"] == [0, 0, 200, 25]
    assert validate_annotation(shifted) == [] and validate_annotation(stretched) == []
    assert content == annotation(annotation_type)  # the original is left alone


def test_moving_shifts_each_geometry_key() -> None:
    ink = moved(annotation("pspdfkit/ink"), 10, 5)
    assert ink["lines"]["points"] == [[[110, 105], [160, 125], [210, 145]]]
    assert ink["lines"]["intensities"] == [[0.5, 0.5, 0.5]] and ink["lineWidth"] == 4
    line = moved(annotation("pspdfkit/shape/line"), -10, 1.25)
    assert (line["startPoint"], line["endPoint"]) == ([0, 21.25], [100, 71.25])
    polygon = moved(annotation("pspdfkit/shape/polygon"), 1, 2)
    assert polygon["points"] == [[11, 22], [51, 62], [111, 22]]
    strikeout = moved(annotation("pspdfkit/markup/strikeout"), 5, 5)
    assert strikeout["rects"] == [[15, 25, 30, 4], [15, 35, 20, 4]]
    callout = {"start": [0, 0], "knee": None, "end": [5, 5], "innerRectInset": [1, 2, 3, 4]}
    text = moved(annotation("pspdfkit/text", callout=callout), 3, 4)
    assert text["callout"] == {
        "start": [3, 4],
        "knee": None,
        "end": [8, 9],
        "innerRectInset": [1, 2, 3, 4],
    }


def test_scaling_maps_points_from_the_old_box_to_the_new() -> None:
    line = annotation("pspdfkit/shape/line", bbox=[10, 20, 100, 50])
    bigger = scaled(line, (10, 20, 100, 50), (10, 20, 200, 100))
    assert (bigger["startPoint"], bigger["endPoint"]) == ([10, 20], [210, 120])
    assert bigger["strokeWidth"] == 3  # widths are not stretched
    ink = annotation("pspdfkit/ink", bbox=[100, 100, 100, 40])
    half = scaled(ink, (100, 100, 100, 40), (0, 0, 50, 20))
    assert half["lines"]["points"] == [[[0, 0], [25, 10], [50, 20]]]
    markup = annotation("pspdfkit/markup/highlight", rects=[[10, 20, 30, 4]], bbox=[10, 20, 30, 4])
    wide = scaled(markup, (10, 20, 30, 4), (10, 20, 60, 8))
    assert wide["rects"] == [[10, 20, 60, 8]]


def test_a_handle_dragged_past_the_opposite_edge_flips_the_box() -> None:
    rect = annotation("pspdfkit/shape/rectangle", bbox=[10, 10, 20, 20])
    flipped = scaled(rect, (10, 10, 20, 20), (10, 10, -30, 20))
    assert flipped["bbox"] == [-20, 10, 30, 20]
    assert normalized((5, 5, -5, -10)) == (0, -5, 5, 10)


def test_a_box_without_area_and_malformed_geometry_are_kept() -> None:
    line = annotation("pspdfkit/shape/line", bbox=[10, 20, 0, 50], startPoint=[10, 20])
    taller = scaled(line, (10, 20, 0, 50), (15, 20, 0, 100))
    assert taller["startPoint"] == [15, 20]
    odd = {"bbox": "nope", "points": [[1, "x"], 3], "startPoint": None, "rects": [[1, 2]]}
    assert moved(odd, 1, 1) == odd
    assert bbox_of(odd) is None and bbox_of({"bbox": [1, 2, 3, 4]}) == (1, 2, 3, 4)


def test_union_and_keeping_a_box_on_its_page() -> None:
    assert union([(0, 0, 10, 10), (20, 5, 5, 20)]) == (0, 0, 25, 25)
    assert union([]) is None
    assert kept_inside((10, 10, 20, 20), -50, 5, (100, 100)) == (-10, 5)
    assert kept_inside((70, 70, 20, 20), 30, 30, (100, 100)) == (10, 10)
    assert kept_inside((0, 0, 200, 20), 5, 0, (100, 100)) == (0, 0)
