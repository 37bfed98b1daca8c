"""Real server processes, a fault-injecting HTTP proxy, and client replicas for the sync tests."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from reviewer_app.engine import LayerEngine
from reviewer_app.engine.db import Connection, open_store
from reviewer_app.engine.layer_engine import DATABASE_NAME
from reviewer_app.instant.records import canonical_json
from reviewer_app.server.tokens import TokenRequest, issue_token, keygen
from reviewer_app.sync import Retry, SyncClient, SyncSession
from tests.conftest import store_args
from tests.server.conftest import SECRET, make_pdf, start_server, stop_server

FAST = Retry(attempts=4, backoff=0.05, max_delay=0.2)


@dataclass
class LiveServer:
    """A server process on 127.0.0.1 that a test may stop and start again on the same data."""

    root: Path
    args: tuple[str, ...] = ()
    url: str = ""
    proc: Any = None
    private_key: bytes = b""

    def start(self) -> None:
        env = {"API_AUTH_TOKEN": SECRET}
        self.proc, self.url = start_server(self.root / "data", *self.args, env=env)

    def stop(self) -> None:
        if self.proc is not None:
            stop_server(self.proc)
            self.proc = None

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    @property
    def database(self) -> str | Path:
        """The server's layer database: its ``--database`` URL, else its SQLite file."""
        if "--database" in self.args:
            return self.args[self.args.index("--database") + 1]
        return self.root / "data" / DATABASE_NAME

    @contextmanager
    def store(self) -> Iterator[Connection]:
        """A transaction on the server's layer database, as another program would write it."""
        opened = open_store(self.database)
        try:
            with opened.atomic() as conn:
                yield conn
        finally:
            opened.close()

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f'Token token="{SECRET}"', **kwargs.pop("headers", {})}
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def upload(self, pdf: bytes | None = None) -> str:
        """Upload ``pdf`` (a small PDF made for the test by default); its document id."""
        answer = self.call(
            "POST",
            "/api/documents",
            data=pdf or make_pdf(),
            headers={"Content-Type": "application/pdf"},
        )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["data"]["document_id"])

    def token(self, document_id: str, **claims: Any) -> str:
        request = TokenRequest(document_id, ["all"], expires_in=3600, **claims)
        return issue_token(request, self.private_key)

    def records(self, document_id: str, layer: str) -> set[tuple[str, str]]:
        """(id, canonical content) of every annotation and bookmark the server's layer shows."""
        base = f"/api/documents/{document_id}/layers/{layer}"
        lines = self.call("GET", base + "/annotations", headers={"Accept": "application/x-ndjson"})
        import json

        found = [json.loads(line) for line in lines.text.splitlines() if line.strip()]
        found += self.call("GET", base + "/bookmarks").json()["data"]["bookmarks"]
        return {(r["id"], canonical_json(_strip(r["content"]))) for r in found}

    def layers(self, document_id: str) -> set[str]:
        return set(self.call("GET", f"/api/documents/{document_id}/layers").json()["data"])


def _strip(content: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in content.items() if k != "id"}


def local_records(engine: LayerEngine, document_id: str, layer: str) -> set[tuple[str, str]]:
    shown = engine.records(document_id, layer)
    return {(r.id, canonical_json(_strip(r.content))) for r in shown if r.kind != "formFieldValue"}


def _server(root: Path, *args: str) -> Iterator[LiveServer]:
    private, _public = keygen(root / "keys", "ES256")
    live = LiveServer(root, ("--jwt-public-key", str(_public), *args))
    live.private_key = private.read_bytes()
    live.start()
    yield live
    live.stop()


def running(live: LiveServer) -> LiveServer:
    """``live``, started again if a test before stopped or killed it (each test uploads its
    own documents: a server shared by a module's tests costs one start, not one a test)."""
    if live.proc is None or live.proc.poll() is not None:
        live.proc = None
        live.start()
    return live


