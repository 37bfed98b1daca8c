"""Offline-first sync of a local replica with a layer server (plain Python, no Qt)."""

from reviewer_app.engine.conflicts import SyncConflict
from reviewer_app.sync.access import check_access
from reviewer_app.sync.client import AuthError, OfflineError, Retry, SyncClient, SyncError
from reviewer_app.sync.credentials import CredentialError, CredentialStore
from reviewer_app.sync.log import log_failure, log_file, log_to_file
from reviewer_app.sync.messages import explain
from reviewer_app.sync.session import SyncSession, open_remote_document
from reviewer_app.sync.status import LayerState, Progress, SyncReport, SyncStatus
from reviewer_app.sync.tokens import TokenInfo, read_token, token_layers

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
