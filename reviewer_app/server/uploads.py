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
from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from reviewer_app.engine.partial_files import partial_file
from reviewer_app.server.bodies import media_type, parse_json
from reviewer_app.server.errors import ApiError
from reviewer_app.server.url_upload import fetch

UPLOADS_FOLDER = "uploads"
"""Where uploads are received, in the data folder (so a finished one is renamed into place)."""
PDF_TYPES = ("application/pdf", "application/octet-stream", "")
CHUNK = 1 << 20
MAX_TITLE = 64 * 1024
MAX_ATTACHMENT = 20 * 1000 * 1000
"""The largest XFDF or Instant JSON file an upload may carry (as a request body elsewhere)."""


@dataclass(frozen=True)
class ReceivedPdf:
    """An upload on disk: the file, the SHA-256 and size of its bytes, and what the multipart
    form said about it (``file_name``, ``title``)."""

    path: Path
    sha256: str
    size: int
    file_name: str | None = None
    title: str | None = None
    document_id: str | None = None
    attachment: bytes | None = None
    """An XFDF or Instant JSON file to apply to the new document's default layer."""
    keep_current_annotations: bool = False


@asynccontextmanager
async def received_pdf(request: Request, data_dir: Path, limit: int) -> AsyncIterator[ReceivedPdf]:
    """The request's PDF (multipart part ``file``, the raw body as ``application/pdf``, or
    fetched from a public ``url`` given in JSON or a multipart field), received into a
    ``*.part`` file that is removed when the block ends unless the block renamed it into
    place. 400 for a body of another kind or without a PDF."""
    kind = media_type(request)
    if kind not in ("multipart/form-data", "application/json") and kind not in PDF_TYPES:
        raise ApiError(400, "send the PDF as application/pdf or as multipart part 'file'")
    with partial_file(data_dir / UPLOADS_FOLDER) as (out, path):
        digest = hashlib.sha256()
        size = 0

        def take(chunk: bytes) -> None:
            nonlocal size
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)

        fields: dict[str, Any] = {}
        if kind == "multipart/form-data":
            fields = await _receive_form(request, take, limit)
        elif kind == "application/json":
            fields = await _fetch_json_url(request, take, limit)
        else:
            async for chunk in request.stream():
                take(chunk)
        out.flush()
        if size == 0:
            raise ApiError(400, "the upload is empty")
        yield ReceivedPdf(
            path,
            digest.hexdigest(),
            size,
            fields.get("file_name"),
            fields.get("title"),
            fields.get("document_id"),
            fields.get("attachment"),
            fields.get("keep_current_annotations") is True,
        )


async def _receive_form(
    request: Request, take: Callable[[bytes], None], limit: int
) -> dict[str, Any]:
    """Hand the multipart part ``file`` (or what its ``url`` field names) to ``take`` a
    megabyte at a time (the parser keeps a part over a megabyte in an anonymous temporary
    file, not in memory); its file name, the ``title`` and ``document_id`` fields, and an
    ``attachment`` part (at most :data:`MAX_ATTACHMENT` bytes) with
    ``keep_current_annotations``."""
    form = await request.form(max_files=4, max_fields=16, max_part_size=MAX_TITLE)
    try:
        text = {k: v for k, v in form.items() if isinstance(v, str) and v}
        attachment = form.get("attachment")
        attached: bytes | None = None
        if isinstance(attachment, UploadFile):
            attached = await attachment.read(MAX_ATTACHMENT + 1)
            if len(attached) > MAX_ATTACHMENT:
                raise ApiError(413, f"the attachment is over {MAX_ATTACHMENT} bytes")
        elif isinstance(attachment, str) and attachment:
            attached = attachment.encode()
        keep = text.get("keep_current_annotations", "false").lower()
        if keep not in ("true", "false"):
            raise ApiError(400, "'keep_current_annotations' must be true or false")
        upload = form.get("file")
        if isinstance(upload, UploadFile):
            while chunk := await upload.read(CHUNK):
                take(chunk)
        elif "url" in text:
            await run_in_threadpool(fetch, text["url"], take, limit)
        else:
            raise ApiError(400, "the multipart body needs a 'file' part holding the PDF")
        file_name = upload.filename if isinstance(upload, UploadFile) else None
        return {
            "file_name": file_name,
            "title": text.get("title"),
            "document_id": text.get("document_id"),
            "attachment": attached,
            "keep_current_annotations": keep == "true",
        }
    finally:
        await form.close()


async def _fetch_json_url(
    request: Request, take: Callable[[bytes], None], limit: int
) -> dict[str, Any]:
    """DE's JSON upload form ``{"url", "document_id"?, "title"?}``: the PDF fetched."""
    body = await request.body()
    if len(body) > MAX_TITLE:
        raise ApiError(413, f"the JSON upload form is over {MAX_TITLE} bytes")
    data = parse_json(body)
    if not isinstance(data, dict) or not isinstance(data.get("url"), str):
        raise ApiError(400, "the JSON upload form needs a 'url' (or send the PDF itself)")
    for key in ("document_id", "title"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise ApiError(400, f"'{key}' must be a string")
    await run_in_threadpool(fetch, data["url"], take, limit)
    return {"title": data.get("title"), "document_id": data.get("document_id")}
