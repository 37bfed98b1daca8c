"""Merging the server's versions of records into a replica's layer: never overwrite a local
change silently; equal changes agree, an edit beats a deletion, two edits become a conflict."""

from __future__ import annotations

from collections.abc import Sequence

from reviewer_app.engine import history, layers
from reviewer_app.engine.db import Connection, utc_now
from reviewer_app.engine.history import Edit
from reviewer_app.engine.model import (
    Document,
    Merged,
    PushOutcome,
    RecordKey,
    ServerVersion,
    SyncLayer,
)
from reviewer_app.engine.replica import (
    InStep,
    advance_pushed,
    ensure_state,
    requeue,
    row_revision,
    set_synced,
    set_synced_many,
    synced,
    target_state,
    update_state,
)
from reviewer_app.engine.store import RowState, base_state, row_state
from reviewer_app.engine.sync_support import record_json
from reviewer_app.instant import json_codec
from reviewer_app.instant.records import Record


def merge(
    conn: Connection,
    doc: Document,
    state: SyncLayer,
    versions: Sequence[ServerVersion],
    label: str = "Sync",
) -> Merged:
    """Take the server's versions into the layer, outside the undo history. A record changed
    here too is never overwritten: equal changes agree, an edit beats a deletion (either way,
    with a notice), and two different edits become a conflict that keeps both."""
    layer = layers.ensure(conn, doc.id, state.name)
    if state.local_uid != layer.uid:
        update_state(conn, state.id, local_uid=layer.uid)
    edits: list[Edit] = []
    clean: list[ServerVersion] = []
    notices: list[str] = []
    conflicts = 0
    for v in versions:
        known = synced(conn, state.id, v.key)
        revision = row_revision(conn, layer.id, v.key)
        if known is not None and v.revision <= known[0] and 0 < revision <= known[1]:
            continue  # a version we have, in step and unchanged since (our push, echoed)
        if _conflict_seen(conn, state.id, v):
            continue
        own = row_state(conn, layer.id, v.key)
        shown = own if own is not None else base_state(conn, doc.id, v.key)
        theirs = target_state(conn, doc, v.key, v.record)
        dirty = own is not None and revision > (0 if known is None else known[1])
        if not dirty or shown.content == theirs.content:
            if _differs(shown, theirs):
                edits.append((v.key, theirs))
            clean.append(v)
        elif known is not None and v.revision <= known[0]:
            continue  # what we sent, or older: our change is newer
        elif v.record is None:
            set_synced(conn, state.id, v.key, v.revision, 0 if known is None else known[1], None)
            requeue(conn, state.id, revision)
            notices.append(f"{_name(v.key)} was deleted on the server and changed here: kept")
        elif shown.content is None:
            edits.append((v.key, theirs))
            clean.append(v)
            notices.append(f"{_name(v.key)} was deleted here and changed on the server: kept")
        else:
            _add_conflict(conn, state.id, v)
            conflicts += 1
    change = history.apply(conn, doc.id, state.name, edits, label, undoable=False)
    set_synced_many(
        conn,
        state.id,
        [(v.key, v.revision, row_revision(conn, layer.id, v.key), v.record) for v in clean],
    )
    return Merged(change, conflicts, tuple(notices))


def settle_push(conn: Connection, doc: Document, state: SyncLayer, outcome: PushOutcome) -> Merged:
    """Record the server's answer to a push: applied changes are in step at their server
    revision, rejected ones are not sent again (the server keeps its version), conflicts are
    merged (see :func:`merge`); the push in flight is cleared and the pushed revision moves
    past the batch (never past a change that still waits)."""
    in_step: list[InStep] = []
    for change in outcome.changes:
        if change.key in outcome.applied:
            record = None
            if change.content is not None:
                record = Record(change.kind, change.id, change.content)
            revision = outcome.applied[change.key]
            in_step.append((change.key, revision, change.local_revision, record))
        elif change.key in outcome.rejected:
            known = synced(conn, state.id, change.key)
            server_revision = known[0] if known else 0
            in_step.append((change.key, server_revision, change.local_revision, None))
    set_synced_many(conn, state.id, in_step)
    merged = merge(conn, doc, state, outcome.conflicts)
    fresh = ensure_state(conn, doc.id, state.name)
    uid = fresh.server_uid if fresh.server_uid is not None else outcome.server_uid
    update_state(conn, state.id, pending_key=None, pending_changes=None, server_uid=uid)
    upto = max((c.local_revision for c in outcome.changes), default=0)
    advance_pushed(conn, ensure_state(conn, doc.id, state.name), upto)
    return merged


def _differs(a: RowState, b: RowState) -> bool:
    return (a.content, a.created_by, a.updated_by, a.group) != (
        b.content,
        b.created_by,
        b.updated_by,
        b.group,
    )


def _name(key: RecordKey) -> str:
    return f"{key[0]} {key[1]!r}"


def _conflict_seen(conn: Connection, state_id: int, v: ServerVersion) -> bool:
    """If ``v``'s record is already in conflict, refresh the server's side; True if it was."""
    row = conn.execute(
        "SELECT server_revision FROM sync_conflicts WHERE sync_layer_id = ? AND kind = ? "
        "AND record_id = ?",
        (state_id, *v.key),
    ).fetchone()
    if row is None:
        return False
    if v.revision > int(row[0]):
        _add_conflict(conn, state_id, v)
    return True


def _add_conflict(conn: Connection, state_id: int, v: ServerVersion) -> None:
    text = None if v.record is None else json_codec.readable(record_json(v.record))
    conn.execute(
        "INSERT OR REPLACE INTO sync_conflicts (sync_layer_id, kind, record_id, server_revision, "
        "server_record, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (state_id, *v.key, v.revision, text, utc_now()),
    )
