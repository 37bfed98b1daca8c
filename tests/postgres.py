"""A throwaway PostgreSQL cluster of the machine's own PostgreSQL, for the tests that run the
engine and the server on PostgreSQL: ``initdb`` into a temporary folder and ``pg_ctl`` on a free
port on 127.0.0.1, through pytest-postgresql's executor. ``make test`` installs Debian's
``postgresql`` package when it is missing.

PostgreSQL refuses to run as root; as root (CI, the dev machines) the cluster runs as the
``postgres`` user the package makes (``runuser``), in a folder that user owns."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from pytest_postgresql.executors.proc import PostgreSQLExecutor

from reviewer_app.engine.pg_store import apply_migrations


def pg_ctl() -> str:
    """The machine's ``pg_ctl`` (Debian keeps it in /usr/lib/postgresql/N/bin)."""
    found = shutil.which("pg_ctl") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)), None
    )
    if found is None:
        pytest.fail(
            "PostgreSQL is not installed: the PostgreSQL store's tests need its initdb and "
            "pg_ctl (apt-get install postgresql; `make test` does it when run as root)"
        )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


READY_ATTEMPTS = 600


@dataclass
class Cluster:
    """A running cluster: make a fresh database on it with :meth:`database`."""

    host: str
    port: int
    executor: PostgreSQLExecutor
    made: int = 0

    def restart(self) -> None:
        """Stop the cluster (fast: its connections are cut) and start it again."""
        self.executor.stop()
        self.start()

    def start(self) -> None:
        """Start the (stopped) cluster and wait until it accepts connections: the executor
        returns once the port is open, while PostgreSQL may still say "the database system is
        starting up"."""
        self.executor.start()
        for _ in range(READY_ATTEMPTS):
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=5).close()
                return
            except psycopg.OperationalError as exc:
                if "starting up" not in str(exc):
                    raise
                time.sleep(0.1)  # a bounded wait for its start, not a measured time
        raise RuntimeError(f"PostgreSQL did not finish starting on port {self.port}")

    def url(self, dbname: str) -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/{dbname}"

    def database(self, prefix: str = "reviewer", *, migrated: bool = True) -> str:
        """A new, empty database (with the layer schema unless ``migrated`` is False); its
        URL."""
        self.made += 1
        name = f"{prefix}_{os.getpid()}_{self.made}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = self.url(name)
        if migrated:
            with psycopg.connect(url, autocommit=True) as conn:
                apply_migrations(conn)
        return url


@contextmanager
def running_cluster(*, fsync: bool = False) -> Iterator[Cluster]:
    """Start a cluster in a temporary folder; stop it and remove the folder afterwards.
    ``fsync`` off (the tests' default) is fast; a bench that times commits wants it on."""
    executable = pg_ctl()
    root = Path(tempfile.mkdtemp(prefix="reviewer-pg-"))
    try:
        if os.geteuid() == 0:
            root.chmod(0o755)
            shutil.chown(root, "postgres", "postgres")
            wrapper = root / "pg_ctl"
            wrapper.write_text(f'#!/bin/sh\nexec runuser -u postgres -- "{executable}" "$@"\n')
            wrapper.chmod(0o755)
            executable = str(wrapper)
        port = free_port()
        executor = PostgreSQLExecutor(
            executable=executable,
            host="127.0.0.1",
            port=port,
            datadir=str(root / "data"),
            unixsocketdir=str(root),
            logfile=str(root / "postgresql.log"),
            startparams="-w",
            dbname="postgres",
            postgres_options=f"-c fsync={'on' if fsync else 'off'} -c max_connections=200",
        )
        cluster = Cluster("127.0.0.1", port, executor)
        cluster.start()
        try:
            yield cluster
        finally:
            executor.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
