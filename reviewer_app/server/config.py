"""Server configuration: data folder, secrets, JWT key, limits; read from flags and environment."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ALGORITHMS = ("RS256", "RS512", "ES256", "ES512")
"""The only JWT algorithms accepted (asymmetric, as Document Engine); never HS*, never none."""

DEFAULT_MAX_UPLOAD = 200 * 1000 * 1000
DEFAULT_MAX_BODY = 20 * 1000 * 1000
DEFAULT_PORT = 5000
DEFAULT_HEAVY_PER_TOKEN = 2
DEFAULT_HEAVY_QUEUE = 16
DEFAULT_CACHE_SIZE = 2 * 1000 * 1000 * 1000

_SIZE = re.compile(r"\s*(\d+)\s*(|b|kb|mb|gb|kib|mib|gib)\s*", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9}
_UNITS |= {"kib": 2**10, "mib": 2**20, "gib": 2**30}


class ConfigError(Exception):
    """The configuration cannot run a server; the message says what to fix."""


def parse_size(text: str) -> int:
    """``"200MB"``, ``"1048576"`` or ``"5 MiB"`` as a number of bytes."""
    match = _SIZE.fullmatch(text)
    if match is None:
        raise ConfigError(f"not a size: {text!r} (write e.g. 200MB or 1048576)")
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServerConfig:
    """Everything the server needs: where data lives, how callers prove who they are
    (``api_token`` for servers, ``jwt_public_key`` for clients), and the limits."""

    data_dir: Path
    api_token: str | None = None
    jwt_public_key: str | None = None
    jwt_algorithm: str | None = None
    max_upload_size: int = DEFAULT_MAX_UPLOAD
    max_body_size: int = DEFAULT_MAX_BODY
    sync_extension: bool = True
    insecure_no_auth: bool = False
    heavy_per_token: int = DEFAULT_HEAVY_PER_TOKEN
    heavy_running: int = field(default_factory=lambda: max(1, (os.cpu_count() or 2) - 1))
    heavy_queue: int = DEFAULT_HEAVY_QUEUE
    """Heavy requests (layer PDFs; uploads apart): per client token, running at once (a core
    is left to the light routes), waiting."""
    database: str | None = None
    """A ``postgresql://`` URL (``DATABASE_URL``, ``--database``); None: the SQLite file in
    ``data_dir``."""
    storage: str | None = None
    """Where PDFs and pictures live: a folder or ``s3://bucket/prefix`` (None: the data folder)."""
    storage_cache_size: int = DEFAULT_CACHE_SIZE
    """Bytes of local copies of an object store's PDFs kept in ``storage-cache/``
    (``REVIEWER_STORAGE_CACHE_SIZE``, ``--storage-cache-size``), the least recently used out
    first."""
    pool_size: int | None = None
    """PostgreSQL connections each server process keeps at most (``DATABASE_POOL_SIZE``,
    ``--pool-size``; None: the engine's default, 8)."""

    @property
    def algorithms(self) -> list[str]:
        """The algorithms a client JWT may use (the configured one, or all four)."""
        return [self.jwt_algorithm] if self.jwt_algorithm else list(ALGORITHMS)

    def check(self, host: str) -> None:
        """ConfigError unless this configuration is safe to serve on ``host``."""
        if self.jwt_algorithm is not None and self.jwt_algorithm not in ALGORITHMS:
            raise ConfigError(
                f"JWT_ALGORITHM {self.jwt_algorithm!r} is not allowed; use one of "
                + ", ".join(ALGORITHMS)
            )
        if self.api_token is not None and len(self.api_token) < 16:
            raise ConfigError("API_AUTH_TOKEN is too short: use at least 16 random characters")
        if self.jwt_public_key is not None and "PUBLIC KEY" not in self.jwt_public_key:
            raise ConfigError(
                "JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)"
            )
        check_database(self.database)
        if self.api_token is None and self.jwt_public_key is None:
            if not self.insecure_no_auth:
                raise ConfigError(
                    "no authentication configured: set API_AUTH_TOKEN and/or JWT_PUBLIC_KEY "
                    "(or --jwt-public-key FILE), or pass --insecure-no-auth for a local test server"
                )
            if not is_loopback(host):
                raise ConfigError("--insecure-no-auth only binds a loopback address (127.0.0.1)")


