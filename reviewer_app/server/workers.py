"""``serve --workers N``: uvicorn's own process model (a supervisor that binds the socket once
and keeps N worker processes alive, restarting one that dies), not one of ours.

uvicorn starts each worker afresh (spawn), so a worker builds its application from an import
string; the configuration travels to it in the environment variable :data:`CONFIG_VARIABLE`.

Nothing a worker keeps only in its memory may change an answer (a client's requests land on
any worker, or on any of several servers): the layers, revisions, idempotency keys and picture
uploads live in the database; PDFs and pictures in the storage; the caches are keyed by what
cannot change under the key (a layer's uid and revision, a PDF's SHA-256); the PDFs that
crashed the reader are remembered in a file every worker reads again when it changes. The one
thing per process is the fair share of heavy requests (:mod:`~reviewer_app.server.fair`):
its limits hold for each worker, so N workers run up to N times as many."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from reviewer_app.server.config import ConfigError, ServerConfig

CONFIG_VARIABLE = "REVIEWER_SERVER_WORKER_CONFIG"
"""The configuration as JSON, set by the supervisor for the workers it starts."""
FACTORY = "reviewer_app.server.workers:worker_app"
STARTUP_SECONDS = 60.0
MAX_WORKERS = 64


def check_workers(count: int | None, env: Mapping[str, str]) -> int:
    """The number of worker processes: ``count`` (``--workers``), else
    ``REVIEWER_SERVER_WORKERS``, else 1; ConfigError for a number we cannot run."""
    if count is None:
        text = (env.get("REVIEWER_SERVER_WORKERS") or "1").strip()
        if not (text.isascii() and text.isdigit()):
            raise ConfigError(f"REVIEWER_SERVER_WORKERS must be a whole number, not {text!r}")
        count = int(text)
    if not 1 <= count <= MAX_WORKERS:
        raise ConfigError(f"--workers must be from 1 to {MAX_WORKERS}, not {count}")
    return count


def config_to_text(config: ServerConfig) -> str:
    values = dataclasses.asdict(config)
    values["data_dir"] = str(config.data_dir)
    return json.dumps(values)


def config_from_text(text: str) -> ServerConfig:
    values: dict[str, Any] = json.loads(text)
    values["data_dir"] = Path(values["data_dir"])
    return ServerConfig(**values)


def worker_app() -> FastAPI:
    """The application of one worker process (uvicorn calls this factory in each)."""
    from reviewer_app.server.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    text = os.environ.get(CONFIG_VARIABLE)
    if not text:
        raise ConfigError(f"{CONFIG_VARIABLE} is not set: start workers with `serve --workers N`")
    return create_app(config_from_text(text))


def run_workers(
    config: ServerConfig,
    sock: socket.socket,
    workers: int,
    ready: Callable[[], None],
    options: dict[str, Any],
) -> None:
    """Serve on ``sock`` from ``workers`` processes under uvicorn's supervisor; ``ready`` is
    called once every worker has started and answers."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    preflight(config)
    os.environ[CONFIG_VARIABLE] = config_to_text(config)
    made = metrics_folder()

    class Supervisor(Multiprocess):
        def init_processes(self) -> None:
            super().init_processes()
            started = [
                p.wait_until_ready(STARTUP_SECONDS, self.should_exit) for p in self.processes
            ]
            if all(started) and not self.should_exit.is_set():
                ready()

        def keep_subprocess_alive(self) -> None:
            before = {p.pid for p in self.processes}
            super().keep_subprocess_alive()
            for pid in before - {p.pid for p in self.processes}:
                if pid is not None:  # its gauges no longer count
                    from prometheus_client import multiprocess

                    multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]

    settings = uvicorn.Config(FACTORY, factory=True, workers=workers, **options)
    try:
        Supervisor(settings, sockets=[sock]).run()
    finally:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)


def preflight(config: ServerConfig) -> None:
    """Open the engine and the storage once here, before any worker starts: a database or a
    storage the workers could not open stops ``serve`` with its message (exit 2), as with one
    process, instead of failing in every worker; a new SQLite database is made once."""
    from reviewer_app.engine import LayerEngine
    from reviewer_app.server.storage import open_storage

    LayerEngine(
        config.data_dir, config.database, storage=open_storage(config), pool_size=config.pool_size
    ).close()


def metrics_folder() -> Path | None:
    """Make ``PROMETHEUS_MULTIPROC_DIR`` ready for the workers' metrics: a new temporary
    folder when it is not set (returned, to remove at the end), else the operator's, emptied
    of a previous run's files (prometheus-client's rule)."""
    from reviewer_app.server.metrics import MULTIPROCESS_VARIABLE

    given = os.environ.get(MULTIPROCESS_VARIABLE)
    if given:
        folder = Path(given)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("*.db"):
                old.unlink()
        except OSError as exc:
            raise ConfigError(f"{MULTIPROCESS_VARIABLE} {given}: {exc.strerror or exc}") from exc
        return None
    made = Path(tempfile.mkdtemp(prefix="reviewer-metrics-"))
    os.environ[MULTIPROCESS_VARIABLE] = str(made)
    return made
