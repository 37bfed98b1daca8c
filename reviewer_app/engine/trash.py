"""Deleted layers kept in the database (the trash) so that a deletion can be undone exactly."""

from __future__ import annotations

from dataclasses import dataclass

from reviewer_app.engine import layers
from reviewer_app.engine.db import Connection, utc_now
from reviewer_app.engine.errors import Conflict, NotFound

TRASH_LIMIT = 20
"""Deletions kept per document; the oldest go first (the app also empties a document's trash
when it closes the document, so this only bounds callers that never do)."""

_ROW_COLUMNS = (
    "kind, id, ord, page_index, content, created_by, updated_by, grp, revision, updated_at, "
    "shown_by"
)
_HISTORY_COLUMNS = "seq, label, items, undone, created_at"
_ENTRY = (
    "SELECT id, document_id, name, uid, revision, deleted_at, "
    "(SELECT count(*) FROM deleted_layer_records r WHERE r.deleted_layer_id = t.id) "
    "FROM deleted_layers t "
)


@dataclass(frozen=True)
class DeletedLayer:
    """One deletion of a layer: its name, identity (uid) and revision when it was deleted, when,
    and how many rows it stored. ``id`` names the trash entry that keeps it for undo (None
    when it was deleted for good)."""

    id: int | None
    document_id: str
    name: str
    uid: str
    revision: int
    deleted_at: str
    own_records: int


def take(conn: Connection, document_id: str, name: str, *, keep_for_undo: bool) -> DeletedLayer:
    """Delete the layer (NotFound if it does not exist), first copying its row, records and
    history into the trash when ``keep_for_undo``. Call inside a transaction."""
    found = layers.get(conn, document_id, name)
    count = conn.execute(
        "SELECT count(*) FROM layer_records WHERE layer_id = ?", (found.id,)
    ).fetchone()[0]
    now = utc_now()
    entry: int | None = None
    if keep_for_undo:
        cur = conn.execute(
            "INSERT INTO deleted_layers (document_id, name, uid, revision, created_at, "
            "updated_at, deleted_at) SELECT document_id, name, uid, revision, created_at, "
            "updated_at, ? FROM layers WHERE id = ?",
            (now, found.id),
        )
        entry = cur.lastrowid
        conn.execute(
            f"INSERT INTO deleted_layer_records (deleted_layer_id, {_ROW_COLUMNS}) "
            f"SELECT ?, {_ROW_COLUMNS} FROM layer_records WHERE layer_id = ?",
            (entry, found.id),
        )
        conn.execute(
            f"INSERT INTO deleted_layer_history (deleted_layer_id, {_HISTORY_COLUMNS}) "
            f"SELECT ?, {_HISTORY_COLUMNS} FROM history WHERE layer_id = ?",
            (entry, found.id),
        )
        _trim(conn, document_id)
    conn.execute("DELETE FROM layers WHERE id = ?", (found.id,))
    return DeletedLayer(entry, document_id, name, found.uid, found.revision, now, int(count))


def _trim(conn: Connection, document_id: str) -> None:
    conn.execute(
        "DELETE FROM deleted_layers WHERE document_id = ? AND id <= (SELECT id FROM "
        "deleted_layers WHERE document_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
        (document_id, document_id, TRASH_LIMIT),
    )


def listing(conn: Connection, document_id: str) -> list[DeletedLayer]:
    """The document's deletions kept for undo, newest first."""
    rows = conn.execute(_ENTRY + "WHERE document_id = ? ORDER BY id DESC", (document_id,))
    return [DeletedLayer(*row) for row in rows]


def put_back(conn: Connection, document_id: str, entry_id: int | None = None) -> DeletedLayer:
    """Restore the newest deletion of the document (or the one ``entry_id`` names) exactly as
    the layer was: its uid, revision, records and undo history. NotFound if there is no such
    deletion; Conflict if a layer of that name exists again. Call inside a transaction."""
    if entry_id is None:
        row = conn.execute(
            _ENTRY + "WHERE document_id = ? ORDER BY id DESC LIMIT 1", (document_id,)
        ).fetchone()
    else:
        row = conn.execute(
            _ENTRY + "WHERE document_id = ? AND id = ?", (document_id, entry_id)
        ).fetchone()
    if row is None:
        what = "no deleted layer" if entry_id is None else f"no deletion {entry_id}"
        raise NotFound(f"{what} to restore in document {document_id} (kept until it closes)")
    deleted = DeletedLayer(*row)
    if layers.find(conn, document_id, deleted.name) is not None:
        raise Conflict(f"a layer called {deleted.name!r} exists again; rename it first")
    cur = conn.execute(
        "INSERT INTO layers (document_id, name, uid, revision, created_at, updated_at) "
        "SELECT document_id, name, uid, revision, created_at, updated_at "
        "FROM deleted_layers WHERE id = ?",
        (deleted.id,),
    )
    layer_id = cur.lastrowid
    conn.execute(
        f"INSERT INTO layer_records (layer_id, {_ROW_COLUMNS}) "
        f"SELECT ?, {_ROW_COLUMNS} FROM deleted_layer_records WHERE deleted_layer_id = ?",
        (layer_id, deleted.id),
    )
    conn.execute(
        f"INSERT INTO history (layer_id, {_HISTORY_COLUMNS}) "
        f"SELECT ?, {_HISTORY_COLUMNS} FROM deleted_layer_history WHERE deleted_layer_id = ?",
        (layer_id, deleted.id),
    )
    conn.execute("DELETE FROM deleted_layers WHERE id = ?", (deleted.id,))
    return deleted


def holds_any(conn: Connection, document_id: str) -> bool:
    """Whether the document has a deletion kept for undo."""
    found = "SELECT 1 FROM deleted_layers WHERE document_id = ? LIMIT 1"
    return conn.execute(found, (document_id,)).fetchone() is not None


def purge(conn: Connection, document_id: str) -> int:
    """Forget every deletion of the document kept for undo; returns how many there were."""
    cur = conn.execute("DELETE FROM deleted_layers WHERE document_id = ?", (document_id,))
    return cur.rowcount