def check_database(url: str | None) -> None:
    """ConfigError unless ``url`` is None or names a PostgreSQL database or a SQLite file."""
    if url is not None and not url.startswith(("postgresql://", "postgres://", "sqlite:///")):
        raise ConfigError(
            f"--database/DATABASE_URL {url[:60]!r} is not a database URL: give "
            "postgresql://user:password@host:port/name (or sqlite:///path/to/layers.sqlite3)"
        )


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")


def from_environment(
    env: Mapping[str, str],
    *,
    data_dir: Path,
    jwt_public_key_file: Path | None = None,
    api_token_file: Path | None = None,
    no_sync_extension: bool = False,
    insecure_no_auth: bool = False,
    storage: str | None = None,
    database: str | None = None,
    pool_size: int | None = None,
    storage_cache_size: str | None = None,
) -> ServerConfig:
    """The configuration from environment variables, overridden by the given flags."""
    token = env.get("API_AUTH_TOKEN") or None
    if api_token_file is not None:
        token = _read(api_token_file).strip()
    key = env.get("JWT_PUBLIC_KEY") or None
    if jwt_public_key_file is not None:
        key = _read(jwt_public_key_file)
    return ServerConfig(
        data_dir=data_dir,
        api_token=token,
        jwt_public_key=key.replace("\\n", "\n") if key else None,
        jwt_algorithm=(env.get("JWT_ALGORITHM") or "").strip().upper() or None,
        max_upload_size=parse_size(env.get("MAX_UPLOAD_SIZE") or str(DEFAULT_MAX_UPLOAD)),
        max_body_size=parse_size(env.get("MAX_BODY_SIZE") or str(DEFAULT_MAX_BODY)),
        sync_extension=not no_sync_extension and _flag(env, "REVIEWER_SYNC_EXTENSION", True),
        insecure_no_auth=insecure_no_auth,
        database=database or env.get("DATABASE_URL") or None,
        storage=storage or env.get("REVIEWER_STORAGE") or None,
        pool_size=_pool_size(pool_size, env),
        storage_cache_size=parse_size(
            storage_cache_size or env.get("REVIEWER_STORAGE_CACHE_SIZE") or str(DEFAULT_CACHE_SIZE)
        ),
        **_heavy_limits(env),
    )


MAX_POOL_SIZE = 1000


def _pool_size(flag: int | None, env: Mapping[str, str]) -> int | None:
    """``--pool-size``, else ``DATABASE_POOL_SIZE``, checked; None: neither was given."""
    text = str(flag) if flag is not None else (env.get("DATABASE_POOL_SIZE") or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_POOL_SIZE:
        source = "--pool-size" if flag is not None else "DATABASE_POOL_SIZE"
        raise ConfigError(
            f"{source} must be a whole number of connections from 1 to {MAX_POOL_SIZE}, "
            f"not {text!r}"
        )
    return int(text)


HEAVY_VARIABLES = {
    "HEAVY_PER_TOKEN": "heavy_per_token",
    "HEAVY_RUNNING": "heavy_running",
    "HEAVY_QUEUE": "heavy_queue",
}


def _heavy_limits(env: Mapping[str, str]) -> dict[str, int]:
    limits: dict[str, int] = {}
    for variable, name in HEAVY_VARIABLES.items():
        text = (env.get(variable) or "").strip()
        if not text:
            continue
        if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= 10_000:
            raise ConfigError(f"{variable} must be a whole number from 1 to 10000, not {text!r}")
        limits[name] = int(text)
    return limits


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc


def default_data_dir(env: Mapping[str, str] = os.environ) -> Path:
    """``REVIEWER_SERVER_DATA_DIR``, else a folder in the user's data directory."""
    if env.get("REVIEWER_SERVER_DATA_DIR"):
        return Path(env["REVIEWER_SERVER_DATA_DIR"])
    import platformdirs

    return Path(platformdirs.user_data_dir("reviewer-server", appauthor=False))
