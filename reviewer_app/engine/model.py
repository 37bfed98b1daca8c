"""What the engine hands out and takes: documents, layers, change records, diffs, and a
replica's sync state (plain frozen data)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from reviewer_app.instant import json_codec
from reviewer_app.instant.records import Kind, Record

BASE = "*base"
"""How the immutable base layer is named where a layer name is expected (``*`` is never in a
real layer name, so this cannot collide with one)."""

DEFAULT = ""
"""The default layer's name."""

RecordKey = tuple[Kind, str]


@dataclass(frozen=True)
class Document:
    """A PDF stored once: its id, the SHA-256 of its bytes and what import found in it."""

    id: str
    sha256: str
    title: str | None
    file_name: str | None
    page_count: int
    byte_size: int
    password_protected: bool
    skipped: dict[str, int]
    created_at: str


@dataclass(frozen=True)
class LayerInfo:
    """A layer that exists: its name, its identity (``uid``, new when a name is reused) and
    its revision; ``own_records`` counts the rows it stores (changes and tombstones)."""

    name: str
    uid: str
    revision: int
    created_at: str
    updated_at: str
    own_records: int


@dataclass(frozen=True)
class Change:
    """What one mutation did to one layer: the records now present and the keys now gone.

    ``step`` is the id of the undo step the mutation added to the layer's history (None when
    it added none: nothing changed, or it is not undoable, like sync, undo and redo itself);
    ``LayerEngine.undo_step`` undoes exactly that step while it is the newest one."""

    document_id: str
    layer: str
    revision: int
    label: str
    upserted: tuple[Record, ...] = ()
    deleted: tuple[RecordKey, ...] = ()
    step: int | None = None

    @property
    def empty(self) -> bool:
        return not self.upserted and not self.deleted

    @property
    def keys(self) -> set[RecordKey]:
        return {r.key for r in self.upserted} | set(self.deleted)


@dataclass(frozen=True)
class LayerCreated:
    """A new layer and the problems met importing its Instant JSON (``{"reason": ...}`` each)."""

    name: str
    errors: list[dict[str, str]] = field(default_factory=list)
    change: Change | None = None


@dataclass(frozen=True)
class LayerChanges:
    """The answer to "what changed in this layer since revision N" (for sync)."""

    layer: str
    uid: str | None
    revision: int
    upserted: tuple[Record, ...]
    deleted: tuple[RecordKey, ...]


@dataclass(frozen=True)
class LayerDiff:
    """How layer ``a`` and layer ``b`` differ, record by record."""

    a: str
    b: str
    only_a: tuple[Record, ...]
    only_b: tuple[Record, ...]
    changed: tuple[tuple[Record, Record], ...]

    @property
    def empty(self) -> bool:
        return not (self.only_a or self.only_b or self.changed)

    def to_json(self) -> dict[str, Any]:
        def rec(r: Record) -> dict[str, Any]:
            return {"kind": r.kind, "id": r.id, "content": r.content}

        return {
            "a": self.a,
            "b": self.b,
            "only_a": [rec(r) for r in self.only_a],
            "only_b": [rec(r) for r in self.only_b],
            "changed": [{"a": rec(x), "b": rec(y)} for x, y in self.changed],
        }


# -- a desktop replica's sync (see engine_sync.SyncOperations) ---------------------------------


@dataclass(frozen=True)
class OutgoingChange:
    """A local change to send: the record now (None: deleted), the server revision it was
    based on, and the local revision that wrote it."""

    kind: Kind
    id: str
    base_revision: int
    content: dict[str, Any] | None
    local_revision: int

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "base_revision": self.base_revision,
            "content": self.content,
            "local_revision": self.local_revision,
        }

    @property
    def key(self) -> RecordKey:
        return (self.kind, self.id)


@dataclass(frozen=True)
class SyncLayer:
    """How one layer of a replica pairs with the server's: the local and server layer uids, the
    server revision pulled up to, the local revision whose changes were all pushed, the push
    in flight (its idempotency key and changes, kept until answered), and whether the server
    deleted the layer (kept locally until the user decides)."""

    id: int
    document_id: str
    name: str
    local_uid: str | None
    server_uid: str | None
    pulled_revision: int
    pushed_local_revision: int
    pending_key: str | None
    pending_json: str | None  # the push in flight's changes as stored (see pending_changes)
    deleted_on_server: bool

    @cached_property
    def pending_changes(self) -> tuple[OutgoingChange, ...] | None:
        """The push in flight's changes, read from their JSON when first asked for: a state is
        read a few times per push and by every status count, and parsing hundreds of changes
        each time held the GIL on the sync lane for milliseconds, which the UI thread waited
        for."""
        if self.pending_json is None:
            return None
        return tuple(OutgoingChange(**item) for item in json_codec.loads(self.pending_json))


@dataclass(frozen=True)
class ServerVersion:
    """A record as the server has it (None: absent there) and the server revision that wrote it."""

    key: RecordKey
    record: Record | None
    revision: int


@dataclass(frozen=True)
class PushOutcome:
    """The server's answer to a push of ``changes``, as a replica records it: the server
    revision of each applied change, the keys it rejected, its versions of the records in
    conflict, and the uid of the server's layer (None if the answer had none)."""

    changes: tuple[OutgoingChange, ...]
    applied: Mapping[RecordKey, int]
    rejected: frozenset[RecordKey]
    conflicts: tuple[ServerVersion, ...]
    server_uid: str | None


@dataclass(frozen=True)
class Merged:
    """What merging server versions did: the local change, new conflicts, and notices for the
    user (e.g. "deleted on the server, edited here: the edit was kept")."""

    change: Change
    conflicts: int
    notices: tuple[str, ...]
