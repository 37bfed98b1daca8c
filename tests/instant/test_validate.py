"""Tests for validating Instant JSON annotations, bookmarks and form field values."""

from __future__ import annotations

from typing import Any

import pytest

from reviewer_app.instant import validate_annotation, validate_bookmark, validate_form_field_value
from reviewer_app.instant.validate import KNOWN_ANNOTATION_TYPES

from .examples import ALL_TYPES, annotation, bookmark, examples, form_field_value


def test_examples_cover_every_known_type() -> None:
    assert sorted(KNOWN_ANNOTATION_TYPES) == ALL_TYPES


@pytest.mark.parametrize("version", [1, 2])
def test_valid_examples_of_every_type_pass(version: int) -> None:
    for content in examples(version):
        assert validate_annotation(content) == [], content["type"]


def test_api_md_examples_pass() -> None:
    highlight = {
        "v": 2,
        "type": "pspdfkit/markup/highlight",
        "pageIndex": 0,
        "bbox": [255.1, 656.76, 145.92, 18.39],
        "rects": [[255.1, 656.76, 145.92, 18.39]],
        "color": "#fcee7c",
        "opacity": 1,
        "blendMode": "multiply",
    }
    ink = {
        "v": 2,
        "type": "pspdfkit/ink",
        "id": "01HZX0000000000000000000AB",
        "pageIndex": 0,
        "bbox": [90, 90, 120, 60],
        "opacity": 1,
        "lineWidth": 4,
        "strokeColor": "#2293fb",
        "isDrawnNaturally": False,
        "lines": {"points": [[[100, 100], [150, 120], [200, 140]]], "intensities": [[0.5] * 3]},
        "createdAt": "2024-01-01T10:00:00Z",
        "updatedAt": "2019-09-16T15:05:03.712909Z",
        "creatorName": "Alice",
    }
    assert validate_annotation(highlight) == []
    assert validate_annotation(ink) == []


def _problems(content: Any, **kwargs: Any) -> str:
    problems = validate_annotation(content, **kwargs)
    assert problems, "expected the annotation to be rejected"
    assert all("\n" not in problem for problem in problems)
    return " | ".join(problems)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"color": "red"}, "'color' must be a colour"),
        ({"color": "#ff00"}, "'color' must be a colour"),
        ({"color": "#gg0000"}, "'color' must be a colour"),
        ({"pageIndex": -1}, "'pageIndex' must not be negative"),
        ({"pageIndex": True}, "'pageIndex' must be an integer"),
        ({"pageIndex": 1.0}, "'pageIndex' must be an integer"),
        ({"bbox": [1, 2, 3]}, "'bbox' must be [left, top, width, height]"),
        ({"bbox": [1, 2, 3, -4]}, "negative width or height"),
        ({"bbox": [1, 2, 3, float("nan")]}, "'bbox'"),
        ({"bbox": [1, 2, True, 4]}, "'bbox'"),
        ({"v": 3}, "'v' must be 1 or 2"),
        ({"v": True}, "'v' must be 1 or 2"),
        ({"type": 7}, "'type' must be a non-empty string"),
        ({"opacity": 1.5}, "'opacity' must be from 0 to 1"),
        ({"opacity": "1"}, "'opacity' must be a number"),
        ({"rects": [[1, 2, 3]]}, "'rects[0]'"),
        ({"rects": "all"}, "'rects' must be a list of rects"),
        ({"createdAt": "yesterday"}, "'createdAt' must be an ISO 8601"),
        ({"updatedAt": "2024-13-01T10:00:00Z"}, "'updatedAt' must be an ISO 8601"),
        ({"id": ""}, "'id' must be a non-empty string"),
        ({"pdfObjectId": "12"}, "'pdfObjectId' must be a non-negative integer"),
        ({"customData": [1]}, "'customData' must be an object or null"),
    ],
)
def test_rule_violations_on_a_highlight_are_caught(changes: dict[str, Any], expected: str) -> None:
    assert expected in _problems(annotation("pspdfkit/markup/highlight", **changes))


