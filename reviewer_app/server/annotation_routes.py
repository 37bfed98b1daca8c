"""Annotation endpoints, on the default layer and under ``/layers/{layer}``: list, get, create,
update, delete, one at a time or in batches (creates and bulk updates also as multipart, with
attachments in parts named by their SHA-256)."""

# No `from __future__ import annotations` here: the routes' Annotated[..., Depends(layer)]
# name a closure variable, which FastAPI can only see if annotations are evaluated at once.

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from reviewer_app.engine import BadRequest, EngineError, NotFound, PictureNotAllowed
from reviewer_app.instant import validate_annotation
from reviewer_app.instant.records import Record
from reviewer_app.server import schemas
from reviewer_app.server.attachment_routes import AnnotationWrite
from reviewer_app.server.auth import READ, WRITE
from reviewer_app.server.bodies import json_object
from reviewer_app.server.context import Target
from reviewer_app.server.errors import ApiError
from reviewer_app.server.wire import Batch, annotation_record, items, listing, optional_str

Item = tuple[int, dict[str, Any], str | None, str | None]
"""A batch item ready to write: its index in the request, content, user and group."""


async def body(request: Request) -> dict[str, Any]:
    return await json_object(request)


JsonBody = Annotated[dict[str, Any], Depends(body)]
"""A request body that must be a JSON object (400 otherwise)."""


def _content(item: object, *, id_required: bool = False) -> dict[str, Any]:
    """The ``content`` of a create or update item, with its ``id`` moved in; 422 if malformed."""
    if not isinstance(item, dict) or not isinstance(item.get("content"), dict):
        raise ApiError(422, "each annotation needs a 'content' object")
    content = dict(item["content"])
    rid = item.get("id", content.get("id"))
    if rid is not None and (not isinstance(rid, str) or not rid):
        raise ApiError(422, "'id' must be a non-empty string")
    if rid is None and id_required:
        raise ApiError(422, "'id' is required")
    if rid is not None:
        content["id"] = rid
    return content


def _prepare(t: Target, raw: list[Any], batch: Batch, *, updating: bool) -> list[Item]:
    """The valid items of a batch; the others are recorded as failing paths."""
    doc = t.engine.document(t.document_id)
    ready: list[Item] = []
    seen: set[str] = set()
    contents = [item.get("content") if isinstance(item, dict) else None for item in raw]
    pictures = t.engine.forbidden_pictures(
        t.document_id, t.layer, [c if isinstance(c, dict) else {} for c in contents], t.writer
    )
    for index, item in enumerate(raw):
        try:
            content = _content(item, id_required=updating)
            user = t.user(optional_str(item, "user_id"))
            group = optional_str(item, "group")
        except ApiError as exc:
            batch.fail(index, "invalid", exc.reason)
            continue
        problems = validate_annotation(content, page_count=doc.page_count)
        rid = content.get("id")
        if problems:
            batch.fail(index, "invalid", "; ".join(problems))
        elif pictures[index] is not None:
            batch.fail(index, "forbidden", str(pictures[index]))
        elif rid is not None and rid in seen:
            batch.fail(index, "duplicate", f"annotation {rid!r} appears twice")
        elif rid is not None and _exists(t, rid) != updating:
            error = "not found" if updating else "already exists"
            batch.fail(index, error, f"annotation {rid!r} {error} in layer {t.layer!r}")
        else:
            ready.append((index, content, user, group))
        if rid is not None:
            seen.add(rid)
    return ready


def _exists(t: Target, rid: str) -> bool:
    try:
        t.engine.record(t.document_id, t.layer, "annotation", rid)
    except NotFound:
        return False
    return True


def _write(t: Target, ready: list[Item], batch: Batch, *, updating: bool) -> None:
    """Write the prepared items, one engine call per (user, group); report each outcome."""
    groups: dict[tuple[str | None, str | None], list[Item]] = {}
    for entry in ready:
        groups.setdefault((entry[2], entry[3]), []).append(entry)
    done: dict[int, Record] = {}
    for (user, group), entries in groups.items():
        contents = [content for _, content, _, _ in entries]
        try:
            if updating:
                change = t.engine.update_records(
                    t.document_id, t.layer, "annotation", contents, user=user, writer=t.writer
                )
            else:
                change = t.engine.create_records(
                    t.document_id,
                    t.layer,
                    "annotation",
                    contents,
                    user=user,
                    group=group,
                    writer=t.writer,
                )
        except EngineError as exc:
            for index, *_ in entries:
                batch.fail(index, "failed", str(exc))
            continue
        if not updating:  # every new record is in the change, in request order
            done.update((e[0], r) for e, r in zip(entries, change.upserted, strict=True))
            continue
        by_id = {r.id: r for r in change.upserted}
        for index, content, _, _ in entries:  # an update that changed nothing is not in it
            rid = str(content["id"])
            done[index] = by_id.get(rid) or t.engine.record(
                t.document_id, t.layer, "annotation", rid
            )
    for index in sorted(done):
        record = done[index]
        batch.ok({**annotation_record(record), "user_id": record.updated_by})
    batch.failing.sort(key=lambda f: int(f["path"].rsplit("[", 1)[1].rstrip("]")))


