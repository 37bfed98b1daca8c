"""How the layer server scales: p50/p99 latency and requests/s for 30, 300 and 1,000 clients,
on each way of running it, side by side in one run, under two loads printed apart:

- **burst** (closed): every client's sync at the same instant, each on a connection of its own
  opened before the clock starts: it pulls its layer's changes feed and pushes one new note
  (two requests). p99 is then mostly the wait in the queue: N clients' 2N requests at the
  server's rate. It measures throughput (requests/s, and the scaling ratio over the single
  SQLite process measured the same way in the same run, and from 1 to 4 PostgreSQL workers).
- **paced** (open loop, ``bench/server_paced.py``): each client syncs as the app does, every
  30 s at its own random phase (a morning peak with everyone writing), five requests a sync,
  latency counted from each sync's scheduled start. The latency goal applies to this one:
  PostgreSQL with 4 workers serves 300 clients at p99 under 100 ms.

Every client uses its own JWT (ES256) for its own layer, as the app does. Each figure is the
median of ``RUNS`` runs (min .. max beside it); a burst run and a paced run alternate.

    .venv/bin/python bench/server.py --scale                       # SQLite setups only
    .venv/bin/python bench/server.py --database postgresql://...   # adds PostgreSQL setups
    .venv/bin/python bench/on_postgres.py server_scale             # on a throwaway cluster

The setups: SQLite, one process (the floor); with ``--database``: PostgreSQL with 1 and with 4
workers, and two servers (2 workers each) over it; without it, for comparison, SQLite with 4
workers and two SQLite servers over one data folder. The load generator is one asyncio process
on the same machine (a minimal HTTP/1.1 client, so that it costs less than the server), which
shares the cores with the servers: on 2 cores its own work is part of every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from figures import RUNS, Report  # bench/, on the path when run as a script
from server_paced import INTERVAL_S, WINDOW_S, paced_run

from reviewer_app.server.process import start_server, stop_server
from reviewer_app.server.tokens import TokenRequest, issue_token, keygen

SECRET = "bench-secret-0123456789abcdef"
AUTH = f'Token token="{SECRET}"'
CLIENTS = [30, 300, 1000]
FLOOR = "sqlite-1proc"
P99_GOAL_MS = 100.0
_TAGS = itertools.count()


@dataclass(frozen=True)
class Setup:
    name: str
    servers: int
    workers: int
    database: str | None


def setups(database: str | None) -> list[Setup]:
    floor = Setup(FLOOR, 1, 1, None)
    if database:
        return [
            floor,
            Setup("pg-1worker", 1, 1, database),
            Setup("pg-4workers", 1, 4, database),
            Setup("pg-2servers", 2, 2, database),
        ]
    return [floor, Setup("sqlite-4workers", 1, 4, None), Setup("sqlite-2servers", 2, 2, None)]


def note(index: int) -> dict[str, Any]:
    return {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": 0,
        "bbox": [10 + index % 500, 10, 24, 24],
        "text": {"format": "plain", "value": f"scale note {index}"},
        "icon": "comment",
        "opacity": 1,
    }


def make_pdf() -> bytes:
    import pymupdf

    doc = pymupdf.open()
    for index in range(4):
        doc.new_page().insert_text((72, 72), f"scale bench page {index} {time.time_ns()}")
    data = bytes(doc.tobytes())
    doc.close()
    return data


class Connection:
    """One client's HTTP/1.1 keep-alive connection: just what the two requests need."""

    def __init__(self, host: str, port: int, auth: str = AUTH) -> None:
        self.host, self.port, self.auth = host, port, auth
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        assert self.reader is not None and self.writer is not None
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: {self.auth}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


@dataclass
class Target:
    """A running setup as the clients see it: its servers, the document, each client's token."""

    urls: list[str]
    document_id: str
    tokens: list[str]
    pulled: dict[int, int]
    """Each client's last pulled revision (a replica's), kept from run to run."""

    def connection(self, index: int) -> Connection:
        parts = urlsplit(self.urls[index % len(self.urls)])
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        return Connection(host, port, f"Bearer {self.tokens[index]}")

    async def opened(self, index: int) -> Connection:
        connection = self.connection(index)
        await connection.open()
        return connection


