"""Offline-first sync of a local replica with a layer server (plain Python, no Qt).

The HTTP side (``SyncClient``, ``SyncSession``, ``open_remote_document``, ``check_access``,
``Retry``) is loaded on first use (PEP 562): requests, urllib3, PyJWT and cryptography cost a
third of the desktop app's start-up and are only needed once it syncs."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from reviewer_app.engine.conflicts import SyncConflict
from reviewer_app.sync.credentials import CredentialError, CredentialStore
from reviewer_app.sync.errors import AuthError, OfflineError, SyncError
from reviewer_app.sync.log import log_failure, log_file, log_to_file
from reviewer_app.sync.messages import explain
from reviewer_app.sync.status import LayerState, Progress, SyncReport, SyncStatus
from reviewer_app.sync.tokens import TokenInfo, read_token, token_layers

if TYPE_CHECKING:
    from reviewer_app.sync.access import check_access
    from reviewer_app.sync.client import Retry, SyncClient
    from reviewer_app.sync.session import SyncSession, open_remote_document

_LATER = {
    "check_access": "reviewer_app.sync.access",
    "Retry": "reviewer_app.sync.client",
    "SyncClient": "reviewer_app.sync.client",
    "SyncSession": "reviewer_app.sync.session",
    "open_remote_document": "reviewer_app.sync.session",
}


def __getattr__(name: str) -> Any:
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "AuthError",
    "CredentialError",
    "CredentialStore",
    "LayerState",
    "OfflineError",
    "Progress",
    "Retry",
    "SyncClient",
    "SyncConflict",
    "SyncError",
    "SyncReport",
    "SyncSession",
    "SyncStatus",
    "TokenInfo",
    "check_access",
    "explain",
    "log_failure",
    "log_file",
    "log_to_file",
    "open_remote_document",
    "read_token",
    "token_layers",
]
