"""Checking a connection before it is kept: the server answers, and takes the token."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from reviewer_app.sync.client import SyncClient
from reviewer_app.sync.errors import SyncError


def check_access(client: SyncClient, document_id: str) -> dict[str, Any]:
    """The server's ``document_info`` for ``document_id``, read with the client's token: raises
    OfflineError (no answer), AuthError (the token is refused: 401/403), SyncError (404: no
    such document; anything else) or a requests error for an address that is not a URL."""
    answer = client.get_json(f"/api/documents/{quote(document_id, safe='')}/document_info")
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, dict):
        raise SyncError("the server's document_info has no 'data' object")
    return data
