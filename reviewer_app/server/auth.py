"""Who is calling: the server API token, or a client JWT naming a document, layers, permissions."""

from __future__ import annotations

import hmac
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from reviewer_app.engine import BadRequest
from reviewer_app.engine.layers import check_name
from reviewer_app.server.config import ConfigError, ServerConfig
from reviewer_app.server.errors import forbidden, unauthorized

READ = "read-document"
WRITE = "write"
DOWNLOAD = "download"
COVER = "cover-image"
PERMISSIONS = frozenset({READ, WRITE, DOWNLOAD, COVER})

ALL_LAYERS = "*"
"""In our ``layers`` claim: every layer of the document (``*`` is never in a layer name)."""

LEEWAY_SECONDS = 30
VERIFIED_TOKENS = 4096
"""Client tokens whose signature and claims were checked, kept per process (see
:meth:`Authenticator._client_token`): a client sends the same token with every request."""
_TOKEN = re.compile(r'token\s*=\s*"?([^"]*)"?\s*', re.IGNORECASE)


@dataclass(frozen=True)
class Principal:
    """A caller. The server token may do anything; a client may act on ``document_id`` only,
    on the layers in ``layers`` (None: every layer), as far as ``permissions`` allow."""

    server: bool
    document_id: str | None = None
    layers: frozenset[str] | None = None
    permissions: frozenset[str] = frozenset()
    user_id: str | None = None

    def may_use_layer(self, layer: str) -> bool:
        return self.server or self.layers is None or layer in self.layers

    def require(self, document_id: str, permission: str, layer: str | None = None) -> None:
        """403 unless this caller may use ``permission`` on the document (and layer)."""
        if self.server:
            return
        if document_id != self.document_id:
            raise forbidden("this token is for another document")
        if permission not in self.permissions:
            raise forbidden(f"this token lacks the '{permission}' permission")
        if layer is not None and not self.may_use_layer(layer):
            raise forbidden(f"this token does not grant layer {layer[:60]!r}")

    def require_server(self) -> None:
        if not self.server:
            raise forbidden("this needs the server API token")


SERVER = Principal(server=True)


class Authenticator:
    """Checks ``Authorization`` headers against the configured secret and public key."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.public_key: Any = None
        self.algorithms = config.algorithms
        if config.jwt_public_key is not None:
            self.public_key, self.algorithms = _load_key(config)
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._lock = threading.Lock()  # routes run on the thread pool

    def authenticate(self, header: str | None) -> Principal:
        """The caller named by ``header``: 401 when there is none, 403 when it is refused."""
        if not header or not header.strip():
            if self.config.insecure_no_auth:
                return SERVER
            raise unauthorized()
        scheme, _, rest = header.strip().partition(" ")
        if scheme.lower() == "token":
            return self._server_token(rest)
        if scheme.lower() == "bearer":
            return self._client_token(rest.strip())
        raise unauthorized("use 'Authorization: Token token=...' or 'Authorization: Bearer <jwt>'")

    def _server_token(self, rest: str) -> Principal:
        match = _TOKEN.fullmatch(rest.strip())
        if match is None:
            raise unauthorized('malformed Token authorization: send Token token="<secret>"')
        expected = self.config.api_token
        if expected is None:
            raise forbidden("server token authentication is not configured")
        if not hmac.compare_digest(match.group(1).encode(), expected.encode()):
            raise forbidden("invalid API token")
        return SERVER

    def _client_token(self, token: str) -> Principal:
        """The caller a JWT names. Checking its signature costs a few hundred microseconds,
        more than the rest of a sync request, so a token that passed is remembered (these exact
        bytes, under this process's one key: the same answer) until its ``exp``; a refused one
        is checked again each time."""
        if self.public_key is None:
            raise forbidden("JWT authentication is not configured")
        with self._lock:
            known = self._verified.get(token)
            if known is not None:
                self._verified.move_to_end(token)
        if known is not None and time.time() <= known[1] + LEEWAY_SECONDS:
            return known[0]
        principal, expires = self._verify(token)  # an expired one is refused here
        with self._lock:
            self._verified[token] = (principal, expires)
            if len(self._verified) > VERIFIED_TOKENS:
                self._verified.popitem(last=False)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        """The caller a token names and its ``exp``, after checking both (403 if refused)."""
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in self.algorithms:
                raise forbidden(f"JWT algorithm {str(header.get('alg'))[:10]!r} is not allowed")
            claims = jwt.decode(
                token,
                self.public_key,
                algorithms=self.algorithms,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "document_id", "permissions"]},
            )
        except jwt.ExpiredSignatureError:
            raise forbidden("Invalid `exp` claim in JWT: Expiration time is in the past") from None
        except jwt.ImmatureSignatureError:
            raise forbidden("Invalid `nbf` claim in JWT: the token is not valid yet") from None
        except jwt.MissingRequiredClaimError as exc:
            raise forbidden(f"JWT lacks the `{exc.claim}` claim") from None
        except jwt.InvalidSignatureError:
            raise forbidden("invalid JWT signature") from None
        except jwt.InvalidTokenError as exc:
            raise forbidden(f"invalid JWT: {str(exc)[:80]}") from None
        return principal_from_claims(claims), float(claims["exp"])


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    """The client a verified token describes; 403 for claims of the wrong shape."""
    document_id = claims.get("document_id")
    if not isinstance(document_id, str) or not document_id:
        raise forbidden("Invalid `document_id` claim in JWT")
    raw = claims.get("permissions")
    raw = [raw] if isinstance(raw, str) else raw
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise forbidden("Invalid `permissions` claim in JWT: expected a list of strings")
    permissions = PERMISSIONS if "all" in raw else frozenset(raw) & PERMISSIONS
    user_id = claims.get("user_id")
    if user_id is not None and not isinstance(user_id, str):
        raise forbidden("Invalid `user_id` claim in JWT")
    return Principal(False, document_id, _layers(claims), permissions, user_id)


def _layers(claims: dict[str, Any]) -> frozenset[str] | None:
    """The layers a token grants: ``layer`` (default ``""``) plus our ``layers`` extension."""
    granted: set[str] = set()
    try:
        if "layer" in claims:
            granted.add(check_name(claims["layer"]))
        if "layers" in claims:
            extra = claims["layers"]
            if not isinstance(extra, list):
                raise BadRequest("`layers` must be a list")
            if ALL_LAYERS in extra:
                return None
            granted.update(check_name(name) for name in extra)
    except BadRequest as exc:
        raise forbidden(f"Invalid layer claim in JWT: {exc}") from None
    if "layer" not in claims and "layers" not in claims:
        granted.add("")
    return frozenset(granted)


def _load_key(config: ServerConfig) -> tuple[Any, list[str]]:
    """The public key and the algorithms it can verify (RS* for RSA, ES* for EC)."""
    assert config.jwt_public_key is not None
    try:
        key = load_pem_public_key(config.jwt_public_key.encode())
    except ValueError as exc:
        raise ConfigError(f"JWT_PUBLIC_KEY is not a readable PEM public key: {exc}") from exc
    if isinstance(key, rsa.RSAPublicKey):
        family = "RS"
    elif isinstance(key, ec.EllipticCurvePublicKey):
        family = "ES"
    else:
        raise ConfigError("JWT_PUBLIC_KEY must be an RSA or EC key")
    usable = [alg for alg in config.algorithms if alg.startswith(family)]
    if not usable:
        raise ConfigError(f"JWT_ALGORITHM {config.jwt_algorithm} does not fit the {family} key")
    return key, usable
