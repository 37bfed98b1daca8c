"""Valid Instant JSON examples of every annotation type, v1 and v2, built on api.md."""

from __future__ import annotations

import copy
from typing import Any

Json = dict[str, Any]

BASE: Json = {"pageIndex": 0, "bbox": [10.5, 20, 100, 50], "opacity": 1}

# Type-specific fields valid in both versions (text and note text differ, see below).
_FIELDS: dict[str, Json] = {
    "pspdfkit/markup/highlight": {
        "rects": [[255.1, 656.76, 145.92, 18.39]],
        "color": "#fcee7c",
        "blendMode": "multiply",
    },
    "pspdfkit/markup/underline": {"rects": [[10, 20, 30, 4]], "color": "#FF0000"},
    "pspdfkit/markup/strikeout": {"rects": [[10, 20, 30, 4], [10, 30, 20, 4]], "color": "#000000"},
    "pspdfkit/markup/squiggly": {"rects": [[10, 20, 30, 4]], "color": "#00aa00"},
    "pspdfkit/markup/redaction": {
        "rects": [[10, 20, 30, 4]],
        "outlineColor": "#ff0000",
        "fillColor": "#000000",
        "overlayText": "REDACTED",
    },
    "pspdfkit/ink": {
        "lineWidth": 4,
        "strokeColor": "#2293fb",
        "isDrawnNaturally": False,
        "lines": {
            "points": [[[100, 100], [150, 120], [200, 140]]],
            "intensities": [[0.5, 0.5, 0.5]],
        },
        "createdAt": "2024-01-01T10:00:00Z",
        "updatedAt": "2024-01-01T10:00:00Z",
        "creatorName": "Alice",
    },
    "pspdfkit/shape/rectangle": {"strokeWidth": 2, "strokeColor": "#123abc", "fillColor": None},
    "pspdfkit/shape/ellipse": {
        "strokeWidth": 1.5,
        "strokeColor": "#123ABC",
        "fillColor": "#ffffff",
    },
    "pspdfkit/shape/line": {
        "startPoint": [10, 20],
        "endPoint": [110, 70],
        "strokeWidth": 3,
        "lineCaps": {"start": "openArrow", "end": "circle"},
    },
    "pspdfkit/shape/polyline": {"points": [[10, 20], [50, 60], [110, 70]], "strokeWidth": 1},
    "pspdfkit/shape/polygon": {"points": [[10, 20], [50, 60], [110, 20]], "fillColor": "#eeeeee"},
    "pspdfkit/image": {
        "imageAttachmentId": "a" * 64,
        "contentType": "image/png",
        "fileName": "logo.png",
    },
    "pspdfkit/stamp": {"stampType": "Approved", "color": "#00ff00"},
    "pspdfkit/link": {"action": {"type": "uri", "uri": "https://example.org"}},
    "pspdfkit/widget": {
        "formFieldName": "First-Name",
        "fontSize": "auto",
        "borderColor": "#000000",
    },
}

V1_ONLY: dict[str, Json] = {
    "pspdfkit/text": {"text": "Plain v1 text", "fontSize": 12},
    "pspdfkit/note": {"text": "This is a yellow note", "icon": "comment", "color": "#ffff00"},
}

V2_ONLY: dict[str, Json] = {
    "pspdfkit/text": {
        "text": {"format": "plain", "value": "Hello"},
        "fontSize": 14,
        "opacity": 1,
        "horizontalAlign": "left",
        "verticalAlign": "top",
        "fontColor": "#000000",
    },
    "pspdfkit/note": {
        "text": {"format": "xhtml", "value": "<p><b>Look</b> here</p>"},
        "icon": "star",
    },
    "pspdfkit/comment-marker": {"icon": "comment", "text": {"format": "plain", "value": "Hi"}},
}

ALL_TYPES = sorted({*_FIELDS, *V1_ONLY, *V2_ONLY})


def annotation(annotation_type: str, version: int = 2, /, **changes: Any) -> Json:
    """A fresh valid annotation of ``annotation_type`` and ``version``, with ``changes`` applied."""
    extra = (V1_ONLY if version == 1 else V2_ONLY).get(
        annotation_type, _FIELDS.get(annotation_type)
    )
    if extra is None:
        raise KeyError(f"no v{version} example of {annotation_type}")
    content: Json = {"v": version, "type": annotation_type, **copy.deepcopy(BASE)}
    content.update(copy.deepcopy(extra))
    content.update(changes)
    return content


def examples(version: int) -> list[Json]:
    """One valid example of every type that exists in ``version``."""
    types = [t for t in ALL_TYPES if not (version == 1 and t == "pspdfkit/comment-marker")]
    return [annotation(t, version) for t in types]


def bookmark(**changes: Any) -> Json:
    content: Json = {
        "type": "pspdfkit/bookmark",
        "v": 1,
        "name": "Intro",
        "action": {"type": "goTo", "pageIndex": 2},
    }
    content.update(changes)
    return content


def form_field_value(**changes: Any) -> Json:
    content: Json = {
        "type": "pspdfkit/form-field-value",
        "v": 1,
        "name": "First-Name",
        "value": "Jane",
        "optionIndexes": [0],
        "isFitting": False,
    }
    content.update(changes)
    return content
