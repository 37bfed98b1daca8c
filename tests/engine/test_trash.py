"""Deleted layers kept in the database so a deletion can be undone exactly, until purged."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reviewer_app.engine import BASE, Conflict, Document, LayerEngine, NotFound
from reviewer_app.engine import trash as trash_module
from tests.engine.conftest import PDF_BYTES, base_records, note


def _layer_with_history(engine: LayerEngine, doc: Document, name: str) -> None:
    engine.create_records(doc.id, name, "annotation", [note(0, 1, f"{name} note")])
    base_id = engine.annotations(doc.id, BASE)[0].id
    engine.delete_records(doc.id, name, [("annotation", base_id)])


def _snapshot(engine: LayerEngine, doc: Document, name: str) -> tuple[object, ...]:
    info = next(i for i in engine.layers(doc.id) if i.name == name)
    return (
        info,
        engine.records(doc.id, name),
        engine.changes_feed(doc.id, name, 0),
        engine.undo_label(doc.id, name),
    )


def test_a_deletion_is_kept_and_undone_exactly(engine: LayerEngine, doc: Document) -> None:
    _layer_with_history(engine, doc, "a")
    before = _snapshot(engine, doc, "a")
    deleted = engine.delete_layer(doc.id, "a")
    assert deleted.id is not None and (deleted.name, deleted.own_records) == ("a", 2)
    assert "a" not in engine.layer_names(doc.id)
    assert engine.deleted_layers(doc.id) == [deleted]
    restored = engine.restore_layer(doc.id)
    assert restored.name == "a" and restored.uid == deleted.uid
    assert _snapshot(engine, doc, "a") == before  # uid, revision, records, history
    assert engine.deleted_layers(doc.id) == []
    engine.undo(doc.id, "a")  # its history came back with it
    assert engine.undo_label(doc.id, "a") == "Add annotation"


def test_a_given_deletion_is_restored_and_the_newest_by_default(
    engine: LayerEngine, doc: Document
) -> None:
    for name in ("a", "b", "c"):
        _layer_with_history(engine, doc, name)
    first = engine.delete_layer(doc.id, "a")
    engine.delete_layer(doc.id, "b")
    third = engine.delete_layer(doc.id, "c")
    assert [d.name for d in engine.deleted_layers(doc.id)] == ["c", "b", "a"]
    assert engine.restore_layer(doc.id, first.id).name == "a"
    assert engine.restore_layer(third).name == "c"  # the DeletedLayer delete_layer returned
    assert engine.restore_layer(doc.id).name == "b"
    assert sorted(engine.layer_names(doc.id)) == ["", "a", "b", "c"]
    with pytest.raises(NotFound, match="no deleted layer"):
        engine.restore_layer(doc.id)


def test_a_deletion_not_kept_cannot_be_undone(engine: LayerEngine, doc: Document) -> None:
    _layer_with_history(engine, doc, "a")
    deleted = engine.delete_layer(doc.id, "a", keep_for_undo=False)
    assert deleted.id is None
    assert engine.deleted_layers(doc.id) == []
    with pytest.raises(NotFound, match="not kept"):
        engine.restore_layer(deleted)


def test_a_name_taken_again_blocks_the_restore_and_keeps_the_deletion(
    engine: LayerEngine, doc: Document
) -> None:
    _layer_with_history(engine, doc, "a")
    deleted = engine.delete_layer(doc.id, "a")
    engine.create_records(doc.id, "a", "annotation", [note(1, 1, "a new a")])
    with pytest.raises(Conflict, match="exists again"):
        engine.restore_layer(doc.id)
    assert engine.deleted_layers(doc.id) == [deleted]
    engine.delete_layer(doc.id, "a", keep_for_undo=False)
    assert engine.restore_layer(doc.id).uid == deleted.uid


def test_the_trash_outlives_the_engine_until_purged(tmp_path: Path) -> None:
    with LayerEngine(tmp_path) as engine:
        doc = engine.add_document(PDF_BYTES, records=base_records(3), page_count=3)
        _layer_with_history(engine, doc, "a")
        _layer_with_history(engine, doc, "b")
        engine.delete_layer(doc.id, "a")
        engine.delete_layer(doc.id, "b")
    with LayerEngine(tmp_path) as engine:
        assert [d.name for d in engine.deleted_layers(doc.id)] == ["b", "a"]
        assert engine.purge_deleted_layers(doc.id) == 2
        assert engine.deleted_layers(doc.id) == []
        with pytest.raises(NotFound):
            engine.restore_layer(doc.id)
        assert engine.purge_deleted_layers(doc.id) == 0


def test_the_trash_keeps_the_newest_deletions(
    engine: LayerEngine, doc: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(trash_module, "TRASH_LIMIT", 2)
    for name in ("a", "b", "c"):
        _layer_with_history(engine, doc, name)
        engine.delete_layer(doc.id, name)
    assert [d.name for d in engine.deleted_layers(doc.id)] == ["c", "b"]
    rows = engine.db.connection().execute("SELECT count(*) FROM deleted_layer_records")
    assert rows.fetchone()[0] == 4  # "a"'s rows went with it


def test_deleting_the_document_empties_its_trash(engine: LayerEngine, doc: Document) -> None:
    other = engine.add_document(PDF_BYTES + b"other", records=base_records(2, "o"), page_count=3)
    _layer_with_history(engine, doc, "a")
    engine.create_records(other.id, "b", "annotation", [note(0, 1, "b")])
    engine.delete_layer(doc.id, "a")
    engine.delete_layer(other.id, "b")
    engine.delete_document(doc.id)
    conn = engine.db.connection()
    assert conn.execute("SELECT count(*) FROM deleted_layer_history").fetchone()[0] == 1
    assert [d.name for d in engine.deleted_layers(other.id)] == ["b"]


def test_an_empty_trash_is_emptied_without_waiting_for_a_writer(tmp_path: Path) -> None:
    """The window empties a document's trash as it closes it, often during a sync that is
    writing: with nothing deleted, that takes no write lock (it used to wait for the sync's
    transaction on the UI thread); with a deletion, it still purges."""
    with LayerEngine(tmp_path) as engine:
        doc = engine.add_document(PDF_BYTES, records=base_records(2), page_count=3)
        inside, release = threading.Event(), threading.Event()

        def writer() -> None:
            with engine.db.atomic():
                inside.set()
                release.wait(30)

        holding = threading.Thread(target=writer)
        holding.start()
        assert inside.wait(30)
        purged: list[int] = []
        emptying = threading.Thread(
            target=lambda: purged.append(engine.purge_deleted_layers(doc.id))
        )
        emptying.start()
        emptying.join(20)
        waited = emptying.is_alive()
        release.set()
        holding.join()
        emptying.join()
        assert not waited and purged == [0]
        _layer_with_history(engine, doc, "gone")
        engine.delete_layer(doc.id, "gone")
        assert engine.purge_deleted_layers(doc.id) == 1
        with pytest.raises(NotFound):
            engine.restore_layer(doc.id)
