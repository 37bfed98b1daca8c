"""Parsed base layers kept in memory: the base layer never changes, so reading a layer only
parses the records that layer changed."""

from __future__ import annotations

import sqlite3
import threading
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from reviewer_app.collector import no_gc
from reviewer_app.engine import base_at_once
from reviewer_app.engine.base_at_once import SortKey as SortKey  # store.py's, too
from reviewer_app.engine.db import Connection
from reviewer_app.engine.model import RecordKey
from reviewer_app.engine.row_reading import readable_rows
from reviewer_app.instant.records import Record

LAST = 1 << 62


def sort_key(kind: str, record_id: str, page_index: int | None, ord_: int | None) -> SortKey:
    """Where a record goes in a layer's listing: by kind, page, base order, then id."""
    return (
        kind,
        -1 if page_index is None else page_index,
        LAST if ord_ is None else ord_,
        record_id,
    )


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
    """Read and parse a document's base layer, at once where it can be (see
    :mod:`~reviewer_app.engine.base_at_once`), else row by row (see :func:`readable_rows`);
    or only the part of it on ``page_index``."""
    with no_gc():  # one pause for all of it: the collector would walk every record made
        if page_index is None and isinstance(conn, sqlite3.Connection):
            whole = base_at_once.read(conn, document_id)
            if whole is not None:
                records, keys, pages, index = whole
                return BaseLayer(tuple(records), tuple(keys), tuple(pages), index)
        return load_rows(conn, document_id, page_index)


def load_rows(conn: Connection, document_id: str, page_index: int | None = None) -> BaseLayer:
    """:func:`load`, row by row."""
    on_page = "" if page_index is None else " AND page_index = ?"
    rows = conn.execute(
        "SELECT kind, id, content, NULL, NULL, NULL, page_index, ord FROM base_records "
        f"WHERE document_id = ?{on_page} ORDER BY kind, page_index, ord",
        (document_id,) if page_index is None else (document_id, page_index),
    ).fetchall()
    with no_gc():
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
