"""Bounds on JSON and records: nesting depth, size, id length, text that is valid Unicode.

Everything a record can carry is free-form past its known keys (``customData`` above all), so
these bounds are what keeps one record from being more than every reader can take: a JSON
nested thousands deep, a record of megabytes, an id of a megabyte, a lone surrogate that no
UTF-8 encoder (SQLite's, the HTTP answer's) can write."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

MAX_DEPTH = 64
"""Containers (objects and arrays) nested in one another, the outermost one included."""

MAX_RECORD_BYTES = 2_000_000
"""The largest record, as compact UTF-8 JSON (a long ink drawing is a few hundred kB)."""

MAX_ID_LENGTH = 256
"""The longest record id (annotation or bookmark id, form field name), as layer names."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_INNERMOST = re.compile(r"[\[{][^\[\]{}]*[\]}]")


def bad_text(text: str) -> bool:
    """Whether ``text`` is not valid Unicode: it holds a lone surrogate (``"\\ud800"`` in JSON
    decodes to one), which UTF-8 cannot encode."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def json_problem(value: Any, max_depth: int = MAX_DEPTH) -> str | None:
    """What is wrong with parsed JSON ``value``: nested deeper than ``max_depth``, or a string
    (key or value) that is not valid Unicode; None when nothing is. Never recursive: a first
    walk looks, and only a value with a problem is walked again to say where."""
    if _first_problem(value, max_depth, None) is None:
        return None
    return _first_problem(value, max_depth, "$")


def _first_problem(value: Any, max_depth: int, root: str | None) -> str | None:
    """The first problem found in ``value`` (``root``: name the place, from that path)."""
    stack: list[tuple[Any, int, str | None]] = [(value, 1, root)]
    while stack:
        item, depth, where = stack.pop()
        if isinstance(item, str):
            if bad_text(item):
                return f"holds text that is not valid Unicode (a lone surrogate) at {where}"
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > max_depth:
            return f"is nested deeper than {max_depth} levels (at {where})"
        if isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and bad_text(key):
                    return f"holds a key that is not valid Unicode (a lone surrogate) at {where}"
                if isinstance(child, dict | list | str):
                    path = None if where is None else f"{where}.{str(key)[:30]}"
                    stack.append((child, depth + 1, path))
        else:
            for index, child in enumerate(item):
                if isinstance(child, dict | list | str):
                    path = None if where is None else f"{where}[{index}]"
                    stack.append((child, depth + 1, path))
    return None


def nesting(text: str, limit: int = MAX_DEPTH) -> int:
    """How deeply the JSON ``text`` nests (counted up to ``limit + 1``), read from the text:
    without its strings, each pass removes the innermost containers. Regular expressions run
    in C: a 14 MB drawing is measured in a quarter of a second, without a Python object."""
    bare = _STRING.sub("", text)
    depth = 0
    while depth <= limit:
        bare, removed = _INNERMOST.subn("", bare)
        if not removed:
            break
        depth += 1
    return depth


def text_problem(text: str, value: Any, max_depth: int = MAX_DEPTH) -> str | None:
    """What is wrong with the JSON ``text`` (which parsed to ``value``), as
    :func:`json_problem` says, looking at the text first: fewer brackets than ``max_depth``
    cannot nest deeper, and a lone surrogate needs a ``\\uD8xx``-``\\uDFxx`` escape (or the
    character itself); only then is ``value`` walked."""
    brackets = text.count("{") + text.count("[")
    if brackets > max_depth and nesting(text, max_depth) > max_depth:
        return f"is nested deeper than {max_depth} levels"
    if _ESCAPED_SURROGATE.search(text) is not None or bad_text(text):
        return json_problem(value, max_depth)
    return None


def plain_text(text: str, max_depth: int = MAX_DEPTH) -> bool:
    """Whether :func:`text_problem` is surely None for the JSON ``text`` without parsing it:
    too few brackets to nest deeper than ``max_depth``, no escaped surrogate, valid Unicode."""
    return (
        text.count("{") + text.count("[") <= max_depth
        and ("\\u" not in text or _ESCAPED_SURROGATE.search(text) is None)
        and not bad_text(text)
    )


def record_problems(content: Mapping[str, Any]) -> list[str]:
    """Problems with a record's content as a whole: nested deeper than :data:`MAX_DEPTH`,
    text that is not valid Unicode, larger than :data:`MAX_RECORD_BYTES` as JSON."""
    try:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    except RecursionError:
        return [f"the record is nested deeper than {MAX_DEPTH} levels"]
    except (TypeError, ValueError) as exc:
        return [f"the record is not JSON: {exc}"]
    problem = text_problem(text, content)
    if problem is not None:
        return [f"the record {problem}"]
    size = len(text.encode())
    if size > MAX_RECORD_BYTES:
        return [f"the record is too large: {size} bytes as JSON, at most {MAX_RECORD_BYTES}"]
    return []


def id_problems(key: str, value: object) -> list[str]:
    """Problems with ``value`` as a record id (when it is a string at all)."""
    if isinstance(value, str) and len(value) > MAX_ID_LENGTH:
        return [f"'{key}' is {len(value)} characters long, at most {MAX_ID_LENGTH} allowed"]
    return []
