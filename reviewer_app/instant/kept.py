"""Which changes a base annotation's PDF appearance survives: moved (every type), stretched (a
stamp or a picture, whose appearance fills its box), another opacity, or changes no appearance
shows (a note's words, the author, the dates, the flags). The export keeps the PDF object for
those (pdf/write_kept.py) and the viewer keeps drawing the appearance (ui/annotations)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reviewer_app.instant.transform import Rect, bbox_of, moved

IGNORED = frozenset(("v", "id", "pdfObjectId", "name", "customData", "isCommentThreadRoot"))
UNSEEN = frozenset(("note", "creatorName", "createdAt", "updatedAt", "flags"))
"""What no appearance shows (a sticky note's ``text`` neither: it is in its popup)."""
GEOMETRY = frozenset(("bbox", "rects", "points", "lines", "startPoint", "endPoint", "callout"))
SCALED = frozenset(("pspdfkit/stamp", "pspdfkit/image"))  # an appearance that fills its box
_CLOSE = 0.01  # points: rounding of coordinates in records

Content = Mapping[str, Any]


def keeps_appearance(base: Content, content: Content) -> bool:
    """Whether ``content`` (a changed ``base``) can keep the base's appearance: the same type
    and page, and otherwise only moved (resized: a stamp or a picture), another opacity, or
    changes no appearance shows."""
    type_ = content.get("type")
    if type_ != base.get("type") or content.get("pageIndex") != base.get("pageIndex"):
        return False
    unseen = UNSEEN | ({"text"} if type_ == "pspdfkit/note" else set())
    changed = {k for k in base.keys() | content.keys() if base.get(k) != content.get(k)}
    changed -= IGNORED | unseen | {"opacity"}
    if not changed:
        return True
    if not changed <= GEOMETRY:
        return False
    old, new = bbox_of(base), bbox_of(content)
    if old is None or new is None:
        return False
    if type_ in SCALED:
        return changed == {"bbox"} and new[2] > 0 and new[3] > 0
    shifted = moved(base, new[0] - old[0], new[1] - old[1])
    return all(_close(shifted.get(k), content.get(k)) for k in changed)


def kept_place(base: Content, content: Content, rect: Rect) -> Rect:
    """Where ``rect`` (Instant points: where the base's appearance draws) goes once the
    annotation is ``content``: moved with its bbox, stretched as it is."""
    old, new = bbox_of(base), bbox_of(content)
    if old is None or new is None or old == new:
        return rect
    sx = new[2] / old[2] if old[2] else 1.0
    sy = new[3] / old[3] if old[3] else 1.0
    x, y, width, height = rect
    return (new[0] + (x - old[0]) * sx, new[1] + (y - old[1]) * sy, width * sx, height * sy)


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) <= _CLOSE
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_close, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    return bool(a == b)
