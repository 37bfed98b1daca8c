"""Two ``serve`` processes over one database (a SQLite file in WAL, and PostgreSQL) and one
storage folder, behind the nginx configuration of packaging/nginx.conf (its upstreams pointed
at them), all real processes on 127.0.0.1: clients syncing through the proxy go on through the
other server when one is killed mid-push, and every acknowledged change is there exactly once
afterwards."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.conftest import store_args
from tests.server.conftest import SECRET, make_pdf, note, start_server, stop_server

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
AUTH = {"Authorization": f'Token token="{SECRET}"'}
CLIENTS = 4
PUSHES = 30
KILL_AFTER = 20
"""Acknowledged pushes (of all clients) after which the first server is killed."""
STARTUP_SECONDS = 60

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None, reason="nginx is not installed (make test installs it as root)"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def proxy_config(packaged: str, listen: int, upstreams: list[str], prefix: Path) -> str:
    """packaging/nginx.conf with its upstreams and port set for this machine, and its files
    (pid, logs, temporary bodies) in ``prefix``."""
    text = packaged
    for name, upstream in zip(("server-1:5000", "server-2:5000"), upstreams, strict=True):
        assert f"server {name} " in text
        text = text.replace(f"server {name} ", f"server {upstream} ")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    files = (
        f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n" if "pid " not in text else ""
    )
    temp = "".join(
        f"    {kind}_temp_path {prefix}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = text.replace("http {\n", f"http {{\n    access_log off;\n{temp}", 1)
    return files + text


@dataclass
class Cluster:
    url: str
    servers: list[subprocess.Popen[str]]


@pytest.fixture
def cluster(tmp_path: Path, store: str, request: pytest.FixtureRequest) -> Iterator[Cluster]:
    env = {"API_AUTH_TOKEN": SECRET}
    storage = ("--storage", str(tmp_path / "storage"), *store_args(store, request))
    servers = []
    proxy = None
    try:
        for _ in range(2):
            servers.append(start_server(tmp_path / "data", *storage, env=env))
        listen = free_port()
        upstreams = [url.removeprefix("http://") for _, url in servers]
        packaged = (PACKAGING / "nginx.conf").read_text()
        conf = tmp_path / "nginx.conf"
        conf.write_text(proxy_config(packaged, listen, upstreams, tmp_path))
        proxy = subprocess.Popen(
            ["nginx", "-c", str(conf), "-p", str(tmp_path), "-g", "daemon off;"],
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{listen}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:  # until nginx answers (a startup limit, not a measured time)
            try:
                if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert proxy.poll() is None, "nginx exited (see its error.log)"
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)
        yield Cluster(url, [proc for proc, _ in servers])
    finally:
        if proxy is not None:
            proxy.send_signal(signal.SIGQUIT)  # nginx's graceful stop
            proxy.wait(timeout=30)
        for proc, _ in servers:
            if proc.poll() is None:
                stop_server(proc)


def push_until_acknowledged(
    session: requests.Session, layer: str, body: dict[str, object]
) -> dict[str, object]:
    """Send the push until a server acknowledges it: a server killed mid-push answers
    nothing, cuts its answer short, or nginx answers 502; the retry carries the same
    idempotency key."""
    while True:
        try:
            answer = session.post(f"{layer}/push", json=body, headers=AUTH, timeout=60)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            continue  # the answer's body cut when the server died: seen once under load
        if answer.status_code in (502, 503, 504):
            continue
        assert answer.status_code == 200, answer.text
        data: dict[str, object] = answer.json()["data"]
        return data


def test_clients_go_on_through_the_other_server_when_one_is_killed_mid_push(
    cluster: Cluster,
) -> None:
    headers = {**AUTH, "Content-Type": "application/pdf"}
    made = requests.post(
        f"{cluster.url}/api/documents", data=make_pdf(), headers=headers, timeout=60
    )
    assert made.status_code == 200, made.text
    document = made.json()["data"]["document_id"]
    acknowledged: list[tuple[str, int]] = []
    lock = threading.Lock()
    killed = threading.Event()
    start = threading.Barrier(CLIENTS)

    def client(number: int) -> None:
        layer = f"{cluster.url}/api/documents/{document}/layers/student-{number}"
        with requests.Session() as session:
            start.wait(timeout=60)
            for index in range(PUSHES):
                change = {
                    "kind": "annotation",
                    "id": f"n{index}",
                    "base_revision": 0,
                    "content": note(0, 10 + index, f"student {number} note {index}"),
                }
                body = {"idempotency_key": f"s{number}-{index}", "changes": [change]}
                data = push_until_acknowledged(session, layer, body)
                with lock:
                    acknowledged.append((f"student-{number}/n{index}", int(data["revision"])))  # type: ignore[call-overload]
                    if len(acknowledged) == KILL_AFTER and not killed.is_set():
                        os.kill(cluster.servers[0].pid, signal.SIGKILL)
                        killed.set()

    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [pool.submit(client, n) for n in range(CLIENTS)]:
            future.result()
    assert killed.is_set() and cluster.servers[0].wait(timeout=30) == -signal.SIGKILL
    assert len(acknowledged) == CLIENTS * PUSHES
    for number in range(CLIENTS):  # each layer: every push once, revisions 1..PUSHES
        layer = f"{cluster.url}/api/documents/{document}/layers/student-{number}"
        feed = requests.get(f"{layer}/changes", params={"since": 0}, headers=AUTH, timeout=60)
        data = feed.json()["data"]
        assert data["revision"] == PUSHES
        assert sorted(r["id"] for r in data["upserted"]) == sorted(f"n{i}" for i in range(PUSHES))
        mine = sorted(rev for key, rev in acknowledged if key.startswith(f"student-{number}/"))
        assert mine == list(range(1, PUSHES + 1))
