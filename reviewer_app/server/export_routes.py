"""Instant JSON and PDF in and out, on the default layer and on any layer (Document Engine's
``document.json``, ``apply_instant_json``, ``pdf``, ``pdf_with_instant_json`` and
``copy_with_instant_json``)."""

# No "from __future__ import annotations": FastAPI reads the routes' Depends(layer) at run time.

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from reviewer_app.importing import import_pdf_bytes
from reviewer_app.instant.records import LayerExport
from reviewer_app.pdf import jobs
from reviewer_app.server.annotation_routes import JsonBody
from reviewer_app.server.auth import DOWNLOAD, READ, WRITE
from reviewer_app.server.bodies import parse_json, read_payload
from reviewer_app.server.context import Target, sandbox_of
from reviewer_app.server.errors import ApiError
from reviewer_app.server.wire import pdf_password

TRUE = ("true", "1", "yes")
TAG: list[str | Enum] = ["Import and Export"]
INSTANT_PART = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"instant.json": {"type": "string", "format": "binary"}},
                }
            }
        }
    }
}


async def _instant(request: Request, t: Target, *, optional: bool = False) -> Any:
    """The Instant JSON of a request: multipart part ``instant.json`` or a JSON body (400
    otherwise); with ``optional``, a JSON body (DE ignores it) or none means no file."""
    payload = await read_payload(request, t.config.max_body_size)
    if payload.is_form:
        part = payload.part("instant.json")
        if part is None:
            raise ApiError(400, "the multipart body needs an 'instant.json' part")
        data = parse_json(part, "instant.json part")
    elif optional:
        return None
    else:
        data = payload.json if payload.is_json else None
    if not isinstance(data, dict):
        raise ApiError(400, "send the Instant JSON as a multipart 'instant.json' part")
    return data


def layer_pdf_bytes(
    request: Request, t: Target, layer: LayerExport, options: dict[str, Any]
) -> bytes:
    """The PDF of ``layer`` (a layer's records, as the engine exports them) over the upload,
    made in a worker process (see pdf/sandbox.py)."""
    document = t.engine.document(t.document_id)
    data, _ = sandbox_of(request).run(
        jobs.export_layer,
        t.engine.pdf_path(t.document_id),
        layer,
        sha256=document.sha256,
        flatten=options.get("flatten") is True,
        summary=options.get("comments_summary") is True,
        title=document.title or document.file_name or "",
        layer_name=t.layer,
        password=pdf_password(request),
    )
    result: bytes = data
    return result


def _pdf(request: Request, t: Target, options: dict[str, Any]) -> Response:
    source, flatten = options.get("source") is True, options.get("flatten") is True
    if source:  # the upload shows no layer's records: any token that may download it
        t.principal.require(t.document_id, DOWNLOAD)
    else:
        t.require(DOWNLOAD)
    if options.get("type", "pdf") != "pdf":
        raise ApiError(400, "only type 'pdf' is supported (no PDF/A)")
    if source and flatten:
        raise ApiError(400, "'source' and 'flatten' cannot be combined")
    if source:
        return FileResponse(t.engine.pdf_path(t.document_id), media_type="application/pdf")
    data = layer_pdf_bytes(request, t, t.engine.layer_export(t.document_id, t.layer), options)
    return Response(data, media_type="application/pdf")


def register(router: APIRouter, base: str, layer: Callable[..., Awaitable[Target]]) -> None:
    """Add the Instant JSON and PDF routes under ``base``."""
    Layer = Annotated[Target, Depends(layer)]

    @router.get(f"{base}/document.json", tags=TAG)
    def instant_json(t: Layer) -> dict[str, Any]:
        """The layer as Instant JSON."""
        t.require(READ)
        return t.engine.export_instant(t.document_id, t.layer)

    @router.post(f"{base}/apply_instant_json", tags=TAG, openapi_extra=INSTANT_PART)
    async def apply_instant_json(request: Request, t: Layer) -> dict[str, Any]:
        """Apply an Instant JSON file (multipart part ``instant.json``, or a JSON body) in
        place; what it could not take is listed in ``errors``."""
        t.require(WRITE)
        data = await _instant(request, t)
        _, errors = await run_in_threadpool(
            lambda: t.engine.import_instant(t.document_id, t.layer, data, writer=t.writer)
        )
        return {"data": {"errors": errors}}

    @router.get(f"{base}/pdf", tags=TAG)
    def pdf(
        request: Request,
        t: Layer,
        source: str = "false",
        flatten: str = "false",
        type: str = "pdf",
        comments_summary: str = "false",
    ) -> Response:
        """The layer's annotations written into the PDF, made on demand (``source=true``: the
        uploaded file; ``comments_summary=true``: pages listing the layer's comments)."""
        options: dict[str, Any] = {"source": source.lower() in TRUE, "type": type}
        options["flatten"] = flatten.lower() in TRUE
        options["comments_summary"] = comments_summary.lower() in TRUE
        return _pdf(request, t, options)

    @router.post(f"{base}/pdf", tags=TAG)
    def pdf_post(request: Request, t: Layer, data: JsonBody) -> Response:
        """As GET, with the options in a JSON body (``DownloadPDF``)."""
        return _pdf(request, t, data)

    @router.post(f"{base}/pdf_with_instant_json", tags=TAG, openapi_extra=INSTANT_PART)
    async def pdf_with_instant_json(request: Request, t: Layer) -> Response:
        """The layer's PDF with an Instant JSON file applied; the layer is left unchanged."""
        t.require(DOWNLOAD)
        data = await _instant(request, t)

        def build() -> tuple[bytes, int]:
            preview, errors = t.engine.preview_instant(
                t.document_id, t.layer, data, writer=t.writer
            )
            return layer_pdf_bytes(request, t, preview, {}), len(errors)

        pdf, skipped = await run_in_threadpool(build)
        headers = {"X-Reviewer-Not-Applied": str(skipped)}
        return Response(pdf, media_type="application/pdf", headers=headers)

    @router.post(f"{base}/copy_with_instant_json", tags=TAG, openapi_extra=INSTANT_PART)
    async def copy_with_instant_json(request: Request, t: Layer) -> dict[str, Any]:
        """A new document: the layer's PDF (with a multipart ``instant.json`` applied first;
        a JSON body is ignored, as DE does), its annotations the new document's own."""
        t.principal.require_server()
        data = await _instant(request, t, optional=True)

        def copy() -> dict[str, Any]:
            errors: list[dict[str, str]] = []
            if data is None:
                export = t.engine.layer_export(t.document_id, t.layer)
            else:
                export, errors = t.engine.preview_instant(
                    t.document_id, t.layer, data, writer=t.writer
                )
            source = t.engine.document(t.document_id)
            made = import_pdf_bytes(
                t.engine,
                layer_pdf_bytes(request, t, export, {}),
                file_name=source.file_name,
                title=source.title,
                sandbox=sandbox_of(request),
            ).document
            return {
                "documentId": made.id,
                "createdAt": made.created_at,
                "errors": errors,
                "password_protected": made.password_protected,
                "sourcePdfSha256": made.sha256,
                "title": made.title or made.file_name or "",
            }

        return await run_in_threadpool(copy)
