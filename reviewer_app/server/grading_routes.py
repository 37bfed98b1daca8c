"""Our grading extension: a document's grading scheme, read and replaced with a revision
check, so a teacher's replicas (and co-teachers) share one scheme and never overwrite a
newer one unseen."""

# No `from __future__ import annotations` here: FastAPI reads the routes' annotations.

from typing import Any

from fastapi import APIRouter, Request

from reviewer_app.engine.engine_grading import scheme_json
from reviewer_app.engine.grading_scheme import read_scheme
from reviewer_app.server.annotation_routes import JsonBody
from reviewer_app.server.auth import READ, WRITE
from reviewer_app.server.context import Caller, engine_of
from reviewer_app.server.errors import ApiError

TAG = "Grading extension (Reviewer)"
router = APIRouter()
PATH = "/api/documents/{document_id}/grading_scheme"


@router.get(PATH, tags=[TAG])
def get_scheme(request: Request, document_id: str, principal: Caller) -> dict[str, Any]:
    """The document's grading scheme (questions and scale) and its revision (0: none set)."""
    principal.require(document_id, READ)
    engine = engine_of(request)
    return {"data": scheme_json(engine.stored_scheme(document_id))}


@router.put(PATH, tags=[TAG])
def put_scheme(
    request: Request, document_id: str, data: JsonBody, principal: Caller
) -> dict[str, Any]:
    """Replace the scheme. ``base_revision`` must be the revision the client last read: if
    someone changed it since, 409 (nothing is overwritten: read it again). A token bound to
    some layers (a student's) may not change it."""
    principal.require(document_id, WRITE)
    engine = engine_of(request)
    if principal.layers is not None and not principal.server:
        raise ApiError(403, "a token bound to layers may not change the grading scheme")
    base = data.get("base_revision")
    if not isinstance(base, int) or isinstance(base, bool) or base < 0:
        raise ApiError(400, "'base_revision' must be the revision last read (an integer >= 0)")
    document = engine.document(document_id)
    scheme = read_scheme(data.get("scheme", {}), document.page_count)
    current = engine.stored_scheme(document_id)
    if current.revision != base:
        raise ApiError(
            409, f"the grading scheme changed meanwhile (now revision {current.revision})"
        )
    stored = engine.set_grading_scheme(document_id, scheme, base_revision=base)
    return {"data": scheme_json(stored)}
