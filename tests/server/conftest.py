"""A real server process on 127.0.0.1 (random port), keys, tokens and PDFs made by the tests."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf
import pytest
import requests

from reviewer_app.server.process import start_server, stop_server
from reviewer_app.server.tokens import TokenRequest, issue_token, keygen
from tests.conftest import store_args

SECRET = "test-secret-0123456789abcdef"
UPLOAD_LIMIT = 2_000_000
BODY_LIMIT = 3_000_000


def note(page: int, x: float, text: str, **extra: Any) -> dict[str, Any]:
    """A valid v2 note annotation."""
    return {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": page,
        "bbox": [x, 10, 24, 24],
        "text": {"format": "plain", "value": text},
        "icon": "comment",
        "opacity": 1,
        **extra,
    }


def make_pdf(tag: str | None = None, pages: int = 2) -> bytes:
    """A small PDF with one base note on page 1; ``tag`` makes its bytes (and id) unique."""
    doc = pymupdf.open()
    for index in range(pages):
        doc.new_page().insert_text((72, 72), f"{tag or uuid.uuid4().hex} page {index}")
    doc[0].add_text_annot((100, 100), "a base note")
    data: bytes = doc.tobytes()
    doc.close()
    return data


@dataclass
class Server:
    """The running server: its URL, the key that signs client tokens, and helpers."""

    url: str
    private_key: bytes
    public_key: bytes
    session: requests.Session
    data_dir: Path | None = None

    def request(
        self, method: str, path: str, auth: str | None = "server", **kwargs: Any
    ) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        if auth == "server":
            headers["Authorization"] = f'Token token="{SECRET}"'
        elif auth is not None:
            headers["Authorization"] = f"Bearer {auth}"
        return self.session.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def upload(self, data: bytes | None = None) -> str:
        answer = self.request(
            "POST",
            "/api/documents",
            data=data or make_pdf(),
            headers={"Content-Type": "application/pdf"},
        )
        assert answer.status_code == 200, answer.text
        document_id: str = answer.json()["data"]["document_id"]
        return document_id

    def token(self, document_id: str, permissions: list[str], **claims: Any) -> str:
        expires = claims.pop("expires_in", 3600)
        request = TokenRequest(document_id, permissions, expires_in=expires, **claims)
        return issue_token(request, self.private_key)


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, store: str, request: pytest.FixtureRequest
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("server")
    private, public = keygen(root / "keys", "ES256")
    env = {
        "API_AUTH_TOKEN": SECRET,
        "MAX_UPLOAD_SIZE": str(UPLOAD_LIMIT),
        "MAX_BODY_SIZE": str(BODY_LIMIT),
    }
    database = store_args(store, request)
    proc, url = start_server(root / "data", "--jwt-public-key", str(public), *database, env=env)
    with requests.Session() as session:
        yield Server(url, private.read_bytes(), public.read_bytes(), session, root / "data")
    stop_server(proc)


@pytest.fixture
def doc(server: Server) -> str:
    """A fresh document (2 pages, one base note) uploaded by the server token."""
    return server.upload()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned_token(claims: dict[str, Any], header: dict[str, Any]) -> str:
    """A token with the given header and claims and an empty signature (for alg=none)."""
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}."


def server_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``reviewer-server ARGS`` run to its end, with this process's environment less the auth
    settings (a test names the ones it means in ``env``)."""
    inherited = {
        k: v for k, v in os.environ.items() if k not in ("API_AUTH_TOKEN", "JWT_PUBLIC_KEY")
    }
    command = [sys.executable, "-m", "reviewer_app.server.cli", *args]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, env={**inherited, **(env or {})}
    )
