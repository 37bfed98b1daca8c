"""Offline-first sync of a local replica with a layer server (plain Python, no Qt)."""

from reviewer_app.engine.conflicts import SyncConflict
from reviewer_app.sync.client import AuthError, OfflineError, Retry, SyncClient, SyncError
from reviewer_app.sync.credentials import CredentialError, CredentialStore
from reviewer_app.sync.session import SyncSession, open_remote_document, token_layers
from reviewer_app.sync.status import Progress, SyncReport, SyncStatus

__all__ = [
    "AuthError",
    "CredentialError",
    "CredentialStore",
    "OfflineError",
    "Progress",
    "Retry",
    "SyncClient",
    "SyncConflict",
    "SyncError",
    "SyncReport",
    "SyncSession",
    "SyncStatus",
    "open_remote_document",
    "token_layers",
]
