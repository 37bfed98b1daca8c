"""SQLite access: the one place that knows the pragmas, the transaction primitive, migrations."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from reviewer_app.engine.errors import StorageError
from reviewer_app.engine.schema import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000


def utc_now() -> str:
    """The current time as ISO 8601 UTC with milliseconds, e.g. ``2026-11-23T10:00:00.123Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def connect(path: Path) -> sqlite3.Connection:
    """Open ``path`` with our pragmas: WAL, foreign keys, full sync, a busy timeout."""
    try:
        conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"cannot open the layer database {path}: {exc}") from exc
    return conn


class Database:
    """A database file shared by threads: one connection per thread, one writer at a time.

    ``atomic()`` is the only way to write: the outermost call takes the write lock and runs
    ``BEGIN IMMEDIATE``; nested calls become savepoints.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        try:
            migrate(self.connection(), backup_to=path)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StorageError(f"{path} is not a usable layer database: {exc}") from exc

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            self._local.conn = conn
            self._local.depth = 0
            with self._all_lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """A transaction (or a savepoint inside one): committed on success, undone on error."""
        conn = self.connection()
        depth: int = self._local.depth
        if depth == 0:
            self._write_lock.acquire()
        name = f"sp{depth}"
        try:
            conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {name}")
        except sqlite3.OperationalError as exc:
            if depth == 0:
                self._write_lock.release()
            raise StorageError(f"the layer database is busy or read-only: {exc}") from exc
        self._local.depth = depth + 1
        try:
            yield conn
        except BaseException as exc:
            if depth == 0:
                conn.execute("ROLLBACK")
            else:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            if isinstance(exc, sqlite3.OperationalError):
                raise StorageError(f"could not write to the layer database: {exc}") from exc
            raise
        else:
            try:
                conn.execute("COMMIT" if depth == 0 else f"RELEASE {name}")
            except sqlite3.OperationalError as exc:
                conn.execute("ROLLBACK")
                raise StorageError(f"could not save to the layer database: {exc}") from exc
        finally:
            self._local.depth = depth
            if depth == 0:
                self._write_lock.release()

    def close(self) -> None:
        """Close every thread's connection."""
        with self._all_lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


def migrate(conn: sqlite3.Connection, backup_to: Path | None = None) -> int:
    """Apply the migrations this database lacks; returns the schema version.

    Before changing a database that already has data, a copy is saved beside ``backup_to``
    as ``<name>.before-v<N>`` (N = the newest schema version it will have)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied = {row[0] for row in conn.execute("SELECT version FROM migrations")}
    newest = max((v for v, _, _ in MIGRATIONS), default=0)
    if applied and max(applied) > newest:
        raise StorageError(
            f"the layer database has schema version {max(applied)}, newer than this "
            f"program understands ({newest}); update Reviewer"
        )
    pending = [m for m in MIGRATIONS if m[0] not in applied]
    if applied and pending and backup_to is not None:
        backup = backup_to.with_name(f"{backup_to.name}.before-v{newest}")
        with sqlite3.connect(backup) as target:
            conn.backup(target)
        target.close()
    for version, name, script in pending:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in script.split(";\n"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, utc_now()),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return newest