@pytest.mark.parametrize(
    ("annotation_type", "version", "missing"),
    [
        ("pspdfkit/markup/highlight", 2, "rects"),
        ("pspdfkit/markup/squiggly", 1, "color"),
        ("pspdfkit/text", 1, "fontSize"),
        ("pspdfkit/text", 2, "text"),
        ("pspdfkit/text", 2, "horizontalAlign"),
        ("pspdfkit/text", 2, "verticalAlign"),
        ("pspdfkit/text", 2, "opacity"),
        ("pspdfkit/note", 1, "text"),
        ("pspdfkit/note", 2, "icon"),
        ("pspdfkit/ink", 2, "lines"),
        ("pspdfkit/ink", 1, "lineWidth"),
        ("pspdfkit/shape/line", 2, "startPoint"),
        ("pspdfkit/shape/line", 1, "endPoint"),
        ("pspdfkit/shape/polyline", 2, "points"),
        ("pspdfkit/shape/polygon", 1, "points"),
        ("pspdfkit/stamp", 2, "stampType"),
        ("pspdfkit/link", 1, "action"),
        ("pspdfkit/comment-marker", 2, "icon"),
        ("pspdfkit/image", 2, "pageIndex"),
        ("pspdfkit/widget", 1, "bbox"),
    ],
)
def test_missing_required_field_is_caught(annotation_type: str, version: int, missing: str) -> None:
    content = annotation(annotation_type, version)
    del content[missing]
    assert f"missing '{missing}'" in _problems(content)


def test_v1_text_needs_only_text_and_font_size() -> None:
    content = {"v": 1, "type": "pspdfkit/text", "pageIndex": 0, "bbox": [0, 0, 10, 10]}
    assert _problems(content) == "missing 'text' | missing 'fontSize'"
    assert validate_annotation({**content, "text": "Hi", "fontSize": 10}) == []


@pytest.mark.parametrize("annotation_type", ["pspdfkit/text", "pspdfkit/note"])
def test_text_shape_depends_on_version(annotation_type: str) -> None:
    v2_with_plain_string = annotation(annotation_type, 2, text="plain string")
    assert "'text' must be {'format', 'value'} in v2" in _problems(v2_with_plain_string)
    v1_with_object = annotation(annotation_type, 1, text={"format": "plain", "value": "x"})
    assert "'text' must be a string in v1" in _problems(v1_with_object)
    bad_format = annotation(annotation_type, 2, text={"format": "html", "value": "x"})
    assert "'text.format' must be one of plain, xhtml" in _problems(bad_format)
    no_value = annotation(annotation_type, 2, text={"format": "plain"})
    assert "'text.value' must be a string" in _problems(no_value)


def test_enumerations_are_checked() -> None:
    assert "'stampType' must be one of" in _problems(annotation("pspdfkit/stamp", stampType="Ok"))
    assert "'icon' must be one of" in _problems(annotation("pspdfkit/note", icon="smiley"))
    assert "'horizontalAlign'" in _problems(annotation("pspdfkit/text", horizontalAlign="middle"))
    assert "'verticalAlign'" in _problems(annotation("pspdfkit/text", verticalAlign="middle"))


def test_comment_marker_is_v2_only() -> None:
    content = annotation("pspdfkit/comment-marker", 2, v=1)
    assert "exists only in v2" in _problems(content)


def test_every_colour_key_is_checked_and_null_is_allowed() -> None:
    keys = ["color", "strokeColor", "fillColor", "fontColor", "backgroundColor"]
    keys += ["borderColor", "outlineColor"]
    for key in keys:
        assert validate_annotation(annotation("pspdfkit/shape/rectangle", **{key: None})) == []
        assert validate_annotation(annotation("pspdfkit/shape/rectangle", **{key: "#AbCdEf"})) == []
        assert f"'{key}' must be a colour" in _problems(
            annotation("pspdfkit/shape/rectangle", **{key: "#abcdefff"})
        )


