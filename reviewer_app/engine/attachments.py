"""Attachments: the files annotations refer to (images), stored once by their SHA-256."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from reviewer_app.engine.documents import store_once
from reviewer_app.engine.errors import BadRequest

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024  # a picture put on a page, not a film
IMAGE_TYPES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
_SHA256 = re.compile(r"[0-9a-f]{64}")


def image_type(data: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` when ``data`` starts like one, else None."""
    return next((kind for magic, kind in IMAGE_TYPES.items() if data.startswith(magic)), None)


class AttachmentStore:
    """A folder of attachments named by the SHA-256 of their bytes: ``ab/abcdef…``.

    Instant JSON names an attachment by that hash (``imageAttachmentId``), so the same picture
    put twice, in any layer, is stored once and the name is the same on every machine."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store ``data`` (a temporary file, synced, renamed into place); returns its SHA-256."""
        if not data or len(data) > MAX_ATTACHMENT_BYTES:
            raise BadRequest(f"an attachment must hold 1 to {MAX_ATTACHMENT_BYTES} bytes")
        sha256 = hashlib.sha256(data).hexdigest()
        store_once(self.path(sha256), data, f"the attachment in {self.root}")
        return sha256

    def get(self, sha256: str) -> bytes | None:
        """The bytes stored under ``sha256``; None when there are none (or the name is bad)."""
        if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
            return None
        try:
            return self.path(sha256).read_bytes()
        except OSError:
            return None

    def some(self, ids: Iterable[object]) -> dict[str, bytes]:
        """The attachments of ``ids`` that are stored, by id."""
        found = {str(i): self.get(str(i)) for i in ids}
        return {key: data for key, data in found.items() if data is not None}
