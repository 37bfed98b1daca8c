"""Undo and redo: every mutation is a reversible step of its layer's history."""

from __future__ import annotations

from reviewer_app.engine import BASE, Document, LayerEngine
from reviewer_app.engine.history import LABEL_SQL
from tests.engine.conftest import note


def texts(engine: LayerEngine, doc: Document, layer: str) -> list[str]:
    return [r.content["text"]["value"] for r in engine.annotations(doc.id, layer)]


def test_undo_and_redo_a_creation(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "new")])
    assert engine.undo_label(doc.id, "a") == "Add annotation"
    change = engine.undo(doc.id, "a")
    assert change is not None and len(change.deleted) == 1
    assert "new" not in texts(engine, doc, "a")
    assert engine.redo_label(doc.id, "a") == "Add annotation"
    engine.redo(doc.id, "a")
    assert "new" in texts(engine, doc, "a")


def test_undo_a_deletion_of_a_base_record_shows_it_again(
    engine: LayerEngine, doc: Document
) -> None:
    base = engine.annotations(doc.id, BASE)[0]
    engine.delete_records(doc.id, "a", [("annotation", base.id)])
    change = engine.undo(doc.id, "a")
    assert change is not None and change.upserted[0].content == base.content
    assert engine.annotations(doc.id, "a") == engine.annotations(doc.id, BASE)


def test_undo_walks_back_step_by_step(engine: LayerEngine, doc: Document) -> None:
    (rec,) = engine.create_records(doc.id, "a", "annotation", [note(0, 1, "v1")]).upserted
    engine.update_records(doc.id, "a", "annotation", [note(0, 1, "v2", id=rec.id)])
    engine.update_records(doc.id, "a", "annotation", [note(0, 1, "v3", id=rec.id)])
    engine.undo(doc.id, "a")
    assert engine.record(doc.id, "a", "annotation", rec.id).content["text"]["value"] == "v2"
    engine.undo(doc.id, "a")
    assert engine.record(doc.id, "a", "annotation", rec.id).content["text"]["value"] == "v1"
    engine.redo(doc.id, "a")
    assert engine.record(doc.id, "a", "annotation", rec.id).content["text"]["value"] == "v2"


def test_a_new_change_clears_redo(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "x")])
    engine.undo(doc.id, "a")
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "y")])
    assert engine.redo_label(doc.id, "a") is None
    assert engine.redo(doc.id, "a") is None


def test_nothing_to_undo(engine: LayerEngine, doc: Document) -> None:
    assert engine.undo(doc.id, "a") is None
    assert engine.undo_label(doc.id, "") is None


def test_history_is_per_layer(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "in a")])
    engine.create_records(doc.id, "b", "annotation", [note(0, 1, "in b")])
    engine.undo(doc.id, "a")
    assert "in b" in texts(engine, doc, "b")
    assert "in a" not in texts(engine, doc, "a")


def test_undo_moves_the_revision_forward(engine: LayerEngine, doc: Document) -> None:
    first = engine.create_records(doc.id, "a", "annotation", [note(0, 1, "x")])
    undone = engine.undo(doc.id, "a")
    assert undone is not None and undone.revision == first.revision + 1
    changes = engine.changes_since(doc.id, "a", first.revision)
    assert changes.deleted == (first.upserted[0].key,) and changes.upserted == ()


def test_batch_is_one_step(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(0, i, f"n{i}") for i in range(4)])
    assert engine.undo_label(doc.id, "a") == "Add 4 annotations"
    engine.undo(doc.id, "a")
    assert engine.annotations(doc.id, "a") == engine.annotations(doc.id, BASE)


def test_undo_and_redo_are_named_from_an_index_not_the_steps(
    engine: LayerEngine, doc: Document, store: str
) -> None:
    """A step of thousands of records is megabytes of JSON in its row: naming Undo and Redo
    (at every layer shown) reads the index of labels only (SQLite's plan: PostgreSQL plans
    by its statistics, which a test's few rows do not make)."""
    engine.create_records(doc.id, "a", "annotation", [note(0, i, f"n{i}") for i in range(300)])
    engine.create_records(doc.id, "a", "annotation", [note(1, 1, "last")])
    engine.undo(doc.id, "a")
    assert (engine.undo_label(doc.id, "a"), engine.redo_label(doc.id, "a")) == (
        "Add 300 annotations",
        "Add annotation",
    )
    for order in ("ASC", "DESC") if store == "sqlite" else ():
        plan = engine._conn.execute(f"EXPLAIN QUERY PLAN {LABEL_SQL.format(order)}", (1, 0))
        assert [row[3] for row in plan] == [
            "SEARCH history USING COVERING INDEX history_labels (layer_id=? AND undone=?)"
        ]
