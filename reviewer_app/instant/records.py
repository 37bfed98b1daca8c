"""Records: one unit of layer content (an annotation, a comment, a bookmark or a form field
value) as data."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from reviewer_app.instant.frozen import frozen_object

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

    def parsed(self) -> bool:
        """Whether ``content`` is made (a shared record's is parsed when first read)."""
        return "content" in self.__dict__

    @classmethod
    def shared(
        cls,
        kind: Kind,
        id: str,
        text: str,
        created_by: str | None = None,
        updated_by: str | None = None,
        group: str | None = None,
    ) -> Record:
        """A record whose content is the JSON object ``text``, parsed and made read-only
        (see :mod:`reviewer_app.instant.frozen`) the first time it is read: the engine's
        cached reads hand out thousands of records of which a view reads a page's worth.
        ``text`` must be known to parse to a readable object (the engine checks it first)."""
        record = object.__new__(cls)
        record.__dict__.update(
            kind=kind, id=id, _text=text, created_by=created_by, updated_by=updated_by, group=group
        )
        return record

    if not TYPE_CHECKING:  # only the content of a shared record is missing until read

        def __getattr__(self, name: str) -> Any:
            found = self.__dict__
            text = found.get("_text") if name == "content" else None
            if text is None:
                if name == "content" and "content" in found:  # parsed meanwhile by a thread
                    return found["content"]
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            content = frozen_object(json.loads(text))
            found["content"] = content
            found.pop("_text", None)
            return content


def canonical_json(value: Any) -> str:
    """Compact JSON with sorted keys: equal content gives equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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
