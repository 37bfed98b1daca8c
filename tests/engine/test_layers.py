"""Layers: the rules of the seeds (create, fork, fallback, names, not found) and copy-on-write."""

from __future__ import annotations

import json

import pytest

from reviewer_app.engine import BASE, BadRequest, Conflict, Document, LayerEngine, NotFound, layers
from tests.engine.conftest import note


def own_rows(engine: LayerEngine) -> int:
    return int(engine.db.connection().execute("SELECT count(*) FROM layer_records").fetchone()[0])


def test_layer_with_name_only_is_a_copy_of_base(engine: LayerEngine, doc: Document) -> None:
    created = engine.create_layer(doc.id, "alice")
    assert created.name == "alice" and created.errors == []
    assert engine.records(doc.id, "alice") == engine.records(doc.id, BASE)
    assert engine.layer_names(doc.id) == ["", "alice"]


def test_creating_a_layer_stores_no_records(engine: LayerEngine, doc: Document) -> None:
    for i in range(20):
        engine.create_layer(doc.id, f"student {i}")
    assert own_rows(engine) == 0


def test_layer_from_source_copies_the_source(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "alice", "annotation", [note(1, 50, "mine")])
    engine.create_layer(doc.id, "copy", source="alice")
    assert engine.records(doc.id, "copy") == engine.records(doc.id, "alice")
    assert engine.diff(doc.id, "alice", "copy").empty


def test_missing_source_falls_back_to_base(engine: LayerEngine, doc: Document) -> None:
    engine.create_layer(doc.id, "x", source="does not exist")
    assert engine.records(doc.id, "x") == engine.records(doc.id, BASE)


def test_fork_of_a_missing_layer_is_not_found(engine: LayerEngine, doc: Document) -> None:
    with pytest.raises(NotFound):
        engine.fork_layer(doc.id, "ghost", "y")
    assert engine.fork_layer(doc.id, BASE, "y").name == "y"


def test_fork_costs_the_records_the_source_changed(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(0, i, f"n{i}") for i in range(7)])
    before = own_rows(engine)
    engine.fork_layer(doc.id, "a", "b")
    assert own_rows(engine) - before == 7


def test_fork_is_independent_of_its_source(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "first")])
    engine.fork_layer(doc.id, "a", "b")
    engine.create_records(doc.id, "a", "annotation", [note(0, 2, "later in a")])
    assert len(engine.annotations(doc.id, "b")) == 6
    assert len(engine.annotations(doc.id, "a")) == 7


def test_source_and_instant_json_together_is_a_bad_request(
    engine: LayerEngine, doc: Document
) -> None:
    with pytest.raises(BadRequest, match="not both"):
        engine.create_layer(doc.id, "x", source="", instant_json={"format": "x"})
    assert "x" not in engine.layer_names(doc.id)


def test_layer_from_instant_json_reports_bad_records(engine: LayerEngine, doc: Document) -> None:
    file = {
        "format": "https://pspdfkit.com/instant-json/v1",
        "annotations": [
            note(0, 5, "good"),
            {"v": 2, "type": "pspdfkit/note", "pageIndex": -1, "bbox": [0, 0, 1, 1]},
        ],
    }
    created = engine.create_layer(doc.id, "imported", instant_json=json.dumps(file))
    assert len(created.errors) == 1
    assert set(created.errors[0]) == {"reason"}
    assert len(engine.annotations(doc.id, "imported")) == 6


def test_unreadable_instant_json_creates_no_layer(engine: LayerEngine, doc: Document) -> None:
    with pytest.raises(BadRequest, match="Instant JSON"):
        engine.create_layer(doc.id, "broken", instant_json=b"{not json")
    assert engine.layer_names(doc.id) == [""]


@pytest.mark.parametrize("name", ["a*b", "*", "x" * 257])
def test_invalid_names_are_refused(engine: LayerEngine, doc: Document, name: str) -> None:
    with pytest.raises(BadRequest):
        engine.create_layer(doc.id, name)
    with pytest.raises(BadRequest):
        engine.create_records(doc.id, name, "annotation", [note(0, 1, "x")])


def test_longest_name_and_unicode_are_fine(engine: LayerEngine, doc: Document) -> None:
    for name in ["x" * 256, "Zoë / groupe 2", " "]:
        engine.create_layer(doc.id, name)
    assert len(engine.layer_names(doc.id)) == 4


def test_existing_name_is_a_conflict(engine: LayerEngine, doc: Document) -> None:
    engine.create_layer(doc.id, "a")
    with pytest.raises(Conflict):
        engine.create_layer(doc.id, "a")