@pytest.fixture(scope="module")
def module_server(
    tmp_path_factory: pytest.TempPathFactory, store: str, request: pytest.FixtureRequest
) -> Iterator[LiveServer]:
    yield from _server(tmp_path_factory.mktemp("server"), *store_args(store, request))


@pytest.fixture
def server(module_server: LiveServer) -> LiveServer:
    return running(module_server)


@pytest.fixture(scope="module")
def module_plain_server(
    tmp_path_factory: pytest.TempPathFactory, store: str, request: pytest.FixtureRequest
) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("plain-server")
    yield from _server(root, "--no-sync-extension", *store_args(store, request))


@pytest.fixture
def plain_server(module_plain_server: LiveServer) -> LiveServer:
    return running(module_plain_server)


@dataclass
class Proxy:
    """An HTTP proxy between a client and the server that can fail on purpose: answer 503
    (``fail_next``), or pass a matching request to the server and then drop the connection
    before the answer (``drop_next``), calling ``on_drop`` first (e.g. to kill the server)."""

    upstream: str
    fail_next: int = 0
    drop_next: int = 0
    drop_match: str = "/push"
    on_drop: Callable[[], None] | None = None
    seen: list[str] = field(default_factory=list)
    url: str = ""
    httpd: Any = None


def _handler(proxy: Proxy) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            proxy.seen.append(f"{self.command} {self.path}")
            if proxy.fail_next > 0:
                proxy.fail_next -= 1
                self._answer(503, b'{"details": "injected", "status": 503}', "application/json")
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host",)}
            try:
                answer = requests.request(
                    self.command, proxy.upstream + self.path, data=body, headers=headers, timeout=30
                )
            except requests.ConnectionError:
                self.close_connection = True
                return  # the server is down: the client sees a dropped connection
            if proxy.drop_next > 0 and proxy.drop_match in self.path:
                proxy.drop_next -= 1
                if proxy.on_drop is not None:
                    proxy.on_drop()
                self.close_connection = True
                return
            kind = answer.headers.get("Content-Type", "application/octet-stream")
            self._answer(answer.status_code, answer.content, kind)

        def _answer(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = _any

    return Handler


@pytest.fixture
def proxy(server: LiveServer) -> Iterator[Proxy]:
    yield from run_proxy(server.url)


def run_proxy(upstream: str) -> Iterator[Proxy]:
    """A :class:`Proxy` to ``upstream`` on 127.0.0.1, for the time of a fixture."""
    made = Proxy(upstream)
    made.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(made))
    made.httpd.daemon_threads = True
    made.url = f"http://127.0.0.1:{made.httpd.server_address[1]}"
    thread = threading.Thread(target=made.httpd.serve_forever, daemon=True)
    thread.start()
    yield made
    made.httpd.shutdown()
    made.httpd.server_close()
    thread.join(timeout=10)


@dataclass
class Replica:
    """One client machine: its own data folder, engine, client and sync session."""

    engine: LayerEngine
    session: SyncSession

    @property
    def doc(self) -> str:
        return self.session.document_id


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[Callable[..., Replica]]:
    made: list[Replica] = []

    def make(name: str, url: str, token: str, document_id: str = "") -> Replica:
        engine = LayerEngine(tmp_path / "clients" / name)
        client = SyncClient(url, token, retry=FAST, timeout=(2.0, 20.0))
        replica = Replica(engine, SyncSession.open(engine, client, document_id))
        made.append(replica)
        return replica

    yield make
    for replica in made:
        replica.session.client.close()
        replica.engine.close()


def teachers_replicas(
    server: LiveServer, replicas: Callable[..., Replica], document_id: str
) -> tuple[Replica, Replica, Replica]:
    """A teacher's two replicas ("home" and "school", user t) and a co-teacher's
    ("colleague", user c), each with a token for every layer of the document."""

    def teacher(name: str, user: str) -> Replica:
        token = server.token(document_id, layers=["*"], user_id=user)
        return replicas(name, server.url, token, document_id)

    return teacher("home", "t"), teacher("school", "t"), teacher("colleague", "c")
