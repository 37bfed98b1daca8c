"""Rows of a layer: a layer reads as the base layer overlaid with its own rows."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import filterfalse
from operator import itemgetter
from typing import Any

from reviewer_app.engine.base_cache import BaseLayer, SortKey, sort_key
from reviewer_app.engine.db import Connection
from reviewer_app.engine.model import RecordKey
from reviewer_app.engine.row_reading import parse_content, parse_rows, readable_rows
from reviewer_app.instant.json_codec import loads
from reviewer_app.instant.records import Kind, Record, canonical_json

NO_LAYER = -1
"""The row id used to read "no layer rows at all", i.e. the base layer."""


@dataclass(frozen=True)
class RowState:
    """One stored row of a layer; ``content`` None is a tombstone (deleted in this layer)."""

    content: str | None
    created_by: str | None = None
    updated_by: str | None = None
    group: str | None = None
    ord: int | None = None
    page_index: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "created_by": self.created_by,
            "updated_by": self.updated_by,
            "group": self.group,
            "ord": self.ord,
            "page_index": self.page_index,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> RowState | None:
        return None if data is None else cls(**data)


def row_for(record: Record, ord_: int | None) -> RowState:
    """The row that stores ``record`` (its ``id`` lives in the key, not in the content)."""
    content = {k: v for k, v in record.content.items() if k != "id"}
    page = content.get("pageIndex")
    return RowState(
        content=canonical_json(content),
        created_by=record.created_by,
        updated_by=record.updated_by,
        group=record.group,
        ord=ord_,
        page_index=page if isinstance(page, int) and not isinstance(page, bool) else None,
    )


_COLUMNS = "kind, id, content, created_by, updated_by, grp"


def read_layer(
    conn: Connection,
    base: BaseLayer,
    layer_id: int,
    kind: Kind | None = None,
    page_index: int | None = None,
) -> list[Record]:
    """Every record the layer shows (base records it did not touch, then its own), in order;
    their content is read-only (the listing is cached and shared, see base_cache)."""
    own = conn.execute(
        f"SELECT {_COLUMNS}, page_index, ord FROM layer_records WHERE layer_id = ?",
        (layer_id,),
    ).fetchall()
    wanted = [
        row
        for row in own
        if row[2] is not None
        and (kind is None or row[0] == kind)
        and (page_index is None or row[6] == page_index)
    ]
    hidden = {at for at in map(base.index.get, [(row[0], row[1]) for row in own]) if at is not None}
    start, end = base.span(kind, page_index)
    picked: Sequence[int]
    if page_index is None and not any(start <= at < end for at in hidden):
        picked = range(start, end)
        shown = list(base.records[start:end])
    else:
        picked = list(filterfalse(hidden.__contains__, range(start, end)))
        if page_index is not None:
            picked = [at for at in picked if base.pages[at] == page_index]
        shown = list(map(base.records.__getitem__, picked))
    if not wanted:
        return shown
    rows, records = readable_rows(wanted, shared=True)  # cached in LayerReads
    mine = sorted(
        zip([sort_key(row[0], row[1], row[6], row[7]) for row in rows], records, strict=True),
        key=itemgetter(0),
    )
    return _merged(shown, picked, base, mine)


def _merged(
    shown: list[Record],
    picked: Sequence[int],
    base: BaseLayer,
    mine: list[tuple[SortKey, Record]],
) -> list[Record]:
    """``shown`` (the base records at ``picked``, in order) with ``mine`` (sorted) put where
    their sort keys go: a bisection per own record, not a sort of the whole listing (a base
    record changed in place goes right after its base version: no keys compared)."""
    merged: list[Record] = []
    done = 0
    keys = base.sort_keys
    for key, record in mine:
        was = base.index.get(record.key)
        after = was + 1 if was is not None and keys[was] == key else bisect_right(keys, key)
        at = bisect_left(picked, after)
        merged += shown[done:at]
        merged.append(record)
        done = at
    merged += shown[done:]
    return merged


def read_records(
    conn: Connection, document_id: str, layer_id: int, keys: Iterable[RecordKey]
) -> dict[RecordKey, Record]:
    """The layer's current version of each key that it shows (absent keys are left out)."""
    found: dict[RecordKey, Record] = {}
    for kind, rid in keys:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM layer_records WHERE layer_id = ? AND kind = ? AND id = ?",
            (layer_id, kind, rid),
        ).fetchone()
        if row is None:
            row = conn.execute(
                "SELECT kind, id, content, NULL, NULL, NULL FROM base_records "
                "WHERE document_id = ? AND kind = ? AND id = ?",
                (document_id, kind, rid),
            ).fetchone()
        if row is not None and row[2] is not None:
            found.update((r.key, r) for r in parse_rows([row]))
    return found


