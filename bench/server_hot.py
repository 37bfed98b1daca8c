"""What one sync request costs the layer server, one at a time: the hot sync routes on each store
beside a floor, a bare FastAPI route returning the same bytes, served the same way, in the
same run.

    .venv/bin/python bench/server_hot.py                                 # SQLite only
    .venv/bin/python bench/server_hot.py --database postgresql://...     # and PostgreSQL
    .venv/bin/python bench/on_postgres.py server_hot                     # on a throwaway one

The routes, as a student's app calls them with its own JWT (ES256, the default of
``reviewer-server keygen``): a pull with nothing new (``GET .../changes?since=<revision>``),
a small push (one new note, a new idempotency key), and the layer list that opens every sync.
One client on one keep-alive connection sends ``CALLS`` requests a sample; a sample's figure is
the median request's milliseconds; the setups are measured in turn, sample by sample
(alternated), ``RUNS`` samples each, so that a change in the machine's load falls on all of
them alike. The ratio is each figure over the floor's from the same run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from figures import RUNS, Report  # bench/, on the path when run as a script
from server_scale import SECRET, make_pdf, note

from reviewer_app.server.process import start_server, stop_server
from reviewer_app.server.tokens import TokenRequest, issue_token, keygen

CALLS = 200
FLOOR_APP = """
from fastapi import FastAPI
from fastapi.responses import Response
app = FastAPI()
BODY = open(__import__("os").environ["FLOOR_BODY"], "rb").read()
@app.get("/floor")
def floor() -> Response:
    return Response(BODY, media_type="application/json")
"""


class Client:
    """One keep-alive connection sending a student's requests."""

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: bytes | None = None) -> tuple[float, bytes]:
        begin = time.perf_counter()
        self.conn.request(method, path, body=body, headers=self.headers)
        answer = self.conn.getresponse()
        data = answer.read()
        elapsed = (time.perf_counter() - begin) * 1000
        if answer.status != 200:
            raise RuntimeError(f"{method} {path}: {answer.status} {data[:200]!r}")
        return elapsed, data


class Store:
    """A running server on one store, its document, and one student's client."""

    def __init__(
        self, name: str, root: Path, database: str | None, private: bytes, public: Path
    ) -> None:
        self.name = name
        args = ["--jwt-public-key", str(public)]
        if database:
            args += ["--database", database]
        self.proc, url = start_server(
            root / name, *args, env={"API_AUTH_TOKEN": SECRET}, timeout=120
        )
        made = requests.post(
            f"{url}/api/documents",
            data=make_pdf(),
            headers={"Authorization": f'Token token="{SECRET}"'},
            timeout=60,
        )
        made.raise_for_status()
        self.document_id = made.json()["data"]["document_id"]
        token = issue_token(
            TokenRequest(
                self.document_id, ["read-document", "write"], layers=["student"], expires_in=7200
            ),
            private,
        )
        self.client = Client(url, token)
        self.layer = f"/api/documents/{self.document_id}/layers/student"
        self.pushes = 0
        self.push()  # the layer exists, and has a revision to pull from

    def push(self) -> float:
        self.pushes += 1
        change = {"kind": "annotation", "id": f"n{self.pushes}", "base_revision": 0}
        body = {"idempotency_key": f"{self.name}-{self.pushes}", "changes": [change]}
        change["content"] = note(self.pushes)
        ms, data = self.client.call("POST", f"{self.layer}/push", json.dumps(body).encode())
        self.revision = max(a["revision"] for a in json.loads(data)["data"]["applied"])
        return ms

    def pull(self) -> float:
        return self.client.call("GET", f"{self.layer}/changes?since={self.revision}")[0]

    def listing(self) -> float:
        return self.client.call("GET", f"/api/documents/{self.document_id}/layers")[0]

    def pull_bytes(self) -> bytes:
        self.client.conn.close()  # idle past the keep-alive timeout while others started
        return self.client.call("GET", f"{self.layer}/changes?since={self.revision}")[1]


def start_floor(body: bytes, root: Path) -> tuple[subprocess.Popen[bytes], Client]:
    """The floor: uvicorn serving one FastAPI route (sync def, like ours) with ``body``."""
    (root / "floor_app.py").write_text(FLOOR_APP)
    (root / "floor.json").write_bytes(body)
    port = 18000 + os.getpid() % 1000
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "floor_app:app", "--port", str(port), "--no-access-log"],
        cwd=root,
        env={**os.environ, "FLOOR_BODY": str(root / "floor.json")},
        stderr=subprocess.DEVNULL,
    )
    client = Client(f"http://127.0.0.1:{port}", "x")
    for _ in range(300):
        try:
            client.call("GET", "/floor")
            return proc, client
        except (ConnectionError, OSError):
            client.conn.close()
            time.sleep(0.1)  # a bounded wait for uvicorn's start, not a measured time
    raise RuntimeError("the floor server did not start")


def median_of(client: Client, call: Any) -> float:
    """The median of ``CALLS`` calls, on a new connection (an idle one is closed by the
    server's keep-alive timeout while the other setups are measured) warmed by one call."""
    client.conn.close()
    call()
    return float(statistics.median(call() for _ in range(CALLS)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a PostgreSQL URL (migrated, empty): adds it")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--name", default="server_hot", help="the results file's name")
    args = parser.parse_args(argv)
    report = Report(args.name)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        private, public = keygen(root / "keys", "ES256")
        key = private.read_bytes()
        stores = [Store("sqlite", root, None, key, public)]
        if args.database:
            stores.append(Store("postgresql", root, args.database, key, public))
        floor_proc, floor = start_floor(stores[0].pull_bytes(), root)
        try:
            figures: dict[str, list[float]] = {}
            for _ in range(args.runs):
                figures.setdefault("floor.bare_route", []).append(
                    median_of(floor, lambda: floor.call("GET", "/floor")[0])
                )
                for store in stores:
                    for route, call in (
                        ("pull_nothing_new", store.pull),
                        ("small_push", store.push),
                        ("layer_list", store.listing),
                    ):
                        figures.setdefault(f"{store.name}.{route}", []).append(
                            median_of(store.client, call)
                        )
        finally:
            floor_proc.terminate()
            floor_proc.wait()
            for store in stores:
                stop_server(store.proc)
    for name, values in figures.items():
        report.add(name, values)
    for name in figures:
        if name != "floor.bare_route":
            report.ratio(f"{name}.over_floor", name, "floor.bare_route", "a bare FastAPI route")
    report.facts["load_average"] = os.getloadavg()
    report.save()


if __name__ == "__main__":
    main()
