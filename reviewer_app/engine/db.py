"""SQLite access: the one place that knows the pragmas, the transaction primitive, migrations,
and which SQLite failures are the environment's (a :class:`StorageError`) rather than our bugs."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from reviewer_app.engine.errors import StorageError
from reviewer_app.engine.schema import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000

ENVIRONMENT_FAILURES: dict[int, str] = {
    3: "no permission to use the layer database",  # SQLITE_PERM
    5: "the layer database is busy: another program holds its lock",  # SQLITE_BUSY
    6: "the layer database is locked",  # SQLITE_LOCKED
    7: "out of memory working on the layer database",  # SQLITE_NOMEM
    8: "the layer database cannot be written: the file or its folder is read-only",  # READONLY
    10: "the disk failed reading or writing the layer database",  # SQLITE_IOERR
    11: "the layer database is damaged",  # SQLITE_CORRUPT
    13: "the disk holding the layer database is full",  # SQLITE_FULL
    14: "the layer database cannot be opened",  # SQLITE_CANTOPEN
    15: "the layer database's lock cannot be taken",  # SQLITE_PROTOCOL
    22: "the layer database is too large for this file system",  # SQLITE_NOLFS
    26: "the file is not a layer database",  # SQLITE_NOTADB
}
"""The failures of the environment, by SQLite primary result code, as a sentence for the user.
Every other code (a syntax error, "no such column", a constraint, misuse) is our bug and
propagates as the ``sqlite3`` exception it is."""


def storage_error(exc: sqlite3.Error, path: Path) -> StorageError | None:
    """The :class:`StorageError` to raise for ``exc`` if the environment failed; None for a bug."""
    code = getattr(exc, "sqlite_errorcode", None)
    sentence = None if code is None else ENVIRONMENT_FAILURES.get(code & 0xFF)
    if sentence is None:
        return None
    return StorageError(f"{sentence} ({path}: {exc})")


@contextmanager
def environment_failures(path: Path) -> Iterator[None]:
    """Turn SQLite failures of the environment into :class:`StorageError`; others pass."""
    try:
        yield
    except sqlite3.Error as exc:
        problem = storage_error(exc, path)
        if problem is None:
            raise
        raise problem from exc


class Rows(Protocol):
    """What the engine reads of a statement's answer (a ``sqlite3.Cursor`` is one)."""

    @property
    def rowcount(self) -> int: ...
    @property
    def lastrowid(self) -> int | None: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What the engine's modules use of a connection: a ``sqlite3.Connection`` on the desktop,
    a :class:`~reviewer_app.engine.pg_store.PgConnection` on PostgreSQL."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Rows: ...
    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Rows: ...
    @property
    def in_transaction(self) -> bool: ...


class Store(Protocol):
    """A layer database: the SQLite file (:class:`Database`) or PostgreSQL."""

    def connection(self) -> Connection: ...
    def atomic(self) -> AbstractContextManager[Connection]: ...
    def close(self) -> None: ...


def open_store(location: Path | str, pool_size: int | None = None) -> Store:
    """The layer database at ``location``: a SQLite file (a path or ``sqlite:///path``,
    migrated here, as the desktop always did) or a ``postgresql://`` URL (migrated by
    ``reviewer-server migrate``), with at most ``pool_size`` connections (default
    :data:`~reviewer_app.engine.pg_store.POOL_SIZE`; SQLite has one a thread)."""
    if isinstance(location, str) and location.startswith(("postgresql://", "postgres://")):
        from reviewer_app.engine.pg_store import POOL_SIZE, PostgresDatabase

        return PostgresDatabase(location, pool_size=pool_size or POOL_SIZE)
    if isinstance(location, str) and location.startswith("sqlite:///"):
        location = location.removeprefix("sqlite://")
    return Database(Path(location))


def lock(conn: Connection, *names: str) -> None:
    """Take turns with every other process writing ``names`` (a layer: its document's id and
    its name) until the transaction ends. SQLite's ``BEGIN IMMEDIATE`` already lets one writer
    at a time; PostgreSQL takes an advisory lock (see :mod:`~reviewer_app.engine.pg_store`)."""
    if not isinstance(conn, sqlite3.Connection):
        conn.lock(*names)  # type: ignore[attr-defined]


def utc_now() -> str:
    """The current time as ISO 8601 UTC with milliseconds, e.g. ``2026-11-23T10:00:00.123Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def connect(path: Path) -> sqlite3.Connection:
    """Open ``path`` with our pragmas: WAL, foreign keys, full sync, a busy timeout."""
    with environment_failures(path):
        conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except BaseException:
            conn.close()
            raise
    return conn


class Database:
    """A database file shared by threads: one connection per thread, one writer at a time.

    ``atomic()`` is the only way to write: the outermost call takes the write lock and runs
    ``BEGIN IMMEDIATE``; nested calls become savepoints. Opening and writing raise
    :class:`StorageError` when the environment fails (see :data:`ENVIRONMENT_FAILURES`).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._all: list[tuple[sqlite3.Connection, threading.Thread]] = []
        self._all_lock = threading.Lock()
        try:
            with environment_failures(path):
                migrate(self.connection(), backup_to=path)
        except BaseException:
            self.close()
            raise

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            self._local.conn = conn
            self._local.depth = 0
            with self._all_lock:
                self._all.append((conn, threading.current_thread()))
        return conn

    @property
    def open_connections(self) -> int:
        """How many connections are open (one for each thread that used the database)."""
        with self._all_lock:
            return len(self._all)

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """A transaction (or a savepoint inside one): committed on success, undone on error.

        A failure of the environment (disk full, database locked or read-only, I/O error,
        damaged file) raises :class:`StorageError`; any other SQLite error is a bug and
        propagates as itself."""
        conn = self.connection()
        depth: int = self._local.depth
        if depth == 0:
            self._write_lock.acquire()
        name = f"sp{depth}"
        try:
            with environment_failures(self.path):
                conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {name}")
        except BaseException:
            if depth == 0:
                self._write_lock.release()
            raise
        self._local.depth = depth + 1
        try:
            with environment_failures(self.path):
                try:
                    yield conn
                except BaseException:
                    _undo(conn, depth, name)
                    raise
                try:
                    conn.execute("COMMIT" if depth == 0 else f"RELEASE {name}")
                except BaseException:
                    _undo(conn, depth, name)
                    raise
        finally:
            self._local.depth = depth
            if depth == 0:
                self._write_lock.release()

    def close(self) -> None:
        """Close this thread's connection and those of threads that ended. A thread still
        running (a background task the window abandoned, such as a sync) may be inside a
        statement: closing its connection under it would crash the process, so its statement
        is interrupted instead (it fails with "interrupted") and its connection closes with
        the thread. A thread that reads again opens a new connection, as before."""
        with self._all_lock:
            for conn, thread in self._all:
                if thread is threading.current_thread() or not thread.is_alive():
                    conn.close()
                else:
                    conn.interrupt()
            self._all.clear()
        self._local = threading.local()


def _undo(conn: sqlite3.Connection, depth: int, name: str) -> None:
    """Roll back the transaction (depth 0) or the savepoint ``name``, unless SQLite already
    rolled the whole transaction back itself (it does on a full disk or an I/O error)."""
    if not conn.in_transaction:
        return
    if depth == 0:
        conn.execute("ROLLBACK")
    else:
        conn.execute(f"ROLLBACK TO {name}")
        conn.execute(f"RELEASE {name}")


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
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return newest
