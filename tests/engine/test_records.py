"""Records per layer: annotations, bookmarks and form field values; create, read, update, delete."""

from __future__ import annotations

import pytest

from reviewer_app.engine import BASE, BadRequest, Conflict, Document, LayerEngine, NotFound
from reviewer_app.instant import is_ulid
from tests.engine.conftest import note

BOOKMARK = {
    "v": 1,
    "type": "pspdfkit/bookmark",
    "name": "Intro",
    "action": {"type": "goTo", "pageIndex": 2},
}


def test_create_assigns_ulids_author_and_dates(engine: LayerEngine, doc: Document) -> None:
    change = engine.create_records(doc.id, "a", "annotation", [note(0, 1, "x")], user="alice")
    (record,) = change.upserted
    assert is_ulid(record.id)
    assert record.created_by == record.updated_by == "alice"
    assert record.content["createdAt"] == record.content["updatedAt"]
    assert engine.record(doc.id, "a", "annotation", record.id) == record


def test_create_keeps_a_given_id(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(0, 1, "x", id="my-id")])
    assert engine.record(doc.id, "a", "annotation", "my-id").content["text"]["value"] == "x"


def test_create_with_an_existing_id_is_a_conflict(engine: LayerEngine, doc: Document) -> None:
    base_id = engine.annotations(doc.id, "")[0].id
    with pytest.raises(Conflict):
        engine.create_records(doc.id, "a", "annotation", [note(0, 1, "x", id=base_id)])


def test_invalid_record_is_a_bad_request_naming_the_problem(
    engine: LayerEngine, doc: Document
) -> None:
    with pytest.raises(BadRequest, match="invalid annotation 1"):
        engine.create_records(
            doc.id, "a", "annotation", [note(0, 1, "ok"), note(0, 1, "bad", color="red")]
        )
    with pytest.raises(BadRequest, match=r"(?i)page"):
        engine.create_records(doc.id, "a", "annotation", [note(3, 1, "beyond the last page")])
    assert "a" not in engine.layer_names(doc.id)  # nothing half-written


def test_update_replaces_content_and_keeps_the_creator(engine: LayerEngine, doc: Document) -> None:
    (rec,) = engine.create_records(
        doc.id, "a", "annotation", [note(0, 1, "x")], user="alice"
    ).upserted
    change = engine.update_records(
        doc.id, "a", "annotation", [note(1, 9, "edited", id=rec.id)], user="bob"
    )
    (after,) = change.upserted
    assert after.content["text"]["value"] == "edited" and after.content["pageIndex"] == 1
    assert after.created_by == "alice" and after.updated_by == "bob"
    assert "createdAt" not in after.content or after.content != rec.content


def test_update_of_a_base_record_changes_only_this_layer(
    engine: LayerEngine, doc: Document
) -> None:
    base = engine.annotations(doc.id, BASE)[0]
    engine.update_records(
        doc.id, "a", "annotation", [{**base.content, "id": base.id, "opacity": 0.5}]
    )
    assert engine.record(doc.id, "a", "annotation", base.id).content["opacity"] == 0.5
    assert engine.record(doc.id, "b", "annotation", base.id).content["opacity"] == 1
    assert engine.record(doc.id, BASE, "annotation", base.id) == base


def test_update_keeps_the_base_order(engine: LayerEngine, doc: Document) -> None:
    ids = [r.id for r in engine.annotations(doc.id, BASE)]
    engine.update_records(doc.id, "a", "annotation", [note(0, 0, "changed", id=ids[0])])
    assert [r.id for r in engine.annotations(doc.id, "a")] == ids


def test_update_of_a_missing_record_is_not_found(engine: LayerEngine, doc: Document) -> None:
    with pytest.raises(NotFound):
        engine.update_records(doc.id, "a", "annotation", [note(0, 1, "x", id="nope")])
    with pytest.raises(BadRequest, match="id"):
        engine.update_records(doc.id, "a", "annotation", [note(0, 1, "x")])


def test_delete_base_record_leaves_a_tombstone_in_this_layer_only(
    engine: LayerEngine, doc: Document
) -> None:
    base = engine.annotations(doc.id, BASE)[0]
    change = engine.delete_records(doc.id, "a", [("annotation", base.id)])
    assert change.deleted == (("annotation", base.id),)
    assert base.id not in {r.id for r in engine.annotations(doc.id, "a")}
    assert base.id in {r.id for r in engine.annotations(doc.id, "")}
    with pytest.raises(NotFound):
        engine.record(doc.id, "a", "annotation", base.id)
    with pytest.raises(NotFound):
        engine.delete_records(doc.id, "a", [("annotation", base.id)])


