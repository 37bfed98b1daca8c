"""A desktop replica's sync state: per layer what was pulled and pushed, the outbox, the merge."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reviewer_app.engine import layers
from reviewer_app.engine.db import Connection
from reviewer_app.engine.model import (
    Document,
    OutgoingChange,
    RecordKey,
    SyncLayer,
)
from reviewer_app.engine.records import edits_to_store
from reviewer_app.engine.store import RowState, base_state, record_from_state, row_state
from reviewer_app.engine.sync_support import record_json
from reviewer_app.instant import json_codec
from reviewer_app.instant.records import Record, canonical_json

_STATE = (
    "SELECT id, document_id, name, local_uid, server_uid, pulled_revision, "
    "pushed_local_revision, pending_key, pending_changes, deleted_on_server FROM sync_layers "
)
_FIELDS = {
    "local_uid",
    "server_uid",
    "pulled_revision",
    "pushed_local_revision",
    "pending_key",
    "pending_changes",
    "deleted_on_server",
}


def _state(row: Sequence[Any]) -> SyncLayer:
    return SyncLayer(
        int(row[0]),
        str(row[1]),
        str(row[2]),
        row[3],
        row[4],
        int(row[5]),
        int(row[6]),
        row[7],
        row[8],  # the push in flight: parsed only when asked for
        bool(row[9]),
    )


def find_state(conn: Connection, document_id: str, name: str) -> SyncLayer | None:
    row = conn.execute(_STATE + "WHERE document_id = ? AND name = ?", (document_id, name))
    found = row.fetchone()
    return None if found is None else _state(found)


def ensure_state(conn: Connection, document_id: str, name: str) -> SyncLayer:
    """The layer's sync state, created (never synced) if it has none."""
    found = find_state(conn, document_id, name)
    if found is not None:
        return found
    local = layers.find(conn, document_id, name)
    conn.execute(
        "INSERT INTO sync_layers (document_id, name, local_uid) VALUES (?, ?, ?)",
        (document_id, name, None if local is None else local.uid),
    )
    state = find_state(conn, document_id, name)
    assert state is not None
    return state


def all_states(conn: Connection, document_id: str) -> list[SyncLayer]:
    rows = conn.execute(_STATE + "WHERE document_id = ? ORDER BY name", (document_id,))
    return [_state(row) for row in rows]


def update_state(conn: Connection, state_id: int, **fields: Any) -> None:
    """Set some fields of a sync state (``pending_changes`` as a list of OutgoingChange)."""
    unknown = set(fields) - _FIELDS
    assert not unknown, unknown
    if "pending_changes" in fields and fields["pending_changes"] is not None:
        changes = [c.to_json() for c in fields["pending_changes"]]
        fields["pending_changes"] = json_codec.readable(changes)
    assignments = ", ".join(f"{name} = ?" for name in fields)
    conn.execute(f"UPDATE sync_layers SET {assignments} WHERE id = ?", (*fields.values(), state_id))


def forget_state(conn: Connection, state_id: int) -> None:
    """Drop a layer's sync state (its record states and conflicts go with it)."""
    conn.execute("DELETE FROM sync_layers WHERE id = ?", (state_id,))


def restart_state(conn: Connection, state: SyncLayer) -> None:
    """Pair the layer afresh: every local record counts as unsent, the server's are pulled anew."""
    local = layers.find(conn, state.document_id, state.name)
    conn.execute("DELETE FROM sync_records WHERE sync_layer_id = ?", (state.id,))
    conn.execute("DELETE FROM sync_conflicts WHERE sync_layer_id = ?", (state.id,))
    update_state(
        conn,
        state.id,
        local_uid=None if local is None else local.uid,
        server_uid=None,
        pulled_revision=0,
        pushed_local_revision=0,
        pending_key=None,
        pending_changes=None,
        deleted_on_server=0,
    )


_DIRTY_ROWS = (
    "FROM layer_records r LEFT JOIN sync_records s "
    "ON s.sync_layer_id = ? AND s.kind = r.kind AND s.id = r.id "
    "WHERE r.layer_id = ? AND r.revision > ? AND r.revision > coalesce(s.local_revision, 0) "
    "AND NOT EXISTS (SELECT 1 FROM sync_conflicts c WHERE c.sync_layer_id = ? "
    "AND c.kind = r.kind AND c.record_id = r.id)"
)
_DIRTY = (
    "SELECT r.kind, r.id, r.content, r.revision, coalesce(s.server_revision, 0) "
    + _DIRTY_ROWS
    + " ORDER BY r.revision, r.kind, r.id"
)


