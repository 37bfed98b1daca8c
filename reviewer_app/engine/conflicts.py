"""Sync conflicts of a replica: a record changed both here and on the server, both versions kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reviewer_app.engine import history, layers
from reviewer_app.engine.db import Connection
from reviewer_app.engine.errors import BadRequest, NotFound
from reviewer_app.engine.history import Edit
from reviewer_app.engine.model import Change, Document, RecordKey
from reviewer_app.engine.records import edits_to_store
from reviewer_app.engine.replica import (
    find_state,
    local_record,
    parse_record,
    requeue,
    row_revision,
    set_synced,
    synced,
    target_state,
)
from reviewer_app.instant.ids import new_ulid
from reviewer_app.instant.records import Record

Choice = Literal["mine", "theirs", "both"]
CHOICES: tuple[Choice, ...] = ("mine", "theirs", "both")


@dataclass(frozen=True)
class SyncConflict:
    """A record changed on both sides: ``mine`` stays in the layer, ``theirs`` is the server's
    version (at ``server_revision``) kept aside until the user picks mine, theirs or both."""

    id: int
    document_id: str
    layer: str
    key: RecordKey
    mine: Record | None
    theirs: Record | None
    server_revision: int
    created_at: str


_SELECT = (
    "SELECT c.id, s.document_id, s.name, c.kind, c.record_id, c.server_record, "
    "c.server_revision, c.created_at FROM sync_conflicts c "
    "JOIN sync_layers s ON s.id = c.sync_layer_id "
)


def listing(conn: Connection, doc: Document, layer: str | None = None) -> list[SyncConflict]:
    """The open conflicts of the document (of one layer if given), oldest first."""
    sql, args = _SELECT + "WHERE s.document_id = ?", [doc.id]
    if layer is not None:
        sql, args = sql + " AND s.name = ?", [*args, layer]
    found: list[SyncConflict] = []
    for cid, doc_id, name, kind, rid, text, srev, created in conn.execute(
        sql + " ORDER BY c.id", args
    ):
        key: RecordKey = (kind, rid)
        theirs = None if text is None else parse_record(text)
        mine = local_record(conn, doc, name, key)
        found.append(SyncConflict(cid, doc_id, name, key, mine, theirs, int(srev), created))
    return found


def count(conn: Connection, document_id: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM sync_conflicts c JOIN sync_layers s ON s.id = c.sync_layer_id "
        "WHERE s.document_id = ?",
        (document_id,),
    ).fetchone()
    return int(row[0])


def resolve(conn: Connection, doc: Document, conflict_id: int, choice: str) -> Change:
    """Settle a conflict: keep ``mine`` (sent to the server next), take ``theirs``, or keep
    ``both`` (the server's version under the record's id, mine as a copy with a new id).
    Taking theirs or both is an undoable edit of the layer; the result syncs."""
    if choice not in CHOICES:
        raise BadRequest(f"choose one of {', '.join(CHOICES)}, not {choice!r}")
    conflict = next((c for c in listing(conn, doc) if c.id == conflict_id), None)
    if conflict is None:
        raise NotFound(f"no sync conflict {conflict_id}")
    state = find_state(conn, doc.id, conflict.layer)
    assert state is not None
    layer = layers.ensure(conn, doc.id, conflict.layer)
    key, theirs = conflict.key, conflict.theirs
    conn.execute("DELETE FROM sync_conflicts WHERE id = ?", (conflict_id,))
    if choice == "mine":
        known = synced(conn, state.id, key)
        set_synced(conn, state.id, key, conflict.server_revision, known[1] if known else 0, theirs)
        requeue(conn, state.id, row_revision(conn, layer.id, key))
        return Change(doc.id, conflict.layer, layer.revision, "Keep my version")
    edits: list[Edit] = [(key, target_state(conn, doc, key, theirs))]
    label = "Keep the server's version"
    if choice == "both":
        mine = conflict.mine
        if mine is None or key[0] == "formFieldValue":
            raise BadRequest("a deleted record or a form field value cannot be kept twice")
        content = {k: v for k, v in mine.content.items() if k not in ("id", "name")}
        copy = Record(key[0], new_ulid(), content, mine.created_by, mine.updated_by, mine.group)
        edits.extend(edits_to_store(conn, doc, [copy]))
        label = "Keep both versions"
    change = history.apply(conn, doc.id, conflict.layer, edits, label)
    revision = row_revision(conn, layer.id, key)
    set_synced(conn, state.id, key, conflict.server_revision, revision, theirs)
    return change
