"""What sync raises: plain exceptions, importable without the HTTP stack (the window names
them at start-up; requests and jwt load with the first connection)."""

from __future__ import annotations


class SyncError(Exception):
    """The server answered with an error (``status``), or the answer made no sense."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class AuthError(SyncError):
    """The server refused the credentials (401/403); ``str()`` is the server's reason."""


class OfflineError(SyncError):
    """The server could not be reached (connection refused, dropped or timed out)."""
