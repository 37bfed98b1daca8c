"""Mutations of a layer: one primitive that writes rows, bumps the revision, keeps undo history."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from reviewer_app.engine import layers
from reviewer_app.engine.db import Connection, utc_now
from reviewer_app.engine.errors import Conflict
from reviewer_app.engine.model import Change, RecordKey
from reviewer_app.engine.store import RowState, base_state, record_from_state, row_state, write_row
from reviewer_app.instant.records import Record

HISTORY_LIMIT = 1000
"""Undo steps kept per layer; older ones are dropped.

A step's id (its ``seq``) is the layer revision that wrote it: it grows with every step and is
never given to another step of the layer, even after undone steps are dropped (a count would
be: undo a merge, edit, and the edit would get the merge's number)."""

Edit = tuple[RecordKey, RowState | None]
"""A key and the row it should have; None means "show the base version again"."""


def apply(
    conn: Connection,
    document_id: str,
    layer_name: str,
    edits: Sequence[Edit],
    label: str,
    *,
    undoable: bool = True,
) -> Change:
    """Write ``edits`` to the layer (created if missing) as one revision; returns the change.

    Call inside a transaction. Edits that would not change a row are left out.
    """
    layer = layers.ensure(conn, document_id, layer_name)
    now = utc_now()
    steps: list[dict[str, object]] = []
    upserted: list[Record] = []
    deleted: list[RecordKey] = []
    revision = layer.revision
    for key, target in edits:
        after = target if target is not None else base_state(conn, document_id, key)
        before = row_state(conn, layer.id, key)
        if before == after:
            continue
        if revision == layer.revision:
            revision = layers.bump(conn, layer)
        write_row(conn, layer.id, key, after, revision, now)
        steps.append(
            {
                "kind": key[0],
                "id": key[1],
                "before": None if before is None else before.to_json(),
                "after": after.to_json(),
            }
        )
        record = record_from_state(key, after)
        if record is None:
            deleted.append(key)
        else:
            upserted.append(record)
    step = None
    if steps and undoable:
        step = _remember(conn, layer.id, revision, label, steps, now)
    return Change(document_id, layer_name, revision, label, tuple(upserted), tuple(deleted), step)


def _remember(
    conn: Connection,
    layer_id: int,
    revision: int,
    label: str,
    steps: list[dict[str, object]],
    now: str,
) -> int:
    """Add an undo step (its id: ``revision``), dropping redo and steps past the limit."""
    conn.execute("DELETE FROM history WHERE layer_id = ? AND undone = 1", (layer_id,))
    conn.execute(
        "INSERT INTO history (layer_id, seq, label, items, undone, created_at) "
        "VALUES (?, ?, ?, ?, 0, ?)",
        (layer_id, revision, label, json.dumps(steps), now),
    )
    conn.execute(
        "DELETE FROM history WHERE layer_id = ? AND seq <= (SELECT seq FROM history "
        "WHERE layer_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)",
        (layer_id, layer_id, HISTORY_LIMIT),
    )
    return revision


def undo_label(conn: Connection, document_id: str, layer_name: str) -> str | None:
    """What undo would revert in this layer, or None if there is nothing to undo."""
    return _label(conn, document_id, layer_name, undone=False)


def redo_label(conn: Connection, document_id: str, layer_name: str) -> str | None:
    """What redo would reapply in this layer, or None if there is nothing to redo."""
    return _label(conn, document_id, layer_name, undone=True)


LABEL_SQL = "SELECT label FROM history WHERE layer_id = ? AND undone = ? ORDER BY seq {} LIMIT 1"
"""The label of a layer's newest step (DESC) or oldest (ASC) in a state: found in the index
``history_labels`` alone, never walking a step's row (a step of thousands of records is
megabytes of JSON before its ``undone`` flag: 2-3 ms a label at every layer shown)."""


def _label(conn: Connection, document_id: str, layer_name: str, *, undone: bool) -> str | None:
    """The label of the step undo (redo, when ``undone``) would take (see LABEL_SQL)."""
    layer = layers.find(conn, document_id, layer_name)
    if layer is None:
        return None
    order = "ASC" if undone else "DESC"
    row = conn.execute(LABEL_SQL.format(order), (layer.id, int(undone))).fetchone()
    return None if row is None else str(row[0])


def _step(
    conn: Connection, document_id: str, layer_name: str, *, undone: bool
) -> tuple[int, str, list[dict[str, Any]]] | None:
    layer = layers.find(conn, document_id, layer_name)
    if layer is None:
        return None
    order = "ASC" if undone else "DESC"
    row = conn.execute(
        f"SELECT seq, label, items FROM history WHERE layer_id = ? AND undone = ? "
        f"ORDER BY seq {order} LIMIT 1",
        (layer.id, int(undone)),
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]), json.loads(row[2]))


def newest_step(conn: Connection, document_id: str, layer_name: str) -> int | None:
    """The id of the step undo would revert now, or None if there is nothing to undo."""
    layer = layers.find(conn, document_id, layer_name)
    if layer is None:
        return None
    row = conn.execute(
        "SELECT seq FROM history WHERE layer_id = ? AND undone = 0 ORDER BY seq DESC LIMIT 1",
        (layer.id,),
    ).fetchone()
    return None if row is None else int(row[0])


def undo(conn: Connection, document_id: str, layer_name: str) -> Change | None:
    """Revert the layer's last change (a new revision); None if there is nothing to undo."""
    return _travel(conn, document_id, layer_name, back=True)


def undo_step(conn: Connection, document_id: str, layer_name: str, step: int) -> Change:
    """Revert exactly the step ``step``; Conflict unless it is the newest undoable step (a
    later change sits on top of it, or it was undone already or dropped)."""
    newest = newest_step(conn, document_id, layer_name)
    if newest != step:
        reason = (
            "a later change is on top of it"
            if newest is not None and newest > step
            else "it is not in the history (undone already, or too old)"
        )
        raise Conflict(f"cannot undo step {step} of layer {layer_name!r}: {reason}")
    change = _travel(conn, document_id, layer_name, back=True)
    assert change is not None
    return change


def redo(conn: Connection, document_id: str, layer_name: str) -> Change | None:
    """Reapply the change undo last reverted; None if there is nothing to redo."""
    return _travel(conn, document_id, layer_name, back=False)


def _travel(conn: Connection, document_id: str, layer_name: str, *, back: bool) -> Change | None:
    found = _step(conn, document_id, layer_name, undone=not back)
    if found is None:
        return None
    seq, label, steps = found
    ordered = reversed(steps) if back else steps
    edits: list[Edit] = [
        ((step["kind"], step["id"]), RowState.from_json(step["before" if back else "after"]))
        for step in ordered
    ]
    change = apply(conn, document_id, layer_name, edits, label, undoable=False)
    layer = layers.get(conn, document_id, layer_name)
    conn.execute(
        "UPDATE history SET undone = ? WHERE layer_id = ? AND seq = ?", (int(back), layer.id, seq)
    )
    return change
