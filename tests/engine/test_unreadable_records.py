"""A stored record that no reader can take (written by another program or an older version,
straight into the SQLite file) is reported and skipped: it never breaks the whole layer."""

from __future__ import annotations

import json
import logging
import sqlite3

import pytest

from reviewer_app.engine import Document, LayerEngine
from reviewer_app.engine.layer_engine import DATABASE_NAME
from tests.engine.conftest import note


def deep_json(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


UNREADABLE = {
    "deep": json.dumps(note(0, 1, "x"))[:-1] + ', "customData": ' + deep_json(300) + "}",
    "very-deep": json.dumps(note(0, 1, "x"))[:-1] + ', "customData": ' + deep_json(5000) + "}",
    "surrogate": json.dumps(note(0, 1, "x"))[:-1] + ', "customData": {"k": "\\ud800"}}',
    "not-json": '{"v": 2, "type": "pspdfkit/note", ',
    "not-object": "[1, 2, 3]",
}


def plant(engine: LayerEngine, doc: Document, layer: str, rows: dict[str, str]) -> None:
    """Write ``rows`` (id → content text) into the layer as annotations, as another program
    would: straight into the database file, a new revision for them."""
    with sqlite3.connect(engine.data_dir / DATABASE_NAME) as conn:
        layer_id, revision = conn.execute(
            "SELECT id, revision FROM layers WHERE document_id = ? AND name = ?", (doc.id, layer)
        ).fetchone()
        revision += 1
        conn.execute("UPDATE layers SET revision = ? WHERE id = ?", (revision, layer_id))
        conn.executemany(
            "INSERT INTO layer_records (layer_id, kind, id, ord, page_index, content, revision, "
            "updated_at) VALUES (?, 'annotation', ?, NULL, 0, ?, ?, '2024-01-01T00:00:00.000Z')",
            [(layer_id, rid, text, revision) for rid, text in rows.items()],
        )
    conn.close()


@pytest.fixture
def planted(engine: LayerEngine, doc: Document) -> str:
    engine.create_records(doc.id, "s", "annotation", [note(1, 5, "kept", id="good")])
    plant(engine, doc, "s", UNREADABLE)
    return "s"


def test_reads_skip_unreadable_records_and_say_so(
    engine: LayerEngine, doc: Document, planted: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="reviewer_app.engine.unreadable")
    ids = {r.id for r in engine.annotations(doc.id, planted)}
    assert "good" in ids and not ids & UNREADABLE.keys()
    reported = [json.loads(r.getMessage()) for r in caplog.records]
    assert {e["id"] for e in reported} == set(UNREADABLE)
    assert all(e["event"] == "unreadable record" and e["problem"] for e in reported)
    assert {r.id for r in engine.records(doc.id, planted, "annotation", 0)} <= ids
    for rid in UNREADABLE:
        with pytest.raises(Exception, match="no annotation"):
            engine.record(doc.id, planted, "annotation", rid)


def test_sync_and_exports_skip_them_too(engine: LayerEngine, doc: Document, planted: str) -> None:
    feed = engine.changes_feed(doc.id, planted, 0)
    assert [r.id for r, _ in feed.upserted] == ["good"] and feed.deleted == ()
    changes = engine.changes_since(doc.id, planted, 0)
    assert [r.id for r in changes.upserted] == ["good"] and changes.deleted == ()
    exported = engine.export_instant(doc.id, planted)
    assert "good" in {a["id"] for a in exported["annotations"]}
    json.dumps(exported, ensure_ascii=False).encode()  # it can be written as an answer
    assert [r.id for r in engine.layer_export(doc.id, planted).write] == ["good"]
    assert "good" in {r.id for r in engine.diff(doc.id, planted, "*base").only_a}
