"""Layer endpoints: list, create (three ways), delete, Instant JSON in and out, the layer's PDF."""

from __future__ import annotations

import importlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from reviewer_app.engine import LayerEngine
from reviewer_app.engine.layers import check_shared_name
from reviewer_app.server import schemas
from reviewer_app.server.annotation_routes import JsonBody
from reviewer_app.server.auth import DOWNLOAD, READ, WRITE
from reviewer_app.server.bodies import Payload, parse_json, read_payload
from reviewer_app.server.context import Caller, NamedLayer, config_of, engine_of, writer_of
from reviewer_app.server.errors import ApiError
from reviewer_app.server.wire import pdf_password

router = APIRouter(tags=["Layers"])
DOC = "/api/documents/{document_id}"
LAYER = DOC + "/layers/{layer}"
TRUE = ("true", "1", "yes")


@router.get(DOC + "/layers")
@router.get(DOC + "/layers/", include_in_schema=False)
def list_layers(request: Request, document_id: str, principal: Caller) -> dict[str, Any]:
    """The layers that exist, the default one (``""``) included; a client sees only its own."""
    principal.require(document_id, READ)
    names = engine_of(request).layer_names(document_id)
    return {"data": [name for name in names if principal.may_use_layer(name)]}


@router.post(DOC + "/layers", openapi_extra=schemas.LAYER_CREATE)
async def create_layer(request: Request, document_id: str, principal: Caller) -> dict[str, Any]:
    """A copy of the base layer, of ``source_layer_name`` (base if it does not exist), or the
    base layer with ``instant.json`` applied. An existing name is a 409."""
    principal.require(document_id, WRITE)
    payload = await read_payload(request, config_of(request).max_body_size)
    name, source, instant = _create_options(payload)
    check_shared_name(name)
    principal.require(document_id, WRITE, name)
    if source is not None and not principal.may_use_layer(source):
        raise ApiError(403, f"this token does not grant the source layer {source[:60]!r}")
    engine, writer = engine_of(request), writer_of(principal)
    created = await run_in_threadpool(
        lambda: engine.create_layer(
            document_id, name, source=source, instant_json=instant, writer=writer
        )
    )
    return {"data": {"name": created.name, "errors": created.errors}}


def _create_options(payload: Payload) -> tuple[str, str | None, Any]:
    if payload.is_json and isinstance(payload.json, dict):
        fields = payload.json
        instant = None
    elif payload.is_form:
        fields = dict(payload.fields)
        part = payload.part("instant.json")
        instant = None if part is None else parse_json(part, "instant.json part")
    else:
        raise ApiError(400, "send JSON {name, source_layer_name?} or multipart name + instant.json")
    name, source = fields.get("name"), fields.get("source_layer_name")
    if not isinstance(name, str):
        raise ApiError(400, "'name' is required and must be a string")
    if source is not None and not isinstance(source, str):
        raise ApiError(400, "'source_layer_name' must be a string")
    if source is not None and instant is not None:
        raise ApiError(400, "give either source_layer_name or instant.json, not both")
    return name, source, instant


@router.delete(LAYER)
def delete_layer(t: NamedLayer) -> Response:
    """Delete the layer and all it holds (404 if it does not exist); 200 with an empty body."""
    t.require(WRITE)
    t.engine.delete_layer(t.document_id, t.layer, keep_for_undo=False)  # no trash here
    return Response(status_code=200)


@router.get(LAYER + "/document.json", tags=["Import and Export"])
def layer_instant_json(t: NamedLayer) -> dict[str, Any]:
    """The layer as Instant JSON."""
    t.require(READ)
    return t.engine.export_instant(t.document_id, t.layer)


@router.post(LAYER + "/apply_instant_json", tags=["Import and Export"])
async def apply_instant_json(request: Request, t: NamedLayer) -> dict[str, Any]:
    """Apply an Instant JSON file (multipart part ``instant.json``, or a JSON body) in place."""
    t.require(WRITE)
    payload = await read_payload(request, t.config.max_body_size)
    data = payload.json if payload.is_json else None
    if payload.is_form:
        part = payload.part("instant.json")
        if part is None:
            raise ApiError(400, "the multipart body needs an 'instant.json' part")
        data = parse_json(part, "instant.json part")
    if not isinstance(data, dict):
        raise ApiError(400, "send the Instant JSON as a multipart 'instant.json' part")
    _, errors = await run_in_threadpool(
        lambda: t.engine.import_instant(t.document_id, t.layer, data, writer=t.writer)
    )
    return {"data": {"errors": errors}}


@router.get(LAYER + "/pdf", tags=["Import and Export"])
def layer_pdf(
    request: Request,
    t: NamedLayer,
    source: str = "false",
    flatten: str = "false",
    type: str = "pdf",
    comments_summary: str = "false",
) -> Response:
    """The layer as a PDF, made on demand (``source=true``: the uploaded file;
    ``comments_summary=true``: pages listing the layer's comments after the last page)."""
    options = {"source": source.lower() in TRUE, "flatten": flatten.lower() in TRUE, "type": type}
    options["comments_summary"] = comments_summary.lower() in TRUE
    return _pdf(request, t.engine, t.document_id, t.layer, t.require, options)


@router.post(LAYER + "/pdf", tags=["Import and Export"])
def layer_pdf_post(request: Request, t: NamedLayer, data: JsonBody) -> Response:
    """As GET, with the options in a JSON body."""
    return _pdf(request, t.engine, t.document_id, t.layer, t.require, data)


def _pdf(
    request: Request,
    engine: LayerEngine,
    document_id: str,
    layer: str,
    require: Any,
    options: dict[str, Any],
) -> Response:
    require(DOWNLOAD)
    source, flatten = options.get("source") is True, options.get("flatten") is True
    if options.get("type", "pdf") != "pdf":
        raise ApiError(400, "only type 'pdf' is supported (no PDF/A)")
    if source and flatten:
        raise ApiError(400, "'source' and 'flatten' cannot be combined")
    path = engine.pdf_path(document_id)
    if source:
        return FileResponse(path, media_type="application/pdf")
    try:  # imported when used: it is the newest part of the pdf package
        export_layer_pdf = importlib.import_module("reviewer_app.pdf.export").export_layer_pdf
    except (ImportError, AttributeError):
        raise ApiError(501, "layer PDF export is not available in this build") from None
    data: bytes = export_layer_pdf(
        path.read_bytes(),
        engine.layer_export(document_id, layer),
        flatten=flatten,
        summary=options.get("comments_summary") is True,
        title=_title(engine, document_id),
        layer_name=layer,
        password=pdf_password(request),
    )
    return Response(data, media_type="application/pdf")


def _title(engine: LayerEngine, document_id: str) -> str:
    """What a comments summary calls the document: its title, else its file name."""
    document = engine.document(document_id)
    return document.title or document.file_name or ""
