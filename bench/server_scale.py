"""How the layer server scales: p50/p99 latency and requests/s for 30, 300 and 1,000 clients
syncing at once, on each way of running it, side by side in one run.

Each client, on a connection of its own opened before the clock starts, does one sync: it pulls
its layer's changes feed and pushes one new note with an idempotency key (two requests). All
clients start together; a run's figures are the p50 and p99 of every request's latency and the
requests per second over the run. Each figure is the median of ``RUNS`` runs (min .. max
beside it), and each setup's requests/s is divided by the single SQLite process's, measured
the same way in the same run (the scaling ratio).

    .venv/bin/python bench/server.py --scale                       # SQLite setups only
    .venv/bin/python bench/server.py --database postgresql://...   # adds PostgreSQL setups

The setups: SQLite, one process (the floor); with ``--database``: PostgreSQL with 1 and with 4
workers, and two servers (2 workers each) over it; without it, for comparison, SQLite with 4
workers and two SQLite servers over one data folder. The load generator is one asyncio process
on the same machine (a minimal HTTP/1.1 client, so that it costs less than the server), which
shares the cores with the servers: on 2 cores its own work is part of every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from figures import RUNS, Report  # bench/, on the path when run as a script

from reviewer_app.server.process import start_server, stop_server

SECRET = "bench-secret-0123456789abcdef"
AUTH = f'Token token="{SECRET}"'
CLIENTS = (30, 300, 1000)
FLOOR = "sqlite-1proc"
P99_GOAL_MS = 100.0


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

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        assert self.reader is not None and self.writer is not None
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: {AUTH}\r\n"
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


async def one_run(
    urls: list[str], document_id: str, clients: int, run: int
) -> tuple[list[float], float]:
    """Every client's sync at once; the latencies (ms) of all requests and the seconds the
    run took."""
    connections = []
    for index in range(clients):
        parts = urlsplit(urls[index % len(urls)])
        connections.append(Connection(parts.hostname or "127.0.0.1", parts.port or 80))
    await asyncio.gather(*(c.open() for c in connections))
    latencies: list[float] = []
    start = asyncio.Event()

    async def client(index: int, connection: Connection) -> None:
        layer = f"/api/documents/{document_id}/layers/student-{index}"
        change = {"kind": "annotation", "id": f"r{run}", "base_revision": 0, "content": note(run)}
        body = json.dumps({"idempotency_key": f"{index}-{run}", "changes": [change]}).encode()
        await start.wait()
        for method, path, payload in (
            ("GET", f"{layer}/changes?since=0", b""),
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


def measure(report: Report, setup: Setup, root: Path) -> None:
    """Start the setup's servers, then time every client count ``RUNS`` times."""
    args = ["--workers", str(setup.workers)]
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
        for clients in CLIENTS:
            p50, p99, rate = [], [], []
            for run in range(RUNS):
                latencies, seconds = asyncio.run(one_run(urls, document_id, clients, run))
                p50.append(percentile(latencies, 0.50))
                p99.append(percentile(latencies, 0.99))
                rate.append(len(latencies) / seconds)
            key = f"{setup.name}.{clients}"
            report.add(f"{key}.p50", p50)
            report.add(f"{key}.p99", p99)
            report.add(f"{key}.rps", rate, unit="req/s")
            shown = report.samples
            print(
                f"  {key}: p50 {shown[key + '.p50'].median:.1f} ms, "
                f"p99 {shown[key + '.p99'].median:.1f} ms, {shown[key + '.rps'].median:.0f} req/s",
                flush=True,
            )
    finally:
        for proc, _ in started:
            stop_server(proc)


def side_by_side(report: Report, names: list[str]) -> str:
    """One line a client count, one column a setup: p50 / p99 ms, req/s, ×floor."""
    lines = ["clients  " + "".join(f"{n:>36}" for n in names)]
    for clients in CLIENTS:
        cells = []
        for name in names:
            key = f"{name}.{clients}"
            scale = report.ratios.get(f"{key}.scaling", {}).get("ratio", 1.0)
            cells.append(
                f"{report.value(key + '.p50'):7.1f}/{report.value(key + '.p99'):7.1f} ms "
                f"{report.value(key + '.rps'):7.0f}/s x{scale:4.2f}"
            )
        lines.append(f"{clients:>7}  " + "".join(f"{c:>36}" for c in cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="a PostgreSQL URL: adds the PostgreSQL setups")
    args = parser.parse_args(argv)
    chosen = setups(args.database)
    report = Report("server_scale")
    with tempfile.TemporaryDirectory() as tmp:
        for setup in chosen:
            print(
                f"{setup.name}: {setup.servers} server(s) x {setup.workers} worker(s)", flush=True
            )
            measure(report, setup, Path(tmp))
    for setup in chosen[1:]:
        for clients in CLIENTS:
            key = f"{setup.name}.{clients}"
            report.ratio(
                f"{key}.scaling",
                f"{key}.rps",
                f"{FLOOR}.{clients}.rps",
                f"{FLOOR} serving the same {clients} clients' syncs (requests/s over its)",
            )
    if any(s.name == "pg-4workers" for s in chosen):
        report.goal("pg-4workers.300.p99", P99_GOAL_MS, "PostgreSQL, 4 workers, 300 clients")
    report.facts["setups"] = {
        s.name: f"{s.servers} server(s) x {s.workers} worker(s)" for s in chosen
    }
    report.save()
    print()
    print(side_by_side(report, [s.name for s in chosen]))


if __name__ == "__main__":
    main()
