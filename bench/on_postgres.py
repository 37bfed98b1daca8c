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
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests/postgres.py

from tests.postgres import running_cluster  # noqa: E402


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    bench = importlib.import_module(argv[0])
    with running_cluster(fsync=True) as cluster:
        url = cluster.database("bench")
        print(f"PostgreSQL {url} (a throwaway cluster, fsync on)", flush=True)
        bench.main(["--database", url, *argv[1:]])


if __name__ == "__main__":
    main(sys.argv[1:])
