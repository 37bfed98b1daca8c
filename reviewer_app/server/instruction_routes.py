"""Document Engine's ``apply_instructions``, for the one thing a layer review server can do with
Build instructions: apply XFDF files to the layer (``applyXfdf`` actions on the ``#self``
document). Instructions that would edit pages are refused with the reason."""

# No "from __future__ import annotations": FastAPI reads the routes' Depends(layer) at run time.

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from reviewer_app.pdf import jobs
from reviewer_app.server.auth import WRITE
from reviewer_app.server.bodies import Payload, parse_json, read_payload
from reviewer_app.server.context import Target
from reviewer_app.server.documents import document_properties
from reviewer_app.server.errors import ApiError
from reviewer_app.server.pdf_reads import remembered_read
from reviewer_app.xfdf import XfdfError, read_xfdf

TAGS: list[str | Enum] = ["Layers"]
SELF = {"document": {"id": "#self"}}
MULTIPART = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"instructions": {"type": "string"}},
                    "additionalProperties": {"type": "string", "format": "binary"},
                }
            }
        }
    }
}


def _instructions(payload: Payload) -> dict[str, Any]:
    if payload.is_form:
        part = payload.part("instructions")
        if part is None:
            raise ApiError(400, "the multipart body needs an 'instructions' part")
        data = parse_json(part, "instructions part")
    else:
        data = payload.json if payload.is_json else None
    if not isinstance(data, dict):
        raise ApiError(
            400, "send the Build instructions as JSON or a multipart 'instructions' part"
        )
    return data


def xfdf_files(payload: Payload, instructions: dict[str, Any]) -> list[tuple[str, bytes]]:
    """The XFDF files the instructions apply, in order (name, bytes); 400 saying why for
    instructions this server cannot carry out."""
    if instructions.get("parts") != [SELF]:
        raise ApiError(
            400,
            'only parts [{"document": {"id": "#self"}}] are supported: the server never '
            "changes a document's pages, it applies XFDF files to the layer",
        )
    actions = instructions.get("actions")
    if not isinstance(actions, list) or not actions:
        raise ApiError(400, "give at least one applyXfdf action")
    if set(instructions) - {"parts", "actions", "output"}:
        raise ApiError(400, "only 'parts', 'actions' and 'output' are read")
    if instructions.get("output") not in (None, {}, {"type": "pdf"}):
        raise ApiError(400, "the result is the layer itself: no 'output' but PDF")
    files = []
    for index, action in enumerate(actions):
        if not isinstance(action, dict) or action.get("type") != "applyXfdf":
            raise ApiError(400, f"actions[{index}]: only applyXfdf actions are supported")
        name = action.get("file")
        if not isinstance(name, str) or name not in payload.files:
            raise ApiError(400, f"actions[{index}]: 'file' must name a multipart part (no URLs)")
        files.append((name, payload.files[name][1]))
    return files


def register(router: APIRouter, base: str, layer: Callable[..., Awaitable[Target]]) -> None:
    """Add ``POST {base}/apply_instructions``."""

    @router.post(f"{base}/apply_instructions", tags=TAGS, openapi_extra=MULTIPART)
    async def apply_instructions(
        request: Request, t: Annotated[Target, Depends(layer)]
    ) -> JSONResponse:
        """Apply the XFDF files of ``applyXfdf`` actions to the layer, in order (annotations
        and form values; what a file holds that the layer cannot take is counted in the
        ``X-Reviewer-Not-Applied`` header). Answers the document's properties, as DE does."""
        t.require(WRITE)
        payload = await read_payload(request, t.config.max_body_size)
        files = xfdf_files(payload, _instructions(payload))

        def apply() -> tuple[dict[str, Any], int]:
            boxes = remembered_read(request, t.document_id, jobs.page_boxes)
            reads = []
            for name, data in files:  # every file read before any is applied
                try:
                    reads.append(read_xfdf(data, boxes))
                except XfdfError as exc:
                    raise ApiError(400, f"{name[:100]}: {exc}") from None
            skipped = 0
            for read in reads:
                _, problems = t.engine.import_instant(
                    t.document_id, t.layer, read.instant(), writer=t.writer
                )
                skipped += len(read.errors) + len(problems)
            return document_properties(t.engine.document(t.document_id)), skipped

        properties, skipped = await run_in_threadpool(apply)
        return JSONResponse({"data": properties}, headers={"X-Reviewer-Not-Applied": str(skipped)})
