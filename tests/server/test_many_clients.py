"""A district's morning: two ``serve`` processes on different ports over one PostgreSQL
database and one storage folder (each with its own data folder), 300 clients each pushing and
pulling its own layer through either server at random, and a teacher's token writing into
all of their layers at the same time. Afterwards every acknowledged change is on the server
exactly once, each layer's revisions have no gap or repeat, and every client's replica (built
only from the changes it pulled) equals what the server lists."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from reviewer_app.server.tokens import TokenRequest, issue_token, keygen
from tests.postgres import Cluster
from tests.server.conftest import SECRET, make_pdf, note, start_server, stop_server

CLIENTS = 300
ROUNDS = 3
"""Pushes per client: each a new note, and from the second on a change of its previous one."""
TEACHER_THREADS = 4
ATTEMPTS = 20
"""Tries of one request (a refused connection or a 503 is retried with the same key)."""

pytestmark = pytest.mark.slow


@dataclass
class District:
    urls: tuple[str, str]
    document: str
    private_key: bytes

    def token(self, **claims: Any) -> str:
        request = TokenRequest(self.document, ["all"], expires_in=3600, **claims)
        return issue_token(request, self.private_key)


@pytest.fixture
def district(pg_cluster: Cluster, tmp_path: Path) -> Iterator[District]:
    private, public = keygen(tmp_path / "keys", "ES256")
    database = pg_cluster.database("district")
    args = ("--database", database, "--storage", str(tmp_path / "storage"))
    args += ("--jwt-public-key", str(public))
    env = {"API_AUTH_TOKEN": SECRET}
    first, first_url = start_server(tmp_path / "data-1", *args, env=env)
    try:
        second, second_url = start_server(tmp_path / "data-2", *args, env=env)
        try:
            made = requests.post(
                f"{first_url}/api/documents",
                data=make_pdf(),
                headers={
                    "Authorization": f'Token token="{SECRET}"',
                    "Content-Type": "application/pdf",
                },
                timeout=60,
            )
            assert made.status_code == 200, made.text
            document = made.json()["data"]["document_id"]
            yield District((first_url, second_url), document, private.read_bytes())
        finally:
            stop_server(second)
    finally:
        stop_server(first)


@dataclass
class Client:
    """One client: its session, token, random choice of server, and its replica of its layer
    (record id → (text, revision)), kept from the changes it pulled."""

    district: District
    layer: str
    token: str
    rng: random.Random
    session: requests.Session = field(default_factory=requests.Session)
    replica: dict[str, tuple[str, int]] = field(default_factory=dict)
    since: int = 0

    def path(self, layer: str | None = None) -> str:
        return f"/api/documents/{self.district.document}/layers/{layer or self.layer}"

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """The answer's data, through either server (chosen at random on every try)."""
        headers = {"Authorization": f"Bearer {self.token}"}
        for _ in range(ATTEMPTS):
            url = self.rng.choice(self.district.urls) + path
            try:
                answer = self.session.request(method, url, headers=headers, timeout=120, **kwargs)
            except requests.ConnectionError:
                continue
            if answer.status_code == 503:
                continue
            assert answer.status_code == 200, answer.text
            return answer.json()["data"]
        raise AssertionError(f"{method} {path} failed {ATTEMPTS} times")

    def push(self, key: str, changes: list[dict[str, Any]], layer: str | None = None) -> Any:
        body = {"idempotency_key": key, "changes": changes}
        return self.call("POST", f"{self.path(layer)}/push", json=body)

    def pull(self) -> None:
        feed = self.call("GET", f"{self.path()}/changes", params={"since": self.since})
        for record in feed["upserted"]:
            self.replica[record["id"]] = (record["content"]["text"]["value"], record["revision"])
        for gone in feed["deleted"]:
            self.replica.pop(gone["id"], None)
        self.since = feed["revision"]


def change(rid: str, base: int, text: str) -> dict[str, Any]:
    return {"kind": "annotation", "id": rid, "base_revision": base, "content": note(0, 5, text)}


