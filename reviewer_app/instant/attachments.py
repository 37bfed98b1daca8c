"""Attachments in Instant JSON: the pictures of image annotations, base64 and named by SHA-256."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .checks import describe
from .records import Json

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
"""The largest attachment taken: a picture put on a page, not a film."""

_MAX_BASE64 = (MAX_ATTACHMENT_BYTES + 2) // 3 * 4
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
IMAGE_TYPE = "pspdfkit/image"


IMAGE_TYPES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def image_type(data: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` when ``data`` starts like one, else None."""
    return next((kind for magic, kind in IMAGE_TYPES.items() if data.startswith(magic)), None)


def is_sha256(name: object) -> bool:
    """Whether ``name`` looks like a SHA-256 in hex (either case)."""
    return isinstance(name, str) and _SHA256.fullmatch(name) is not None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex), read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Attachment:
    """One decoded attachment: its bytes, its SHA-256 and the content type it was given."""

    data: bytes
    sha256: str
    content_type: str | None = None


def referenced_ids(contents: Iterable[Mapping[str, Any]]) -> list[str]:
    """The ``imageAttachmentId`` of every image annotation in ``contents``, once each, in order."""
    found: dict[str, None] = {}
    for content in contents:
        if content.get("type") == IMAGE_TYPE and isinstance(content.get("imageAttachmentId"), str):
            found.setdefault(content["imageAttachmentId"])
    return list(found)


def encode_attachment(data: bytes, content_type: str) -> Json:
    """An ``attachments`` entry: ``{"binary": <base64>, "contentType": ...}``."""
    return {"binary": base64.b64encode(data).decode("ascii"), "contentType": content_type}


def decode_attachment(key: object, entry: object) -> Attachment:
    """The attachment an ``attachments`` entry holds; ValueError saying what is wrong with it.

    A key that is a SHA-256 must be the SHA-256 of the decoded bytes; any other key (the
    ``pdfObjectId`` of an embedded file) is taken as it is."""
    if not isinstance(entry, Mapping):
        raise ValueError(f"must be an object, not {describe(entry)}")
    binary, kind = entry.get("binary"), entry.get("contentType")
    if not isinstance(binary, str):
        raise ValueError(f"'binary' must be a base64 string, not {describe(binary)}")
    if kind is not None and not isinstance(kind, str):
        raise ValueError(f"'contentType' must be a string, not {describe(kind)}")
    if len(binary) > _MAX_BASE64 + 64:
        raise ValueError(f"larger than {MAX_ATTACHMENT_BYTES} bytes")
    try:
        data = base64.b64decode("".join(binary.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("'binary' is not valid base64") from None
    if not data:
        raise ValueError("'binary' is empty")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValueError(f"larger than {MAX_ATTACHMENT_BYTES} bytes")
    sha256 = sha256_hex(data)
    if is_sha256(key) and str(key).lower() != sha256:
        raise ValueError(f"the bytes' SHA-256 is {sha256}, not the key")
    return Attachment(data, sha256, kind)


def decode_attachments(entries: Mapping[str, Any]) -> tuple[dict[str, Attachment], list[Json]]:
    """Every usable attachment of an ``attachments`` map by its key, and one
    ``{"reason": ...}`` per entry that is not usable (the others are still taken)."""
    found: dict[str, Attachment] = {}
    errors: list[Json] = []
    for key, entry in entries.items():
        try:
            found[key] = decode_attachment(key, entry)
        except ValueError as exc:
            errors.append({"reason": f"attachments[{_clip(key)}]: {exc}"})
    return found, errors


def _clip(key: str) -> str:
    text = repr(key)
    return text if len(text) <= 72 else text[:69] + "..."
