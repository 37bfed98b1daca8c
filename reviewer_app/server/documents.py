"""Document endpoints: upload a PDF (base layer extracted), describe, delete it (download:
export_routes)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from reviewer_app.engine import Document, EngineError
from reviewer_app.engine.documents import check_document_id
from reviewer_app.importing import Imported, import_pdf_file
from reviewer_app.pdf import jobs
from reviewer_app.server.auth import READ
from reviewer_app.server.context import Caller, NamedLayer, config_of, engine_of, sandbox_of
from reviewer_app.server.errors import ApiError
from reviewer_app.server.pdf_reads import remembered_read
from reviewer_app.server.upload_attachment import apply_attachment, read_attachment
from reviewer_app.server.uploads import received_pdf
from reviewer_app.server.wire import pdf_password

router = APIRouter(tags=["Documents"])
DOC = "/api/documents/{document_id}"


def document_created(doc: Document) -> dict[str, Any]:
    """The ``DocumentCreated`` shape (``document_id`` as ``/api/documents`` names it)."""
    return {
        "document_id": doc.id,
        "createdAt": doc.created_at,
        "errors": [],
        "password_protected": doc.password_protected,
        "sourcePdfSha256": doc.sha256,
        "title": doc.title or doc.file_name or "",
    }


@router.post("/api/documents")
async def upload_document(request: Request, principal: Caller) -> dict[str, Any]:
    """Upload a PDF (multipart part ``file``, the raw bytes as ``application/pdf``, or a
    public ``url`` to fetch it from), received straight to disk. The same bytes twice give
    the same document; a PDF that cannot be read is refused, nothing stored. ``document_id``
    (multipart field or JSON) names the new document: 1 to 128 letters, digits, ``-`` or
    ``_``; 409 if another PDF has it or this PDF is stored under another id."""
    principal.require_server()
    engine = engine_of(request)
    limit = config_of(request).max_upload_size
    async with received_pdf(request, engine.data_dir, limit) as pdf:
        if pdf.document_id is not None:
            check_document_id(pdf.document_id)
        imported = await run_in_threadpool(
            lambda: import_pdf_file(
                engine,
                pdf.path,
                pdf.sha256,
                password=pdf_password(request),
                file_name=pdf.file_name,
                title=pdf.title,
                move=True,
                document_id=pdf.document_id,
                sandbox=sandbox_of(request),
            )
        )
    created = document_created(imported.document)
    if pdf.attachment is not None:
        created["errors"] = await run_in_threadpool(
            lambda: _attach(request, imported, pdf.attachment or b"", pdf.keep_current_annotations)
        )
    return {"data": created}


def _attach(request: Request, imported: Imported, data: bytes, keep: bool) -> list[Any]:
    """Apply an upload's attachment to its new document (a bad one: the document goes too)."""
    engine, document = engine_of(request), imported.document
    if not imported.new:
        raise ApiError(
            409,
            f"this PDF is already stored as document {document.id!r}, whose annotations are "
            "left as they are: apply the file with apply_instant_json or apply_instructions",
        )
    try:
        path, password = engine.pdf_path(document.id), pdf_password(request)
        sandbox = sandbox_of(request)
        instant, errors, replace = read_attachment(data, path, password, keep, sandbox)
        return errors + apply_attachment(engine, document.id, instant, replace)
    except (ApiError, EngineError):
        engine.delete_document(document.id)
        raise


@router.get(DOC + "/document_info")
def document_info(request: Request, document_id: str, principal: Caller) -> dict[str, Any]:
    """Title, page count and page sizes (a password-protected PDF needs its password header)."""
    principal.require(document_id, READ)
    return {"data": _info(request, document_id)}


@router.get(DOC + "/properties")
def properties(request: Request, document_id: str, principal: Caller) -> dict[str, Any]:
    """What the server knows of the stored PDF: title, password protection, SHA-256, size."""
    principal.require(document_id, READ)
    return {"data": document_properties(engine_of(request).document(document_id))}


def document_properties(document: Document) -> dict[str, Any]:
    """The ``DocumentProperties`` shape."""
    return {
        "passwordProtected": document.password_protected,
        "sourcePdfSha256": document.sha256,
        "title": document.title or document.file_name or "",
        "byteSize": document.byte_size,
        "createdAt": document.created_at,
        "storage": {"type": "built-in"},
    }


@router.get(DOC + "/outline.json")
def outline_json(request: Request, document_id: str, principal: Caller) -> dict[str, Any]:
    """The PDF's own outline (its bookmarks as the file has them, not a layer's)."""
    principal.require(document_id, READ)
    return {"data": {"outline": remembered_read(request, document_id, jobs.outline_elements)}}


@router.get(DOC + "/layers/{layer}/document_info", tags=["Layers"])
def layer_document_info(request: Request, t: NamedLayer) -> dict[str, Any]:
    """As the document's: a layer holds records, never pages, so its pages are the PDF's."""
    t.require(READ)
    return {"data": _info(request, t.document_id)}


def _info(request: Request, document_id: str) -> dict[str, Any]:
    doc = engine_of(request).document(document_id)
    sizes = remembered_read(request, document_id, jobs.page_sizes)
    pages = [
        {"pageIndex": i, "width": w, "height": h, "rotation": int(r), "pageLabel": str(i + 1)}
        for i, (w, h, r) in enumerate(sizes)
    ]
    return {
        "id": doc.id,
        "title": doc.title or doc.file_name or "",
        "pageCount": doc.page_count,
        "pages": pages,
        "password_protected": doc.password_protected,
        "sourcePdfSha256": doc.sha256,
        "byteSize": doc.byte_size,
        "createdAt": doc.created_at,
    }


@router.delete(DOC)
def delete_document(request: Request, document_id: str, principal: Caller) -> dict[str, Any]:
    """Delete the document, every layer of it and its PDF."""
    principal.require_server()
    engine_of(request).delete_document(document_id)
    return {"data": {"document_id": document_id}}