async def one_run(target: Target, clients: int) -> tuple[list[float], float]:
    """Every client's sync at once; the latencies (ms) of all requests and the seconds the
    run took."""
    connections = [target.connection(index) for index in range(clients)]
    await asyncio.gather(*(c.open() for c in connections))
    latencies: list[float] = []
    start = asyncio.Event()
    tag = f"b{next(_TAGS)}"

    async def client(index: int, connection: Connection) -> None:
        layer = f"/api/documents/{target.document_id}/layers/student-{index}"
        change = {"kind": "annotation", "id": tag, "base_revision": 0, "content": note(index)}
        body = json.dumps({"idempotency_key": f"{tag}-{index}", "changes": [change]}).encode()
        await start.wait()
        for method, path, payload in (
            ("GET", f"{layer}/changes?since={target.pulled.get(index, 0)}", b""),
            ("POST", f"{layer}/push", body),
        ):
            begin = time.perf_counter()
            status, answer = await connection.request(method, path, payload)
            latencies.append((time.perf_counter() - begin) * 1000)
            if status != 200:
                raise RuntimeError(f"{method} {path}: {status} {answer[:200]!r}")

    tasks = [asyncio.create_task(client(i, c)) for i, c in enumerate(connections)]
    await asyncio.sleep(0)  # every client waits at the start line
    begin = time.perf_counter()
    start.set()
    try:
        await asyncio.gather(*tasks)
    finally:
        for connection in connections:
            connection.close()
    return latencies, time.perf_counter() - begin


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(
    report: Report, setup: Setup, root: Path, public: Path, private: bytes, runs: int = RUNS
) -> None:
    """Start the setup's servers, then time every client count ``RUNS`` times in each load
    (a burst run, then a paced run)."""
    args = ["--workers", str(setup.workers), "--jwt-public-key", str(public)]
    if setup.database:
        args += ["--database", setup.database]
    data = root / setup.name
    env = {"API_AUTH_TOKEN": SECRET}
    started = [start_server(data, *args, env=env, timeout=120) for _ in range(setup.servers)]
    try:
        urls = [url for _, url in started]
        headers = {"Authorization": AUTH, "Content-Type": "application/pdf"}
        made = requests.post(
            f"{urls[0]}/api/documents", data=make_pdf(), headers=headers, timeout=60
        )
        made.raise_for_status()
        document_id = made.json()["data"]["document_id"]
        tokens = [
            issue_token(
                TokenRequest(document_id, ["read-document", "write"], layers=[f"student-{i}"]),
                private,
            )
            for i in range(max(CLIENTS))
        ]
        target = Target(urls, document_id, tokens, {})
        for clients in CLIENTS:
            figures: dict[str, list[float]] = {}
            for run in range(runs):
                latencies, seconds = asyncio.run(one_run(target, clients))
                for figure, value in (
                    ("p50", percentile(latencies, 0.50)),
                    ("p99", percentile(latencies, 0.99)),
                    ("rps", len(latencies) / seconds),
                ):
                    figures.setdefault(f"burst.{setup.name}.{clients}.{figure}", []).append(value)
                paced, seconds = asyncio.run(
                    paced_run(
                        target.opened,
                        document_id,
                        clients,
                        f"p{next(_TAGS)}",
                        note,
                        run,
                        target.pulled,
                    )
                )
                for figure, value in (
                    ("p50", percentile(paced.requests, 0.50)),
                    ("p99", percentile(paced.requests, 0.99)),
                    ("rps", len(paced.requests) / seconds),
                    ("sync_p99", percentile(paced.syncs, 0.99)),
                    ("late_p99", percentile(paced.late, 0.99)),
                    ("requests", len(paced.requests)),
                ):
                    figures.setdefault(f"paced.{setup.name}.{clients}.{figure}", []).append(value)
            for name, values in figures.items():
                unit = (
                    "req/s" if name.endswith(".rps") else "" if name.endswith("requests") else "ms"
                )
                report.add(name, values, unit=unit)
            for load in ("burst", "paced"):
                key = f"{load}.{setup.name}.{clients}"
                print(
                    f"  {key}: p50 {report.value(key + '.p50'):.1f} ms, "
                    f"p99 {report.value(key + '.p99'):.1f} ms, "
                    f"{report.value(key + '.rps'):.0f} req/s",
                    flush=True,
                )
    finally:
        for proc, _ in started:
            stop_server(proc)


