"""``reviewer-server``'s commands: serve the layer API, issue client tokens, make a signing key
pair (run by :mod:`reviewer_app.server.cli`, the light entry point)."""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reviewer_app.engine import EngineError
from reviewer_app.engine.layers import check_name
from reviewer_app.server.auth import ALL_LAYERS, PERMISSIONS
from reviewer_app.server.config import (
    ALGORITHMS,
    DEFAULT_PORT,
    ConfigError,
    default_data_dir,
    from_environment,
)
from reviewer_app.server.storage import storage_problem
from reviewer_app.server.store_commands import add_commands
from reviewer_app.server.tokens import TokenRequest, issue_token, keygen, parse_duration
from reviewer_app.server.workers import check_workers, run_workers

READY_LINE = "Reviewer server listening on {url}"


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from reviewer_app.server.app import create_app

    config = from_environment(
        os.environ,
        data_dir=Path(args.data_dir) if args.data_dir else default_data_dir(),
        jwt_public_key_file=Path(args.jwt_public_key) if args.jwt_public_key else None,
        api_token_file=Path(args.api_auth_token_file) if args.api_auth_token_file else None,
        no_sync_extension=args.no_sync_extension,
        insecure_no_auth=args.insecure_no_auth,
        storage=args.storage,
        database=args.database,
        pool_size=args.pool_size,
        storage_cache_size=args.storage_cache_size,
    )
    config.check(args.host)
    if config.storage and (problem := storage_problem(config.storage)) is not None:
        raise ConfigError(problem)
    workers = check_workers(args.workers, os.environ)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on such sockets (without it, every
    # kept-alive request waited ~40 ms for a delayed ACK)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        raise ConfigError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from exc
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if family == socket.AF_INET6 else args.host
    url = f"http://{host}:{port}"
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if not self.should_exit:  # published once the app is ready to answer
                print(READY_LINE.format(url=url), flush=True)

    options: dict[str, Any] = {
        "log_level": "warning",
        "access_log": False,
        "timeout_graceful_shutdown": 10,
    }
    if workers > 1:
        run_workers(
            config, sock, workers, lambda: print(READY_LINE.format(url=url), flush=True), options
        )
        return 0
    server = Server(uvicorn.Config(create_app(config), **options))
    server.run(sockets=[sock])
    return 0


def cmd_issue_token(args: argparse.Namespace) -> int:
    permissions = [p.strip() for p in args.permissions.split(",") if p.strip()]
    layers = None if args.layers is None else [n for n in args.layers.split(",") if n]
    check_grants(permissions, [args.layer] if args.layer is not None else [], layers or [])
    request = TokenRequest(
        document_id=args.document,
        permissions=permissions,
        layer=args.layer,
        layers=layers,
        user_id=args.user_id,
        expires_in=parse_duration(args.expires),
    )
    try:
        pem = Path(args.private_key).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {args.private_key}: {exc.strerror or exc}") from exc
    print(issue_token(request, pem, args.algorithm))
    return 0


def check_grants(permissions: list[str], layer: list[str], layers: list[str]) -> None:
    """ConfigError for a token the server would refuse or read otherwise than meant: a
    permission it does not know (it ignores those), a layer name no layer can have."""
    unknown = [p for p in permissions if p not in PERMISSIONS and p != "all"]
    if unknown:
        known = ", ".join(sorted(PERMISSIONS))
        said = f"unknown permission{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}"
        raise ConfigError(f"{said}: use {known}, or all")
    for name in [*layer, *(n for n in layers if n != ALL_LAYERS)]:
        try:
            check_name(name)
        except EngineError as exc:
            raise ConfigError(str(exc)) from exc


def cmd_keygen(args: argparse.Namespace) -> int:
    private, public = keygen(Path(args.out), args.algorithm)
    print(f"private key (keep it on your backend): {private}")
    print(f"public key (give it to the server as --jwt-public-key): {public}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reviewer-server", description="The shared layer server of Reviewer."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("serve", help="serve the layer API (binds 127.0.0.1 unless told)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port; 0 picks a free one")
    p.add_argument("--data-dir", help="where documents and layers live")
    p.add_argument("--jwt-public-key", metavar="FILE", help="PEM public key for client JWTs")
    p.add_argument("--api-auth-token-file", metavar="FILE", help="file holding API_AUTH_TOKEN")
    p.add_argument("--no-sync-extension", action="store_true", help="serve only the DE API")
    p.add_argument(
        "--insecure-no-auth", action="store_true", help="no authentication (loopback only)"
    )
    p.add_argument(
        "--database",
        metavar="URL",
        help="postgresql://… (default: DATABASE_URL, else a SQLite file in the data folder)",
    )
    p.add_argument(
        "--pool-size",
        type=int,
        metavar="N",
        help="PostgreSQL connections per worker process, at most (default 8, or "
        "DATABASE_POOL_SIZE); workers x N x servers must stay under the database's "
        "max_connections",
    )
    p.add_argument(
        "--storage",
        metavar="WHERE",
        help="PDFs and pictures: a folder, or s3://bucket/prefix (default: the data folder)",
    )
    p.add_argument(
        "--storage-cache-size",
        metavar="SIZE",
        help="with s3:// storage: local copies of PDFs to keep, e.g. 2GB (the default, or "
        "REVIEWER_STORAGE_CACHE_SIZE); the least recently used go first",
    )
    p.add_argument(
        "--workers",
        type=int,
        help="worker processes (uvicorn's; default 1, or REVIEWER_SERVER_WORKERS)",
    )
    p.set_defaults(run=cmd_serve)
    p = sub.add_parser("issue-token", help="sign a client JWT for one document")
    p.add_argument("--document", required=True, help="document id")
    p.add_argument("--layer", help="the layer the token is for (default: the default layer)")
    p.add_argument("--layers", help="extension: comma-separated layers, or * for all")
    p.add_argument("--permissions", default="read-document", help="e.g. read-document,write")
    p.add_argument("--expires", default="1h", help="lifetime, e.g. 30m, 1h, 7d (default 1h)")
    p.add_argument("--user-id", help="stored as createdBy/updatedBy on what the user changes")
    p.add_argument("--private-key", required=True, metavar="FILE", help="PEM private key")
    p.add_argument("--algorithm", choices=ALGORITHMS, help="default: from the key")
    p.set_defaults(run=cmd_issue_token)
    p = sub.add_parser("keygen", help="write a JWT signing key pair as PEM files")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the two PEM files")
    p.add_argument("--algorithm", choices=ALGORITHMS, default="ES256", help="default ES256")
    p.set_defaults(run=cmd_keygen)
    add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except (ConfigError, EngineError) as exc:
        print(f"reviewer-server: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code
