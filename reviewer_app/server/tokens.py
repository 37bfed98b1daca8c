"""Key pairs and client tokens: what a school's backend does to let a desktop sync one layer."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from reviewer_app.server.config import ConfigError

PRIVATE_NAME = "jwt-private.pem"
PUBLIC_NAME = "jwt-public.pem"
_DURATION = re.compile(r"(\d+)\s*([smhdw]?)")
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> int:
    """``"1h"``, ``"30m"``, ``"7d"`` or ``"90"`` (seconds) as seconds."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None or int(match.group(1)) <= 0:
        raise ConfigError(f"not a duration: {text!r} (write e.g. 1h, 30m, 7d)")
    return int(match.group(1)) * _SECONDS[match.group(2)]


def keygen(out: Path, algorithm: str = "ES256") -> tuple[Path, Path]:
    """Write a new key pair for ``algorithm`` (RS256/RS512: RSA 3072; ES256: P-256; ES512:
    P-521) as PEM files in ``out``; the private key is readable by its owner only."""
    key: Any
    if algorithm in ("RS256", "RS512"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    elif algorithm == "ES256":
        key = ec.generate_private_key(ec.SECP256R1())
    elif algorithm == "ES512":
        key = ec.generate_private_key(ec.SECP521R1())
    else:
        raise ConfigError(f"cannot make keys for {algorithm!r}: use RS256, RS512, ES256 or ES512")
    out.mkdir(parents=True, exist_ok=True)
    private, public = out / PRIVATE_NAME, out / PUBLIC_NAME
    if private.exists():
        raise ConfigError(f"{private} exists already: refusing to overwrite a key")
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(pem)
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


def algorithm_for(key: Any) -> str:
    """The algorithm a private key signs with by default."""
    if isinstance(key, rsa.RSAPrivateKey):
        return "RS256"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "ES512" if key.curve.name == "secp521r1" else "ES256"
    raise ConfigError("the private key must be an RSA or EC key")


@dataclass(frozen=True)
class TokenRequest:
    """What a client token grants: one document, its permissions, a layer (or several, with
    our ``layers`` extension; ``["*"]`` is every layer), who the user is, for how long."""

    document_id: str
    permissions: list[str]
    layer: str | None = None
    layers: list[str] | None = None
    user_id: str | None = None
    expires_in: int = 3600

    def claims(self, now: int | None = None) -> dict[str, Any]:
        issued = int(time.time()) if now is None else now
        claims: dict[str, Any] = {
            "document_id": self.document_id,
            "permissions": self.permissions,
            "iat": issued,
            "exp": issued + self.expires_in,
        }
        if self.layer is not None:
            claims["layer"] = self.layer
        if self.layers is not None:
            claims["layers"] = self.layers
        if self.user_id is not None:
            claims["user_id"] = self.user_id
        return claims


def issue_token(request: TokenRequest, private_key_pem: bytes, algorithm: str | None = None) -> str:
    """A JWT for ``request`` signed with the private key (algorithm from the key if not given)."""
    try:
        key = serialization.load_pem_private_key(private_key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"not a readable, unencrypted PEM private key: {exc}") from exc
    chosen = algorithm or algorithm_for(key)
    assert isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)
    return jwt.encode(request.claims(), key, algorithm=chosen)
