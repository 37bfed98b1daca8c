"""Layer rows: names, existence, creation (empty, forked) and deletion."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from reviewer_app.engine.db import Connection, lock, utc_now
from reviewer_app.engine.errors import BadRequest, Conflict, NotFound
from reviewer_app.engine.model import BASE, LayerInfo
from reviewer_app.instant.ids import new_ulid
from reviewer_app.instant.limits import bad_text

MAX_NAME_LENGTH = 256


@dataclass(frozen=True)
class StoredLayer:
    """A layer's row in the database: its row id, name, identity (uid) and revision (the
    engine's internal handle; callers get :class:`~reviewer_app.engine.model.LayerInfo`)."""

    id: int
    name: str
    uid: str
    revision: int


def check_name(name: object) -> str:
    """``name`` if it is a valid layer name, else BadRequest saying why."""
    if not isinstance(name, str):
        raise BadRequest("a layer name must be a string")
    if "*" in name:
        raise BadRequest(f"invalid layer name {name[:40]!r}: it must not contain '*'")
    if bad_text(name):
        raise BadRequest(f"invalid layer name {name[:40]!r}: it is not valid Unicode")
    if len(name) > MAX_NAME_LENGTH:
        raise BadRequest(
            f"invalid layer name: {len(name)} characters, at most {MAX_NAME_LENGTH} allowed"
        )
    return name


def path_problem(name: str) -> str | None:
    """Why a URL path cannot carry the layer name ``name``, or None when it can.

        The shared server names a layer in its paths (``…/layers/{layer}/annotations``), and
        clients quote the name whole. Every character goes there and back but ``/`` (the server
        reads ``%2F`` as a separator: ``7b/alice`` can be made but never reached, not even to
        delete it) and the whole names ``.`` and ``..``, dot segments that clients and proxies
        remove (``…/layers/../annotations`` is the document's default layer), and NUL, which a
    URL should not carry and a PostgreSQL server cannot store. The engine takes
        such names (a desktop layer may have one); the server refuses them and sync skips them."""
    if "/" in name:
        return "it must not contain '/', which a URL path cannot carry"
    if "\x00" in name:
        return "it must not contain the NUL character, which URLs and PostgreSQL refuse"
    if name in (".", ".."):
        return f"{name!r} alone is a dot segment, which URLs drop from a path"
    return None


def check_shared_name(name: object) -> str:
    """``name`` if a shared server can hold a layer of that name: :func:`check_name`, and a
    URL path can carry it (:func:`path_problem`); else BadRequest saying why."""
    problem = path_problem(check_name(name))
    if problem is not None:
        raise BadRequest(f"invalid layer name {str(name)[:40]!r} for a URL path: {problem}")
    return str(name)


def find(conn: Connection, document_id: str, name: str) -> StoredLayer | None:
    """The layer called ``name``, or None if it does not exist (yet). In a transaction, the
    layer is this transaction's to change until it ends (:func:`~reviewer_app.engine.db.lock`:
    every write reads its layer here first, so no other process changes it meanwhile)."""
    if name == BASE:
        return None
    lock(conn, document_id, name)
    row = conn.execute(
        "SELECT id, name, uid, revision FROM layers WHERE document_id = ? AND name = ?",
        (document_id, name),
    ).fetchone()
    return None if row is None else StoredLayer(*row)


def get(conn: Connection, document_id: str, name: str) -> StoredLayer:
    """The layer called ``name``; NotFound if it does not exist."""
    layer = find(conn, document_id, name)
    if layer is None:
        raise NotFound(f"no layer {name!r} in document {document_id}")
    return layer


def insert(conn: Connection, document_id: str, name: str) -> StoredLayer:
    """Create the row of a new, empty layer (it reads as the base layer)."""
    check_name(name)
    if find(conn, document_id, name) is not None:
        raise Conflict(f"layer {name!r} already exists in document {document_id}")
    now = utc_now()
    uid = new_ulid()
    cur = conn.execute(
        "INSERT INTO layers (document_id, name, uid, revision, created_at, updated_at) "
        "VALUES (?, ?, ?, 0, ?, ?)",
        (document_id, name, uid, now, now),
    )
    assert cur.lastrowid is not None
    return StoredLayer(cur.lastrowid, name, uid, 0)


def ensure(conn: Connection, document_id: str, name: str) -> StoredLayer:
    """The layer called ``name``, created empty if it does not exist (writing creates layers)."""
    if name == BASE:
        raise BadRequest("the base layer cannot be changed")
    return find(conn, document_id, name) or insert(conn, document_id, name)


def copy_rows(conn: Connection, source: StoredLayer, target: StoredLayer) -> int:
    """Give ``target`` the rows of ``source`` (a fork: costs what the source changed)."""
    cur = conn.execute(
        "INSERT INTO layer_records (layer_id, kind, id, ord, page_index, content, created_by, "
        "updated_by, grp, revision, updated_at, shown_by) "
        "SELECT ?, kind, id, ord, page_index, content, created_by, updated_by, grp, 1, ?, "
        "shown_by "
        "FROM layer_records WHERE layer_id = ?",
        (target.id, utc_now(), source.id),
    )
    if cur.rowcount:
        conn.execute("UPDATE layers SET revision = 1 WHERE id = ?", (target.id,))
    return cur.rowcount


def bump(conn: Connection, layer: StoredLayer) -> int:
    """Give the layer its next revision and return it."""
    row = conn.execute(
        "UPDATE layers SET revision = revision + 1, updated_at = ? WHERE id = ? RETURNING revision",
        (utc_now(), layer.id),
    ).fetchone()
    return int(row[0])


MAX_NAMED = 500
"""Layers named in one look-up by name; more are read all and picked out."""


def names(conn: Connection, document_id: str, among: Collection[str] | None = None) -> list[str]:
    """The names of the document's layers, sorted (the default layer ``""`` first); only
    those in ``among`` when it is given (what a client's token grants: one student's layer
    need not read a class's hundreds)."""
    query = "SELECT name FROM layers WHERE document_id = ?"
    wanted = sorted(among) if among is not None and len(among) <= MAX_NAMED else None
    if wanted is not None:
        if not wanted:
            return []
        query += f" AND name IN ({', '.join('?' * len(wanted))})"
    rows = conn.execute(query + " ORDER BY name", (document_id, *(wanted or ()))).fetchall()
    return [row[0] for row in rows if among is None or row[0] in among]


def infos(conn: Connection, document_id: str) -> list[LayerInfo]:
    """Every layer of the document, sorted by name (the default layer first)."""
    rows = conn.execute(
        "SELECT name, uid, revision, created_at, updated_at, "
        "(SELECT count(*) FROM layer_records r WHERE r.layer_id = layers.id) "
        "FROM layers WHERE document_id = ? ORDER BY name",
        (document_id,),
    ).fetchall()
    return [LayerInfo(*row) for row in rows]
