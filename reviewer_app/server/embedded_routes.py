"""Document Engine's ``embedded-files``: the files the PDF itself carries (its
``/EmbeddedFiles``), listed on the default layer and on any layer alike (they are the PDF's,
not a layer's). Their bytes are served by the attachment route under ``fileAttachmentId`` (the
SHA-256 of the bytes, as for images), to whoever may read the document.

The PDF is read once in a worker (a PDF never changes under its SHA-256): the bytes go to the
attachment store, and the listing is remembered in this process."""

# No "from __future__ import annotations": FastAPI reads the routes' Depends(layer) at run time.

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from enum import Enum
from threading import Lock
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from reviewer_app.engine.attachments import MAX_ATTACHMENT_BYTES
from reviewer_app.instant.records import Json
from reviewer_app.pdf import jobs
from reviewer_app.server.auth import READ
from reviewer_app.server.context import Target
from reviewer_app.server.pdf_reads import read_pdf
from reviewer_app.server.wire import pdf_password

TAG: list[str | Enum] = ["Embedded files"]
REMEMBERED = 256
"""Documents whose listing a server process keeps (a listing is small: no bytes)."""

_listings: OrderedDict[tuple[str, str | None], tuple[Json, ...]] = OrderedDict()
_lock = Lock()


def listing(t: Target, request: Request) -> tuple[Json, ...]:
    """The document's ``EmbeddedFile`` records, their bytes stored as attachments."""
    sha256 = t.engine.document(t.document_id).sha256
    key = (sha256, pdf_password(request))
    with _lock:
        if key in _listings:
            _listings.move_to_end(key)
            return _listings[key]
    files = read_pdf(request, t.document_id, jobs.embedded)
    records: list[Json] = []
    taken: set[str] = set()
    for index, file in enumerate(files):
        content = file.content()
        if file.data and len(file.data) <= MAX_ATTACHMENT_BYTES:
            t.engine.attachments.put(file.data)
        else:
            content["fileAttachmentId"] = ""  # listed, but its bytes cannot be served
        record_id = file.name if file.name and file.name not in taken else f"embedded-{index}"
        taken.add(record_id)
        records.append({"id": record_id, "content": content, "createdBy": None, "updatedBy": None})
    found = tuple(records)
    with _lock:
        _listings[key] = found
        while len(_listings) > REMEMBERED:
            _listings.popitem(last=False)
    return found


def attachment_ids(t: Target, request: Request) -> set[str]:
    """The attachment ids of the PDF's embedded files (served to any reader of the document)."""
    return {str(r["content"]["fileAttachmentId"]) for r in listing(t, request)} - {""}


def register(router: APIRouter, base: str, layer: Callable[..., Awaitable[Target]]) -> None:
    """Add ``embedded-files`` under ``base``."""

    @router.get(f"{base}/embedded-files", tags=TAG)
    def embedded_files(request: Request, t: Annotated[Target, Depends(layer)]) -> dict[str, Any]:
        """The files attached to the PDF itself; fetch one's bytes from
        ``attachments/{fileAttachmentId}``."""
        t.require(READ)
        return {"data": {"embeddedFiles": list(listing(t, request))}}
