"""Sync support: record revisions, a changes feed that carries them, an idempotent batched push."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from reviewer_app.engine import history, layers, picture_rule, threads
from reviewer_app.engine.db import Connection, utc_now
from reviewer_app.engine.errors import BadRequest, Conflict
from reviewer_app.engine.history import Edit
from reviewer_app.engine.model import Document, RecordKey
from reviewer_app.engine.picture_rule import Writer
from reviewer_app.engine.records import check, edits_to_store
from reviewer_app.engine.store import NO_LAYER, RowState, read_records, readable_record
from reviewer_app.instant.limits import MAX_ID_LENGTH
from reviewer_app.instant.records import KINDS, Kind, Record

KEY_LIFETIME = timedelta(days=7)
"""How long a push's idempotency key is remembered (a retry comes within minutes)."""

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class PushChange:
    """One record a client changed: what it now is (None: deleted), and the revision of the
    record the client changed (0 for a record it never saw with a revision, e.g. a new one)."""

    kind: Kind
    id: str
    base_revision: int
    content: dict[str, Any] | None


@dataclass(frozen=True)
class PushResult:
    """The answer to a push: the records applied (with their new revisions), the conflicts
    (the server's version of each, nothing overwritten), the rejected changes and why, and the
    layer's revision afterwards. ``replayed`` is True when the key had been seen already."""

    layer: str
    uid: str
    revision: int
    applied: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    replayed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "uid": self.uid,
            "revision": self.revision,
            "applied": self.applied,
            "conflicts": self.conflicts,
            "rejected": self.rejected,
            "replayed": self.replayed,
        }


@dataclass(frozen=True)
class Feed:
    """What a layer changed after a revision, each record with the revision that wrote it."""

    layer: str
    uid: str | None
    revision: int
    upserted: tuple[tuple[Record, int], ...]
    deleted: tuple[tuple[RecordKey, int], ...]
    updated_at: str | None = None  # when the layer last changed here (ISO 8601 UTC)


def record_json(record: Record, revision: int | None = None) -> dict[str, Any]:
    """A record as the sync extension sends it."""
    body: dict[str, Any] = {
        "kind": record.kind,
        "id": record.id,
        "content": record.content,
        "createdBy": record.created_by,
        "updatedBy": record.updated_by,
        "group": record.group,
    }
    if revision is not None:
        body["revision"] = revision
    return body


def revision_of(conn: Connection, layer_id: int, key: RecordKey) -> int:
    """The revision that last wrote ``key`` in the layer (0: it still shows the base version)."""
    row = conn.execute(
        "SELECT revision FROM layer_records WHERE layer_id = ? AND kind = ? AND id = ?",
        (layer_id, *key),
    ).fetchone()
    return 0 if row is None else int(row[0])


def feed(conn: Connection, document_id: str, name: str, since: int) -> Feed:
    """Rows the layer wrote after revision ``since`` (records and tombstones), oldest first."""
    layer = layers.find(conn, document_id, name)
    if layer is None:
        return Feed(name, None, 0, (), ())
    upserted: list[tuple[Record, int]] = []
    deleted: list[tuple[RecordKey, int]] = []
    rows = conn.execute(
        "SELECT kind, id, content, created_by, updated_by, grp, revision FROM layer_records "
        "WHERE layer_id = ? AND revision > ? ORDER BY revision, kind, id",
        (layer.id, since),
    )
    for kind, rid, content, created_by, updated_by, grp, revision in rows:
        if content is None:
            deleted.append(((kind, rid), int(revision)))
            continue
        record = readable_record((kind, rid), RowState(content, created_by, updated_by, grp))
        if record is not None:  # an unreadable one is reported and left out
            upserted.append((record, int(revision)))
    row = conn.execute("SELECT updated_at FROM layers WHERE id = ?", (layer.id,)).fetchone()
    changed = str(row[0]) if row is not None and row[0] else None
    return Feed(name, layer.uid, layer.revision, tuple(upserted), tuple(deleted), changed)


def parse_changes(raw: object) -> list[PushChange]:
    """The ``changes`` of a push request; BadRequest naming the first malformed one."""
    if not isinstance(raw, list):
        raise BadRequest("'changes' must be a list")
    parsed: list[PushChange] = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise BadRequest(f"change {index}: expected an object")
        kind, rid, base, content = (item.get(k) for k in ("kind", "id", "base_revision", "content"))
        if kind not in KINDS:
            raise BadRequest(f"change {index}: 'kind' must be one of {', '.join(KINDS)}")
        if not isinstance(rid, str) or not rid or len(rid) > MAX_ID_LENGTH:
            raise BadRequest(
                f"change {index}: 'id' must be a string of 1 to {MAX_ID_LENGTH} characters"
            )
        if isinstance(base, bool) or not isinstance(base, int) or base < 0:
            raise BadRequest(f"change {index}: 'base_revision' must be an integer >= 0")
        if content is not None and not isinstance(content, Mapping):
            raise BadRequest(f"change {index}: 'content' must be an object or null")
        body = None if content is None else dict(content)
        parsed.append(PushChange(kind, rid, base, body))
    return parsed