def outbox(conn: Connection, state: SyncLayer, limit: int | None = None) -> list[OutgoingChange]:
    """Local changes not yet sent, oldest first: the layer's rows written after the pushed
    revision that are not what the server last gave us (conflicted records wait)."""
    layer = layers.find(conn, state.document_id, state.name)
    if layer is None:
        return []
    sql = _DIRTY + ("" if limit is None else f" LIMIT {int(limit)}")
    rows = conn.execute(sql, (state.id, layer.id, state.pushed_local_revision, state.id))
    return [
        OutgoingChange(kind, rid, int(base), None if c is None else json_codec.loads(c), int(rev))
        for kind, rid, c, rev, base in rows
    ]


def outbox_size(conn: Connection, state: SyncLayer) -> int:
    """``len(outbox(conn, state))``, counted by SQLite: no record read or parsed."""
    layer = layers.find(conn, state.document_id, state.name)
    if layer is None:
        return 0
    params = (state.id, layer.id, state.pushed_local_revision, state.id)
    return int(conn.execute("SELECT count(*) " + _DIRTY_ROWS, params).fetchone()[0])


def advance_pushed(conn: Connection, state: SyncLayer, upto: int) -> None:
    """Move the pushed revision to ``upto``, but never past a change that still waits."""
    waiting = outbox(conn, state, limit=1)
    if waiting and waiting[0].local_revision <= upto:
        upto = waiting[0].local_revision - 1
    update_state(conn, state.id, pushed_local_revision=max(upto, state.pushed_local_revision))


def requeue(conn: Connection, state_id: int, local_revision: int) -> None:
    """Make sure the change written at ``local_revision`` is sent again."""
    conn.execute(
        "UPDATE sync_layers SET pushed_local_revision = CASE WHEN pushed_local_revision < ? "
        "THEN pushed_local_revision ELSE ? END WHERE id = ?",
        (local_revision - 1, local_revision - 1, state_id),
    )


def set_synced(
    conn: Connection,
    state_id: int,
    key: RecordKey,
    server_revision: int,
    local_revision: int,
    server_record: Record | None,
) -> None:
    """Remember that the server has ``key`` at ``server_revision`` and the local row at
    ``local_revision`` is in step with it."""
    set_synced_many(conn, state_id, [(key, server_revision, local_revision, server_record)])


InStep = tuple[RecordKey, int, int, "Record | None"]  # key, server and local revision, record


def set_synced_many(conn: Connection, state_id: int, rows: Sequence[InStep]) -> None:
    """:func:`set_synced` for each row, in one statement (a push's answer: hundreds)."""
    conn.executemany(
        "INSERT OR REPLACE INTO sync_records (sync_layer_id, kind, id, server_revision, "
        "local_revision, server_record) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (state_id, *key, server, local, None if r is None else _stored(r))
            for key, server, local, r in rows
        ],
    )


def _stored(record: Record) -> str:
    return json_codec.readable(record_json(record))


def synced(conn: Connection, state_id: int, key: RecordKey) -> tuple[int, int] | None:
    """(server revision, local revision) last in step for ``key``, if ever."""
    row = conn.execute(
        "SELECT server_revision, local_revision FROM sync_records "
        "WHERE sync_layer_id = ? AND kind = ? AND id = ?",
        (state_id, *key),
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


def server_snapshot(conn: Connection, state_id: int) -> dict[RecordKey, Record | None]:
    """The server's version of every record seen (for the diff against a plain server)."""
    rows = conn.execute(
        "SELECT kind, id, server_record FROM sync_records WHERE sync_layer_id = ?", (state_id,)
    )
    return {(k, i): None if text is None else parse_record(text) for k, i, text in rows}


def parse_record(text: str) -> Record:
    data = json_codec.loads(text)
    return Record(
        data["kind"],
        data["id"],
        data["content"],
        data["createdBy"],
        data["updatedBy"],
        data["group"],
    )


def row_revision(conn: Connection, layer_id: int, key: RecordKey) -> int:
    row = conn.execute(
        "SELECT revision FROM layer_records WHERE layer_id = ? AND kind = ? AND id = ?",
        (layer_id, *key),
    ).fetchone()
    return 0 if row is None else int(row[0])


def target_state(
    conn: Connection, doc: Document, key: RecordKey, record: Record | None
) -> RowState:
    """The row that makes a layer show ``record`` (a tombstone for None)."""
    if record is None:
        return RowState(content=None)
    return edits_to_store(conn, doc, [record])[0][1] or RowState(content=None)


def canonical(record: Record | None) -> str | None:
    """A record's content as comparable text (None for none)."""
    return None if record is None else canonical_json(record.content)


def local_record(conn: Connection, doc: Document, name: str, key: RecordKey) -> Record | None:
    """What the layer shows for ``key`` now (None: nothing)."""
    layer = layers.find(conn, doc.id, name)
    own = None if layer is None else row_state(conn, layer.id, key)
    return record_from_state(key, own if own is not None else base_state(conn, doc.id, key))