def _invalid_is_422(call: Callable[[], Any]) -> Any:
    """Run ``call``; an invalid annotation (BadRequest) becomes 422, as the OpenAPI says; a
    picture the caller may not name is a 400 (the request must upload it first)."""
    try:
        return call()
    except PictureNotAllowed as exc:
        raise ApiError(400, str(exc)) from None
    except BadRequest as exc:
        raise ApiError(422, str(exc)) from None


def register(router: APIRouter, base: str, layer: Callable[..., Awaitable[Target]]) -> None:
    """Add the annotation routes under ``base``, for the layer the ``layer`` dependency names."""
    path = f"{base}/annotations"

    @router.get(path, tags=["Annotations"])
    def list_annotations(request: Request, t: Annotated[Target, Depends(layer)]) -> Response:
        t.require(READ)
        return listing(request, t.engine.annotations(t.document_id, t.layer))

    @router.get(f"{base}/pages/{{page_index}}/annotations", tags=["Annotations"])
    def list_page_annotations(
        request: Request, page_index: int, t: Annotated[Target, Depends(layer)]
    ) -> Response:
        t.require(READ)
        doc = t.engine.document(t.document_id)
        if not 0 <= page_index < doc.page_count:
            raise ApiError(404, f"no page {page_index}: the document has {doc.page_count}")
        shown = t.engine.records(t.document_id, t.layer, "annotation", page_index)
        return listing(request, shown)

    @router.get(f"{path}/{{annotation_id}}", tags=["Annotations"])
    def get_annotation(annotation_id: str, t: Annotated[Target, Depends(layer)]) -> dict[str, Any]:
        t.require(READ)
        return annotation_record(
            t.engine.record(t.document_id, t.layer, "annotation", annotation_id)
        )

    @router.post(path, tags=["Annotations"], openapi_extra=schemas.ANNOTATION_CREATE)
    def create_annotations(
        t: Annotated[Target, Depends(layer)], sent: AnnotationWrite
    ) -> dict[str, Any]:
        t.require(WRITE)
        sent.store(t)
        data = sent.data
        if "annotations" in data:
            batch = Batch("annotations")
            _write(
                t,
                _prepare(t, items(data, "annotations"), batch, updating=False),
                batch,
                updating=False,
            )
            return batch.response()
        content = _content(data)
        user, group = t.user(optional_str(data, "user_id")), optional_str(data, "group")
        change = _invalid_is_422(
            lambda: t.engine.create_records(
                t.document_id,
                t.layer,
                "annotation",
                [content],
                user=user,
                group=group,
                writer=t.writer,
            )
        )
        key = "id" if t.scoped else "annotation_id"
        return {"data": {key: change.upserted[0].id}}

    @router.put(path, tags=["Annotations"], openapi_extra=schemas.ANNOTATION_UPDATE_MANY)
    def update_annotations(
        t: Annotated[Target, Depends(layer)], sent: AnnotationWrite
    ) -> dict[str, Any]:
        t.require(WRITE)
        sent.store(t)
        batch = Batch("annotations")
        raw = items(sent.data, "annotations")
        _write(t, _prepare(t, raw, batch, updating=True), batch, updating=True)
        return batch.response()

    @router.put(
        f"{path}/{{annotation_id}}",
        tags=["Annotations"],
        openapi_extra=schemas.ANNOTATION_UPDATE_ONE,
    )
    def update_annotation(
        annotation_id: str, t: Annotated[Target, Depends(layer)], data: JsonBody
    ) -> dict[str, Any]:
        t.require(WRITE)
        content = {**_content(data), "id": annotation_id}
        user = t.user(optional_str(data, "user_id"))
        change = _invalid_is_422(
            lambda: t.engine.update_records(
                t.document_id, t.layer, "annotation", [content], user=user, writer=t.writer
            )
        )
        record = (
            change.upserted[0]
            if change.upserted
            else t.engine.record(t.document_id, t.layer, "annotation", annotation_id)
        )
        return {"data": annotation_record(record)}

    @router.delete(f"{path}/{{annotation_id}}", tags=["Annotations"])
    def delete_annotation(
        annotation_id: str, t: Annotated[Target, Depends(layer)]
    ) -> dict[str, Any]:
        t.require(WRITE)
        t.engine.delete_records(t.document_id, t.layer, [("annotation", annotation_id)])
        return {"data": {"id": annotation_id}}

    @router.delete(path, tags=["Annotations"], openapi_extra=schemas.ANNOTATION_DELETE_MANY)
    def delete_annotations(t: Annotated[Target, Depends(layer)], data: JsonBody) -> dict[str, Any]:
        t.require(WRITE)
        wanted = data.get("annotationIds")
        if wanted == "all":
            wanted = [r.id for r in t.engine.annotations(t.document_id, t.layer)]
        if not isinstance(wanted, list) or not all(isinstance(i, str) for i in wanted):
            raise ApiError(422, "'annotationIds' must be a list of ids or \"all\"")
        if wanted:
            t.engine.delete_records(t.document_id, t.layer, [("annotation", i) for i in wanted])
        return {"data": {"annotationIds": wanted}}