def test_geometry_checks() -> None:
    assert "'startPoint'" in _problems(annotation("pspdfkit/shape/line", startPoint=[1, 2, 3]))
    bad_points = annotation("pspdfkit/shape/polygon", points=[[1, 2], [3]])
    assert "'points[1]' must be a point" in _problems(bad_points)
    flat_ink = annotation("pspdfkit/ink", lines={"points": [[1, 2], [3, 4]]})
    assert "'lines.points[0][0]' must be a point" in _problems(flat_ink)
    assert "'lines' must be an object" in _problems(annotation("pspdfkit/ink", lines=[]))


@pytest.mark.parametrize(
    ("key", "value"),
    [("lineWidth", -1), ("strokeWidth", -0.5), ("fontSize", -2), ("fontSize", "12")],
)
def test_widths_and_font_size_must_be_non_negative_numbers(key: str, value: Any) -> None:
    annotation_type = {"lineWidth": "pspdfkit/ink", "strokeWidth": "pspdfkit/shape/ellipse"}
    content = annotation(annotation_type.get(key, "pspdfkit/text"), **{key: value})
    assert f"'{key}'" in _problems(content)


def test_font_size_auto_is_only_for_widgets() -> None:
    assert validate_annotation(annotation("pspdfkit/widget", fontSize="auto")) == []
    assert "'fontSize' must be a number" in _problems(annotation("pspdfkit/text", fontSize="auto"))


@pytest.mark.parametrize(
    "stamp",
    ["2019-09-16T15:05:03.712909Z", "2024-01-01T10:00:00+02:00", "2024-01-01T10:00:00.123456789Z"],
)
def test_iso_dates_accepted(stamp: str) -> None:
    assert validate_annotation(annotation("pspdfkit/stamp", createdAt=stamp)) == []


def test_page_count_bounds_page_index() -> None:
    content = annotation("pspdfkit/image", pageIndex=3)
    assert validate_annotation(content, page_count=4) == []
    assert "Page index out of bounds" in _problems(content, page_count=3)


def test_unknown_types_are_valid_when_base_fields_are() -> None:
    unknown = {
        "v": 2,
        "type": "pspdfkit/media",
        "pageIndex": 1,
        "bbox": [0, 0, 1, 1],
        "color": "not checked for unknown types",
        "whatever": {"nested": [1, 2, None]},
    }
    assert validate_annotation(unknown) == []
    assert validate_annotation({**unknown, "type": "vendor-thing"}) == []
    assert "'bbox'" in _problems({**unknown, "bbox": [0, 0, 1]})
    assert "missing 'pageIndex'" in _problems(
        {k: v for k, v in unknown.items() if k != "pageIndex"}
    )


def test_non_object_annotation_is_rejected() -> None:
    assert "must be an object" in _problems(["not", "an", "object"])


def test_bookmark_rules() -> None:
    assert validate_bookmark(bookmark()) == []
    assert validate_bookmark(bookmark(name=None)) != []
    no_action = bookmark()
    del no_action["action"]
    assert validate_bookmark(no_action) == ["missing 'action'"]
    assert "'action' must have a string 'type'" in validate_bookmark(bookmark(action={}))[0]
    assert "'type' must be 'pspdfkit/bookmark'" in validate_bookmark(bookmark(type="x"))[0]
    assert "'v' must be 1 or 2" in validate_bookmark(bookmark(v=None))[0]


@pytest.mark.parametrize("value", ["Jane", None, ["a", "b"], []])
def test_form_field_value_accepts_value_shapes(value: Any) -> None:
    assert validate_form_field_value(form_field_value(value=value)) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": ""}, "'name' must be a non-empty string"),
        ({"name": 3}, "'name' must be a non-empty string"),
        ({"value": 3}, "'value' must be a string, null or list of strings"),
        ({"value": ["a", 1]}, "'value' must be a string, null or list of strings"),
        ({"optionIndexes": [-1]}, "'optionIndexes'"),
        ({"optionIndexes": [True]}, "'optionIndexes'"),
        ({"type": "pspdfkit/form-field"}, "'type' must be 'pspdfkit/form-field-value'"),
    ],
)
def test_form_field_value_rules(changes: dict[str, Any], expected: str) -> None:
    problems = validate_form_field_value(form_field_value(**changes))
    assert any(expected in problem for problem in problems), problems
