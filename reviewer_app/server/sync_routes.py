"""Our sync extension (not Document Engine's): a per-layer changes feed and an idempotent push."""

# No `from __future__ import annotations` here: the routes' Annotated[..., Depends(layer)]
# name a closure variable, which FastAPI can only see if annotations are evaluated at once.

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from reviewer_app.engine.sync_support import parse_changes, record_json
from reviewer_app.server import schemas
from reviewer_app.server.annotation_routes import JsonBody
from reviewer_app.server.auth import READ, WRITE
from reviewer_app.server.context import Target
from reviewer_app.server.errors import ApiError
from reviewer_app.server.metrics import count_push
from reviewer_app.server.wire import optional_str, query_integer

MAX_PUSH_CHANGES = 1000
"""Changes in one push; more is a 413 (split the batch)."""

TAG = "Sync extension (Reviewer)"


def register(router: APIRouter, base: str, layer: Callable[..., Awaitable[Target]]) -> None:
    """Add ``changes`` and ``push`` under ``base``."""

    @router.get(f"{base}/changes", tags=[TAG])
    def layer_changes(t: Annotated[Target, Depends(layer)], since: str = "0") -> dict[str, Any]:
        """What the layer wrote after revision ``since``: records (each with the revision that
        wrote it, to send back as ``base_revision``) and deletions. Base records the layer never
        touched are not listed: they are what the PDF yields, with the same ids everywhere."""
        t.require(READ)
        feed = t.engine.changes_feed(t.document_id, t.layer, query_integer("since", since))
        return {
            "data": {
                "layer": feed.layer,
                "uid": feed.uid,
                "revision": feed.revision,
                "updatedAt": feed.updated_at,  # when the layer last changed on this server
                "upserted": [record_json(r, rev) for r, rev in feed.upserted],
                "deleted": [{"kind": k, "id": i, "revision": rev} for (k, i), rev in feed.deleted],
            }
        }

    @router.post(f"{base}/push", tags=[TAG], openapi_extra=schemas.PUSH_BODY)
    def layer_push(
        request: Request, t: Annotated[Target, Depends(layer)], data: JsonBody
    ) -> dict[str, Any]:
        """Apply changes whose ``base_revision`` is current; report the rest as conflicts with
        the server's version. The same ``idempotency_key`` again replays the first answer."""
        t.require(WRITE)
        key = data.get("idempotency_key") or request.headers.get("idempotency-key")
        raw = data.get("changes")
        if isinstance(raw, list) and len(raw) > MAX_PUSH_CHANGES:
            raise ApiError(413, f"too many changes in one push (at most {MAX_PUSH_CHANGES})")
        changes = parse_changes(raw)
        user = t.user(optional_str(data, "user_id"))
        result = t.engine.push_changes(
            t.document_id,
            t.layer,
            key if isinstance(key, str) else "",
            changes,
            user=user,
            writer=t.writer,
        )
        count_push(result.replayed, len(result.conflicts))
        return {"data": result.to_json()}
