"""Checks on Instant JSON values (numbers, points, rects, colours, dates) that return problems."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

COLOUR_KEYS = (
    "color",
    "strokeColor",
    "fillColor",
    "fontColor",
    "backgroundColor",
    "borderColor",
    "outlineColor",
)

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_ISO_8601 = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.(?P<fraction>\d+))?"
    r"(?P<zone>Z|z|[+-]\d{2}:?\d{2})?)?"
)


def describe(value: object) -> str:
    """A short description of ``value`` for a problem message: its JSON type and a clipped repr."""
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{json_type(value)} {text}"


def json_type(value: object) -> str:
    """The JSON name of ``value``'s type (``bool`` is not a number)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def is_number(value: object) -> bool:
    """Whether ``value`` is a finite JSON number (an int or float, never a bool)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def is_int(value: object) -> bool:
    """Whether ``value`` is a JSON integer (never a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def check_number(key: str, value: object, *, minimum: float | None = None) -> list[str]:
    """Problems with ``value`` as a finite number, at least ``minimum`` when given."""
    if not is_number(value):
        return [f"'{key}' must be a number, not {describe(value)}"]
    assert isinstance(value, int | float)
    if minimum is not None and value < minimum:
        return [f"'{key}' must be at least {minimum:g}, not {value!r}"]
    return []


def check_opacity(value: object) -> list[str]:
    """Problems with ``value`` as an opacity: a number from 0 to 1."""
    if not is_number(value):
        return [f"'opacity' must be a number from 0 to 1, not {describe(value)}"]
    assert isinstance(value, int | float)
    if not 0 <= value <= 1:
        return [f"'opacity' must be from 0 to 1, not {value!r}"]
    return []


def check_colour(key: str, value: object) -> list[str]:
    """Problems with ``value`` as a colour: null or ``#RRGGBB`` in either case."""
    if value is None or (isinstance(value, str) and _COLOUR.fullmatch(value)):
        return []
    return [f"'{key}' must be a colour like '#ff0000', not {describe(value)}"]


def check_page_index(value: object, page_count: int | None) -> list[str]:
    """Problems with ``value`` as a page index: an int >= 0 and, given a count, < ``page_count``."""
    if not is_int(value):
        return [f"'pageIndex' must be an integer, not {describe(value)}"]
    assert isinstance(value, int)
    if value < 0:
        return [f"'pageIndex' must not be negative, not {value}"]
    if page_count is not None and value >= page_count:
        return [f"Page index out of bounds: {value} (the document has {page_count} pages)"]
    return []


def check_rect(key: str, value: object) -> list[str]:
    """Problems with ``value`` as a rect ``[left, top, width, height]`` with width, height >= 0."""
    if not (isinstance(value, list) and len(value) == 4 and all(is_number(n) for n in value)):
        return [f"'{key}' must be [left, top, width, height] (4 numbers), not {describe(value)}"]
    if value[2] < 0 or value[3] < 0:
        return [f"'{key}' must not have a negative width or height: {value!r}"]
    return []


def check_rects(key: str, value: object) -> list[str]:
    """Problems with ``value`` as a list of rects."""
    if not isinstance(value, list):
        return [f"'{key}' must be a list of rects, not {describe(value)}"]
    for i, rect in enumerate(value):
        problems = check_rect(f"{key}[{i}]", rect)
        if problems:
            return problems
    return []


def check_point(key: str, value: object) -> list[str]:
    """Problems with ``value`` as a point ``[x, y]``."""
    if isinstance(value, list) and len(value) == 2 and all(is_number(n) for n in value):
        return []
    return [f"'{key}' must be a point [x, y] (2 numbers), not {describe(value)}"]


def check_points(key: str, value: object) -> list[str]:
    """Problems with ``value`` as a list of points."""
    if not isinstance(value, list):
        return [f"'{key}' must be a list of points, not {describe(value)}"]
    for i, point in enumerate(value):
        problems = check_point(f"{key}[{i}]", point)
        if problems:
            return problems
    return []


def check_iso_date(key: str, value: object) -> list[str]:
    """Problems with ``value`` as an ISO 8601 date or date-time string."""
    problem = [f"'{key}' must be an ISO 8601 date-time string, not {describe(value)}"]
    if not isinstance(value, str):
        return problem
    match = _ISO_8601.fullmatch(value)
    if match is None:
        return problem
    # Python parses at most microseconds: clip the fraction, then let datetime check the ranges.
    normalised = match["date"]
    if match["time"]:
        time = match["time"] if match["time"].count(":") == 2 else match["time"] + ":00"
        fraction = (match["fraction"] or "0")[:6]
        zone = match["zone"] or ""
        normalised += f"T{time}.{fraction}{'+00:00' if zone in ('Z', 'z') else zone}"
    try:
        datetime.fromisoformat(normalised)
    except ValueError:
        return problem
    return []


def check_enum(key: str, value: object, allowed: tuple[str, ...]) -> list[str]:
    """Problems with ``value`` as one of the strings in ``allowed``."""
    if isinstance(value, str) and value in allowed:
        return []
    return [f"'{key}' must be one of {', '.join(allowed)}; not {describe(value)}"]


def check_action(key: str, value: object) -> list[str]:
    """Problems with ``value`` as a PDF action: an object with a string ``type``."""
    if not isinstance(value, Mapping):
        return [f"'{key}' must be an action object, not {describe(value)}"]
    action_type: Any = value.get("type")
    if not isinstance(action_type, str) or not action_type:
        return [f"'{key}' must have a string 'type', not {describe(action_type)}"]
    return []
