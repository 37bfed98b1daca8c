"""Layer summaries kept between calls (by layer uid and revision) never go stale: after
changes, a new layer, a deleted and a restored one, they are what a fresh engine counts."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg

from reviewer_app.engine import Document, LayerEngine
from reviewer_app.engine.pg_store import apply_migrations
from reviewer_app.engine.summaries import _OWN
from tests.engine.conftest import base_records, note


def fresh(engine: LayerEngine, doc: Document) -> list[object]:
    with LayerEngine(engine.data_dir, engine.database) as other:
        return list(other.layer_summaries(doc.id))


def test_kept_counts_follow_every_change(engine: LayerEngine, doc: Document) -> None:
    for n in range(12):  # all new: counted all at once first
        engine.create_records(
            doc.id, f"s{n}", "annotation", [note(0, n, "hi", creatorName=f"A{n}")]
        )
    assert engine.layer_summaries(doc.id) == fresh(engine, doc)
    base_id = base_records(5)[0].id
    engine.delete_records(doc.id, "s3", [("annotation", base_id)])  # hides a base record
    engine.create_records(doc.id, "s4", "annotation", [note(1, 9, "more", creatorName="Zoe")])
    engine.create_records(doc.id, "new", "annotation", [note(2, 3, "new", creatorName="Ned")])
    engine.delete_layer(doc.id, "s5")
    shown = {s.name: s for s in engine.layer_summaries(doc.id)}
    assert list(shown.values()) == fresh(engine, doc)
    assert shown["s3"].annotations == shown["s0"].annotations - 1
    assert shown["s4"].authors == ("A4", "Zoe") and "s5" not in shown
    engine.restore_layer(doc.id)  # the newest deletion: s5 again
    restored = {s.name: s for s in engine.layer_summaries(doc.id)}
    assert restored["s5"].authors == ("A5",)
    assert list(restored.values()) == fresh(engine, doc)


def test_the_count_reads_the_authors_index_not_the_records(tmp_path: Path) -> None:
    """On the desktop's SQLite (PostgreSQL's plans read otherwise; its counts are checked
    by the other tests)."""
    with LayerEngine(tmp_path) as engine:
        document = engine.add_document(b"%PDF-1.7 x", records=[], page_count=1)
        engine.create_records(document.id, "s", "annotation", [note(0, 1, "a")])
        sql = _OWN.format(where="l.id IN (?)")
        plan = [row[-1] for row in engine._conn.execute(f"EXPLAIN QUERY PLAN {sql}", (1,))]
    assert "SEARCH r USING COVERING INDEX layer_records_authors (layer_id=?) LEFT-JOIN" in plan


def test_a_database_from_before_the_authors_column_counts_as_it_did(
    engine: LayerEngine, doc: Document, store: str
) -> None:
    """Migration 12 fills the column from the rows a version 11 database holds: an author
    from the record (or from who created it), none for a deletion, and text that is not
    JSON (another program's) does not stop the migration."""
    engine.create_records(doc.id, "s", "annotation", [note(0, 1, "a", creatorName="Ann")])
    engine.create_records(doc.id, "s", "annotation", [note(0, 2, "b")], user="Uma")
    engine.delete_records(doc.id, "s", [("annotation", base_records(5)[0].id)])
    engine.create_records(doc.id, "t", "annotation", [note(1, 1, "c", creatorName="Bob")])
    engine.create_records(doc.id, "gone", "annotation", [note(1, 1, "d", creatorName="Gil")])
    engine.delete_layer(doc.id, "gone")  # in the trash: its rows wait there
    written = {s.name: s for s in engine.layer_summaries(doc.id)}
    assert written["s"].annotations == 6 and written["s"].authors == ("Ann", "Uma")
    with engine.db.atomic() as conn:  # back to version 11, plus a row another program wrote
        conn.execute("DROP INDEX layer_records_authors")
        conn.execute("ALTER TABLE layer_records DROP COLUMN shown_by")
        conn.execute("ALTER TABLE deleted_layer_records DROP COLUMN shown_by")
        conn.execute("DELETE FROM migrations WHERE version = 12")
        layer_id = conn.execute("SELECT id FROM layers WHERE name = 's'").fetchone()[0]
        conn.execute(
            "INSERT INTO layer_records (layer_id, kind, id, content, created_by, revision, "
            "updated_at) VALUES (?, 'annotation', 'planted', '{\"v\": 2, ', 'Pat', 9, 'x')",
            (layer_id,),
        )
    if store == "postgresql":
        with engine.db.atomic() as conn:
            conn.execute("DROP FUNCTION json_valid(text)")
        assert engine.database is not None
        with psycopg.connect(engine.database, autocommit=True) as pg:
            assert apply_migrations(pg) == [12]
    with LayerEngine(engine.data_dir, engine.database) as migrated:
        shown = {s.name: s for s in migrated.layer_summaries(doc.id)}
        assert shown["s"].annotations == written["s"].annotations + 1
        assert shown["s"].authors == ("Ann", "Pat", "Uma")
        assert shown["t"].authors == ("Bob",) and shown["t"].annotations == 6
        migrated.restore_layer(doc.id)
        restored = {s.name: s for s in migrated.layer_summaries(doc.id)}
        assert restored["gone"].authors == ("Gil",) and restored["gone"].annotations == 6


def test_a_sync_s_new_layers_are_counted_alone(tmp_path: Path) -> None:
    """Counting 10 new layers among 30 counted before reads those 10 layers' rows (it used
    to count all 40 once more than 8 were new); all new at once: the document's."""
    with LayerEngine(tmp_path) as engine:
        document = engine.add_document(b"%PDF-1.7 x", records=[], page_count=1)
        for n in range(30):
            engine.create_records(document.id, f"s{n}", "annotation", [note(0, n, "a")])
        statements: list[str] = []
        engine._conn.set_trace_callback(statements.append)
        engine.layer_summaries(document.id)
        for n in range(10):
            engine.create_records(document.id, f"new{n}", "annotation", [note(0, n, "b")])
        engine.layer_summaries(document.id)
        engine._conn.set_trace_callback(None)
    counts = [s for s in statements if "LEFT JOIN layer_records" in s]
    assert len(counts) == 2 and "l.document_id" in counts[0]
    named = re.search(r"l\.id IN \(([^)]*)\)", counts[1])
    assert named is not None and len(named.group(1).split(",")) == 10
