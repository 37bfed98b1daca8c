"""Bookmark and form-field-value endpoints, on the default layer and under ``/layers/{layer}``."""

# No `from __future__ import annotations` here: the routes' Annotated[..., Depends(layer)]
# name a closure variable, which FastAPI can only see if annotations are evaluated at once.

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from reviewer_app.engine import BadRequest
from reviewer_app.server.annotation_routes import JsonBody
from reviewer_app.server.auth import READ, WRITE
from reviewer_app.server.context import Target
from reviewer_app.server.errors import ApiError
from reviewer_app.server.wire import annotation_record, form_value_record, items


def _bookmark(data: dict[str, Any], rid: str | None = None) -> dict[str, Any]:
    """The bookmark a body describes: a BookmarkRecord (``content``) or a bare bookmark."""
    content = data.get("content", data if "type" in data else None)
    if not isinstance(content, dict):
        raise ApiError(400, "a bookmark needs a 'content' object")
    content = dict(content)
    rid = rid or data.get("id") or content.get("id")
    if rid is not None:
        if not isinstance(rid, str):
            raise ApiError(400, "'id' must be a string")
        content["id"] = rid
    return content


def register(router: APIRouter, base: str, layer: Callable[..., Awaitable[Target]]) -> None:
    """Add the bookmark and form-field-value routes under ``base``."""

    @router.get(f"{base}/bookmarks", tags=["Bookmarks"])
    def list_bookmarks(t: Annotated[Target, Depends(layer)]) -> dict[str, Any]:
        t.require(READ)
        shown = t.engine.records(t.document_id, t.layer, "bookmark")
        return {"data": {"bookmarks": [annotation_record(r) for r in shown]}}

    @router.post(f"{base}/bookmarks", tags=["Bookmarks"])
    def create_bookmark(t: Annotated[Target, Depends(layer)], data: JsonBody) -> dict[str, Any]:
        t.require(WRITE)
        user = t.user(None)
        change = t.engine.create_records(
            t.document_id, t.layer, "bookmark", [_bookmark(data)], user=user
        )
        return {"data": {"id": change.upserted[0].id}}

    @router.put(f"{base}/bookmarks/{{bookmark_id}}", tags=["Bookmarks"])
    def update_bookmark(
        bookmark_id: str, t: Annotated[Target, Depends(layer)], data: JsonBody
    ) -> dict[str, Any]:
        t.require(WRITE)
        content = _bookmark(data, bookmark_id)
        t.engine.update_records(t.document_id, t.layer, "bookmark", [content], user=t.user(None))
        return {"data": {"id": bookmark_id}}

    @router.delete(f"{base}/bookmarks/{{bookmark_id}}", tags=["Bookmarks"])
    def delete_bookmark(bookmark_id: str, t: Annotated[Target, Depends(layer)]) -> dict[str, Any]:
        t.require(WRITE)
        t.engine.delete_records(t.document_id, t.layer, [("bookmark", bookmark_id)])
        return {"data": {"id": bookmark_id}}

    @router.get(f"{base}/form-field-values", tags=["Form Filling"])
    def list_form_field_values(t: Annotated[Target, Depends(layer)]) -> dict[str, Any]:
        t.require(READ)
        shown = t.engine.records(t.document_id, t.layer, "formFieldValue")
        return {"data": {"formFieldValues": [form_value_record(r) for r in shown]}}

    @router.post(f"{base}/form-field-values", tags=["Form Filling"])
    def set_form_field_values(
        t: Annotated[Target, Depends(layer)], data: JsonBody
    ) -> dict[str, Any]:
        t.require(WRITE)
        values = items(data, "formFieldValues")
        if not all(isinstance(v, dict) for v in values):
            raise ApiError(422, "each form field value must be an object with 'name' and 'value'")
        try:
            t.engine.set_form_field_values(t.document_id, t.layer, values, user=t.user(None))
        except BadRequest as exc:
            raise ApiError(422, str(exc)) from None
        names = {str(v.get("name")) for v in values}
        current = t.engine.records(t.document_id, t.layer, "formFieldValue")
        return {
            "data": {"formFieldValues": [form_value_record(r) for r in current if r.id in names]}
        }
