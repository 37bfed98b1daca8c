"""Run a server bench against a throwaway PostgreSQL cluster of the machine's own PostgreSQL,
with fsync on (as a real server runs; the tests' cluster turns it off for speed):

    .venv/bin/python bench/on_postgres.py server_scale [--clients 300 ...]
    .venv/bin/python bench/on_postgres.py server_hot

The cluster is made as the tests make theirs (``tests/postgres.py``: ``initdb`` into a temporary
folder, ``pg_ctl`` on a free port on 127.0.0.1; as root through the ``postgres`` user), an
empty migrated database is made on it, and the bench's ``main`` runs with ``--database URL``
and the other arguments. The cluster and its folder are removed afterwards.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests/postgres.py

from pytest_postgresql.executors.proc import PostgreSQLExecutor  # noqa: E402

from tests.postgres import Cluster, free_port, pg_ctl  # noqa: E402


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    bench = importlib.import_module(argv[0])
    executable = pg_ctl()
    root = Path(tempfile.mkdtemp(prefix="reviewer-bench-pg-"))
    try:
        if os.geteuid() == 0:  # PostgreSQL refuses root
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
            postgres_options="-c max_connections=200",  # 2 servers x 2 workers x 8, and more
        )
        cluster = Cluster("127.0.0.1", port, executor)
        cluster.start()
        try:
            url = cluster.database("bench")
            print(f"PostgreSQL {url} (a throwaway cluster, fsync on)", flush=True)
            bench.main(["--database", url, *argv[1:]])
        finally:
            executor.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
