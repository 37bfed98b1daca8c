"""The PostgreSQL store: the same :class:`~reviewer_app.engine.db.Database` interface as the
SQLite file, over a pool of psycopg 3 connections, for servers whose processes share one
database (issue 21). The engine's SQL is translated by :mod:`~reviewer_app.engine.dialect`.

Transactions run at READ COMMITTED. SQLite serialises every writer (``BEGIN IMMEDIATE``);
here a write transaction takes a transaction-scoped advisory lock on what it is about to read
and change (:meth:`PgConnection.lock`: a layer by document and name, a PDF by SHA-256), so two
processes changing one layer take turns exactly as two threads of one desktop do, and each
statement after the lock sees what the previous holder committed. Other layers go on in
parallel. A lock on the name, not a ``SELECT … FOR UPDATE`` on the layer's row, because a push
or an import may create what it locks: a row lock cannot cover a layer that does not exist yet.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
import psycopg_pool
from psycopg import errors as pg_errors

from reviewer_app.engine.dialect import (
    FUNCTIONS,
    LATER_FUNCTIONS,
    NUMBERED_TABLES,
    schema,
    translate,
)
from reviewer_app.engine.errors import BadRequest, StorageError
from reviewer_app.engine.schema import MIGRATIONS

POOL_SIZE = 8
POOL_TIMEOUT_S = 30.0
PROBE_TIMEOUT_S = 3
"""How long a request waits to learn whether a database that was lost answers again."""
MIGRATION_LOCK = 0x5265766965776572  # "Reviewer": one migrate at a time


def is_url(location: object) -> bool:
    """Whether ``location`` names a PostgreSQL database (a ``postgresql://`` URL)."""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def shown(url: str) -> str:
    """``url`` without its password, for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the PostgreSQL database"
    host, name = info.get("host", "localhost"), info.get("dbname", "")
    return f"postgresql://{host}:{info.get('port', 5432)}/{name}"


def storage_error(exc: BaseException, url: str) -> StorageError | None:
    """The :class:`StorageError` to raise for ``exc`` if the environment failed (the database
    unreachable, shut down, full, read-only, out of connections); None for a bug."""
    where = shown(url)
    if isinstance(exc, psycopg_pool.PoolTimeout):
        return StorageError(f"the layer database is busy: no free connection ({where})")
    sentence = None
    if isinstance(exc, pg_errors.DiskFull):
        sentence = "the disk holding the layer database is full"
    elif isinstance(exc, pg_errors.InsufficientPrivilege):
        sentence = "no permission to use the layer database"
    elif isinstance(exc, pg_errors.ReadOnlySqlTransaction):
        sentence = "the layer database is read-only"
    elif isinstance(exc, pg_errors.DeadlockDetected | pg_errors.SerializationFailure):
        sentence = "the layer database is busy: two changes waited on each other; try again"
    elif isinstance(exc, pg_errors.OperationalError | psycopg.OperationalError):
        sentence = "the layer database cannot be reached"
    if sentence is None:
        return None
    return StorageError(f"{sentence} ({where}: {str(exc).strip()})")


@contextmanager
def environment_failures(url: str) -> Iterator[None]:
    """Turn PostgreSQL failures of the environment into :class:`StorageError`; others pass."""
    try:
        yield
    except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
        problem = storage_error(exc, url)
        if problem is None:
            raise
        raise problem from exc


class NumberLoader(psycopg.adapt.Loader):
    """PostgreSQL's ``numeric`` as SQLite gives a number: an int, or a float when it has a
    fraction (the engine's SQL reads JSON numbers with ``CAST(… AS NUMERIC)``)."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return float(text) if "." in text or not text.lstrip("-").isdigit() else int(text)


def _configure(conn: psycopg.Connection[Any]) -> None:
    conn.adapters.register_loader("numeric", NumberLoader)


class Rows:
    """A statement's answer, read whole (the connection goes back to the pool at once): what
    the engine uses of a ``sqlite3.Cursor``."""

    def __init__(self, rows: list[Any], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid
        self._next = 0

    def fetchone(self) -> Any:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[Any]:
        rest, self._next = self._rows[self._next :], len(self._rows)
        return rest

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


NUL_REFUSED = (
    "text with the NUL character (U+0000) cannot be stored in a PostgreSQL database: "
    "remove it (a name, an id or a user)"
)


def _run(conn: psycopg.Connection[Any], sql: str, params: Sequence[Any]) -> Rows:
    text, returns_id = translate(sql)
    try:
        cur = conn.execute(text, tuple(params), prepare=True)
    except psycopg.DataError as exc:
        if "NUL" in str(exc):  # refused as the value is sent: the only text SQLite stores
            raise BadRequest(NUL_REFUSED) from exc  # and PostgreSQL cannot
        raise
    rows = cur.fetchall() if cur.description is not None else []
    lastrowid = int(rows[-1][0]) if returns_id and rows else None
    return Rows([] if returns_id else rows, cur.rowcount, lastrowid)


class PgConnection:
    """A thread's handle on the database: inside :meth:`PostgresDatabase.atomic` the
    transaction's connection, else a pooled connection borrowed for one statement."""

    def __init__(self, database: PostgresDatabase) -> None:
        self._database = database
        self.held: psycopg.Connection[Any] | None = None
        self.depth = 0
        self.locks: dict[str, int] = {}
        """The advisory locks this transaction holds, each with the depth that took it."""

    @property
    def in_transaction(self) -> bool:
        return self.held is not None

    def execute(self, sql: str, params: Sequence[Any] = (), /) -> Rows:
        with self._database.failures():
            if self.held is not None:
                return _run(self.held, sql, params)
            self._database.reachable()
            with self._database.pool.connection() as conn:
                return _run(conn, sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> Rows:
        text, _ = translate(sql)
        with self._database.failures():
            if self.held is None:
                with self._database.atomic() as conn:
                    return conn.executemany(sql, rows)
            with self.held.cursor() as cur:
                cur.executemany(text, [tuple(r) for r in rows])
                return Rows([], cur.rowcount, None)

    def lock(self, *names: str) -> None:
        """Hold the advisory lock on ``names`` (joined) until the transaction ends; nothing
        outside a transaction (a read takes no lock). A lock the transaction holds already is
        not asked for again: a push finds its layer several times, a round trip each."""
        key = "\x1f".join(names)
        if self.held is not None and key not in self.locks:
            self.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (key,))
            self.locks[key] = self.depth

    def forget_locks(self, deeper_than: int) -> None:
        """A savepoint was rolled back (or the transaction ended): the locks taken inside it
        are gone."""
        self.locks = {k: d for k, d in self.locks.items() if d <= deeper_than}


class PostgresDatabase:
    """A PostgreSQL database shared by threads and processes: a pool of connections, one
    transaction per :meth:`atomic` (nested calls are savepoints).

    The schema is never changed here unless ``migrate`` is given: ``reviewer-server migrate``
    does that once; a database with migrations pending raises :class:`StorageError` saying so.
    """

    def __init__(self, url: str, *, migrate: bool = False, pool_size: int = POOL_SIZE) -> None:
        self.url = url
        self.path = None
        self._local = threading.local()
        self._lost = False
        with environment_failures(url):
            # (one connection first: a database that cannot be reached is said at once, with
            # its reason, not after the pool's 30 s of retries and their warnings)
            psycopg.connect(url, connect_timeout=PROBE_TIMEOUT_S).close()
            self.pool = psycopg_pool.ConnectionPool(
                url,
                min_size=1,
                max_size=pool_size,
                kwargs={"autocommit": True},
                configure=_configure,
                timeout=POOL_TIMEOUT_S,
                open=False,
            )
            try:
                self.pool.open(wait=True, timeout=POOL_TIMEOUT_S)
            except psycopg_pool.PoolTimeout as exc:
                self.pool.close()
                raise StorageError(
                    f"the layer database cannot be reached ({shown(url)}): {exc}"
                ) from exc
        try:
            with environment_failures(url), self.pool.connection() as conn:
                if migrate:
                    apply_migrations(conn)
                missing = pending(conn)
            if missing:
                raise StorageError(
                    f"the database {shown(url)} lacks schema migrations "
                    f"{', '.join(str(v) for v in missing)}: run `reviewer-server migrate "
                    "--database URL` once before serving it"
                )
        except BaseException:
            self.pool.close()
            raise

    @contextmanager
    def failures(self) -> Iterator[None]:
        """:func:`environment_failures`; and when the server was lost (restarted, the network
        cut), the pool's other idle connections are checked and the dead ones replaced, so one
        request fails (a 503 its client retries), not one per connection the pool held."""
        try:
            with environment_failures(self.url):
                yield
        except StorageError as exc:
            if isinstance(exc.__cause__, psycopg.OperationalError):
                self._lost = True
                self.pool.check()
            raise

    def reachable(self) -> None:
        """After the server was lost, whether it answers again, asked on a connection of our
        own: while it is down each request fails at once with "cannot be reached" (a 503) rather
        than waiting for the pool's reconnection and then reporting "busy"."""
        if not self._lost:
            return
        try:
            psycopg.connect(self.url, connect_timeout=PROBE_TIMEOUT_S).close()
        except psycopg.OperationalError as exc:
            raise StorageError(
                f"the layer database cannot be reached ({shown(self.url)}: {str(exc).strip()})"
            ) from exc
        self._lost = False

    def connection(self) -> PgConnection:
        """This thread's handle (the transaction's connection while one is open)."""
        conn: PgConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = PgConnection(self)
        return conn

    @contextmanager
    def atomic(self) -> Iterator[PgConnection]:
        """A transaction (or a savepoint inside one): committed on success, undone on error.
        The environment's failures raise :class:`StorageError`; anything else is a bug."""
        handle = self.connection()
        depth = handle.depth
        if depth == 0:
            with self.failures():
                self.reachable()
                handle.held = self.pool.getconn()
        name = f"sp{depth}"
        held = handle.held
        assert held is not None
        try:
            with self.failures():
                held.execute("BEGIN" if depth == 0 else f"SAVEPOINT {name}")
                handle.depth = depth + 1
                try:
                    yield handle
                except BaseException:
                    _undo(held, depth, name)
                    handle.forget_locks(depth)
                    raise
                try:
                    held.execute("COMMIT" if depth == 0 else f"RELEASE SAVEPOINT {name}")
                except BaseException:
                    _undo(held, depth, name)
                    handle.forget_locks(depth)
                    raise
        finally:
            handle.depth = depth
            if depth == 0:
                handle.held = None
                handle.locks = {}
                self.pool.putconn(held)

    def close(self) -> None:
        """Close every pooled connection."""
        self.pool.close()


def _undo(conn: psycopg.Connection[Any], depth: int, name: str) -> None:
    if conn.closed or conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
        return
    try:
        conn.execute("ROLLBACK" if depth == 0 else f"ROLLBACK TO SAVEPOINT {name}")
        if depth:
            conn.execute(f"RELEASE SAVEPOINT {name}")
    except psycopg.OperationalError:
        pass  # the connection is gone: the server undid the transaction; the pool drops it


def _migrations_table(conn: psycopg.Connection[Any]) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations "
        "(version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )


def pending(conn: psycopg.Connection[Any]) -> list[int]:
    """The migrations this database lacks (StorageError if it is newer than this program)."""
    found = conn.execute("SELECT to_regclass('migrations')").fetchone()
    applied = set()
    if found is not None and found[0] is not None:
        applied = {int(row[0]) for row in conn.execute("SELECT version FROM migrations")}
    newest = max(v for v, _, _ in MIGRATIONS)
    if applied and max(applied) > newest:
        raise StorageError(
            f"the layer database has schema version {max(applied)}, newer than this program "
            f"understands ({newest}); update Reviewer"
        )
    return [v for v, _, _ in MIGRATIONS if v not in applied]


def apply_migrations(conn: psycopg.Connection[Any]) -> list[int]:
    """Apply the migrations the database lacks, each in its own transaction, one process at a
    time; returns the versions applied (the same numbers as SQLite's)."""
    done: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        _migrations_table(conn)
    for version in pending(conn):
        _, name, script = next(m for m in MIGRATIONS if m[0] == version)
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            if version not in pending(conn):
                continue  # another process applied it meanwhile
            if version == 1:
                _statements(conn, FUNCTIONS)
            if version in LATER_FUNCTIONS:
                _statements(conn, LATER_FUNCTIONS[version])
            _statements(conn, schema(script))
            conn.execute(
                "INSERT INTO migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                (version, name, datetime.now(UTC).isoformat(timespec="milliseconds")),
            )
        done.append(version)
    return done


def _statements(conn: psycopg.Connection[Any], script: str) -> None:
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def renumber(handle: PgConnection) -> None:
    """After rows were copied in with their ids: number new rows after the highest id."""
    for table in NUMBERED_TABLES:
        handle.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce(max(id), 0) + 1, false) FROM {table}"
        )
