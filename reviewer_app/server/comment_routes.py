"""Comment endpoints, on the default layer and under ``/layers/{layer}`` (Document Engine's
tag "Comments"): read a root annotation's thread, add comments to it, or create a root and
its comments together. 400 when the root cannot hold comments, 404 when it is missing, 422
with ``CommentsCreateErrors`` (one object of problems per comment) when a comment is bad."""

# No `from __future__ import annotations` here: the routes' Annotated[..., Depends(layer)]
# name a closure variable, which FastAPI can only see if annotations are evaluated at once.

from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from reviewer_app.engine import NotFound
from reviewer_app.instant import validate_annotation
from reviewer_app.instant.checks import check_iso_date
from reviewer_app.instant.comments import can_root
from reviewer_app.instant.records import Kind
from reviewer_app.instant.validate import TEXT_FORMATS
from reviewer_app.server import schemas
from reviewer_app.server.annotation_routes import JsonBody
from reviewer_app.server.auth import READ, WRITE
from reviewer_app.server.context import Target
from reviewer_app.server.wire import annotation_record

Errors = dict[str, Any]
Item = tuple[dict[str, Any], str | None, str | None]
"""A comment ready to write: its content, user and group."""

REQUIRED = ["is required"]


def _text_errors(text: object) -> list[str]:
    if text is None:
        return REQUIRED
    if isinstance(text, str):
        return []
    if isinstance(text, Mapping) and text.get("format") in TEXT_FORMATS:
        return [] if isinstance(text.get("value"), str) else ["value must be a string"]
    return ["must be a string (or {format: plain|xhtml, value})"]


def _content_errors(content: Mapping[str, Any]) -> Errors:
    errors: Errors = {}
    if problems := _text_errors(content.get("text")):
        errors["text"] = problems
    for key in ("createdAt", "updatedAt"):
        if content.get(key) is not None and check_iso_date(key, content[key]):
            errors[key] = ["must be an ISO 8601 date-time"]
    for key in ("creatorName",):
        if content.get(key) is not None and not isinstance(content[key], str):
            errors[key] = ["must be a string or null"]
    custom = content.get("customData")
    if custom is not None and not isinstance(custom, Mapping):
        errors["customData"] = ["must be an object or null"]
    return errors


def _item_errors(item: object, t: Target, seen: set[str]) -> Errors:
    """Document Engine's per-comment errors (``{"content": {"text": ["is required"]}}``)."""
    if not isinstance(item, Mapping):
        return {"comment": ["must be an object"]}
    errors: Errors = {}
    content = item.get("content")
    if not isinstance(content, Mapping):
        errors["content"] = REQUIRED if content is None else ["must be an object"]
    elif content_errors := _content_errors(content):
        errors["content"] = content_errors
    for key in ("user_id", "group"):
        if item.get(key) is not None and not isinstance(item[key], str):
            errors[key] = ["must be a string or null"]
    rid = item.get("id")
    if rid is not None:
        if not isinstance(rid, str) or not rid or len(rid) > 256:
            errors["id"] = ["must be a string of 1 to 256 characters"]
        elif rid in seen or _exists(t, rid):
            errors["id"] = ["has already been taken"]
        else:
            seen.add(rid)
    return errors


def _exists(t: Target, rid: str, kind: Kind = "comment") -> bool:
    try:
        t.engine.record(t.document_id, t.layer, kind, rid)
    except NotFound:
        return False
    return True


def _items(t: Target, data: Mapping[str, Any]) -> tuple[list[Item], list[Errors]]:
    """The comments of a request, and their errors (an empty object for a good one)."""
    raw = data.get("comments")
    if not isinstance(raw, list):
        return [], [{"comments": ["must be a list"]}]
    seen: set[str] = set()
    errors = [_item_errors(item, t, seen) for item in raw]
    ready: list[Item] = []
    for item, problems in zip(raw, errors, strict=True):
        if problems:
            continue
        content = {k: v for k, v in dict(item["content"]).items() if v is not None}
        if "id" in item:
            content["id"] = item["id"]
        ready.append((content, t.user(item.get("user_id")), item.get("group")))
    return ready, errors