def test_an_edit_updates_and_deletes_in_one_undoable_step(
    engine: LayerEngine, doc: Document
) -> None:
    made = engine.create_records(
        doc.id, "a", "annotation", [note(0, 1, "keep"), note(0, 2, "go")]
    ).upserted
    before = engine.annotations(doc.id, "a")
    change = engine.edit_records(
        doc.id, "a", "annotation", [note(0, 1, "trimmed", id=made[0].id)],
        [("annotation", made[1].id)], user="bob",
    )  # fmt: skip
    assert [r.content["text"]["value"] for r in change.upserted] == ["trimmed"]
    assert change.deleted == (("annotation", made[1].id),)
    assert engine.undo_label(doc.id, "a") == "Edit 2 annotations"
    engine.undo(doc.id, "a")
    assert engine.annotations(doc.id, "a") == before
    with pytest.raises(NotFound):  # a missing record: nothing of the edit is written
        engine.edit_records(
            doc.id, "a", "annotation", [note(0, 1, "lost", id=made[0].id)],
            [("annotation", "nope")],
        )  # fmt: skip
    assert engine.annotations(doc.id, "a") == before


def test_records_by_page(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(2, 1, "p3")])
    on_page = engine.records(doc.id, "a", "annotation", page_index=2)
    assert [r.content["pageIndex"] for r in on_page] == [2, 2]


def test_bookmarks_per_layer(engine: LayerEngine, doc: Document) -> None:
    (bm,) = engine.create_records(doc.id, "a", "bookmark", [BOOKMARK]).upserted
    assert engine.records(doc.id, "a", "bookmark") == [bm]
    assert engine.records(doc.id, "b", "bookmark") == []
    engine.update_records(doc.id, "a", "bookmark", [{**BOOKMARK, "id": bm.id, "name": "Ch. 1"}])
    assert engine.record(doc.id, "a", "bookmark", bm.id).content["name"] == "Ch. 1"
    engine.delete_records(doc.id, "a", [("bookmark", bm.id)])
    assert engine.records(doc.id, "a", "bookmark") == []
    with pytest.raises(BadRequest):
        engine.create_records(doc.id, "a", "bookmark", [{"v": 1, "type": "pspdfkit/bookmark"}])


def test_form_values_are_kept_per_layer(engine: LayerEngine, doc: Document) -> None:
    engine.set_form_field_values(
        doc.id, "alice", [{"name": "Name", "value": "Alice"}], user="alice"
    )
    engine.set_form_field_values(
        doc.id, "bob", [{"name": "Name", "value": "Bob"}, {"name": "Agree", "value": ["Yes"]}]
    )
    assert engine.record(doc.id, "alice", "formFieldValue", "Name").content["value"] == "Alice"
    assert engine.record(doc.id, "bob", "formFieldValue", "Name").content["value"] == "Bob"
    assert engine.record(doc.id, "", "formFieldValue", "Name").content["value"] == "base value"
    assert len(engine.records(doc.id, "alice", "formFieldValue")) == 1
    assert len(engine.records(doc.id, "bob", "formFieldValue")) == 2


def test_same_id_twice_in_one_request_is_refused(engine: LayerEngine, doc: Document) -> None:
    with pytest.raises(BadRequest, match="twice"):
        engine.create_records(
            doc.id, "a", "annotation", [note(0, 1, "x", id="d"), note(0, 2, "y", id="d")]
        )


def test_unknown_annotation_types_and_custom_data_survive(
    engine: LayerEngine, doc: Document
) -> None:
    odd = {
        "v": 2,
        "type": "acme/sticker",
        "pageIndex": 0,
        "bbox": [1, 2, 3, 4],
        "customData": {"nested": [1, {"x": None}]},
        "futureField": "kept",
    }
    (rec,) = engine.create_records(doc.id, "a", "annotation", [odd]).upserted
    stored = engine.record(doc.id, "a", "annotation", rec.id).content
    assert {k: stored[k] for k in odd} == odd
