"""Validation of Instant JSON annotations, bookmarks and form field values (api.md §5.2–5.6)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .checks import (
    COLOUR_KEYS,
    check_action,
    check_colour,
    check_enum,
    check_iso_date,
    check_number,
    check_opacity,
    check_page_index,
    check_point,
    check_points,
    check_rect,
    check_rects,
    describe,
    is_int,
)
from .limits import id_problems, record_problems

MARKUP_TYPES = (
    "pspdfkit/markup/highlight",
    "pspdfkit/markup/underline",
    "pspdfkit/markup/strikeout",
    "pspdfkit/markup/squiggly",
)
SHAPE_TYPES = (
    "pspdfkit/shape/rectangle",
    "pspdfkit/shape/ellipse",
    "pspdfkit/shape/line",
    "pspdfkit/shape/polyline",
    "pspdfkit/shape/polygon",
)
STAMP_TYPES = (
    "Accepted", "Approved", "AsIs", "Completed", "Confidential", "Departmental", "Draft",
    "Experimental", "Expired", "Final", "ForComment", "ForPublicRelease", "InformationOnly",
    "InitialHere", "NotApproved", "NotForPublicRelease", "PreliminaryResults", "Rejected",
    "Revised", "SignHere", "Sold", "TopSecret", "Void", "Witness", "Custom",
)  # fmt: skip
NOTE_ICONS = (
    "comment", "rightPointer", "rightArrow", "check", "circle", "cross", "insert",
    "newParagraph", "note", "paragraph", "help", "star", "key",
)  # fmt: skip
HORIZONTAL_ALIGNS = ("left", "center", "right")
VERTICAL_ALIGNS = ("top", "center", "bottom")
TEXT_FORMATS = ("plain", "xhtml")

Content = Mapping[str, Any]
TypeCheck = Callable[[Content, int], list[str]]


def _require(content: Content, *keys: str) -> list[str]:
    return [f"missing '{key}'" for key in keys if key not in content]


def _check_text(content: Content, version: int) -> list[str]:
    """``text``: a plain string in v1, ``{"format": "plain"|"xhtml", "value": str}`` in v2."""
    if "text" not in content:
        return []
    text = content["text"]
    if version == 1:
        if isinstance(text, str):
            return []
        return [f"'text' must be a string in v1, not {describe(text)}"]
    if not isinstance(text, Mapping):
        return [f"'text' must be {{'format', 'value'}} in v2, not {describe(text)}"]
    problems = check_enum("text.format", text.get("format"), TEXT_FORMATS)
    if not isinstance(text.get("value"), str):
        problems.append(f"'text.value' must be a string, not {describe(text.get('value'))}")
    return problems


def _markup(content: Content, version: int) -> list[str]:
    return _require(content, "rects", "color")


def _text(content: Content, version: int) -> list[str]:
    required: tuple[str, ...] = ("text", "fontSize")
    if version == 2:
        required += ("opacity", "horizontalAlign", "verticalAlign")
    return _require(content, *required) + _check_text(content, version)


def _note(content: Content, version: int) -> list[str]:
    problems = _require(content, "text", "icon") + _check_text(content, version)
    if "icon" in content:
        problems += check_enum("icon", content["icon"], NOTE_ICONS)
    return problems


def _ink(content: Content, version: int) -> list[str]:
    problems = _require(content, "lines", "lineWidth")
    lines = content.get("lines")
    if "lines" not in content:
        return problems
    if not isinstance(lines, Mapping) or "points" not in lines:
        return [*problems, f"'lines' must be an object with 'points', not {describe(lines)}"]
    points = lines["points"]
    if not isinstance(points, list):
        return [*problems, f"'lines.points' must be a list of lines, not {describe(points)}"]
    for i, line in enumerate(points):
        problems += check_points(f"lines.points[{i}]", line)
    intensities = lines.get("intensities")
    if intensities is not None and not (
        isinstance(intensities, list) and all(isinstance(row, list) for row in intensities)
    ):
        problems.append(f"'lines.intensities' must be a list of lists, not {describe(intensities)}")
    return problems


def _line(content: Content, version: int) -> list[str]:
    return _require(content, "startPoint", "endPoint")


def _points(content: Content, version: int) -> list[str]:
    return _require(content, "points")


def _stamp(content: Content, version: int) -> list[str]:
    if "stampType" not in content:
        return ["missing 'stampType'"]
    return check_enum("stampType", content["stampType"], STAMP_TYPES)


def _link(content: Content, version: int) -> list[str]:
    return _require(content, "action")


def _comment_marker(content: Content, version: int) -> list[str]:
    if version != 2:
        return ["'pspdfkit/comment-marker' exists only in v2"]
    problems = _require(content, "icon") + _check_text(content, version)
    if "icon" in content and not isinstance(content["icon"], str):
        problems.append(f"'icon' must be a string, not {describe(content['icon'])}")
    return problems


def _nothing(content: Content, version: int) -> list[str]:
    return []


TYPE_CHECKS: dict[str, TypeCheck] = {
    **dict.fromkeys(MARKUP_TYPES, _markup),
    "pspdfkit/markup/redaction": _nothing,
    "pspdfkit/text": _text,
    "pspdfkit/note": _note,
    "pspdfkit/ink": _ink,
    "pspdfkit/shape/rectangle": _nothing,
    "pspdfkit/shape/ellipse": _nothing,
    "pspdfkit/shape/line": _line,
    "pspdfkit/shape/polyline": _points,
    "pspdfkit/shape/polygon": _points,
    "pspdfkit/image": _nothing,
    "pspdfkit/stamp": _stamp,
    "pspdfkit/link": _link,
    "pspdfkit/widget": _nothing,
    "pspdfkit/comment-marker": _comment_marker,
}
KNOWN_ANNOTATION_TYPES = tuple(TYPE_CHECKS)


def _check_properties(content: Content, annotation_type: str) -> list[str]:
    """Checks on optional properties shared by the known types, applied when a key is present."""
    problems: list[str] = []
    for key in COLOUR_KEYS:
        if key in content:
            problems += check_colour(key, content[key])
    if "opacity" in content:
        problems += check_opacity(content["opacity"])
    if "rects" in content:
        problems += check_rects("rects", content["rects"])
    for key in ("startPoint", "endPoint"):
        if key in content:
            problems += check_point(key, content[key])
    if "points" in content:
        problems += check_points("points", content["points"])
    for key in ("lineWidth", "strokeWidth"):
        if key in content:
            problems += check_number(key, content[key], minimum=0)
    font_size = content.get("fontSize")
    if "fontSize" in content and not (annotation_type == "pspdfkit/widget" and font_size == "auto"):
        problems += check_number("fontSize", font_size, minimum=0)
    if "horizontalAlign" in content:
        problems += check_enum("horizontalAlign", content["horizontalAlign"], HORIZONTAL_ALIGNS)
    if "verticalAlign" in content:
        problems += check_enum("verticalAlign", content["verticalAlign"], VERTICAL_ALIGNS)
    for key in ("createdAt", "updatedAt"):
        if key in content:
            problems += check_iso_date(key, content[key])
    if "action" in content:
        problems += check_action("action", content["action"])
    custom = content.get("customData")
    if custom is not None and not isinstance(custom, Mapping):
        problems.append(f"'customData' must be an object or null, not {describe(custom)}")
    return problems


def _check_identity(content: Content) -> list[str]:
    """Checks on ``id`` and ``pdfObjectId``, which import relies on for every type."""
    problems = []
    if "id" in content and not (isinstance(content["id"], str) and content["id"]):
        problems.append(f"'id' must be a non-empty string, not {describe(content['id'])}")
    problems += id_problems("id", content.get("id"))
    object_id = content.get("pdfObjectId")
    if object_id is not None and not (is_int(object_id) and object_id >= 0):
        problems.append(f"'pdfObjectId' must be a non-negative integer, not {describe(object_id)}")
    return problems


def validate_annotation(content: object, *, page_count: int | None = None) -> list[str]:
    """Problems with ``content`` as an Instant JSON annotation (v1 or v2); empty means valid.

    Unknown types are valid when their base fields are: they are kept, not understood.
    With ``page_count``, a ``pageIndex`` past the last page is a problem too.
    """
    if not isinstance(content, Mapping):
        return [f"an annotation must be an object, not {describe(content)}"]
    version: Any = content.get("v")
    known_version = is_int(version) and version in (1, 2)
    problems = [] if known_version else [f"'v' must be 1 or 2, not {describe(version)}"]
    annotation_type = content.get("type")
    if not isinstance(annotation_type, str) or not annotation_type:
        problems.append(f"'type' must be a non-empty string, not {describe(annotation_type)}")
    problems += _require(content, "pageIndex", "bbox")
    if "pageIndex" in content:
        problems += check_page_index(content["pageIndex"], page_count)
    if "bbox" in content:
        problems += check_rect("bbox", content["bbox"])
    problems += _check_identity(content)
    if isinstance(annotation_type, str) and annotation_type in TYPE_CHECKS and known_version:
        problems += TYPE_CHECKS[annotation_type](content, version)
        problems += _check_properties(content, annotation_type)
    return problems + record_problems(content)


def validate_bookmark(content: object) -> list[str]:
    """Problems with ``content`` as an Instant JSON bookmark; empty means valid."""
    if not isinstance(content, Mapping):
        return [f"a bookmark must be an object, not {describe(content)}"]
    problems = _check_kind(content, "pspdfkit/bookmark") + _require(content, "action")
    if "action" in content:
        problems += check_action("action", content["action"])
    for key in ("id", "pdfBookmarkId"):
        if key in content and not (isinstance(content[key], str) and content[key]):
            problems.append(f"'{key}' must be a non-empty string, not {describe(content[key])}")
        problems += id_problems(key, content.get(key))
    if "name" in content and not isinstance(content["name"], str):
        problems.append(f"'name' must be a string, not {describe(content['name'])}")
    return problems + record_problems(content)


def validate_form_field_value(content: object) -> list[str]:
    """Problems with ``content`` as an Instant JSON form field value; empty means valid.

    A missing ``value`` counts as null (an empty field).
    """
    if not isinstance(content, Mapping):
        return [f"a form field value must be an object, not {describe(content)}"]
    problems = _check_kind(content, "pspdfkit/form-field-value")
    name = content.get("name")
    if not isinstance(name, str) or not name:
        problems.append(f"'name' must be a non-empty string, not {describe(name)}")
    problems += id_problems("name", name)
    value = content.get("value")
    if not (
        value is None
        or isinstance(value, str)
        or (isinstance(value, list) and all(isinstance(item, str) for item in value))
    ):
        problems.append(f"'value' must be a string, null or list of strings, not {describe(value)}")
    indexes = content.get("optionIndexes")
    if indexes is not None and not (
        isinstance(indexes, list) and all(is_int(i) and i >= 0 for i in indexes)
    ):
        problems.append(
            f"'optionIndexes' must be a list of non-negative integers, not {describe(indexes)}"
        )
    return problems + record_problems(content)


def _check_kind(content: Content, expected_type: str) -> list[str]:
    problems = []
    if content.get("type") != expected_type:
        problems.append(f"'type' must be '{expected_type}', not {describe(content.get('type'))}")
    version = content.get("v")
    if not (is_int(version) and version in (1, 2)):
        problems.append(f"'v' must be 1 or 2, not {describe(version)}")
    return problems
