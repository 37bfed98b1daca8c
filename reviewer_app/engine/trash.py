"""Deleted layers kept in memory so a deletion can be undone while the app is open."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from reviewer_app.engine import layers
from reviewer_app.engine.errors import Conflict

_LAYER_COLUMNS = "document_id, name, uid, revision, created_at, updated_at"
_ROW_COLUMNS = (
    "kind, id, ord, page_index, content, created_by, updated_by, grp, revision, updated_at"
)
_HISTORY_COLUMNS = "seq, label, items, undone, created_at"


@dataclass(frozen=True)
class DeletedLayer:
    """Everything a deleted layer stored (its row, records and history), enough to put it
    back exactly as it was."""

    document_id: str
    name: str
    layer: tuple[Any, ...]
    rows: tuple[tuple[Any, ...], ...]
    history: tuple[tuple[Any, ...], ...]


def take(conn: sqlite3.Connection, document_id: str, name: str) -> DeletedLayer:
    """Read what the layer stores, then delete it (NotFound if it does not exist)."""
    found = layers.get(conn, document_id, name)
    layer = conn.execute(f"SELECT {_LAYER_COLUMNS} FROM layers WHERE id = ?", (found.id,))
    rows = conn.execute(
        f"SELECT {_ROW_COLUMNS} FROM layer_records WHERE layer_id = ?", (found.id,)
    ).fetchall()
    steps = conn.execute(
        f"SELECT {_HISTORY_COLUMNS} FROM history WHERE layer_id = ?", (found.id,)
    ).fetchall()
    snapshot = DeletedLayer(document_id, name, tuple(layer.fetchone()), tuple(rows), tuple(steps))
    conn.execute("DELETE FROM layers WHERE id = ?", (found.id,))
    return snapshot


def put_back(conn: sqlite3.Connection, deleted: DeletedLayer) -> None:
    """Restore a deleted layer; Conflict if a layer of that name exists again."""
    if layers.find(conn, deleted.document_id, deleted.name) is not None:
        raise Conflict(f"a layer called {deleted.name!r} exists again; rename it first")
    cur = conn.execute(
        f"INSERT INTO layers ({_LAYER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", deleted.layer
    )
    layer_id = cur.lastrowid
    conn.executemany(
        f"INSERT INTO layer_records (layer_id, {_ROW_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(layer_id, *row) for row in deleted.rows],
    )
    conn.executemany(
        f"INSERT INTO history (layer_id, {_HISTORY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
        [(layer_id, *step) for step in deleted.history],
    )