def side_by_side(report: Report, load: str, names: list[str]) -> str:
    """One line a client count, one column a setup: p50 / p99 ms, req/s (burst: ×floor)."""
    lines = ["clients  " + "".join(f"{n:>36}" for n in names)]
    for clients in CLIENTS:
        cells = []
        for name in names:
            key = f"{load}.{name}.{clients}"
            scale = report.ratios.get(f"{key}.scaling", {}).get("ratio", 1.0)
            tail = (
                f" x{scale:4.2f}"
                if load == "burst"
                else f" n={report.value(key + '.requests'):.0f}"
            )
            cells.append(
                f"{report.value(key + '.p50'):7.1f}/{report.value(key + '.p99'):7.1f} ms "
                f"{report.value(key + '.rps'):5.0f}/s{tail}"
            )
        lines.append(f"{clients:>7}  " + "".join(f"{c:>36}" for c in cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a PostgreSQL URL: adds the PostgreSQL setups")
    parser.add_argument("--runs", type=int, default=RUNS, help="runs behind each median")
    parser.add_argument(
        "--clients", type=int, nargs="+", default=list(CLIENTS), help="the client counts"
    )
    args = parser.parse_args(argv)
    CLIENTS[:] = args.clients
    chosen = setups(args.database)
    report = Report("server_scale")
    with tempfile.TemporaryDirectory() as tmp:
        private, public = keygen(Path(tmp) / "keys", "ES256")
        for setup in chosen:
            print(
                f"{setup.name}: {setup.servers} server(s) x {setup.workers} worker(s)", flush=True
            )
            measure(report, setup, Path(tmp), public, private.read_bytes(), args.runs)
    for setup in chosen[1:]:
        for clients in CLIENTS:
            key = f"burst.{setup.name}.{clients}"
            report.ratio(
                f"{key}.scaling",
                f"{key}.rps",
                f"burst.{FLOOR}.{clients}.rps",
                f"{FLOOR} serving the same {clients} clients' burst (requests/s over its)",
            )
    workers = [s.name for s in chosen if s.servers == 1 and s.database]
    for clients in CLIENTS if len(workers) == 2 else ():
        report.ratio(
            f"burst.{workers[1]}.{clients}.over_1worker",
            f"burst.{workers[1]}.{clients}.rps",
            f"burst.{workers[0]}.{clients}.rps",
            "1 PostgreSQL worker serving the same burst (requests/s over its)",
        )
    if any(s.name == "pg-4workers" for s in chosen):
        report.goal(
            "paced.pg-4workers.300.p99",
            P99_GOAL_MS,
            "PostgreSQL, 4 workers, 300 clients syncing every 30 s (paced)",
        )
    report.facts["setups"] = {
        s.name: f"{s.servers} server(s) x {s.workers} worker(s)" for s in chosen
    }
    report.facts["paced"] = f"each client syncs every {INTERVAL_S:g} s, runs of {WINDOW_S:g} s"
    report.facts["load_average"] = os.getloadavg()
    report.save()
    names = [s.name for s in chosen]
    print()
    print("BURST (closed loop: all N clients' syncs at the same instant, 2 requests each;")
    print("p99 is the queue of 2N requests; throughput and scaling, no latency goal):")
    print(side_by_side(report, "burst", names))
    print()
    print(f"PACED (open loop: each client syncs every {INTERVAL_S:g} s at a random phase, 5")
    print("requests a sync, latency from the scheduled start; the p99 < 100 ms goal applies):")
    print(side_by_side(report, "paced", names))
    for clients in CLIENTS if len(workers) == 2 else ():
        ratio = report.value(f"burst.{workers[1]}.{clients}.over_1worker")
        print(f"scaling from 1 to 4 PostgreSQL workers, burst of {clients}: x{ratio:.2f} req/s")
    for goal in report.goals:
        value = report.value(goal.figure)
        print(f"goal {goal.figure} <= {goal.limit:g} ms: {value:.1f} ms, met: {goal.met(value)}")


if __name__ == "__main__":
    main()