def own_keys(conn: Connection, layer_id: int) -> set[RecordKey]:
    """The keys of every row the layer stores itself."""
    rows = conn.execute("SELECT kind, id FROM layer_records WHERE layer_id = ?", (layer_id,))
    return {(kind, rid) for kind, rid in rows}


def row_state(conn: Connection, layer_id: int, key: RecordKey) -> RowState | None:
    """The layer's own row for ``key``, or None when the layer mirrors the base there."""
    row = conn.execute(
        "SELECT content, created_by, updated_by, grp, ord, page_index FROM layer_records "
        "WHERE layer_id = ? AND kind = ? AND id = ?",
        (layer_id, *key),
    ).fetchone()
    return None if row is None else RowState(*row)


def base_state(conn: Connection, document_id: str, key: RecordKey) -> RowState:
    """The row that makes a layer show the base version of ``key`` (a tombstone if none)."""
    row = conn.execute(
        "SELECT content, ord, page_index FROM base_records "
        "WHERE document_id = ? AND kind = ? AND id = ?",
        (document_id, *key),
    ).fetchone()
    if row is None:
        return RowState(content=None)
    return RowState(content=row[0], ord=row[1], page_index=row[2])


def base_ord(conn: Connection, document_id: str, key: RecordKey) -> int | None:
    """Where the base layer puts ``key`` (None for a record the base does not have)."""
    row = conn.execute(
        "SELECT ord FROM base_records WHERE document_id = ? AND kind = ? AND id = ?",
        (document_id, *key),
    ).fetchone()
    return None if row is None else int(row[0])


SHOWN_BY = (
    "CASE WHEN CAST(? AS TEXT) IS NOT NULL "
    "THEN coalesce(json_extract(?, '$.creatorName'), ?, '') END"
)
"""The ``shown_by`` of a row, from its content, content and created_by: None for a deletion,
else the author the layer list names ('' for none), kept in a column so that a layer's
count and authors are read from an index (``layer_records_authors``) and not from its JSON."""


def write_row(
    conn: Connection,
    layer_id: int,
    key: RecordKey,
    state: RowState,
    revision: int,
    now: str,
) -> None:
    """Store ``state`` as the layer's row for ``key`` at ``revision``."""
    conn.execute(
        "INSERT OR REPLACE INTO layer_records (layer_id, kind, id, ord, page_index, content, "
        "created_by, updated_by, grp, revision, updated_at, shown_by) "
        f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {SHOWN_BY})",
        (
            layer_id,
            *key,
            state.ord,
            state.page_index,
            state.content,
            state.created_by,
            state.updated_by,
            state.group,
            revision,
            now,
            state.content,
            state.content,
            state.created_by,
        ),
    )


def readable_record(key: RecordKey, state: RowState) -> Record | None:
    """The record a row shows (a tombstone must be told apart first), or None when its
    content is unreadable (reported and skipped, see :func:`base_cache.readable_rows`)."""
    assert state.content is not None
    content = parse_content(key[0], key[1], state.content)
    if content is None:
        return None
    return Record(key[0], key[1], content, state.created_by, state.updated_by, state.group)


def record_from_state(key: RecordKey, state: RowState) -> Record | None:
    """The record a row shows, or None for a tombstone."""
    if state.content is None:
        return None
    return Record(
        kind=key[0],
        id=key[1],
        content=loads(state.content),
        created_by=state.created_by,
        updated_by=state.updated_by,
        group=state.group,
    )