def _invalid(body: Errors) -> JSONResponse:
    return JSONResponse(body, status_code=422)


def _root_errors(t: Target, data: Mapping[str, Any]) -> Errors:
    """Errors of the ``annotation`` of a create-with-root request, Document Engine style."""
    item = data.get("annotation")
    if not isinstance(item, Mapping):
        return {"annotation": REQUIRED if item is None else ["must be an object"]}
    content = item.get("content")
    if not isinstance(content, Mapping):
        return {"content": REQUIRED if content is None else ["must be an object"]}
    doc = t.engine.document(t.document_id)
    problems = validate_annotation(dict(content), page_count=doc.page_count)
    if not problems and not can_root(content):
        problems = ["must be a markup annotation or a pspdfkit/comment-marker to hold comments"]
    errors: Errors = {"content": problems} if problems else {}
    rid = item.get("id", content.get("id"))
    if rid is not None and (not isinstance(rid, str) or not rid):
        errors["id"] = ["must be a non-empty string"]
    elif rid is not None and _exists(t, rid, "annotation"):
        errors["id"] = ["has already been taken"]
    for key in ("user_id", "group"):
        if item.get(key) is not None and not isinstance(item[key], str):
            errors[key] = ["must be a string or null"]
    return errors


def register(router: APIRouter, base: str, layer: Callable[..., Awaitable[Target]]) -> None:
    """Add the comment routes under ``base``, for the layer the ``layer`` dependency names."""
    thread = f"{base}/annotations/{{annotation_id}}/comments"

    @router.get(thread, tags=["Comments"])
    def list_comments(annotation_id: str, t: Annotated[Target, Depends(layer)]) -> Any:
        """The thread on a root annotation, oldest first."""
        t.require(READ)
        shown = t.engine.thread_comments(t.document_id, t.layer, annotation_id)
        return {"data": {"comments": [annotation_record(c) for c in shown]}}

    @router.post(thread, tags=["Comments"], openapi_extra=schemas.COMMENTS_CREATE)
    def add_comments(
        annotation_id: str, t: Annotated[Target, Depends(layer)], data: JsonBody
    ) -> Any:
        """Add comments to a root annotation's thread."""
        t.require(WRITE)
        t.engine.thread_comments(t.document_id, t.layer, annotation_id)  # 404, 400 first
        ready, errors = _items(t, data)
        if any(errors) or not ready:
            return _invalid({"comments": errors or [{"comments": ["must not be empty"]}]})
        change = t.engine.add_comments_by(t.document_id, t.layer, annotation_id, ready)
        return {"data": {"comments": [{"id": r.id} for r in change.upserted]}}

    @router.post(f"{base}/comments", tags=["Comments"], openapi_extra=schemas.THREAD_CREATE)
    def create_thread(t: Annotated[Target, Depends(layer)], data: JsonBody) -> Any:
        """Create a root annotation and its comments together."""
        t.require(WRITE)
        root_errors = _root_errors(t, data)
        ready, errors = _items(t, data)
        if root_errors or any(errors):
            body: Errors = {"comments": errors}
            if root_errors:
                body["annotation"] = root_errors
            return _invalid(body)
        item = data["annotation"]
        root = dict(item["content"])
        if item.get("id") is not None:
            root["id"] = item["id"]
        root.setdefault("isCommentThreadRoot", True)
        user, group = t.user(item.get("user_id")), item.get("group")
        change = t.engine.create_thread(t.document_id, t.layer, root, ready, user=user, group=group)
        first, *rest = change.upserted
        return {"data": {"annotation": {"id": first.id}, "comments": [{"id": r.id} for r in rest]}}
