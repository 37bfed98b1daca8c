"""The files a PDF carries in its ``/EmbeddedFiles`` name tree (what a PDF viewer lists as
"attachments" of the document, not of an annotation), with their bytes: Document Engine's
``embedded-files`` lists them, and its attachment route serves their bytes by SHA-256."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from typing import Any

from reviewer_app.pdf.open import mupdf_errors
from reviewer_app.pdf.properties import iso_date

MAX_FILES = 1_000
"""Files read at most (a guard against a name tree of millions of entries)."""
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""Bytes read at most over all files; the files past it are listed without their bytes."""


@dataclass(frozen=True)
class EmbeddedFile:
    """One file of the PDF: ``sha256`` names its bytes (None when they could not be read or
    were past :data:`MAX_TOTAL_BYTES`); ``data`` is the bytes themselves."""

    name: str
    file_name: str
    description: str
    content_type: str
    size: int
    updated_at: str | None
    sha256: str | None
    data: bytes | None

    def content(self) -> dict[str, Any]:
        """Document Engine's ``EmbeddedFile.content``."""
        found: dict[str, Any] = {
            "v": 1,
            "type": "pspdfkit/embedded-file",
            "fileAttachmentId": self.sha256 or "",
            "contentType": self.content_type,
            "description": self.description,
            "fileName": self.file_name,
            "fileSize": self.size,
        }
        if self.updated_at:
            found["updatedAt"] = self.updated_at
        return found


def embedded_files(doc: Any) -> list[EmbeddedFile]:
    """Every embedded file of ``doc`` (a PyMuPDF document), in the name tree's order. A file
    whose stream MuPDF cannot read is listed without its bytes."""
    found: list[EmbeddedFile] = []
    budget = MAX_TOTAL_BYTES
    for index in range(min(doc.embfile_count(), MAX_FILES)):
        info = doc.embfile_info(index)
        file_name = str(info.get("ufilename") or info.get("filename") or info.get("name") or "")
        data: bytes | None = None
        if int(info.get("length") or 0) <= budget:
            try:
                data = bytes(doc.embfile_get(index))
            except mupdf_errors():
                data = None
        if data is not None and len(data) > budget:
            data = None
        budget -= len(data or b"")
        guessed = mimetypes.guess_type(file_name, strict=False)[0]
        found.append(
            EmbeddedFile(
                name=str(info.get("name") or file_name),
                file_name=file_name,
                description=str(info.get("description") or info.get("desc") or ""),
                content_type=guessed or "application/octet-stream",
                size=len(data) if data is not None else int(info.get("size") or 0),
                updated_at=iso_date(info.get("modDate") or info.get("creationDate")),
                sha256=None if data is None else hashlib.sha256(data).hexdigest(),
                data=data,
            )
        )
    return found
