"""Records: one unit of layer content (an annotation, a comment, a bookmark or a form field
value) as data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from reviewer_app.instant.json_codec import canonical

Kind = Literal["annotation", "comment", "bookmark", "formFieldValue"]
KINDS: tuple[Kind, ...] = ("annotation", "comment", "bookmark", "formFieldValue")

Json = dict[str, Any]


@dataclass(frozen=True)
class Record:
    """One record of a layer.

    ``content`` is the Instant JSON object exactly as stored (unknown keys included);
    ``id`` is unique per kind within a layer (for form field values it is the field name).
    """

    kind: Kind
    id: str
    content: Json
    created_by: str | None = None
    updated_by: str | None = None
    group: str | None = None

    def same_content(self, other: Record) -> bool:
        """Whether two records carry the same content and metadata (ids aside)."""
        return (
            canonical_json(self.content) == canonical_json(other.content)
            and self.created_by == other.created_by
            and self.updated_by == other.updated_by
            and self.group == other.group
        )

    @property
    def key(self) -> tuple[Kind, str]:
        return (self.kind, self.id)


def canonical_json(value: Any) -> str:
    """Compact JSON with sorted keys: equal content gives equal text."""
    return canonical(value)


@dataclass(frozen=True)
class LayerExport:
    """What a layer PDF needs from the engine: the records to write as new PDF objects (the
    layer's own: new ones and changed base ones), the PDF objects of base annotations to
    remove (changed or deleted in the layer), every record the layer shows, and the bytes of
    the attachments (images) the written records refer to, by id."""

    write: tuple[Record, ...]
    remove_object_ids: frozenset[int]
    shown: tuple[Record, ...]
    attachments: Mapping[str, bytes] = field(default_factory=dict)
