"""What a token says about itself: its document, its layers, whether it may write, its expiry.

Read from the claims without verifying them: the server is the one that enforces them; the
client only avoids asking for what it cannot have, and picks the user's own layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from reviewer_app.sync.errors import SyncError


def is_jwt(token: str) -> bool:
    """A client token (three dot-separated parts); anything else is the server's own token."""
    return token.count(".") == 2 and not token.startswith("Token ")


@dataclass(frozen=True)
class TokenInfo:
    """What a token grants: its ``document_id``, its ``layers`` (None: every layer), whether it
    may ``write``, when it ``expires`` and its ``user_id``; ``server`` for the server's token."""

    server: bool = False
    document_id: str | None = None
    layers: frozenset[str] | None = None
    write: bool = True
    expires: datetime | None = None
    user_id: str | None = None

    @property
    def own_layer(self) -> str | None:
        """The one layer the token is bound to (None: several, or every layer)."""
        if self.layers is not None and len(self.layers) == 1:
            return next(iter(self.layers))
        return None

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires is not None and self.expires <= (now or datetime.now(UTC))


def read_token(token: str) -> TokenInfo:
    """The claims of ``token`` (the server's token grants everything); SyncError if it looks
    like a JWT but cannot be read."""
    if not is_jwt(token):
        return TokenInfo(server=True)
    import jwt  # here, not at start-up: PyJWT and cryptography load when a token is read

    try:
        claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError as exc:
        raise SyncError(f"the token is not a readable JWT: {exc}") from exc
    raw = claims.get("permissions")
    permissions = {raw} if isinstance(raw, str) else set(raw) if isinstance(raw, list) else set()
    exp = claims.get("exp")
    user = claims.get("user_id")
    document = claims.get("document_id")
    return TokenInfo(
        document_id=document if isinstance(document, str) else None,
        layers=_layers(claims),
        write=bool({"write", "all"} & permissions),
        expires=datetime.fromtimestamp(exp, UTC) if isinstance(exp, int | float) else None,
        user_id=user if isinstance(user, str) else None,
    )


def _layers(claims: dict[str, Any]) -> frozenset[str] | None:
    """As the server reads them: ``layer`` (default ``""``) plus our ``layers`` extension."""
    extra = claims.get("layers")
    if isinstance(extra, list) and "*" in extra:
        return None
    granted = {str(n) for n in extra} if isinstance(extra, list) else set()
    if "layer" in claims:
        granted.add(str(claims["layer"]))
    if "layer" not in claims and "layers" not in claims:
        granted.add("")
    return frozenset(granted)


def token_layers(token: str) -> frozenset[str] | None:
    """The layers a token grants (None: all)."""
    return read_token(token).layers
