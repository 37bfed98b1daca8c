"""Parsed base layers kept in memory: the base layer never changes, so reading a layer only
parses the records that layer changed."""

from __future__ import annotations

import gc
import json
import logging
import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from reviewer_app.engine.db import Connection
from reviewer_app.engine.model import RecordKey
from reviewer_app.instant.frozen import TooDeep, frozen_object
from reviewer_app.instant.json_codec import loads, loads_many
from reviewer_app.instant.limits import MAX_DEPTH, text_problem
from reviewer_app.instant.records import Record

unreadable_log = logging.getLogger("reviewer_app.engine.unreadable")

SortKey = tuple[str, int, int, str]
LAST = 1 << 62


def sort_key(kind: str, record_id: str, page_index: int | None, ord_: int | None) -> SortKey:
    """Where a record goes in a layer's listing: by kind, page, base order, then id."""
    return (
        kind,
        -1 if page_index is None else page_index,
        LAST if ord_ is None else ord_,
        record_id,
    )


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while thousands of containers are made at once
    (they hold no cycles; the collector would only walk them again and again)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
        new = object.__new__
        for at, row in enumerate(rows):
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
            record = new(Record)  # Record(...) without a frozen dataclass's check per field
            record.__dict__.update(
                kind=row[0],
                id=row[1],
                content=content,
                created_by=row[3],
                updated_by=row[4],
                group=row[5],
            )
            records.append(record)
    return kept, records


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


@dataclass(frozen=True)
class BaseLayer:
    """One document's base records in listing order, with their sort keys and an index."""

    records: tuple[Record, ...]
    sort_keys: tuple[SortKey, ...]
    pages: tuple[int | None, ...]
    index: dict[RecordKey, int]

    def get(self, key: RecordKey) -> Record | None:
        at = self.index.get(key)
        return None if at is None else self.records[at]

    def annotation_ids(self) -> frozenset[str]:
        """The ids of the base layer's annotations (made once)."""
        found: frozenset[str] | None = self.__dict__.get("_annotation_ids")
        if found is None:
            start, end = self.span("annotation")
            found = frozenset(record.id for record in self.records[start:end])
            object.__setattr__(self, "_annotation_ids", found)
        return found

    def span(self, kind: str | None, page_index: int | None = None) -> tuple[int, int]:
        """Where the records of ``kind`` (on ``page_index``, if given) are in the listing:
        the range of their indexes (the whole listing when ``kind`` is None)."""
        if kind is None:
            return 0, len(self.records)
        low: tuple[Any, ...]
        high: tuple[Any, ...]
        if page_index is None:
            low, high = (kind,), (kind, LAST + 1)
        else:
            low, high = (kind, page_index), (kind, page_index + 1)
        return bisect_left(self.sort_keys, low), bisect_left(self.sort_keys, high)


class BaseLayers:
    """A small least-recently-used cache of parsed base layers, shared by all threads, keyed
    by the document's id and its PDF's SHA-256: another process (a server's other worker) may
    delete a document and store another PDF under the same chosen id, which this process
    must not answer from the old one's base layer."""

    def __init__(self, limit: int = 8) -> None:
        self.limit = limit
        self._cache: OrderedDict[tuple[str, str], BaseLayer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, conn: Connection, document_id: str, page_index: int | None = None) -> BaseLayer:
        """The document's parsed base layer; with ``page_index``, when it is not parsed yet,
        only that page's part of it, read and parsed for this caller and not kept (a page
        read costs that page's records, not the whole base layer's)."""
        row = conn.execute("SELECT sha256 FROM documents WHERE id = ?", (document_id,)).fetchone()
        key = (document_id, "" if row is None else str(row[0]))
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        if page_index is not None:
            return load(conn, document_id, page_index)
        base = load(conn, document_id)
        with self._lock:
            self._cache[key] = base
            while len(self._cache) > self.limit:
                self._cache.popitem(last=False)
        return base

    def forget(self, document_id: str) -> None:
        with self._lock:
            for key in [k for k in self._cache if k[0] == document_id]:
                del self._cache[key]


def load(conn: Connection, document_id: str, page_index: int | None = None) -> BaseLayer:
    """Read and parse a document's base layer (see :func:`readable_rows`), or only the part
    of it on ``page_index``."""
    on_page = "" if page_index is None else " AND page_index = ?"
    rows = conn.execute(
        "SELECT kind, id, content, NULL, NULL, NULL, page_index, ord FROM base_records "
        f"WHERE document_id = ?{on_page} ORDER BY kind, page_index, ord",
        (document_id,) if page_index is None else (document_id, page_index),
    ).fetchall()
    with no_gc():  # one pause for all of it: the collector would walk every record made
        kept, records = readable_rows(rows, shared=True)
        return BaseLayer(
            records=tuple(records),
            sort_keys=tuple(
                (r[0], -1 if r[6] is None else r[6], LAST if r[7] is None else r[7], r[1])
                for r in kept
            ),
            pages=tuple(r[6] for r in kept),
            index={(r[0], r[1]): i for i, r in enumerate(kept)},
        )


ReadKey = tuple[str, str, int, str | None, int | None]  # document, layer uid, revision, kind, page


class LayerReads:
    """The last few layer listings, keyed by the layer's uid and revision (every write gives
    the layer a new revision; a new, forked or restored layer has its own uid), so reading a
    layer again that did not change parses nothing. Shared by threads; callers get a copy of
    the list, and its records' content is read-only."""

    def __init__(self, limit: int = 16) -> None:  # the layers switched between, and warmed
        self.limit = limit
        self._cache: OrderedDict[ReadKey, list[Record]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: ReadKey) -> list[Record] | None:
        with self._lock:
            found = self._cache.get(key)
            if found is None:
                return None
            self._cache.move_to_end(key)
            return list(found)

    def put(self, key: ReadKey, records: list[Record]) -> None:
        with self._lock:
            self._cache[key] = list(records)
            while len(self._cache) > self.limit:
                self._cache.popitem(last=False)

    def forget(self, document_id: str) -> None:
        with self._lock:
            for key in [k for k in self._cache if k[0] == document_id]:
                del self._cache[key]
