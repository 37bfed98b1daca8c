"""The paced load of ``bench/server_scale.py``: clients syncing as the app does, each on its own
schedule (an open loop), instead of all at the same instant.

The app syncs a connected document every ``sync/interval`` seconds (30 by default:
``reviewer_app/ui/core/settings.py``, ``sync_interval``; the timer is ``BackgroundSync.ticker``
in ``reviewer_app/ui/sync/background.py``), and about a second after a local change. The
model of a morning peak: every client is connected and writing, and syncs every ``INTERVAL_S``
seconds, the first time at a random moment of the first interval (its phase); each sync
carries one new note. A sync is the app's requests for a student token of one layer
(``SyncSession.sync_all``): list the layers, pull the layer's feed, push the note, pull what
the push wrote, read the grading scheme; on a new connection (the server closes a keep-alive
connection idle for 5 s, well under the interval).

Latency is measured from the moment a sync was *scheduled* to start, not from when the load
generator got round to sending it: a server that falls behind delays every later sync, and that
wait is counted (no coordinated omission). A request's latency is from the end of the request
before it in the same sync (the first: from the scheduled start, connecting included).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

INTERVAL_S = 30.0
"""The app's default sync interval (``Settings.sync_interval``)."""
WINDOW_S = 10.0
"""How long one paced run lasts: the syncs scheduled in it are sent (each client's phase is
drawn over a whole interval, so the arrival rate is clients / interval, whatever the window)."""


@dataclass
class Paced:
    """What a paced run measured."""

    requests: list[float] = field(default_factory=list)
    """Every request's latency (ms)."""
    syncs: list[float] = field(default_factory=list)
    """Every sync's latency from its scheduled start to its last answer (ms)."""
    late: list[float] = field(default_factory=list)
    """How late the generator sent each sync's first request (ms): its own lag, a check."""


async def paced_run(
    open_connection: Callable[[int], Any],
    document_id: str,
    clients: int,
    tag: str,
    note: Callable[[int], dict[str, Any]],
    seed: int,
    pulled: dict[int, int],
    interval: float = INTERVAL_S,
    window: float = WINDOW_S,
) -> tuple[Paced, float]:
    """Every client's syncs scheduled in ``window`` seconds; the figures and the seconds the
    run took. ``open_connection(index)`` gives a connected client connection (see
    ``server_scale.Connection``) for client ``index``, with its own token; ``pulled`` keeps
    each client's last pulled revision from run to run, as a replica does."""
    chance = random.Random(seed)
    phases = [chance.uniform(0, interval) for _ in range(clients)]
    measured = Paced()
    origin = time.perf_counter() + 0.2  # every client's schedule counts from here

    async def one_sync(index: int, scheduled: float, number: int) -> None:
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        measured.late.append((time.perf_counter() - scheduled) * 1000)
        connection = await open_connection(index)
        layer = f"/api/documents/{document_id}/layers/student-{index}"
        try:
            mark = scheduled
            for method, path, body in sync_requests(document_id, layer, tag, index, number, note):
                if path.endswith("/changes"):
                    path += f"?since={pulled.get(index, 0)}"
                status, answer = await connection.request(method, path, body)
                now = time.perf_counter()
                measured.requests.append((now - mark) * 1000)
                mark = now
                if status != 200:
                    raise RuntimeError(f"{method} {path}: {status} {answer[:200]!r}")
                if path.startswith(layer + "/changes"):
                    pulled[index] = int(json.loads(answer)["data"]["revision"])
            measured.syncs.append((mark - scheduled) * 1000)
        finally:
            connection.close()

    tasks = []
    for index, phase in enumerate(phases):
        number = 0
        while phase + number * interval < window:
            start = origin + phase + number * interval
            tasks.append(asyncio.create_task(one_sync(index, start, number)))
            number += 1
    await asyncio.gather(*tasks)
    return measured, time.perf_counter() - origin


def sync_requests(
    document_id: str,
    layer: str,
    tag: str,
    index: int,
    number: int,
    note: Callable[[int], dict[str, Any]],
) -> list[tuple[str, str, bytes]]:
    """One sync's requests in the app's order (a pull's ``since`` is added as it goes)."""
    record = f"{tag}-{number}"
    change = {"kind": "annotation", "id": record, "base_revision": 0, "content": note(index)}
    push = {"idempotency_key": f"{tag}-{index}-{number}", "changes": [change]}
    return [
        ("GET", f"/api/documents/{document_id}/layers", b""),
        ("GET", f"{layer}/changes", b""),
        ("POST", f"{layer}/push", json.dumps(push).encode()),
        ("GET", f"{layer}/changes", b""),
        ("GET", f"/api/documents/{document_id}/grading_scheme", b""),
    ]
