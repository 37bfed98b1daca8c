"""Records from stored rows: parsed at once, made read-only when shared, and a row no reader
can take reported and skipped."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from reviewer_app import giving_way
from reviewer_app.collector import no_gc
from reviewer_app.instant.frozen import TooDeep, frozen_object
from reviewer_app.instant.json_codec import loads, loads_many
from reviewer_app.instant.limits import MAX_DEPTH, text_problem
from reviewer_app.instant.records import Record

unreadable_log = logging.getLogger("reviewer_app.engine.unreadable")


def parse_rows(rows: Sequence[Sequence[Any]], *, shared: bool = False) -> list[Record]:
    """Records from (kind, id, content, created_by, updated_by, grp) rows, parsed at once
    (see :mod:`reviewer_app.instant.json_codec`); a row no reader could take is left out
    (see :func:`readable_rows`).

    ``shared``: the records go into a cache every reader gets (a base layer, a layer read),
    so their content is made read-only (see :mod:`reviewer_app.instant.frozen`) and no reader
    can change what the next one sees. Others are fresh, the caller's own."""
    return readable_rows(rows, shared=shared)[1]


def readable_rows(
    rows: Sequence[Sequence[Any]], *, shared: bool = False
) -> tuple[list[Sequence[Any]], list[Record]]:
    """The rows that hold a readable record, and those records (as :func:`parse_rows`).

    A stored record is unreadable when its content is not a JSON object, is nested deeper
    than :data:`MAX_DEPTH` or holds text that is not valid Unicode: another program, or an
    older version of this one, may have written it. It is reported (a log line) and skipped,
    so one bad row never breaks a whole layer, its changes feed or a sync.

    A text orjson read holds no lone surrogate (orjson refuses them): only its depth is
    checked, by the walk that freezes it (shared) or, past :data:`MAX_DEPTH` brackets, by
    :func:`readable_content`, whose every check a text only ``json`` could read gets."""
    kept: list[Sequence[Any]] = []
    records: list[Record] = []
    if not rows:
        return kept, records
    with no_gc():
        values, by_json = loads_many([row[2] for row in rows])
        for at, row in enumerate(rows):
            if giving_way.busy:  # (on a task, the window's turn goes first)
                giving_way.give_way()
            content = values[at]
            if type(content) is not dict or at in by_json:
                content = _checked(row, content, shared=shared)
            elif shared:  # read by orjson: no lone surrogate; freezing measures the depth
                try:
                    content = frozen_object(content, MAX_DEPTH)
                except TooDeep:
                    content = readable_content(row[0], row[1], row[2], content)
            elif row[2].count("{") + row[2].count("[") > MAX_DEPTH:  # may nest too deep
                content = readable_content(row[0], row[1], row[2], content)
            if content is None:
                continue
            kept.append(row)
            records.append(made_record(row[0], row[1], content, row[3], row[4], row[5]))
    return kept, records


def made_record(
    kind: Any,
    record_id: str,
    content: Any,
    created_by: str | None = None,
    updated_by: str | None = None,
    group: str | None = None,
) -> Record:
    """``Record(...)`` without a frozen dataclass's check per field, for content just read
    and checked (the hot path of a large read)."""
    record = _new(Record)
    record.__dict__.update(
        kind=kind,
        id=record_id,
        content=content,
        created_by=created_by,
        updated_by=updated_by,
        group=group,
    )
    return record


_new = object.__new__


def _checked(row: Sequence[Any], value: Any, *, shared: bool) -> dict[str, Any] | None:
    """``value`` (what the row's content parsed to, or the error) after every check of
    :func:`readable_content` (then frozen when ``shared``), or None when unreadable."""
    if isinstance(value, BaseException):
        value = _unparsable(value)
    content = readable_content(row[0], row[1], row[2], value)
    return frozen_object(content) if shared and content is not None else content


class _Unparsable:
    """What a row's content parses to when it is not JSON at all (and why)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _unparsable(exc: BaseException) -> _Unparsable:
    if isinstance(exc, RecursionError):
        return _Unparsable(f"nested deeper than {MAX_DEPTH} levels")
    return _Unparsable(f"not JSON: {str(exc)[:80]}")


def _parse(text: object) -> Any:
    try:
        return loads(text)  # type: ignore[arg-type]
    except (TypeError, ValueError, RecursionError) as exc:
        return _unparsable(exc)


def parse_content(kind: str, record_id: str, text: str) -> dict[str, Any] | None:
    """The content of one stored record, or None when it is unreadable (reported)."""
    return readable_content(kind, record_id, text, _parse(text))


def readable_content(kind: str, record_id: str, text: str, value: Any) -> dict[str, Any] | None:
    """``value`` (what ``text`` parsed to) if it is a readable record's content, else None
    and a log line saying which record and why."""
    if isinstance(value, _Unparsable):
        problem: str | None = value.reason
    elif not isinstance(value, dict):
        problem = "not a JSON object"
    else:
        problem = text_problem(text, value)
    if problem is None:
        return value  # type: ignore[no-any-return]
    entry = {"event": "unreadable record", "kind": kind, "id": record_id[:300], "problem": problem}
    unreadable_log.warning(json.dumps(entry))
    return None