def request_hash(changes: Sequence[PushChange]) -> str:
    """A fingerprint of a push's changes, to tell a retry from a different push."""
    text = json.dumps([[c.kind, c.id, c.base_revision, c.content] for c in changes], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _remembered(
    conn: Connection, document_id: str, name: str, key: str, digest: str
) -> PushResult | None:
    layer = layers.find(conn, document_id, name)
    if layer is None:
        return None
    row = conn.execute(
        "SELECT request_hash, response FROM sync_pushes WHERE layer_id = ? AND idempotency_key = ?",
        (layer.id, key),
    ).fetchone()
    if row is None:
        return None
    if row[0] != digest:
        raise Conflict(f"idempotency key {key[:40]!r} was already used for a different push")
    stored = json.loads(row[1])
    stored["replayed"] = True
    return PushResult(**stored)


def push(
    conn: Connection,
    doc: Document,
    name: str,
    key: str,
    changes: Sequence[PushChange],
    user: str | None,
    writer: Writer | None = None,
) -> PushResult:
    """Apply each change whose base revision is the record's current revision, as one new
    revision; report the others as conflicts with the server's version. Call in a transaction.

    The same ``key`` again (with the same changes) returns the first answer, applying nothing."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        raise BadRequest(f"'idempotency_key' must be a string of 1 to {MAX_KEY_LENGTH} characters")
    digest = request_hash(changes)
    replay = _remembered(conn, doc.id, name, key, digest)
    if replay is not None:
        return replay
    found = layers.find(conn, doc.id, name)
    layer_id = NO_LAYER if found is None else found.id
    shown = read_records(conn, doc.id, layer_id, [(c.kind, c.id) for c in changes])
    pictures = picture_rule.problems(
        conn,
        doc.id,
        name,
        [c.content or {} if c.kind == "annotation" else {} for c in changes],
        writer,
    )
    edits: list[Edit] = []
    accepted: list[RecordKey] = []
    conflicts: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    seen: set[RecordKey] = set()
    for index, change in enumerate(changes):
        key_ = (change.kind, change.id)
        if key_ in seen:
            rejected.append(_reject(change, "the same record appears twice in one push"))
            continue
        seen.add(key_)
        current = revision_of(conn, layer_id, key_) if layer_id != NO_LAYER else 0
        if current != change.base_revision:
            server = shown.get(key_)
            conflicts.append(
                {
                    "kind": change.kind,
                    "id": change.id,
                    "base_revision": change.base_revision,
                    "server_revision": current,
                    "server": None if server is None else record_json(server, current),
                }
            )
            continue
        try:
            if pictures[index] is not None:
                raise BadRequest(str(pictures[index]))
            edits.extend(_edits(conn, doc, change, shown.get(key_), user, index))
        except BadRequest as exc:
            rejected.append(_reject(change, str(exc)))
            continue
        accepted.append(key_)
    edits = threads.cascade(conn, doc.id, name, edits)  # a root's comments go with it
    edits, orphans = threads.without_orphans(conn, doc.id, name, edits)
    for key_, reason in orphans.items():
        accepted.remove(key_)
        rejected.append({"kind": key_[0], "id": key_[1], "reason": f"not written: {reason}"})
    change_ = history.apply(conn, doc.id, name, edits, "Sync", undoable=False)
    layer = layers.get(conn, doc.id, name)
    applied = [
        {"kind": k, "id": rid, "revision": revision_of(conn, layer.id, (k, rid))}
        for k, rid in accepted
    ]
    result = PushResult(name, layer.uid, change_.revision, applied, conflicts, rejected)
    _remember(conn, layer.id, key, digest, result)
    return result


def _reject(change: PushChange, reason: str) -> dict[str, Any]:
    return {"kind": change.kind, "id": change.id, "reason": reason}


def _edits(
    conn: Connection,
    doc: Document,
    change: PushChange,
    old: Record | None,
    user: str | None,
    index: int,
) -> list[Edit]:
    """The edit one accepted change makes (none for deleting what is already gone)."""
    key: RecordKey = (change.kind, change.id)
    if change.content is None:
        return [] if old is None else [(key, RowState(content=None))]
    content = dict(change.content)
    if change.kind == "formFieldValue":
        content["name"] = change.id
    check(change.kind, content, doc, index)
    content.pop("id", None)
    record = Record(
        change.kind,
        change.id,
        content,
        created_by=old.created_by if old is not None else user,
        updated_by=user if user is not None else (old.updated_by if old is not None else None),
        group=old.group if old is not None else None,
    )
    return edits_to_store(conn, doc, [record])


def _remember(conn: Connection, layer_id: int, key: str, digest: str, result: PushResult) -> None:
    now = utc_now()
    cutoff = (datetime.now(UTC) - KEY_LIFETIME).isoformat(timespec="milliseconds")
    conn.execute("DELETE FROM sync_pushes WHERE created_at < ?", (cutoff.replace("+00:00", "Z"),))
    body = result.to_json()
    del body["replayed"]
    conn.execute(
        "INSERT INTO sync_pushes (layer_id, idempotency_key, request_hash, response, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (layer_id, key, digest, json.dumps(body), now),
    )
