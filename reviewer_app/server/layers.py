"""Layer endpoints: list, create (three ways), delete (Instant JSON and PDFs: export_routes)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from reviewer_app.engine.layers import check_shared_name
from reviewer_app.server import schemas
from reviewer_app.server.auth import READ, WRITE
from reviewer_app.server.bodies import Payload, parse_json, read_payload
from reviewer_app.server.context import Caller, NamedLayer, config_of, engine_of, writer_of
from reviewer_app.server.errors import ApiError

router = APIRouter(tags=["Layers"])
DOC = "/api/documents/{document_id}"
LAYER = DOC + "/layers/{layer}"


@router.get(DOC + "/layers")
@router.get(DOC + "/layers/", include_in_schema=False)
def list_layers(request: Request, document_id: str, principal: Caller) -> dict[str, Any]:
    """The layers that exist, the default one (``""``) included; a client sees only its own."""
    principal.require(document_id, READ)
    among = None if principal.server else principal.layers  # a token's: look up only those
    names = engine_of(request).layer_names(document_id, among)
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
