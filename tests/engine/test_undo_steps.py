"""Undoing one given step (Undo Merge): exactly that step, or a Conflict once another is on top."""

from __future__ import annotations

import pytest

from reviewer_app.engine import Conflict, Document, LayerEngine
from reviewer_app.engine import history as history_module
from reviewer_app.engine.model import ServerVersion
from reviewer_app.instant import Record
from tests.engine.conftest import note


def texts(engine: LayerEngine, doc: Document, layer: str) -> list[str]:
    return sorted(r.content["text"]["value"] for r in engine.annotations(doc.id, layer))


def _merge(engine: LayerEngine, doc: Document) -> int:
    """Layer "a" gets a note of its own; merging it into "target" returns the merge's step."""
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "from a")])
    engine.create_records(doc.id, "target", "annotation", [note(0, 2, "target's own")])
    merge = engine.copy_records(doc.id, "a", "target")
    assert merge.step is not None
    return merge.step


def test_undo_merge_undoes_exactly_the_merge(engine: LayerEngine, doc: Document) -> None:
    step = _merge(engine, doc)
    merged = texts(engine, doc, "target")
    assert "from a" in merged
    assert engine.can_undo_step(doc.id, "target", step)
    change = engine.undo_step(doc.id, "target", step)
    assert change.upserted == () and len(change.deleted) == 1
    assert texts(engine, doc, "target") == [t for t in merged if t != "from a"]
    assert not engine.can_undo_step(doc.id, "target", step)
    engine.redo(doc.id, "target")  # redo brings the merge back as the newest step
    assert texts(engine, doc, "target") == merged
    assert engine.can_undo_step(doc.id, "target", step)


def test_merge_edit_undo_merge_is_refused_and_keeps_the_edit(
    engine: LayerEngine, doc: Document
) -> None:
    step = _merge(engine, doc)
    engine.create_records(doc.id, "target", "annotation", [note(1, 3, "later edit")])
    assert not engine.can_undo_step(doc.id, "target", step)
    with pytest.raises(Conflict, match="a later change is on top"):
        engine.undo_step(doc.id, "target", step)
    assert {"from a", "later edit"} <= set(texts(engine, doc, "target"))
    engine.undo(doc.id, "target")  # plain undo still takes the edit first
    assert engine.can_undo_step(doc.id, "target", step)


def test_a_step_id_is_never_given_to_another_step(engine: LayerEngine, doc: Document) -> None:
    first = engine.create_records(doc.id, "a", "annotation", [note(0, 1, "first")]).step
    engine.undo(doc.id, "a")
    second = engine.create_records(doc.id, "a", "annotation", [note(0, 1, "second")]).step
    assert first is not None and second is not None and second != first
    assert not engine.can_undo_step(doc.id, "a", first)
    with pytest.raises(Conflict):
        engine.undo_step(doc.id, "a", first)
    assert "first" not in texts(engine, doc, "a") and "second" in texts(engine, doc, "a")


def test_changes_outside_the_history_have_no_step(engine: LayerEngine, doc: Document) -> None:
    made = engine.create_records(doc.id, "a", "annotation", [note(0, 1, "mine")])
    assert made.step is not None
    same = engine.copy_records(doc.id, "a", "a")  # nothing to do
    assert same.empty and same.step is None
    server = Record("annotation", "s1", note(0, 9, "from the server"))
    merged = engine.merge_from_server(doc.id, "a", [ServerVersion(server.key, server, 1)])
    assert not merged.change.empty and merged.change.step is None
    undone = engine.undo(doc.id, "a")
    assert undone is not None and undone.step is None
    assert texts(engine, doc, "a").count("from the server") == 1  # the sync is not undone


def test_the_history_keeps_its_newest_steps(
    engine: LayerEngine, doc: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history_module, "HISTORY_LIMIT", 3)
    steps = [
        engine.create_records(doc.id, "a", "annotation", [note(0, 1, f"n{i}")]).step
        for i in range(5)
    ]
    assert engine.can_undo_step(doc.id, "a", steps[-1])  # type: ignore[arg-type]
    for _ in range(3):
        assert engine.undo(doc.id, "a") is not None
    assert engine.undo(doc.id, "a") is None
    assert texts(engine, doc, "a").count("n1") == 1 and "n2" not in texts(engine, doc, "a")
