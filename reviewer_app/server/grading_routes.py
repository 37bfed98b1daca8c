"""Our grading extension: a document's grading scheme, read and replaced with a revision
check, so a teacher's replicas (and co-teachers) share one scheme and never overwrite a
newer one unseen; and who is a student (the layers' grading roles), set per layer."""

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


ROLES_PATH = "/api/documents/{document_id}/grading_roles"


def _roles_caller(request: Request, document_id: str, principal: Caller, need: str) -> Any:
    """The engine, for a caller who may see every layer's role (they name every layer)."""
    principal.require(document_id, need)
    if principal.layers is not None and not principal.server:
        raise ApiError(403, "a token bound to layers may not read or change the grading roles")
    return engine_of(request)


def roles_json(engine: Any, document_id: str) -> dict[str, Any]:
    state = engine.roles_state(document_id)
    return {"roles": state.roles, "revision": state.revision}


@router.get(ROLES_PATH, tags=[TAG])
def get_roles(request: Request, document_id: str, principal: Caller) -> dict[str, Any]:
    """Who is a student: each layer whose role was set (true a student, false not: a
    teacher's layer, an answer key), and the roles' revision."""
    engine = _roles_caller(request, document_id, principal, READ)
    return {"data": roles_json(engine, document_id)}


@router.put(ROLES_PATH, tags=[TAG])
def put_roles(
    request: Request, document_id: str, data: JsonBody, principal: Caller
) -> dict[str, Any]:
    """Set the roles of the layers named in ``roles`` (the others keep theirs); answers every
    role and the new revision."""
    engine = _roles_caller(request, document_id, principal, WRITE)
    roles = data.get("roles")
    if not isinstance(roles, dict) or not roles:
        raise ApiError(400, "'roles' must be an object of layer names and true or false")
    for layer, student in roles.items():
        if not isinstance(student, bool):
            raise ApiError(400, f"the role of layer {layer!r} must be true or false")
        if len(layer) > 256 or "*" in layer:
            raise ApiError(400, f"{layer[:40]!r}… is not a layer name")
    engine.set_roles(document_id, roles)
    return {"data": roles_json(engine, document_id)}
