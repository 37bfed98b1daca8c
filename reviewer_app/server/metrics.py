"""Prometheus metrics at ``/metrics`` (prometheus-client): requests by route template and
status, their latency, pushes and conflicts, and the database's connections.

With ``serve --workers N`` every worker writes its figures to ``PROMETHEUS_MULTIPROC_DIR``
(the supervisor makes one when it is not set) and ``/metrics``, whichever worker answers,
sums them all: prometheus-client's multi-process mode."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.responses import Response
from starlette.routing import compile_path

from reviewer_app.server.bodies import App, Receive, ResponseWatch, Scope, Send

MULTIPROCESS_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED = "(no route)"
"""The route label of a request no route took (404s of any path: one series, not one a path)."""

REQUESTS = Counter(
    "reviewer_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "reviewer_http_request_duration_seconds",
    "Time from a request's arrival to its answer's last byte, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
PUSHES = Counter(
    "reviewer_sync_pushes",
    "Sync pushes answered: applied, or replayed (a retry with a key already seen).",
    ["outcome"],
)
CONFLICTS = Counter(
    "reviewer_sync_conflicts",
    "Changes of pushes refused as conflicts (their base revision was not the record's).",
)
DATABASE_POOL = Gauge(
    "reviewer_database_pool",
    "The database connections of the server processes: open (SQLite: one a thread; "
    "PostgreSQL: the pool's size), the most a pool may open (--pool-size), available in a "
    "pool, requests waiting for one.",
    ["figure"],
    multiprocess_mode="livesum",
)


def database_figures(database: Any) -> dict[str, float]:
    """What the engine's database tells of its connections: a connection pool's figures
    (psycopg_pool's ``get_stats``), else the connections a SQLite store has open."""
    pool = getattr(database, "pool", None)
    if pool is not None and callable(getattr(pool, "get_stats", None)):
        stats = pool.get_stats()
        return {
            "open": float(stats.get("pool_size", 0)),
            "max": float(stats.get("pool_max", 0)),
            "available": float(stats.get("pool_available", 0)),
            "waiting": float(stats.get("requests_waiting", 0)),
        }
    count = getattr(database, "open_connections", None)
    return {} if count is None else {"open": float(count)}


def count_push(replayed: bool, conflicts: int) -> None:
    PUSHES.labels("replayed" if replayed else "applied").inc()
    if conflicts:
        CONFLICTS.inc(conflicts)


Paths = Callable[[], Mapping[str, Mapping[str, Any]]]
"""The application's OpenAPI ``paths`` (template → methods), given late: routes are added
after the middleware is."""


def route_of(scope: Scope) -> str | None:
    """The template of the route that took the request (None: none took it)."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else None


class Metrics:
    """ASGI middleware counting every HTTP request by its route template (not its path: a
    document id in a label would make a series per document)."""

    def __init__(self, app: App, database: Any = None, paths: Paths | None = None) -> None:
        self.app = app
        self.database = database
        """The engine's database, whose connection figures are kept (None: none)."""
        self.paths = paths
        self._templates: list[tuple[re.Pattern[str], frozenset[str], str]] | None = None

    def template(self, scope: Scope) -> str:
        """The route template of a request: the route's that took it, else (a request
        answered before routing: a 413 or 429 of the middleware) the one its path and method
        name, else :data:`UNMATCHED`."""
        found = route_of(scope)
        if found is not None:
            return found
        if self._templates is None:
            paths = self.paths() if self.paths is not None else {}
            self._templates = [
                (compile_path(path)[0], frozenset(m.upper() for m in ops), path)
                for path, ops in paths.items()
            ]
        for pattern, methods, path in self._templates:
            if scope["method"] in methods and pattern.match(scope["path"]):
                return path
        return UNMATCHED

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        watch = ResponseWatch(send, status=500)
        try:
            await self.app(scope, receive, watch)
        finally:
            route, method = self.template(scope), scope["method"]
            REQUESTS.labels(method, route, str(watch.status)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - start)
            for figure, number in database_figures(self.database).items():
                DATABASE_POOL.labels(figure).set(number)


def exposition() -> Response:
    """The figures in Prometheus' text format: this process's, or every worker's summed."""
    if os.environ.get(MULTIPROCESS_VARIABLE):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        data = generate_latest(registry)
    else:
        data = generate_latest(REGISTRY)
    return Response(data, media_type=CONTENT_TYPE_LATEST)
