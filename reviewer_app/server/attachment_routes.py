"""Attachments (the pictures of image annotations) over HTTP: multipart parts named by their
SHA-256 on annotation writes, and our routes to upload, ask after and download them."""

# No `from __future__ import annotations` here: the routes' Annotated[..., Depends(layer)]
# name a closure variable, which FastAPI can only see if annotations are evaluated at once.

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from reviewer_app.engine.attachments import image_type
from reviewer_app.instant.attachments import is_sha256, sha256_hex
from reviewer_app.server import embedded_routes, schemas
from reviewer_app.server.auth import READ, WRITE
from reviewer_app.server.bodies import Payload, json_object, media_type, parse_json, read_payload
from reviewer_app.server.context import Target, config_of
from reviewer_app.server.errors import ApiError

TAG = "Attachments (Reviewer)"
MAX_ASKED = 1000
"""Attachment ids in one ``attachments/missing`` question."""
JSON_PARTS = ("annotation", "annotations")


@dataclass
class AnnotationBody:
    """An annotation write's JSON body and the attachments sent with it (multipart), by id."""

    data: dict[str, Any]
    attachments: dict[str, bytes] = field(default_factory=dict)

    def store(self, t: Target) -> None:
        """Keep the attachments, as uploaded through the target layer (call once the caller
        may write it)."""
        if self.attachments:
            t.engine.add_attachments(t.document_id, t.layer, list(self.attachments.values()))


def named_parts(payload: Payload, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """The multipart parts other than ``skip``, each of which must be named by the SHA-256 of
    its bytes (api.md §3.4); 400 for one that is not."""
    found: dict[str, bytes] = {}
    names = [*payload.files, *payload.fields]
    for name in names:
        if name in skip:
            continue
        data = payload.part(name) or b""
        digest = sha256_hex(data)
        if not is_sha256(name) or name.lower() != digest:
            raise ApiError(
                400,
                f"part {name[:70]!r}: an attachment part must be named by the SHA-256 "
                f"of its bytes ({digest})",
            )
        found[digest] = data
    return found


async def annotation_body(request: Request) -> AnnotationBody:
    """A JSON object body, or multipart with the JSON in an ``annotation`` (single) or
    ``annotations`` (batch) part and attachments in SHA-256-named parts."""
    if media_type(request) != "multipart/form-data":
        return AnnotationBody(await json_object(request))
    payload = await read_payload(request, config_of(request).max_body_size)
    given = [name for name in JSON_PARTS if payload.part(name) is not None]
    if len(given) != 1:
        raise ApiError(400, "the multipart body needs one 'annotation' or 'annotations' part")
    value = parse_json(payload.part(given[0]) or b"", f"{given[0]} part")
    if given[0] == "annotations" and isinstance(value, list):
        value = {"annotations": value}
    if not isinstance(value, dict):
        raise ApiError(400, f"the '{given[0]}' part must hold a JSON object")
    return AnnotationBody(value, named_parts(payload, skip=JSON_PARTS))


AnnotationWrite = Annotated[AnnotationBody, Depends(annotation_body)]


def served_type(data: bytes) -> str:
    """The content type an attachment is served with: a known picture or PDF, else bytes."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return image_type(data) or "application/octet-stream"


def register(router: APIRouter, base: str, layer: Callable[..., Awaitable[Target]]) -> None:
    """Add ``attachments`` (upload), ``attachments/missing`` and ``attachments/{id}`` under
    ``base``. A layer reads only the attachments its own image annotations refer to."""
    path = f"{base}/attachments"

    @router.post(path, tags=[TAG], openapi_extra=schemas.ATTACHMENTS_UPLOAD)
    async def upload_attachments(
        request: Request, t: Annotated[Target, Depends(layer)]
    ) -> dict[str, Any]:
        """Store attachments sent as multipart parts named by the SHA-256 of their bytes
        (stored once, so sending one again is harmless)."""
        t.require(WRITE)
        payload = await read_payload(request, t.config.max_body_size)
        if not payload.is_form:
            raise ApiError(400, "send the attachments as multipart parts named by their SHA-256")
        found = named_parts(payload)
        if not found:
            raise ApiError(400, "the multipart body holds no attachment")
        await run_in_threadpool(AnnotationBody({}, found).store, t)
        return {"data": {"attachments": sorted(found)}}

    @router.post(f"{path}/missing", tags=[TAG], openapi_extra=schemas.ATTACHMENTS_ASK)
    async def missing_attachments(
        request: Request, t: Annotated[Target, Depends(layer)]
    ) -> dict[str, Any]:
        """Which of ``attachmentIds`` this layer cannot serve yet: not stored here, or not
        referred to by any image annotation the layer shows. Answers for this layer only."""
        t.require(READ)
        wanted = (await json_object(request)).get("attachmentIds")
        if not isinstance(wanted, list) or not all(isinstance(i, str) for i in wanted):
            raise ApiError(422, "'attachmentIds' must be a list of strings")
        if len(wanted) > MAX_ASKED:
            raise ApiError(413, f"ask after at most {MAX_ASKED} attachments at once")
        shown = await run_in_threadpool(t.engine.layer_attachment_ids, t.document_id, t.layer)
        store = t.engine.attachments
        missing = [i for i in dict.fromkeys(wanted) if i not in shown or not store.has(i)]
        return {"data": {"missing": missing}}

    @router.get(f"{path}/{{attachment_id}}", tags=[TAG])
    def get_attachment(
        request: Request, attachment_id: str, t: Annotated[Target, Depends(layer)]
    ) -> Response:
        """The bytes of an attachment an image annotation of this layer refers to, or of a
        file embedded in the PDF itself; 404 for any other (even one another layer shows)."""
        t.require(READ)
        data = None
        if attachment_id in t.engine.layer_attachment_ids(
            t.document_id, t.layer
        ) or attachment_id in embedded_routes.attachment_ids(t, request):
            data = t.engine.attachment(attachment_id)
        if data is None:
            raise ApiError(404, f"no attachment {attachment_id[:70]!r} in layer {t.layer!r}")
        headers = {
            "ETag": f'"{attachment_id}"',
            "Cache-Control": "private, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff",
        }
        return Response(data, media_type=served_type(data), headers=headers)
