"""XFDF out of the default layer and any layer (Document Engine's ``document.xfdf``)."""

# No "from __future__ import annotations": FastAPI reads the routes' Depends(layer) at run time.

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from reviewer_app.pdf import jobs
from reviewer_app.server.auth import READ
from reviewer_app.server.context import Target
from reviewer_app.server.pdf_reads import remembered_read
from reviewer_app.xfdf import layer_xfdf

XFDF_TYPE = "application/vnd.adobe.xfdf"


def register(router: APIRouter, base: str, layer: Callable[..., Awaitable[Target]]) -> None:
    """Add ``GET {base}/document.xfdf``."""

    @router.get(
        f"{base}/document.xfdf",
        tags=["Import and Export"],
        response_class=Response,
        responses={200: {"content": {XFDF_TYPE: {"schema": {"type": "string"}}}}},
    )
    async def layer_as_xfdf(request: Request, t: Annotated[Target, Depends(layer)]) -> Response:
        """The layer's annotations and form field values as XFDF; a record XFDF does not carry
        (a picture, a link) is left out and counted in ``X-Reviewer-Not-Written``."""
        t.require(READ)

        def build() -> tuple[bytes, int]:
            document = t.engine.document(t.document_id)
            boxes = remembered_read(request, t.document_id, jobs.page_boxes)
            records = t.engine.records(t.document_id, t.layer)
            written = layer_xfdf(records, boxes, document.file_name or "")
            return written.xml, len(written.errors)

        xml, skipped = await run_in_threadpool(build)
        return Response(xml, media_type=XFDF_TYPE, headers={"X-Reviewer-Not-Written": str(skipped)})