def test_deleting_a_missing_layer_is_not_found(engine: LayerEngine, doc: Document) -> None:
    with pytest.raises(NotFound):
        engine.delete_layer(doc.id, "never")


def test_delete_layer_removes_its_records(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "x")])
    engine.delete_layer(doc.id, "a")
    assert "a" not in engine.layer_names(doc.id)
    assert own_rows(engine) == 0
    assert len(engine.annotations(doc.id, "a")) == 5  # reads as base again


def test_writing_to_a_missing_layer_creates_it(engine: LayerEngine, doc: Document) -> None:
    assert "bob" not in engine.layer_names(doc.id)
    engine.create_records(doc.id, "bob", "annotation", [note(2, 1, "hi")])
    assert "bob" in engine.layer_names(doc.id)


def test_reading_a_missing_layer_reads_base_without_creating_it(
    engine: LayerEngine, doc: Document
) -> None:
    assert engine.records(doc.id, "later") == engine.records(doc.id, BASE)
    assert "later" not in engine.layer_names(doc.id)


def test_base_layer_is_immutable(engine: LayerEngine, doc: Document) -> None:
    with pytest.raises(BadRequest, match="base layer"):
        engine.create_records(doc.id, BASE, "annotation", [note(0, 1, "x")])
    with pytest.raises(BadRequest):
        engine.delete_layer(doc.id, BASE)


def test_layers_do_not_see_each_other(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "alice", "annotation", [note(0, 1, "alice's")])
    engine.create_records(doc.id, "bob", "annotation", [note(0, 1, "bob's")])
    texts = {r.content["text"]["value"] for r in engine.annotations(doc.id, "alice")}
    assert "alice's" in texts and "bob's" not in texts


def test_layer_infos_count_own_rows_and_revisions(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "x"), note(0, 2, "y")])
    base_id = engine.annotations(doc.id, BASE)[0].id
    engine.delete_records(doc.id, "a", [("annotation", base_id)])
    info = {i.name: i for i in engine.layers(doc.id)}["a"]
    assert info.revision == 2 and info.own_records == 3


def test_layer_summaries_count_authors_and_changes(engine: LayerEngine, doc: Document) -> None:
    base = engine.annotations(doc.id, BASE)
    engine.create_records(
        doc.id,
        "alice",
        "annotation",
        [note(0, 1, "a"), note(0, 2, "b", creatorName="Alice, Jr.")],
        user="alice",
    )
    engine.delete_records(doc.id, "alice", [("annotation", base[0].id)])
    engine.create_layer(doc.id, "empty")
    got = {s.name: s for s in engine.layer_summaries(doc.id)}
    assert next(iter(got)) == BASE and got[BASE].annotations == 5 and got[BASE].updated_at is None
    assert got["alice"].annotations == 6
    assert got["alice"].authors == ("Alice, Jr.", "alice")
    assert got["alice"].revision == 2 and got["alice"].updated_at
    assert got["empty"].annotations == 5 and got["empty"].authors == ()
    for s in got.values():
        assert s.annotations == len(engine.annotations(doc.id, s.name))


def test_a_deleted_layer_can_be_restored_exactly(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "x")])
    base_id = engine.annotations(doc.id, BASE)[0].id
    engine.delete_records(doc.id, "a", [("annotation", base_id)])
    before = (engine.records(doc.id, "a"), engine.changes_since(doc.id, "a", 0))
    deleted = engine.delete_layer(doc.id, "a")
    assert "a" not in engine.layer_names(doc.id)
    engine.restore_layer(deleted)
    assert (engine.records(doc.id, "a"), engine.changes_since(doc.id, "a", 0)) == before
    assert engine.undo_label(doc.id, "a") == "Delete annotation"
    engine.create_layer(doc.id, "b")
    again = engine.delete_layer(doc.id, "b")
    engine.create_layer(doc.id, "b")
    with pytest.raises(Conflict):
        engine.restore_layer(again)


def test_layer_names_among_a_tokens_layers(
    engine: LayerEngine, doc: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the named layers that exist, in the same order as the full list; a longer list of
    names than one look-up takes reads them all and picks them out, with the same answer."""
    for name in ("b", "a", "c"):
        engine.create_layer(doc.id, name)
    if "" not in engine.layer_names(doc.id):
        engine.create_layer(doc.id, "")
    assert engine.layer_names(doc.id) == ["", "a", "b", "c"]
    assert engine.layer_names(doc.id, {"c", "a", "missing"}) == ["a", "c"]
    assert engine.layer_names(doc.id, {""}) == [""]
    assert engine.layer_names(doc.id, set()) == []
    monkeypatch.setattr(layers, "MAX_NAMED", 1)
    assert engine.layer_names(doc.id, {"c", "a", "missing"}) == ["a", "c"]