def test_300_clients_and_a_teacher_over_two_servers_on_one_postgresql(
    district: District,
) -> None:
    lock = threading.Lock()
    answers: dict[str, list[tuple[str, Any]]] = {f"s{n}": [] for n in range(CLIENTS)}
    """Per layer: (idempotency key, the push's acknowledged answer)."""
    start = threading.Barrier(CLIENTS + TEACHER_THREADS)

    def student(number: int) -> Client:
        layer = f"s{number}"
        client = Client(
            district, layer, district.token(layer=layer, user_id=layer), random.Random(number)
        )
        start.wait(timeout=120)
        for round_ in range(ROUNDS):
            changes = [change(f"{layer}-r{round_}", 0, f"{layer} note {round_}")]
            if round_ > 0:  # change the previous note, on the revision it was pulled with
                previous = f"{layer}-r{round_ - 1}"
                base = client.replica[previous][1]
                changes.append(change(previous, base, f"{layer} note {round_ - 1} changed"))
            key = f"{layer}-{round_}"
            data = client.push(key, changes)
            with lock:
                answers[layer].append((key, data))
            client.pull()
        return client

    def teacher(part: int) -> None:
        client = Client(
            district, "", district.token(layers=["*"], user_id="teacher"), random.Random(-1 - part)
        )
        start.wait(timeout=120)
        for number in range(part, CLIENTS, TEACHER_THREADS):
            layer = f"s{number}"
            key = f"teacher-{layer}"
            data = client.push(key, [change(f"t-{layer}", 0, f"teacher on {layer}")], layer)
            with lock:
                answers[layer].append((key, data))
        client.session.close()

    with ThreadPoolExecutor(CLIENTS + TEACHER_THREADS) as pool:
        teachers = [pool.submit(teacher, part) for part in range(TEACHER_THREADS)]
        students = [pool.submit(student, number) for number in range(CLIENTS)]
        for done in teachers:
            done.result()
        clients = [done.result() for done in students]

    listing = {"Authorization": f'Token token="{SECRET}"', "Accept": "application/x-ndjson"}
    for number, client in enumerate(clients):
        layer = client.layer
        pushes = answers[layer]
        assert len(pushes) == ROUNDS + 1
        assert len({key for key, _ in pushes}) == ROUNDS + 1
        for key, data in pushes:
            assert data["conflicts"] == [] and data["rejected"] == [], (key, data)
        revisions = sorted(data["revision"] for _, data in pushes)
        assert revisions == list(range(1, ROUNDS + 2))  # one each: no gap, no repeat
        expected = {f"{layer}-r{r}": f"{layer} note {r} changed" for r in range(ROUNDS - 1)}
        expected[f"{layer}-r{ROUNDS - 1}"] = f"{layer} note {ROUNDS - 1}"
        expected[f"t-{layer}"] = f"teacher on {layer}"
        url = district.urls[number % 2] + client.path()
        lines = requests.get(f"{url}/annotations", headers=listing, timeout=60).text.splitlines()
        records = [json.loads(line) for line in lines if line.strip()]
        written = [
            r for r in records if r["id"] in expected or r["id"].startswith((f"{layer}-", "t-"))
        ]
        assert sorted(r["id"] for r in written) == sorted(expected)  # each exactly once
        assert {r["id"]: r["content"]["text"]["value"] for r in written} == expected
        client.pull()  # the replica catches up with what the teacher wrote last
        assert client.since == ROUNDS + 1
        assert {rid: text for rid, (text, _) in client.replica.items()} == expected
        client.session.close()
    applied = [pushes_applied(url) for url in district.urls]
    assert min(applied) > 0  # both servers took pushes
    assert sum(applied) == CLIENTS * (ROUNDS + 1)  # each applied once, by one of them


def pushes_applied(url: str) -> int:
    """The server's count of applied pushes, from its /metrics."""
    text = requests.get(f"{url}/metrics", timeout=60).text
    for line in text.splitlines():
        if line.startswith('reviewer_sync_pushes_total{outcome="applied"}'):
            return int(float(line.split()[-1]))
    return 0
