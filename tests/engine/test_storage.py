"""The database as a file: refusing damaged or newer files, backups before migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reviewer_app.engine import LayerEngine, StorageError
from reviewer_app.engine import db as dbmod
from reviewer_app.engine.layer_engine import DATABASE_NAME


def test_a_file_that_is_not_a_database_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / DATABASE_NAME).write_bytes(b"\x00garbage" * 512)
    with pytest.raises(StorageError, match="not a database"):
        LayerEngine(tmp_path)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    LayerEngine(tmp_path).close()
    with sqlite3.connect(tmp_path / DATABASE_NAME) as conn:
        conn.execute("INSERT INTO migrations VALUES (999, 'from the future', 'x')")
    conn.close()
    with pytest.raises(StorageError, match="newer than this program"):
        LayerEngine(tmp_path)


def test_migrating_existing_data_keeps_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with LayerEngine(tmp_path) as engine:
        engine.add_document(b"%PDF-1.7 x", records=[], page_count=1)
    newest = max(v for v, _, _ in dbmod.MIGRATIONS)
    extra = (newest + 1, "test column", "CREATE TABLE later_things (x INTEGER)")
    monkeypatch.setattr(dbmod, "MIGRATIONS", [*dbmod.MIGRATIONS, extra])
    with LayerEngine(tmp_path) as engine:
        versions = [r[0] for r in engine.db.connection().execute("SELECT version FROM migrations")]
        assert versions[-1] == newest + 1
    backup = tmp_path / f"{DATABASE_NAME}.before-v{newest + 1}"
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "later_things" not in tables


def test_a_failed_migration_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    LayerEngine(tmp_path).close()
    broken = (99, "broken", "CREATE TABLE half (x INTEGER);\nTHIS IS NOT SQL")
    monkeypatch.setattr(dbmod, "MIGRATIONS", [*dbmod.MIGRATIONS, broken])
    with pytest.raises(sqlite3.OperationalError, match="syntax error"):  # our bug, not the disk's
        LayerEngine(tmp_path)
    monkeypatch.undo()
    with LayerEngine(tmp_path) as engine:
        tables = {r[0] for r in engine.db.connection().execute("SELECT name FROM sqlite_master")}
    assert "half" not in tables


def test_forgetting_old_idempotency_keys_reads_only_those(tmp_path: Path) -> None:
    """Every push deletes the keys past their lifetime: through the index by age, not by
    reading every key ever remembered."""
    LayerEngine(tmp_path).close()
    with sqlite3.connect(tmp_path / DATABASE_NAME) as conn:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN DELETE FROM sync_pushes WHERE created_at < ?", ("x",)
        ).fetchall()
    conn.close()
    assert any("SEARCH sync_pushes USING" in str(row[-1]) for row in plan), plan
    assert any("INDEX sync_pushes_by_age" in str(row[-1]) for row in plan), plan
