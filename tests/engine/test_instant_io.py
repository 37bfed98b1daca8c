"""Instant JSON export and import of a layer, including the PDF-object overlay rules."""

from __future__ import annotations

import json

import pytest

from reviewer_app.engine import BASE, BadRequest, Document, LayerEngine
from reviewer_app.instant import FORMAT
from tests.engine.conftest import note


def test_export_import_round_trip(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [note(1, 3, "mine", customData={"k": 1})])
    engine.set_form_field_values(doc.id, "a", [{"name": "Name", "value": "Ann"}])
    base = engine.annotations(doc.id, BASE)
    engine.delete_records(doc.id, "a", [("annotation", base[2].id)])
    exported = engine.export_instant(doc.id, "a")
    assert exported["format"] == FORMAT
    assert exported["skippedPdfObjectIds"] == [base[2].content["pdfObjectId"]]
    assert len(exported["annotations"]) == 5
    created = engine.create_layer(doc.id, "b", instant_json=json.dumps(exported))
    assert created.errors == []
    assert engine.diff(doc.id, "a", "b").empty


def test_import_by_pdf_object_id_replaces_the_base_record(
    engine: LayerEngine, doc: Document
) -> None:
    base = engine.annotations(doc.id, BASE)[0]
    replacement = {**base.content, "opacity": 0.25}
    change, errors = engine.import_instant(
        doc.id, "a", {"format": FORMAT, "annotations": [replacement]}
    )
    assert errors == []
    assert [r.id for r in change.upserted] == [base.id]
    assert engine.record(doc.id, "a", "annotation", base.id).content["opacity"] == 0.25


def test_import_skipped_object_deletes_the_base_record(engine: LayerEngine, doc: Document) -> None:
    base = engine.annotations(doc.id, BASE)[3]
    change, _ = engine.import_instant(
        doc.id, "a", {"format": FORMAT, "skippedPdfObjectIds": [base.content["pdfObjectId"]]}
    )
    assert change.deleted == (("annotation", base.id),)


def test_import_of_garbage_changes_nothing(engine: LayerEngine, doc: Document) -> None:
    with pytest.raises(BadRequest):
        engine.import_instant(doc.id, "a", b"\x00\xff garbage")
    assert "a" not in engine.layer_names(doc.id)
