"""PDF uploads streamed to disk: written to a ``*.part`` file in the data folder as they
arrive and hashed on the way, never held whole in memory (three 190 MB uploads at once
used to take 1.4 GB). A ``*.part`` file left by a kill mid-upload is removed when the server
starts (:meth:`~reviewer_app.engine.LayerEngine.remove_leftovers`)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from starlette.datastructures import UploadFile

from reviewer_app.engine.partial_files import partial_file
from reviewer_app.server.bodies import media_type
from reviewer_app.server.errors import ApiError

UPLOADS_FOLDER = "uploads"
"""Where uploads are received, in the data folder (so a finished one is renamed into place)."""
PDF_TYPES = ("application/pdf", "application/octet-stream", "")
CHUNK = 1 << 20
MAX_TITLE = 64 * 1024


@dataclass(frozen=True)
class ReceivedPdf:
    """An upload on disk: the file, the SHA-256 and size of its bytes, and what the multipart
    form said about it (``file_name``, ``title``)."""

    path: Path
    sha256: str
    size: int
    file_name: str | None = None
    title: str | None = None


@asynccontextmanager
async def received_pdf(request: Request, data_dir: Path) -> AsyncIterator[ReceivedPdf]:
    """The request's PDF (multipart part ``file``, or the raw body as ``application/pdf``),
    received into a ``*.part`` file that is removed when the block ends unless the block
    renamed it into place. 400 for a body of another kind or without a PDF."""
    kind = media_type(request)
    if kind != "multipart/form-data" and kind not in PDF_TYPES:
        raise ApiError(400, "send the PDF as application/pdf or as multipart part 'file'")
    with partial_file(data_dir / UPLOADS_FOLDER) as (out, path):
        digest = hashlib.sha256()
        size = 0

        def take(chunk: bytes) -> None:
            nonlocal size
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)

        file_name, title = None, None
        if kind == "multipart/form-data":
            file_name, title = await _receive_form(request, take)
        else:
            async for chunk in request.stream():
                take(chunk)
        out.flush()
        if size == 0:
            raise ApiError(400, "the upload is empty")
        yield ReceivedPdf(path, digest.hexdigest(), size, file_name, title)


async def _receive_form(
    request: Request, take: Callable[[bytes], None]
) -> tuple[str | None, str | None]:
    """Hand the multipart part ``file`` to ``take`` a megabyte at a time (the parser keeps a
    part over a megabyte in an anonymous temporary file, not in memory); its file name and
    the ``title`` field."""
    form = await request.form(max_files=4, max_fields=16, max_part_size=MAX_TITLE)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ApiError(400, "the multipart body needs a 'file' part holding the PDF")
        while chunk := await upload.read(CHUNK):
            take(chunk)
        title = form.get("title")
        return upload.filename, title if isinstance(title, str) and title else None
    finally:
        await form.close()
