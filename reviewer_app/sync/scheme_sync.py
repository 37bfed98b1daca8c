"""The grading scheme's sync: a teacher's replicas (and co-teachers) share the document's one
scheme through the server's grading extension, and an edit made on two sides at once is a
conflict the user settles, never an overwrite."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer_app.engine import LayerEngine, Scheme, read_scheme
from reviewer_app.sync.errors import SyncError

if TYPE_CHECKING:  # the HTTP side loads on first use (see reviewer_app.sync)
    from reviewer_app.sync.client import SyncClient

PULLED, PUSHED, SAME, CONFLICT, UNSUPPORTED = "pulled", "pushed", "same", "conflict", "unsupported"


@dataclass(frozen=True)
class SchemeSync:
    """What syncing the scheme did (``outcome``: pulled, pushed, same, conflict or
    unsupported) and, in a conflict, the server's scheme and revision (``theirs``)."""

    outcome: str
    theirs: Scheme | None = None
    server_revision: int = 0


def scheme_path(document_id: str) -> str:
    return f"/api/documents/{document_id}/grading_scheme"


def _remote(client: SyncClient, document_id: str) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = client.get_json(scheme_path(document_id))["data"]
    except SyncError as exc:
        if exc.status == 404:
            return None  # a server without the grading extension
        raise
    return data


def sync_scheme(
    engine: LayerEngine, client: SyncClient, document_id: str, *, may_push: bool = True
) -> SchemeSync:
    """Bring the local scheme and the server's in step: push a local edit made on top of the
    server's revision, pull a newer server scheme over an unedited local one; when both
    changed (and differ) report a conflict and change nothing (see :func:`settle_scheme`).
    ``may_push`` False (a token bound to layers: a student's): only pull."""
    remote = _remote(client, document_id)
    if remote is None:
        return SchemeSync(UNSUPPORTED)
    page_count = engine.document(document_id).page_count
    theirs, their_revision = read_scheme(remote["scheme"], page_count), int(remote["revision"])
    local = engine.stored_scheme(document_id)
    if local.unpushed and may_push:
        if theirs == local.scheme:
            engine.scheme_pushed(document_id, local.revision, their_revision)
            return SchemeSync(SAME)
        if their_revision != local.server_revision:
            return SchemeSync(CONFLICT, theirs, their_revision)
        return _push(engine, client, document_id, local.scheme, local.revision, their_revision)
    if their_revision != local.server_revision and theirs != local.scheme and not local.unpushed:
        engine.set_grading_scheme(document_id, theirs, server_revision=their_revision)
        return SchemeSync(PULLED)
    if their_revision != local.server_revision:
        engine.scheme_pushed(document_id, local.revision, their_revision)
    return SchemeSync(SAME)


def _push(
    engine: LayerEngine,
    client: SyncClient,
    document_id: str,
    scheme: Scheme,
    local_revision: int,
    base: int,
) -> SchemeSync:
    try:
        answer = client.send_json(
            "PUT", scheme_path(document_id), {"scheme": scheme.to_json(), "base_revision": base}
        )
    except SyncError as exc:
        if exc.status == 409:  # someone pushed between our read and our write
            return sync_scheme(engine, client, document_id)
        raise
    engine.scheme_pushed(document_id, local_revision, int(answer["data"]["revision"]))
    return SchemeSync(PUSHED)


def settle_scheme(
    engine: LayerEngine, client: SyncClient, document_id: str, conflict: SchemeSync, keep: str
) -> SchemeSync:
    """Settle a conflict: ``keep`` "theirs" takes the server's scheme here; "mine" sends
    this one over the server's (which was seen: nothing is overwritten unseen)."""
    if conflict.theirs is None:
        raise ValueError("not a conflict")
    if keep == "theirs":
        engine.set_grading_scheme(
            document_id, conflict.theirs, server_revision=conflict.server_revision
        )
        return SchemeSync(PULLED)
    local = engine.stored_scheme(document_id)
    return _push(
        engine, client, document_id, local.scheme, local.revision, conflict.server_revision
    )
