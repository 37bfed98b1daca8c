"""Which failures are the environment's (StorageError) and which are our bugs (propagated)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer_app.engine import Document, LayerEngine, StorageError
from reviewer_app.engine import db as dbmod
from reviewer_app.engine.layer_engine import DATABASE_NAME
from tests.engine.conftest import PDF_BYTES, base_records, note


@pytest.fixture
def quick_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LayerEngine]:
    """An engine that gives up on a locked database after 50 ms instead of 10 s."""
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 50)
    with LayerEngine(tmp_path / "data") as engine:
        yield engine


def _document(engine: LayerEngine) -> Document:
    return engine.add_document(PDF_BYTES, records=base_records(3), page_count=3)


def _texts(engine: LayerEngine, doc: Document, layer: str) -> list[str]:
    return [r.content["text"]["value"] for r in engine.annotations(doc.id, layer)]


def test_a_database_another_program_holds_locked_is_a_storage_error(
    quick_engine: LayerEngine,
) -> None:
    doc = _document(quick_engine)
    other = sqlite3.connect(quick_engine.db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError, match="busy: another program holds its lock"):
            quick_engine.create_records(doc.id, "a", "annotation", [note(0, 1, "blocked")])
    finally:
        other.execute("ROLLBACK")
        other.close()
    quick_engine.create_records(doc.id, "a", "annotation", [note(0, 1, "later")])
    assert "later" in _texts(quick_engine, doc, "a")


def test_a_read_only_database_is_a_storage_error(engine: LayerEngine, doc: Document) -> None:
    # tests run as root too, where a 0444 file is still writable: ask SQLite for read-only
    engine.db.connection().execute("PRAGMA query_only = ON")
    with pytest.raises(StorageError, match="cannot be written"):
        engine.create_records(doc.id, "a", "annotation", [note(0, 1, "x")])
    engine.db.connection().execute("PRAGMA query_only = OFF")
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "y")])
    assert [t for t in _texts(engine, doc, "a") if t in ("x", "y")] == ["y"]


def test_a_full_disk_is_a_storage_error_and_keeps_what_was_there(
    engine: LayerEngine, doc: Document
) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "kept")])
    conn = engine.db.connection()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: a full disk
    big = [note(i % 3, 1, "x" * 2000) for i in range(200)]
    with pytest.raises(StorageError, match="full"):
        engine.create_records(doc.id, "a", "annotation", big)
    assert "kept" in _texts(engine, doc, "a")
    assert len(engine.annotations(doc.id, "a")) == 6


def test_a_file_that_is_not_a_database_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / DATABASE_NAME).write_bytes(b"not SQLite at all " * 1000)
    with pytest.raises(StorageError, match="not a layer database"):
        LayerEngine(tmp_path)


def test_a_damaged_database_is_a_storage_error(tmp_path: Path) -> None:
    with LayerEngine(tmp_path) as engine:
        _document(engine)
        engine.db.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = tmp_path / DATABASE_NAME
    data = bytearray(path.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)  # the header survives, every page is garbage
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="damaged"):
        LayerEngine(tmp_path)


def test_a_folder_that_cannot_hold_the_database_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / DATABASE_NAME).mkdir()  # a folder where the file should be
    with pytest.raises(StorageError, match="cannot be opened"):
        LayerEngine(tmp_path)


def test_a_bad_statement_is_our_bug_and_propagates(engine: LayerEngine, doc: Document) -> None:
    with pytest.raises(sqlite3.OperationalError, match="no such column"), engine.db.atomic() as c:
        c.execute("DELETE FROM layers")
        c.execute("SELECT no_such_column FROM layers")
    with pytest.raises(sqlite3.OperationalError, match="syntax error"), engine.db.atomic() as c:
        c.execute("SELEC 1")
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "after the bug")])
    assert "after the bug" in _texts(engine, doc, "a")  # rolled back, lock released


def test_a_bug_in_a_nested_step_undoes_only_that_step(engine: LayerEngine, doc: Document) -> None:
    with engine.db.atomic():
        engine.create_records(doc.id, "a", "annotation", [note(0, 1, "outer")])
        with pytest.raises(sqlite3.IntegrityError), engine.db.atomic() as c:
            engine.create_records(doc.id, "a", "annotation", [note(0, 1, "inner")])
            c.execute(
                "INSERT INTO layers (id, document_id, name, uid, created_at, updated_at) "
                "SELECT id, document_id, name, uid, created_at, updated_at FROM layers"
            )
    texts = _texts(engine, doc, "a")
    assert "outer" in texts
    assert "inner" not in texts
