"""``reviewer-server migrate`` and ``migrate-store``: the database's schema, and moving a class
server's SQLite database up to PostgreSQL."""

from __future__ import annotations

import argparse
import os
from contextlib import closing
from pathlib import Path

from reviewer_app.engine.db import Database
from reviewer_app.engine.engine_core import DATABASE_NAME
from reviewer_app.engine.errors import StorageError
from reviewer_app.server.config import ConfigError, check_database, default_data_dir


def database_of(args: argparse.Namespace) -> str | None:
    """``--database``, else ``DATABASE_URL``; None for the data folder's SQLite file."""
    url: str | None = args.database or os.environ.get("DATABASE_URL") or None
    check_database(url)
    return url


def cmd_migrate(args: argparse.Namespace) -> int:
    url = database_of(args)
    if url is None or url.startswith("sqlite:///"):
        path = (
            Path(url.removeprefix("sqlite://"))
            if url
            else Path(args.data_dir or default_data_dir()) / DATABASE_NAME
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        Database(path).close()  # SQLite migrates itself on opening, as on the desktop
        print(f"{path}: the schema is up to date")
        return 0
    import psycopg

    from reviewer_app.engine.pg_store import apply_migrations, environment_failures, shown

    with environment_failures(url), psycopg.connect(url, autocommit=True) as conn:
        done = apply_migrations(conn)
    versions = ", ".join(str(v) for v in done)
    print(f"{shown(url)}: " + (f"applied migrations {versions}" if done else "up to date"))
    return 0


def cmd_migrate_store(args: argparse.Namespace) -> int:
    source, target = args.source, args.target
    if not source.startswith("sqlite:///"):
        raise ConfigError(f"--from must be sqlite:///path/to/layers.sqlite3, not {source[:60]!r}")
    check_database(target)
    path = Path(source.removeprefix("sqlite://"))
    if not path.is_file():
        raise ConfigError(f"--from: there is no SQLite database at {path}")
    if target.startswith(("postgresql://", "postgres://")):
        import psycopg

        from reviewer_app.engine.pg_store import apply_migrations, environment_failures

        with environment_failures(target), psycopg.connect(target, autocommit=True) as conn:
            apply_migrations(conn)
    from reviewer_app.engine.db import open_store
    from reviewer_app.engine.store_copy import copy_store

    with closing(Database(path)) as src, closing(open_store(target)) as dst:
        report = copy_store(src, dst)
    counts = ", ".join(f"{table} {n}" for table, n in report.copied.items() if n)
    print(f"copied rows: {counts or 'none'}")
    print(
        f"checked {report.layers_checked} layers ({report.records_checked} records): "
        + (
            "every layer's records, history and revision are identical"
            if report.identical
            else f"{len(report.differences)} differences"
        )
    )
    for difference in report.differences:
        print(f"  {difference}")
    print("the PDFs and pictures stay in the data folder: serve it with --database " + target)
    if not report.identical:
        raise StorageError("the copy differs from the source (listed above)")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``migrate`` and ``migrate-store`` to the ``reviewer-server`` parser."""
    p = sub.add_parser("migrate", help="bring the database's schema up to date (run once)")
    p.add_argument("--database", metavar="URL", help="postgresql://… (default: DATABASE_URL)")
    p.add_argument("--data-dir", help="the SQLite server's data folder (no --database)")
    p.set_defaults(run=cmd_migrate)
    p = sub.add_parser("migrate-store", help="copy a SQLite server's data into PostgreSQL")
    p.add_argument("--from", dest="source", required=True, metavar="sqlite:///PATH")
    p.add_argument("--to", dest="target", required=True, metavar="postgresql://…")
    p.set_defaults(run=cmd_migrate_store)
