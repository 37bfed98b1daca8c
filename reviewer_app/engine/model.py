"""What the engine hands out: documents, layers, change records, diffs (plain frozen data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    """What one mutation did to one layer: the records now present and the keys now gone."""

    document_id: str
    layer: str
    revision: int
    label: str
    upserted: tuple[Record, ...] = ()
    deleted: tuple[RecordKey, ...] = ()

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
