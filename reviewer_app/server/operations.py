"""What operators and load balancers ask: ``/healthz`` (the process is alive), ``/readyz``
(the database and the storage answer: 503 naming the one that does not) and ``/metrics``
(Prometheus). None needs authentication or touches a document."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from reviewer_app.engine import EngineError, LayerEngine
from reviewer_app.server.metrics import exposition

TAG = "Maintenance"


def readiness(engine: LayerEngine) -> tuple[bool, dict[str, str]]:
    """Whether the server can answer requests now, and what each part said."""
    parts: dict[str, str] = {}
    for name, check in (("database", engine.check_database), ("storage", engine.storage.check)):
        try:
            check()
            parts[name] = "ok"
        except EngineError as exc:
            parts[name] = str(exc)
        except Exception as exc:  # an unexpected failure still means "not ready"
            parts[name] = f"{type(exc).__name__}: {exc}"
    return all(v == "ok" for v in parts.values()), parts


def register(app: FastAPI) -> None:
    """Add ``/healthz``, ``/readyz`` and ``/metrics`` to ``app``."""

    @app.get("/healthz", tags=[TAG])
    def health() -> dict[str, str]:
        """Liveness: answers without authentication and without touching documents."""
        return {"status": "ok"}

    @app.get("/readyz", tags=[TAG])
    async def ready(request: Request) -> JSONResponse:
        """Readiness: the database and the storage of PDFs and pictures answer (200), or
        which of them does not and why (503)."""
        ok, parts = await run_in_threadpool(readiness, request.app.state.engine)
        body: dict[str, Any] = {"status": "ready" if ok else "not ready", **parts}
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.get("/metrics", tags=[TAG], response_class=PlainTextResponse)
    def metrics() -> Response:
        """Prometheus' text format (every worker's figures summed with ``--workers``)."""
        return exposition()
