"""Moving and resizing annotations: every geometry key of an Instant JSON record, mapped."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .checks import is_number

Rect = tuple[float, float, float, float]  # left, top, width, height (Instant points, y down)
PointMap = Callable[[float, float], tuple[float, float]]

POINT_KEYS = ("startPoint", "endPoint")  # one [x, y] each (lines)
CALLOUT_POINTS = ("start", "knee", "end")  # free text callouts: {"start": [x, y], ...}
DIGITS = 3  # kept after the decimal point: a moved record stays tidy JSON
TURNS = (90, 180, 270)  # the content rotations drawn turned (others are drawn as 0)


def bbox_of(content: Mapping[str, Any]) -> Rect | None:
    """The record's ``bbox`` as numbers, or None when it is missing or malformed."""
    box = content.get("bbox")
    if isinstance(box, list) and len(box) == 4 and all(is_number(n) for n in box):
        return (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
    return None


def rotation_of(content: Mapping[str, Any]) -> int:
    """How far the content of a free text, stamp or image is turned: 0, 90, 180 or 270.

    Instant JSON ``rotation`` is the counter-clockwise angle, in degrees, by which the text
    or picture is turned relative to the *unrotated* page, the page our Instant coordinates
    describe (see :mod:`reviewer_app.pdf.geometry`). It is what an annotation's PDF /Rotate
    means (Acrobat, MuPDF), so extraction reads /Rotate into it and export writes it back
    unchanged. The bbox stays the unrotated box around the turned content: for 90 and 270
    its width is the content's height. A page shown with /Rotate R is turned R degrees
    clockwise, so content with ``rotation`` R reads upright on it: the tools give new free
    text, stamps and images the page's /Rotate. Other angles are drawn unturned (0).
    """
    value = content.get("rotation")
    if not isinstance(value, int | float) or not is_number(value) or value != int(value):
        return 0
    turn = int(value) % 360
    return turn if turn in TURNS else 0


def turned_size(width: float, height: float, rotation: int) -> tuple[float, float]:
    """The size ``width`` × ``height`` (as the content reads) takes in the unrotated page
    when turned by ``rotation`` (and back): the sides swap for 90 and 270."""
    return (height, width) if rotation % 180 == 90 else (width, height)


def union(rects: Iterable[Rect]) -> Rect | None:
    """The smallest rect holding all of ``rects`` (None for none)."""
    found = list(rects)
    if not found:
        return None
    left = min(r[0] for r in found)
    top = min(r[1] for r in found)
    right = max(r[0] + r[2] for r in found)
    bottom = max(r[1] + r[3] for r in found)
    return (left, top, right - left, bottom - top)


def moved(content: Mapping[str, Any], dx: float, dy: float) -> dict[str, Any]:
    """A copy of ``content`` shifted by ``dx``, ``dy`` points (sizes unchanged)."""
    return _mapped(content, lambda x, y: (x + dx, y + dy), 1.0, 1.0)


def moved_on_page(
    contents: Sequence[Mapping[str, Any]], dx: float, dy: float, page: tuple[float, float]
) -> list[dict[str, Any]]:
    """Copies of ``contents`` shifted together by ``dx``, ``dy``, as far as keeps them all on a
    page of size ``page`` (see :func:`kept_inside`)."""
    whole = union(b for b in (bbox_of(c) for c in contents) if b is not None)
    if whole is not None:
        dx, dy = kept_inside(whole, dx, dy, page)
    return [moved(c, dx, dy) for c in contents]


def scaled(content: Mapping[str, Any], old: Rect, new: Rect) -> dict[str, Any]:
    """A copy of ``content`` stretched so that what filled ``old`` fills ``new``: each point
    keeps its place relative to the box (line widths and font sizes stay as they are)."""
    ox, oy, ow, oh = old
    nx, ny, nw, nh = normalized(new)
    sx = nw / ow if ow > 0 else 1.0
    sy = nh / oh if oh > 0 else 1.0
    return _mapped(content, lambda x, y: (nx + (x - ox) * sx, ny + (y - oy) * sy), sx, sy)


def normalized(rect: Rect) -> Rect:
    """``rect`` with a negative width or height turned around (a handle dragged past the
    opposite edge)."""
    x, y, w, h = rect
    if w < 0:
        x, w = x + w, -w
    if h < 0:
        y, h = y + h, -h
    return (x, y, w, h)


def kept_inside(box: Rect, dx: float, dy: float, page: tuple[float, float]) -> tuple[float, float]:
    """``dx``, ``dy`` reduced so that ``box`` moved by them stays on a page of size ``page``
    (an axis where the box is larger than the page keeps its left or top edge on the page)."""
    x, y, w, h = box
    width, height = page
    return (
        _clamp(x + dx, 0.0, max(width - w, 0.0)) - x,
        _clamp(y + dy, 0.0, max(height - h, 0.0)) - y,
    )


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _mapped(content: Mapping[str, Any], to: PointMap, sx: float, sy: float) -> dict[str, Any]:
    result = copy.deepcopy(dict(content))
    if "bbox" in result:
        result["bbox"] = _rect(result["bbox"], to)
    if isinstance(result.get("rects"), list):
        result["rects"] = [_rect(r, to) for r in result["rects"]]
    if isinstance(result.get("points"), list):
        result["points"] = [_point(p, to) for p in result["points"]]
    lines = result.get("lines")
    if isinstance(lines, dict) and isinstance(lines.get("points"), list):
        lines["points"] = [
            [_point(p, to) for p in line] if isinstance(line, list) else line
            for line in lines["points"]
        ]
    for key in POINT_KEYS:
        if key in result:
            result[key] = _point(result[key], to)
    callout = result.get("callout")
    if isinstance(callout, dict):
        for key in CALLOUT_POINTS:
            if callout.get(key) is not None:
                callout[key] = _point(callout[key], to)
        inset: Any = callout.get("innerRectInset")
        if _numbers(inset, 4):
            left, top, right, bottom = (float(n) for n in inset[:4])
            callout["innerRectInset"] = [
                *(_tidy(left * sx), _tidy(top * sy), _tidy(right * sx), _tidy(bottom * sy)),
                *inset[4:],
            ]
    return result


def _numbers(value: Any, count: int) -> bool:
    return (
        isinstance(value, list) and len(value) >= count and all(is_number(n) for n in value[:count])
    )


def _tidy(value: float) -> float | int:
    """A coordinate rounded to :data:`DIGITS` places; whole numbers as ints."""
    rounded = round(value, DIGITS)
    return int(rounded) if rounded == int(rounded) else rounded


def _point(value: Any, to: PointMap) -> Any:
    """A ``[x, y, ...]`` point mapped (extra entries kept); anything else as it was."""
    if not _numbers(value, 2):
        return value
    x, y = to(float(value[0]), float(value[1]))
    return [_tidy(x), _tidy(y), *value[2:]]


def _rect(value: Any, to: PointMap) -> Any:
    """A ``[left, top, width, height]`` rect mapped by its corners; anything else as it was."""
    if not _numbers(value, 4) or len(value) != 4:
        return value
    left, top, width, height = (float(n) for n in value)
    x1, y1 = to(left, top)
    x2, y2 = to(left + width, top + height)
    x, y, w, h = normalized((x1, y1, x2 - x1, y2 - y1))
    return [_tidy(x), _tidy(y), _tidy(w), _tidy(h)]
