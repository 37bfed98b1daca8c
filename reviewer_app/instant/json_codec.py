"""The one place that parses and writes records' JSON: orjson (a C parser three to four times
faster than the standard library's) where it gives exactly what ``json`` gives, ``json`` itself
where orjson would differ, so callers see the standard library's values, text and errors.

Where orjson differs, and what is done about it:

- it refuses ``NaN``, ``Infinity`` and numbers beyond a double, lone ``\\uD800`` escapes and
  text that is not UTF-8, which ``json`` reads (or refuses with its own message): any text
  orjson refuses is read again by ``json``;
- it reads an integer beyond 64 bits as a float (a lost digit): text holding a run of 19 or
  more digits is read by ``json``;
- it writes NaN and infinities as ``null``, writes floats below 1e-4 as ``1e-7`` (``json``:
  ``1e-07``) and refuses keys that are not strings, integers beyond 64 bits and lone
  surrogates: output holding ``null``, ``e-`` or ``0.0000``, and anything it refuses, is
  written by ``json`` (stored text stays byte-for-byte what it was, so equal content is still
  equal text).

What goes over the wire (:func:`wire`) or is stored only to be read back (:func:`readable`)
needs the same values, not the same text: there a
``null`` in orjson's output is checked by reading the output back (a NaN or an infinity reads
back as None), and only a value that does not come back equal goes through ``json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import orjson

from reviewer_app import giving_way

_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_LONG_RUN = b"0" * 19  # 2**63 has 19 digits: a shorter integer fits orjson's 64 bits
_DOUBTFUL_OUTPUT = (b"null", b"e-", b"0.0000")
_REFUSE_WHAT_JSON_REFUSES = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_OPTIONS = {
    False: _REFUSE_WHAT_JSON_REFUSES,
    True: _REFUSE_WHAT_JSON_REFUSES | orjson.OPT_SORT_KEYS,
}


def _long_number(text: str | bytes) -> bool:
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return _LONG_RUN in raw.translate(_DIGITS)


def read_exactly(text: str | bytes) -> bool:
    """Whether orjson, if it reads ``text`` at all, reads it as ``json`` does: the text holds
    no integer that could lie beyond 64 bits (see :func:`loads`)."""
    return not _long_number(text)


def loads(text: str | bytes) -> Any:
    """``json.loads(text)``: the same value, or the same error."""
    if not _long_number(text):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def loads_many(texts: Sequence[str | bytes]) -> tuple[list[Any], set[int]]:
    """``[loads(t) for t in texts]``, where a text that cannot be read gives the exception
    ``json.loads`` raised for it (a ValueError or RecursionError) in its place, so one bad
    text never hides the others; and the indexes of the texts read by ``json`` (the others
    orjson read, so they hold no lone surrogate). The long-number check is made once."""
    if not texts:
        return [], set()
    first = texts[0]
    joined: bytes = (
        b"\x20".join(texts)  # type: ignore[arg-type]
        if isinstance(first, bytes)
        else " ".join(texts).encode("utf-8", "surrogatepass")  # type: ignore[arg-type]
    )
    careful = _LONG_RUN in joined.translate(_DIGITS)
    parse = orjson.loads
    values: list[Any] = []
    by_json: set[int] = set()
    for at, text in enumerate(texts):
        if giving_way.busy:  # (on a task, the window's turn goes first)
            giving_way.give_way()
        if not careful:
            try:
                values.append(parse(text))
                continue
            except orjson.JSONDecodeError:
                pass
        by_json.add(at)
        try:
            values.append(json.loads(text))
        except (ValueError, RecursionError, TypeError) as exc:
            values.append(exc)
    return values, by_json


def dumps(value: Any, *, sort_keys: bool = False) -> str:
    """``json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys)``:
    the same text, or the same error."""
    try:
        out = orjson.dumps(value, option=_OPTIONS[sort_keys])
    except TypeError:
        out = b"null"  # refused: let json say what (or write what it can)
    if any(doubt in out for doubt in _DOUBTFUL_OUTPUT):
        return json.dumps(value, sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False)
    return out.decode()


def _reads_back(value: Any) -> bytes | None:
    """orjson's text of ``value`` if it reads back as ``value`` (a NaN or an infinity,
    written ``null``, does not), else None."""
    try:
        out = orjson.dumps(value, option=_REFUSE_WHAT_JSON_REFUSES)
    except TypeError:
        return None  # refused: let json say what (or write what it can)
    return out if b"null" not in out or orjson.loads(out) == value else None


def wire(value: Any) -> bytes:
    """``json.dumps(value, allow_nan=False)`` as UTF-8 bytes, compact: the same value once
    read, or the same error (a ValueError for NaN and infinities, which JSON cannot carry)."""
    out = _reads_back(value)
    if out is not None:
        return out
    return json.dumps(value, allow_nan=False, separators=(",", ":")).encode()


def readable(value: Any) -> str:
    """Text that :func:`loads` (and ``json.loads``) reads back as ``value``, for text that is
    only ever read, never compared (``json.dumps(value)``'s value, not its text; a lone
    surrogate is escaped, so SQLite can store it as UTF-8)."""
    out = _reads_back(value)
    return out.decode() if out is not None else json.dumps(value)


def canonical(value: Any) -> str:
    """Compact JSON with sorted keys: equal content gives equal text."""
    return dumps(value, sort_keys=True)
