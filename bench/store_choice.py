"""Which tool carries the engine's SQL to two stores: the per-call cost each adds on SQLite.

The engine runs ~240 hand-written statements through ``sqlite3``. Issue 21 asks for a second
store (PostgreSQL) without slowing the desktop by more than 10 %. This bench times the engine's
hottest statement shapes (a layer lookup by name, a layer's own rows since a revision, and an
upsert of one record inside a transaction) on a real SQLite file through:

- ``sqlite3``, as the engine does today (the floor);
- SQLAlchemy Core, ``Connection.exec_driver_sql`` (its thinnest path: no SQL compilation);
- SQLAlchemy Core, ``Connection.execute(text(...))`` (what portable Core code would write);
- the engine's own ``Database`` (psycopg 3 for PostgreSQL behind a thin dialect layer, and on
  SQLite the ``sqlite3`` connection itself: the dialect translates only PostgreSQL's SQL).

SQLAlchemy is no dependency of Reviewer: install it to run this (``pip install sqlalchemy``).
Prints the median over 5 runs of 2,000 calls each (µs per call) and the ratio to the floor;
writes ``bench/results/store_choice.json``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from figures import RUNS, Report  # bench/, on the path when run as a script

from reviewer_app.engine.db import Database

CALLS = 2_000
FIND_LAYER = "SELECT id, name, uid, revision FROM layers WHERE document_id = ? AND name = ?"
OWN_SINCE = (
    "SELECT kind, id, content, revision FROM layer_records WHERE layer_id = ? AND revision > ?"
)
UPSERT = (
    "INSERT INTO layer_records (layer_id, kind, id, ord, page_index, content, created_by, "
    "updated_by, grp, revision, updated_at) VALUES (?, 'annotation', ?, 1, 0, ?, NULL, NULL, "
    "NULL, ?, '2026-01-01T00:00:00.000Z') ON CONFLICT (layer_id, kind, id) DO UPDATE SET "
    "content = excluded.content, revision = excluded.revision"
)


def named(sql: str) -> str:
    """``sql`` with ``?`` placeholders as SQLAlchemy's ``:p0, :p1, …``."""
    parts = sql.split("?")
    return "".join(f"{part}:p{i}" if i < len(parts) - 1 else part for i, part in enumerate(parts))


def fill(db: Database) -> int:
    """One document, one layer, 200 own rows; returns the layer's id."""
    with db.atomic() as conn:
        conn.execute(
            "INSERT INTO documents (id, sha256, page_count, byte_size, created_at) "
            "VALUES ('d', 'x', 1, 1, '')"
        )
        conn.execute(
            "INSERT INTO layers (document_id, name, uid, revision, created_at, updated_at) "
            "VALUES ('d', 'student', 'u', 0, '', '')"
        )
        layer_id = int(conn.execute("SELECT id FROM layers").fetchone()[0])
        for i in range(200):
            conn.execute(UPSERT, (layer_id, f"r{i}", '{"v": 2}', i))
    return layer_id


def per_call(work: Callable[[int], Any]) -> list[float]:
    """µs per call of ``work(i)``, over ``CALLS`` calls, ``RUNS`` times."""
    samples = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        for i in range(CALLS):
            work(i)
        samples.append((time.perf_counter() - t0) / CALLS * 1e6)
    return samples


def run(work: Path) -> Report:
    try:
        import sqlalchemy
    except ImportError:
        sys.exit("bench/store_choice.py compares with SQLAlchemy: pip install 'sqlalchemy>=2'")

    report = Report("store_choice")
    db = Database(work / "layers.sqlite3")
    layer_id = fill(db)
    raw = db.connection()
    engine = sqlalchemy.create_engine(f"sqlite:///{work / 'layers.sqlite3'}")
    sa = engine.connect()
    shapes: dict[str, tuple[str, Callable[[int], tuple[Any, ...]]]] = {
        "find_layer": (FIND_LAYER, lambda i: ("d", "student")),
        "own_since": (OWN_SINCE, lambda i: (layer_id, 150)),
    }
    for shape, (sql, args) in shapes.items():
        text = sqlalchemy.text(named(sql))
        report.add(
            f"{shape}.sqlite3",
            per_call(lambda i, sql=sql, args=args: raw.execute(sql, args(i)).fetchall()),
            "µs",
        )
        report.add(
            f"{shape}.engine_database",
            per_call(
                lambda i, sql=sql, args=args: db.connection().execute(sql, args(i)).fetchall()
            ),
            "µs",
            note="Database.connection(): the sqlite3 connection itself on SQLite",
        )
        report.add(
            f"{shape}.sqlalchemy_driver_sql",
            per_call(lambda i, sql=sql, args=args: sa.exec_driver_sql(sql, args(i)).fetchall()),
            "µs",
        )
        report.add(
            f"{shape}.sqlalchemy_text",
            per_call(
                lambda i, t=text, args=args: sa.execute(
                    t, {f"p{n}": v for n, v in enumerate(args(i))}
                ).fetchall()
            ),
            "µs",
        )
    sa.rollback()

    def upsert_raw(i: int) -> None:
        with db.atomic() as conn:
            conn.execute(UPSERT, (layer_id, f"r{i % 200}", '{"v": 3}', 1000 + i))

    upsert_text = sqlalchemy.text(named(UPSERT))

    def upsert_sa(i: int) -> None:
        with sa.begin():
            sa.execute(upsert_text, {"p0": layer_id, "p1": f"r{i % 200}", "p2": "{}", "p3": i})

    def upsert_sa_driver(i: int) -> None:
        with sa.begin():
            sa.exec_driver_sql(UPSERT, (layer_id, f"r{i % 200}", "{}", i))

    db.connection().execute("PRAGMA synchronous=OFF")  # time the call, not the disk's fsync
    sa.exec_driver_sql("PRAGMA synchronous=OFF")
    sa.commit()
    report.add("upsert_txn.engine_database", per_call(upsert_raw), "µs")
    report.add("upsert_txn.sqlalchemy_driver_sql", per_call(upsert_sa_driver), "µs")
    report.add("upsert_txn.sqlalchemy_text", per_call(upsert_sa), "µs")
    for shape in shapes:
        for tool in ("engine_database", "sqlalchemy_driver_sql", "sqlalchemy_text"):
            report.ratio(
                f"{shape}.{tool}_vs_sqlite3",
                f"{shape}.{tool}",
                f"{shape}.sqlite3",
                "the same statement through sqlite3",
            )
    for tool in ("sqlalchemy_driver_sql", "sqlalchemy_text"):
        report.ratio(
            f"upsert_txn.{tool}_vs_engine",
            f"upsert_txn.{tool}",
            "upsert_txn.engine_database",
            "the same transaction through Database.atomic() on sqlite3",
        )
    sa.close()
    engine.dispose()
    db.close()
    return report


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp)).save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
