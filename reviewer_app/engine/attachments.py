"""Attachments: the files annotations refer to (images), stored once by their SHA-256."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping

from reviewer_app.engine.errors import BadRequest, EngineError
from reviewer_app.engine.object_store import ObjectStore
from reviewer_app.instant.attachments import (
    MAX_ATTACHMENT_BYTES,
    Attachment,
    encode_attachment,
    image_type,
    referenced_ids,
)
from reviewer_app.instant.records import Json, Record

__all__ = ["MAX_ATTACHMENT_BYTES", "AttachmentStore", "image_type"]
_SHA256 = re.compile(r"[0-9a-f]{64}")


class AttachmentStore:
    """The attachments, named by the SHA-256 of their bytes: ``attachments/ab/abcdef…`` in the
    engine's :class:`~reviewer_app.engine.object_store.ObjectStore`.

    Instant JSON names an attachment by that hash (``imageAttachmentId``), so the same picture
    put twice, in any layer, is stored once and the name is the same on every machine."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    @staticmethod
    def key(sha256: str) -> str:
        return f"attachments/{sha256[:2]}/{sha256}"

    def put(self, data: bytes) -> str:
        """Store ``data`` (never visible half-written); returns its SHA-256."""
        if not data or len(data) > MAX_ATTACHMENT_BYTES:
            raise BadRequest(f"an attachment must hold 1 to {MAX_ATTACHMENT_BYTES} bytes")
        sha256 = hashlib.sha256(data).hexdigest()
        self.store.put_bytes(self.key(sha256), data)
        return sha256

    def get(self, sha256: str) -> bytes | None:
        """The bytes stored under ``sha256``; None when there are none (or the name is bad)."""
        if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
            return None
        return self.store.get(self.key(sha256))

    def has(self, sha256: str) -> bool:
        """Whether an attachment is stored under ``sha256``."""
        return bool(_SHA256.fullmatch(sha256)) and self.store.has(self.key(sha256))

    def some(self, ids: Iterable[object]) -> dict[str, bytes]:
        """The attachments of ``ids`` that are stored, by id."""
        found = {str(i): self.get(str(i)) for i in ids}
        return {key: data for key, data in found.items() if data is not None}

    def put_all(self, found: Mapping[str, Attachment]) -> list[Json]:
        """Store decoded attachments; one ``{"reason": ...}`` for each that could not be."""
        errors: list[Json] = []
        for sha256, attachment in found.items():
            try:
                self.put(attachment.data)
            except EngineError as exc:
                errors.append({"reason": f"attachments[{sha256!r}]: {exc}"})
        return errors

    def instant_map(self, records: Iterable[Record]) -> dict[str, Json]:
        """The ``attachments`` map of an Instant JSON export: each stored picture the
        ``records`` refer to, with the content type its annotation names (else its own)."""
        contents = [r.content for r in records if r.kind == "annotation"]
        given = {
            str(c.get("imageAttachmentId")): c["contentType"]
            for c in contents
            if isinstance(c.get("contentType"), str)
        }
        found = self.some(referenced_ids(contents))
        return {
            sha256: encode_attachment(
                data, given.get(sha256) or image_type(data) or "application/octet-stream"
            )
            for sha256, data in found.items()
        }


def referenced_by(records: Iterable[Record]) -> list[str]:
    """The attachment ids the annotations among ``records`` refer to, once each."""
    return referenced_ids(r.content for r in records if r.kind == "annotation")
