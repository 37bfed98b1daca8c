"""The PostgreSQL store under real server processes: migrations run once by ``migrate`` and
refused by ``serve`` while pending, and two servers over one database behave as one (revisions
strictly increase per layer, a base revision checked and written in one transaction, an
idempotency key honoured by whichever server sees the retry, one document per PDF)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests

from tests.postgres import Cluster
from tests.server.conftest import SECRET, make_pdf, note, start_server, stop_server
from tests.server.conftest import server_cli as cli

AUTH = {"Authorization": f'Token token="{SECRET}"'}


@dataclass
class Pair:
    """Two server processes on different ports over one database and one data folder."""

    urls: tuple[str, str]
    database: str
    data_dir: Path

    def call(self, which: int, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {**AUTH, **kwargs.pop("headers", {})}
        url = self.urls[which % 2] + path
        return requests.request(method, url, headers=headers, timeout=60, **kwargs)


@pytest.fixture(scope="module")
def pair(pg_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    root = tmp_path_factory.mktemp("two-servers")
    url = pg_cluster.database("pair")
    env = {"API_AUTH_TOKEN": SECRET, "HEAVY_RUNNING": "4"}  # imports at once in each server
    first, first_url = start_server(root / "data", "--database", url, env=env)
    try:
        # the second is told through the environment, as a container would be
        second, second_url = start_server(root / "data", env={**env, "DATABASE_URL": url})
        try:
            yield Pair((first_url, second_url), url, root / "data")
        finally:
            stop_server(second)
    finally:
        stop_server(first)


def upload(pair: Pair, which: int, pdf: bytes) -> str:
    answer = pair.call(which, "POST", "/api/documents", data=pdf, headers=PDF)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["data"]["document_id"])


PDF = {"Content-Type": "application/pdf"}


def push(pair: Pair, which: int, path: str, key: str, *changes: dict[str, Any]) -> Any:
    answer = pair.call(
        which, "POST", f"{path}/push", json={"idempotency_key": key, "changes": list(changes)}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


def change(rid: str, base: int, text: str) -> dict[str, Any]:
    return {"kind": "annotation", "id": rid, "base_revision": base, "content": note(0, 5, text)}


def at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """``work(0..count-1)`` on as many threads, released together."""
    start = threading.Barrier(count)

    def run(index: int) -> Any:
        start.wait(timeout=30)
        return work(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_serve_refuses_a_database_with_pending_migrations_until_migrate(
    pg_cluster: Cluster, tmp_path: Path
) -> None:
    url = pg_cluster.database("fresh", migrated=False)
    env = {"API_AUTH_TOKEN": SECRET}
    serve = ["serve", "--port", "0", "--data-dir", str(tmp_path / "data"), "--database", url]
    refused = cli(*serve, env=env)
    assert refused.returncode == 2, (refused.stdout, refused.stderr)
    assert "lacks schema migrations 1, 2, 3, 4, 5, 6, 7" in refused.stderr
    assert "run `reviewer-server migrate --database URL`" in refused.stderr
    first = cli("migrate", "--database", url)
    assert first.returncode == 0, first.stderr
    assert "applied migrations 1, 2, 3, 4, 5, 6, 7" in first.stdout
    again = cli("migrate", "--database", url)
    assert again.returncode == 0 and "up to date" in again.stdout, (again.stdout, again.stderr)
    proc, server = start_server(tmp_path / "data", "--database", url, env=env)
    try:
        document = requests.post(
            f"{server}/api/documents", data=make_pdf(), headers={**AUTH, **PDF}, timeout=60
        )
        assert document.status_code == 200, document.text
    finally:
        stop_server(proc)


def test_migrate_says_when_the_database_cannot_be_reached() -> None:
    answer = cli("migrate", "--database", "postgresql://nobody@127.0.0.1:1/none")
    assert answer.returncode == 2, (answer.stdout, answer.stderr)
    assert "the layer database cannot be reached" in answer.stderr
    assert "Traceback" not in answer.stderr


def test_serve_says_at_once_why_the_database_cannot_be_reached(tmp_path: Path) -> None:
    """The reason (refused, no such host, a wrong password), not the pool's retries: before,
    serve printed a warning per retry for 30 s, then "pool initialization incomplete"."""
    url = "postgresql://nobody@127.0.0.1:1/none"  # nothing listens on port 1
    serve = ["serve", "--port", "0", "--data-dir", str(tmp_path / "data"), "--database", url]
    answer = cli(*serve, env={"API_AUTH_TOKEN": SECRET})
    assert answer.returncode == 2, (answer.stdout, answer.stderr)
    assert "the layer database cannot be reached" in answer.stderr
    assert "Connection refused" in answer.stderr
    assert "error connecting in" not in answer.stderr and "Traceback" not in answer.stderr


def test_two_servers_importing_one_pdf_store_one_document(pair: Pair) -> None:
    pdf = make_pdf("the same bytes for both servers")
    ids = at_once(8, lambda i: upload(pair, i, pdf))
    assert len(set(ids)) == 1  # every upload answered 200 with the one document
    with psycopg.connect(pair.database) as conn:
        rows = conn.execute("SELECT id, sha256 FROM documents WHERE id = %s", (ids[0],))
        ((_, sha),) = rows.fetchall()
        layers = conn.execute("SELECT count(*) FROM layers WHERE document_id = %s", (ids[0],))
        assert layers.fetchone() == (1,)  # its default layer, made once
    assert [p.name for p in (pair.data_dir / "assets").rglob(f"{sha}*")] == [f"{sha}.pdf"]


def test_revisions_strictly_increase_across_two_servers(pair: Pair) -> None:
    doc = upload(pair, 0, make_pdf())
    path = f"/api/documents/{doc}/layers/class"
    writers, pushes = 6, 8

    def write(writer: int) -> list[int]:
        revisions = []
        for n in range(pushes):
            data = push(pair, writer, path, f"w{writer}-{n}", change(f"w{writer}-{n}", 0, "x"))
            assert len(data["applied"]) == 1, data
            revisions.append(data["revision"])
        return revisions

    seen = at_once(writers, write)
    every = sorted(r for revisions in seen for r in revisions)
    assert every == list(range(1, writers * pushes + 1))  # no gap, no repeat
    assert all(revisions == sorted(revisions) for revisions in seen)
    feed = pair.call(1, "GET", f"{path}/changes", params={"since": 0}).json()["data"]
    assert feed["revision"] == writers * pushes
    assert len(feed["upserted"]) == writers * pushes


def test_a_base_revision_is_checked_and_written_in_one_transaction(pair: Pair) -> None:
    doc = upload(pair, 1, make_pdf())
    path = f"/api/documents/{doc}/layers/race"
    for round_ in range(10):
        rid = f"shared-{round_}"
        push(pair, 0, path, f"seed-{round_}", change(rid, 0, "seed"))
        base = pair.call(0, "GET", f"{path}/changes", params={"since": 0}).json()["data"]
        revision = next(r["revision"] for r in base["upserted"] if r["id"] == rid)
        answers = at_once(
            4,
            lambda i, rid=rid, rev=revision: push(
                pair, i, path, f"{rid}-{i}", change(rid, rev, f"v{i}")
            ),
        )
        applied = [a for a in answers if a["applied"]]
        conflicts = [a for a in answers if a["conflicts"]]
        assert len(applied) == 1 and len(conflicts) == 3, answers
        winner = answers.index(applied[0])
        for lost in conflicts:
            (conflict,) = lost["conflicts"]
            assert conflict["server"]["content"]["text"]["value"] == f"v{winner}"


def test_an_idempotency_key_is_honoured_by_whichever_server_sees_the_retry(pair: Pair) -> None:
    doc = upload(pair, 0, make_pdf())
    path = f"/api/documents/{doc}/layers/retries"
    first = push(pair, 0, path, "retry-key", change("r", 0, "once"))
    again = push(pair, 1, path, "retry-key", change("r", 0, "once"))
    assert again["replayed"] is True and again["revision"] == first["revision"]
    assert again["applied"] == first["applied"]
    together = at_once(6, lambda i: push(pair, i, path, "both-at-once", change("t", 0, "together")))
    assert sorted(a["replayed"] for a in together) == [False] + [True] * 5
    assert len({a["revision"] for a in together}) == 1
    feed = pair.call(1, "GET", f"{path}/changes", params={"since": 0}).json()["data"]
    assert feed["revision"] == 2 and {r["id"] for r in feed["upserted"]} == {"r", "t"}


def pool_max(url: str) -> float:
    """The most connections the server's pool may open, as its ``/metrics`` tells (the
    figures are taken as each request ends: the first scrape follows a request)."""
    requests.get(f"{url}/healthz", timeout=60)
    text = requests.get(f"{url}/metrics", timeout=60).text
    line = next(
        x for x in text.splitlines() if x.startswith('reviewer_database_pool{figure="max"}')
    )
    return float(line.split()[-1])


def test_the_pool_size_is_set_by_flag_or_environment_and_holds(
    pg_cluster: Cluster, tmp_path: Path
) -> None:
    url = pg_cluster.database("pool")
    env = {"API_AUTH_TOKEN": SECRET}
    proc, server = start_server(tmp_path / "a", "--database", url, "--pool-size", "2", env=env)
    try:
        assert pool_max(server) == 2
        document = requests.post(
            f"{server}/api/documents", data=make_pdf(), headers={**AUTH, **PDF}, timeout=60
        )
        assert document.status_code == 200, document.text
        layers = f"/api/documents/{document.json()['data']['document_id']}/layers"

        def push(index: int) -> int:
            change = {
                "kind": "annotation",
                "id": "n",
                "base_revision": 0,
                "content": note(0, 5, "x"),
            }
            body = {"idempotency_key": f"k{index}", "changes": [change]}
            path = f"{server}{layers}/l{index % 6}/push"
            return requests.post(path, json=body, headers=AUTH, timeout=60).status_code

        with ThreadPoolExecutor(12) as pool:
            assert set(pool.map(push, range(36))) == {200}
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(pg_cluster.url("postgres"), autocommit=True) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,)
            ).fetchone()
        assert row is not None and row[0] <= 2
        assert pool_max(server) == 2
    finally:
        stop_server(proc)
    proc, server = start_server(
        tmp_path / "b", "--database", url, env={**env, "DATABASE_POOL_SIZE": "5"}
    )
    try:
        assert pool_max(server) == 5
    finally:
        stop_server(proc)
    serve = ["serve", "--port", "0", "--data-dir", str(tmp_path / "c"), "--database", url]
    for refused in (
        cli(*serve, "--pool-size", "0", env=env),
        cli(*serve, env={**env, "DATABASE_POOL_SIZE": "many"}),
    ):
        assert refused.returncode == 2, (refused.stdout, refused.stderr)
        assert "must be a whole number of connections from 1 to 1000" in refused.stderr
        assert "Traceback" not in refused.stderr
