"""Sync's failures told as sentences for a person; the details go to the log (see sync.log)."""

from __future__ import annotations

from urllib.parse import urlsplit

from reviewer_app.sync.credentials import CredentialError, MissingToken
from reviewer_app.sync.errors import AuthError, OfflineError, SyncError

KEPT = "your changes are kept and will be sent when it can"
_BAD_ADDRESS = {"InvalidURL", "MissingSchema", "LocationParseError", "LocationValueError"}
"""requests' and urllib3's errors for an address that is not one (by name: urllib3 is only
requests' own dependency here)."""

_REFUSALS = (  # (words in the server's reason, why the token was refused), first match wins
    (("expir", "in the past"), "it has expired. Ask for a new one."),
    (("not valid yet",), "it is not valid yet. Check this computer's clock, or ask again later."),
    (("another document",), "it was issued for another document. Check the document id."),
    (("signature", "not configured", "algorithm", "invalid api token", "invalid jwt"), ""),
    (("does not grant layer",), "it does not give access to that layer. Ask for a new one."),
    (("lacks the 'write'",), "it may read this document but not change it."),
    (("lacks the '",), "it does not allow this. Ask for a new one."),
)


def server_name(url: str) -> str:
    """How a server is named in a message: its host (and port, when it has one)."""
    parts = urlsplit(url if "://" in url else f"//{url}")
    return parts.netloc or url or "the server"


def refusal(exc: AuthError) -> str:
    """Why the server refused the token, as a sentence."""
    reason = str(exc).lower()
    for words, why in _REFUSALS:
        if any(w in reason for w in words):
            return f"The server refused the token: {why or 'it was not issued for this server.'}"
    if exc.status == 401:
        return "The server asks for a token and did not take this one. Connect again with yours."
    return "The server refused the token. Ask whoever gave it to you for a new one."


def explain(exc: BaseException, url: str) -> str:
    """One or two sentences saying what went wrong and what happens now (never a traceback)."""
    import requests  # here, not at start-up: the window loads the HTTP stack when it syncs

    host = server_name(url)
    cause = exc.__cause__
    if isinstance(exc, OfflineError) and isinstance(cause, requests.exceptions.SSLError):
        if "CERTIFICATE_VERIFY_FAILED" in str(cause) or "certificate" in str(cause).lower():
            return (
                f"The server at {host} cannot be trusted: its certificate could not be "
                f"verified, so nothing was sent; {KEPT}."
            )
        return (
            f"The server at {host} does not answer over https://: check the address "
            "(a test server on this computer may need http://)."
        )
    if isinstance(exc, OfflineError):
        return f"The server at {host} cannot be reached; {KEPT}."
    if isinstance(exc, AuthError):
        return refusal(exc)
    if isinstance(exc, SyncError) and exc.status == 404:
        return f"The server at {host} does not have this document (or the address is wrong)."
    if isinstance(exc, SyncError) and exc.status is not None and exc.status >= 500:
        return f"The server at {host} has a problem ({exc.status}); {KEPT}."
    if isinstance(exc, SyncError) and exc.status is not None:
        return f"The server at {host} did not accept a request ({exc.status}); {KEPT}."
    if isinstance(exc, SyncError):
        return f"The server at {host} answered in a way Reviewer does not understand; {KEPT}."
    if _BAD_ADDRESS & {kind.__name__ for kind in type(exc).__mro__}:
        return f"“{url}” is not a server address: it looks like https://reviewer.example.org."
    if isinstance(exc, requests.exceptions.InvalidSchema):
        return f"“{url}” is not a server address: it starts with https:// or http://."
    if isinstance(exc, MissingToken):
        return (
            f"No token for {host} is kept on this computer: connect again with "
            "File > Connect to Server…"
        )
    if isinstance(exc, CredentialError):
        return f"The saved tokens cannot be read: {exc}."
    if isinstance(exc, OSError):
        return f"Sync cannot use this computer's storage ({exc.strerror or exc}); {KEPT}."
    return f"Something went wrong that Reviewer did not expect; {KEPT}."
