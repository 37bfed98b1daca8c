"""Moving a class server up: copy every row of a SQLite layer database into another store (a
migrated, empty PostgreSQL database), then check that every layer reads the same in both.

The PDFs and pictures are files in the data folder, named by their SHA-256: they stay where
they are (the server that serves the new database is given the same folder)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reviewer_app.engine.db import Database, Store
from reviewer_app.engine.errors import Conflict

TABLES = (
    "documents",
    "base_records",
    "layers",
    "layer_records",
    "history",
    "sync_pushes",
    "sync_layers",
    "sync_records",
    "sync_conflicts",
    "deleted_layers",
    "deleted_layer_records",
    "deleted_layer_history",
    "attachment_uploads",
    "grading_schemes",
    "grading_students",
    "comment_bank",
    "grading_roles",
    "grading_marks",
    "grading_role_revisions",
)
"""Every table of the schema but ``migrations``, parents before children."""

BATCH = 1000
_LAYER_ROWS = (
    "SELECT kind, id, ord, page_index, content, created_by, updated_by, grp, revision, "
    "updated_at FROM layer_records WHERE layer_id = ?"
)
_HISTORY_ROWS = "SELECT seq, label, items, undone, created_at FROM history WHERE layer_id = ?"


@dataclass
class CopyReport:
    """How many rows each table had and received, and every difference found afterwards."""

    copied: dict[str, int] = field(default_factory=dict)
    layers_checked: int = 0
    records_checked: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _batches(cursor: sqlite3.Cursor) -> Iterator[list[Any]]:
    while rows := cursor.fetchmany(BATCH):
        yield rows


def copy_store(source: Database, target: Store) -> CopyReport:
    """Copy every row of ``source`` into ``target`` (Conflict unless it holds no document) in
    one transaction on each side (a consistent snapshot of a server still running), then
    compare (:func:`compare`)."""
    report = CopyReport()
    if target.connection().execute("SELECT count(*) FROM documents").fetchone()[0]:
        raise Conflict("the target database already holds documents: give an empty one")
    read = sqlite3.connect(source.path)  # its own connection: one read transaction
    try:
        read.execute("BEGIN")
        with target.atomic() as conn:
            for table in TABLES:
                names = columns(read, table)
                listed = ", ".join(names)
                insert = f"INSERT INTO {table} ({listed}) VALUES ({', '.join('?' for _ in names)})"
                count = 0
                for rows in _batches(read.execute(f"SELECT {listed} FROM {table}")):
                    conn.executemany(insert, rows)
                    count += len(rows)
                report.copied[table] = count
            if not isinstance(conn, sqlite3.Connection):
                from reviewer_app.engine.pg_store import PgConnection, renumber

                assert isinstance(conn, PgConnection)
                renumber(conn)
        read.execute("COMMIT")
    finally:
        read.close()
    compare(source, target, report)
    return report


def compare(source: Database, target: Store, report: CopyReport) -> None:
    """Add to ``report`` every difference between the two stores: a table's row count, a
    layer missing or with another uid or revision, and a layer's records or history."""
    src, dst = source.connection(), target.connection()
    for table in TABLES:
        a = src.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        b = dst.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if a != b:
            report.differences.append(f"{table}: {a} rows in the source, {b} in the target")
    listing = "SELECT id, document_id, name, uid, revision FROM layers"
    theirs = {(r[1], r[2]): r for r in dst.execute(listing).fetchall()}
    for layer_id, document_id, name, uid, revision in src.execute(listing).fetchall():
        report.layers_checked += 1
        where = f"layer {name!r} of document {document_id}"
        other = theirs.get((document_id, name))
        if other is None:
            report.differences.append(f"{where} is missing")
            continue
        if (other[3], other[4]) != (uid, revision):
            report.differences.append(
                f"{where}: uid {uid} revision {revision} became {other[3]} revision {other[4]}"
            )
        mine = sorted(tuple(r) for r in src.execute(_LAYER_ROWS, (layer_id,)).fetchall())
        copied = sorted(tuple(r) for r in dst.execute(_LAYER_ROWS, (other[0],)).fetchall())
        report.records_checked += len(mine)
        if mine != copied:
            report.differences.append(f"{where}: its records differ")
        steps = sorted(tuple(r) for r in src.execute(_HISTORY_ROWS, (layer_id,)).fetchall())
        copied_steps = dst.execute(_HISTORY_ROWS, (other[0],)).fetchall()
        if steps != sorted(tuple(r) for r in copied_steps):
            report.differences.append(f"{where}: its history differs")
