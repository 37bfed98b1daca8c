"""Comparing layers: record-level diffs, copying differences across, and changes since N."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reviewer_app import giving_way
from reviewer_app.collector import no_gc
from reviewer_app.engine import layers
from reviewer_app.engine.db import Connection
from reviewer_app.engine.history import Edit
from reviewer_app.engine.model import LayerChanges, LayerDiff, RecordKey
from reviewer_app.engine.row_reading import parse_rows
from reviewer_app.engine.store import NO_LAYER, RowState, readable_record
from reviewer_app.instant.records import Kind, Record

_CHUNK = 500  # ids in one query (SQLite's oldest limit on parameters is 999)

Side = tuple[Any, ...]
"""What a layer shows for a key, as the fields of a :class:`RowState`."""

_OWN = (
    "SELECT kind, id, content, created_by, updated_by, grp, ord, page_index "
    "FROM layer_records WHERE layer_id = ?"
)


def _layer_id(conn: Connection, document_id: str, name: str) -> int:
    layer = layers.find(conn, document_id, name)
    return NO_LAYER if layer is None else layer.id


def _own(conn: Connection, layer_id: int) -> dict[RecordKey, Side]:
    return {(r[0], r[1]): r[2:] for r in conn.execute(_OWN, (layer_id,))}


def _base_sides(
    conn: Connection, document_id: str, keys: Iterable[RecordKey]
) -> dict[RecordKey, Side]:
    """What the base layer shows for each key, a query per kind and :data:`_CHUNK` ids (not
    per key: a diff against a layer that changed nothing asks for every key the other did)."""
    found: dict[RecordKey, Side] = {}
    ids: dict[Kind, list[str]] = {}
    for kind, rid in keys:
        found[(kind, rid)] = (None,) * 6
        ids.setdefault(kind, []).append(rid)
    for kind, wanted in ids.items():
        for first in range(0, len(wanted), _CHUNK):
            chunk = wanted[first : first + _CHUNK]
            rows = conn.execute(
                "SELECT id, content, ord, page_index FROM base_records "
                f"WHERE document_id = ? AND kind = ? AND id IN ({','.join('?' * len(chunk))})",
                (document_id, kind, *chunk),
            )
            for rid, content, ord_, page in rows:
                found[(kind, rid)] = (content, None, None, None, ord_, page)
    return found


def compare_rows(
    conn: Connection, document_id: str, a: str, b: str
) -> list[tuple[RecordKey, Side, Side]]:
    """For every key either layer stores itself: what ``a`` and ``b`` show there.

    A layer that does not show the key has content (the first field) None. Costs the number
    of records the two layers changed, not the size of the base layer.
    """
    with no_gc():
        own_a = {
            (r[0], r[1]): r[2:] for r in conn.execute(_OWN, (_layer_id(conn, document_id, a),))
        }
        own_b = {
            (r[0], r[1]): r[2:] for r in conn.execute(_OWN, (_layer_id(conn, document_id, b),))
        }
        one_sided = own_a.keys() ^ own_b.keys()
        base = _base_sides(conn, document_id, one_sided)
        keys = sorted(own_a.keys() | own_b.keys())
        return [(key, own_a.get(key) or base[key], own_b.get(key) or base[key]) for key in keys]


def diff(conn: Connection, document_id: str, a: str, b: str) -> LayerDiff:
    """Records only in ``a``, only in ``b``, and in both with different content.

    Stored content is canonical JSON, so equal text is equal content; only the records that
    differ are parsed.
    """
    rows_a: list[tuple[Any, ...]] = []
    rows_b: list[tuple[Any, ...]] = []
    for key, sa, sb in compare_rows(conn, document_id, a, b):
        if giving_way.busy:  # (on a task, the window's turn goes first)
            giving_way.give_way()
        if sa[0] == sb[0]:
            continue
        if sa[0] is not None:
            rows_a.append((*key, *sa[:4]))
        if sb[0] is not None:
            rows_b.append((*key, *sb[:4]))
    with no_gc():
        in_a = {(r.kind, r.id): r for r in parse_rows(rows_a)}
        in_b = {(r.kind, r.id): r for r in parse_rows(rows_b)}
    return LayerDiff(
        a,
        b,
        only_a=tuple(r for key, r in in_a.items() if key not in in_b),
        only_b=tuple(r for key, r in in_b.items() if key not in in_a),
        changed=tuple((r, in_b[key]) for key, r in in_a.items() if key in in_b),
    )


def copy_edits(
    conn: Connection,
    document_id: str,
    source: str,
    target: str,
    keys: Iterable[RecordKey] | None,
) -> list[Edit]:
    """Edits that make ``target`` show what ``source`` shows.

    With ``keys``, exactly those records (a record the source lacks is deleted from the
    target); without, every record the source has that the target lacks or has differently
    (nothing is deleted). Keys that neither layer changed already agree (both show base).
    """
    wanted = None if keys is None else set(keys)
    edits: list[Edit] = []
    for key, src, dst in compare_rows(conn, document_id, source, target):
        if wanted is not None and key not in wanted:
            continue
        if src[0] == dst[0] or (wanted is None and src[0] is None):
            continue
        edits.append((key, RowState(content=None) if src[0] is None else RowState(*src)))
    return edits


def changes_since(conn: Connection, document_id: str, name: str, since: int) -> LayerChanges:
    """What the layer changed after revision ``since``: records now present and keys gone."""
    layer = layers.find(conn, document_id, name)
    if layer is None:
        return LayerChanges(name, None, 0, (), ())
    upserted: list[Record] = []
    deleted: list[RecordKey] = []
    rows = conn.execute(
        "SELECT kind, id, content, created_by, updated_by, grp FROM layer_records "
        "WHERE layer_id = ? AND revision > ? ORDER BY revision, kind, id",
        (layer.id, since),
    )
    for kind, rid, content, created_by, updated_by, grp in rows:
        if content is None:
            deleted.append((kind, rid))
            continue
        record = readable_record((kind, rid), RowState(content, created_by, updated_by, grp))
        if record is not None:  # an unreadable one is reported and left out
            upserted.append(record)
    return LayerChanges(name, layer.uid, layer.revision, tuple(upserted), tuple(deleted))
