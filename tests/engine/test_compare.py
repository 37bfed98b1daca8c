"""Diff, copy (merge) and the changes feed."""

from __future__ import annotations

import pytest

from reviewer_app.engine import BASE, Document, LayerEngine
from tests.engine.conftest import note


@pytest.fixture
def two_layers(engine: LayerEngine, doc: Document) -> dict[str, str]:
    """Layers a and b with one record each of their own, one base record each changed
    differently, and one base record deleted in a."""
    base = engine.annotations(doc.id, BASE)
    only_a = engine.create_records(doc.id, "a", "annotation", [note(0, 1, "only a")]).upserted[0]
    only_b = engine.create_records(doc.id, "b", "annotation", [note(1, 1, "only b")]).upserted[0]
    for layer in ("a", "b"):
        engine.update_records(
            doc.id,
            layer,
            "annotation",
            [{**base[0].content, "id": base[0].id, "note": f"by {layer}"}],
        )
    engine.delete_records(doc.id, "a", [("annotation", base[1].id)])
    return {
        "only_a": only_a.id,
        "only_b": only_b.id,
        "changed": base[0].id,
        "deleted_in_a": base[1].id,
    }


def test_diff_finds_each_kind_of_difference(
    engine: LayerEngine, doc: Document, two_layers: dict[str, str]
) -> None:
    diff = engine.diff(doc.id, "a", "b")
    assert {r.id for r in diff.only_a} == {two_layers["only_a"]}
    assert {r.id for r in diff.only_b} == {two_layers["only_b"], two_layers["deleted_in_a"]}
    assert [(x.id, x.content["note"], y.content["note"]) for x, y in diff.changed] == [
        (two_layers["changed"], "by a", "by b")
    ]


def test_diff_against_itself_and_base(
    engine: LayerEngine, doc: Document, two_layers: dict[str, str]
) -> None:
    assert engine.diff(doc.id, "a", "a").empty
    assert engine.diff(doc.id, BASE, "never written").empty
    diff = engine.diff(doc.id, BASE, "b")
    assert [r.id for r in diff.only_b] == [two_layers["only_b"]]


def test_same_content_written_twice_is_no_difference(engine: LayerEngine, doc: Document) -> None:
    base = engine.annotations(doc.id, BASE)[0]
    engine.put_records(doc.id, "a", [base])
    assert engine.diff(doc.id, "a", BASE).empty
    engine.update_records(doc.id, "a", "annotation", [{**base.content, "id": base.id}])
    (changed,) = engine.diff(doc.id, "a", BASE).changed  # an edit stamps updatedAt
    assert set(changed[0].content) - set(base.content) == {"updatedAt"}


def test_copy_chosen_records_mirrors_the_source(
    engine: LayerEngine, doc: Document, two_layers: dict[str, str]
) -> None:
    keys = [("annotation", two_layers["only_a"]), ("annotation", two_layers["deleted_in_a"])]
    change = engine.copy_records(doc.id, "a", "b", keys)
    assert {r.id for r in change.upserted} == {two_layers["only_a"]}
    assert change.deleted == (("annotation", two_layers["deleted_in_a"]),)
    diff = engine.diff(doc.id, "a", "b")
    assert {r.id for r in diff.only_b} == {two_layers["only_b"]}
    assert len(diff.changed) == 1


def test_copy_all_adds_and_replaces_but_never_deletes(
    engine: LayerEngine, doc: Document, two_layers: dict[str, str]
) -> None:
    engine.copy_records(doc.id, "a", "b")
    diff = engine.diff(doc.id, "a", "b")
    assert diff.only_a == () and diff.changed == ()
    assert {r.id for r in diff.only_b} == {two_layers["only_b"], two_layers["deleted_in_a"]}


def test_copy_keeps_the_author_and_can_be_undone(engine: LayerEngine, doc: Document) -> None:
    (mine,) = engine.create_records(
        doc.id, "a", "annotation", [note(0, 1, "x")], user="alice"
    ).upserted
    engine.copy_records(doc.id, "a", "b")
    assert engine.record(doc.id, "b", "annotation", mine.id).created_by == "alice"
    engine.undo(doc.id, "b")
    assert engine.diff(doc.id, "b", BASE).empty


def test_changes_since_reports_upserts_and_deletions(engine: LayerEngine, doc: Document) -> None:
    assert engine.changes_since(doc.id, "a", 0).revision == 0
    r1 = engine.create_records(doc.id, "a", "annotation", [note(0, 1, "one")])
    r2 = engine.create_records(doc.id, "a", "annotation", [note(0, 2, "two")])
    base_id = engine.annotations(doc.id, BASE)[0].id
    r3 = engine.delete_records(doc.id, "a", [("annotation", base_id)])
    everything = engine.changes_since(doc.id, "a", 0)
    assert everything.revision == r3.revision == 3
    assert [r.id for r in everything.upserted] == [r1.upserted[0].id, r2.upserted[0].id]
    assert everything.deleted == (("annotation", base_id),)
    later = engine.changes_since(doc.id, "a", r1.revision)
    assert [r.id for r in later.upserted] == [r2.upserted[0].id]
    assert engine.changes_since(doc.id, "a", r3.revision).upserted == ()


def test_recreated_layer_has_a_new_identity(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "x")])
    uid = engine.changes_since(doc.id, "a", 0).uid
    engine.delete_layer(doc.id, "a")
    engine.create_layer(doc.id, "a")
    assert engine.changes_since(doc.id, "a", 0).uid != uid


def test_fork_changes_feed_starts_with_the_copied_records(
    engine: LayerEngine, doc: Document
) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(0, i, "x") for i in range(3)])
    engine.fork_layer(doc.id, "a", "b")
    assert len(engine.changes_since(doc.id, "b", 0).upserted) == 3


def test_layer_export_names_what_to_write_and_remove(
    engine: LayerEngine, doc: Document, two_layers: dict[str, str]
) -> None:
    export = engine.layer_export(doc.id, "a")
    assert {r.id for r in export.write} == {two_layers["only_a"], two_layers["changed"]}
    base = {r.id: r.content["pdfObjectId"] for r in engine.annotations(doc.id, BASE)}
    assert export.remove_object_ids == {
        base[two_layers["changed"]],
        base[two_layers["deleted_in_a"]],
    }
    assert len(export.shown) == len(engine.records(doc.id, "a"))
    untouched = engine.layer_export(doc.id, "never written")
    assert untouched.write == () and untouched.remove_object_ids == frozenset()
