"""Who is a student, synced: the layers' grading roles set on a replica go to the server, and
the server's roles for every other layer come back, so a teacher's machines and co-teachers
count the same class. Merged per layer: the roles are one true/false each, so a role set here
and not yet pushed is kept over the server's and sent (the last to sync wins that layer)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer_app.engine import LayerEngine
from reviewer_app.sync.errors import SyncError

if TYPE_CHECKING:  # the HTTP side loads on first use (see reviewer_app.sync)
    from reviewer_app.sync.client import SyncClient


@dataclass(frozen=True)
class RolesSync:
    """What syncing the roles did: how many were ``pushed``, whether the server's ``pulled``
    changed any here, and ``supported`` False for a server without the extension."""

    pushed: int = 0
    pulled: bool = False
    supported: bool = True


def roles_path(document_id: str) -> str:
    return f"/api/documents/{document_id}/grading_roles"


def sync_roles(
    engine: LayerEngine, client: SyncClient, document_id: str, *, may_push: bool = True
) -> RolesSync:
    """Push the roles set here (when ``may_push``), then take the server's for the rest."""
    state = engine.roles_state(document_id)
    sent = dict(state.unpushed) if may_push else {}
    try:
        if sent:
            answer = client.send_json("PUT", roles_path(document_id), {"roles": sent})
        else:
            answer = client.get_json(roles_path(document_id))
    except SyncError as exc:
        if exc.status in (403, 404):  # no grading extension, or a token for some layers
            return RolesSync(supported=False)
        raise
    data: dict[str, Any] = answer["data"]
    roles = {str(k): bool(v) for k, v in dict(data["roles"]).items()}
    pulled = engine.take_server_roles(document_id, roles, int(data["revision"]), sent)
    return RolesSync(len(sent), pulled)
