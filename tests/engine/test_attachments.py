"""Pictures travel with a layer's Instant JSON: exported as base64, stored again on import."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from reviewer_app.engine import BadRequest, Document, LayerEngine
from reviewer_app.engine.attachments import MAX_ATTACHMENT_BYTES
from reviewer_app.instant import FORMAT
from tests.conftest import image_record as image
from tests.engine.conftest import PDF_BYTES, note

PNG = b"\x89PNG\r\n\x1a\n" + b"a small picture"
JPEG = b"\xff\xd8\xff" + b"another picture"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_export_carries_the_pictures_the_layer_shows(engine: LayerEngine, doc: Document) -> None:
    png, jpeg = engine.add_attachment(PNG), engine.add_attachment(JPEG)
    engine.create_records(doc.id, "a", "annotation", [image(png, id="I1"), note(0, 5, "n")])
    engine.create_records(doc.id, "b", "annotation", [image(jpeg, id="I2", contentType=None)])
    exported = engine.export_instant(doc.id, "a")
    assert exported["attachments"] == {png: {"binary": b64(PNG), "contentType": "image/png"}}
    assert list(exported).index("attachments") == list(exported).index("annotations") + 1
    other = engine.export_instant(doc.id, "b")  # no contentType on the record: sniffed
    assert other["attachments"] == {jpeg: {"binary": b64(JPEG), "contentType": "image/jpeg"}}
    assert "attachments" not in engine.export_instant(doc.id, "c")


def test_a_picture_not_stored_here_is_left_out(engine: LayerEngine, doc: Document) -> None:
    engine.create_records(doc.id, "a", "annotation", [image("e" * 64, id="I1")])
    exported = engine.export_instant(doc.id, "a")
    assert len(exported["annotations"]) == 6 and "attachments" not in exported


def test_another_machine_gets_the_picture_from_the_file(
    engine: LayerEngine, doc: Document, tmp_path: Path
) -> None:
    png = engine.add_attachment(PNG)
    engine.create_records(doc.id, "a", "annotation", [image(png, id="I1")])
    text = json.dumps(engine.export_instant(doc.id, "a"))
    with LayerEngine(tmp_path / "elsewhere") as other:
        there = other.add_document(PDF_BYTES, records=[], page_count=3)
        assert other.attachment(png) is None
        created = other.create_layer(there.id, "a", instant_json=text)
        assert created.errors == []
        assert other.attachment(png) == PNG
        assert other.record(there.id, "a", "annotation", "I1").content["imageAttachmentId"] == png
        assert other.layer_export(there.id, "a").attachments == {png: PNG}
        # applying the same file again is fine: the picture is stored once
        _, errors = other.import_instant(there.id, "a", text)
        assert errors == [] and other.attachment(png) == PNG


def test_bad_pictures_are_errors_not_crashes(engine: LayerEngine, doc: Document) -> None:
    wrong = "0" * 64
    data = {
        "format": FORMAT,
        "annotations": [image(wrong, id="I1"), image(sha(JPEG), id="I2")],
        "attachments": {
            wrong: {"binary": b64(PNG), "contentType": "image/png"},
            sha(JPEG): {"binary": "@@not base64@@"},
            sha(PNG): {"binary": b64(PNG)},
        },
    }
    change, errors = engine.import_instant(doc.id, "a", data)
    reasons = sorted(e["reason"] for e in errors)
    assert len(reasons) == 2
    assert reasons[0].startswith(f"attachments['{wrong}']: the bytes' SHA-256 is {sha(PNG)}")
    assert reasons[1] == f"attachments['{sha(JPEG)}']: 'binary' is not valid base64"
    assert {r.id for r in change.upserted} == {"I1", "I2"}  # the annotations still land
    assert engine.attachment(wrong) is None and engine.attachment(sha(JPEG)) is None
    assert engine.attachment(sha(PNG)) == PNG  # the good one is kept


def test_a_picture_keyed_by_pdf_object_id_is_stored_by_sha256(
    engine: LayerEngine, doc: Document
) -> None:
    data = {
        "format": FORMAT,
        "annotations": [image("42", id="I1")],
        "attachments": {"42": {"binary": b64(PNG), "contentType": "image/png"}},
    }
    created = engine.create_layer(doc.id, "a", instant_json=data)
    assert created.errors == []
    assert engine.record(doc.id, "a", "annotation", "I1").content["imageAttachmentId"] == sha(PNG)
    assert engine.attachment(sha(PNG)) == PNG


def test_the_store_refuses_empty_and_oversized_pictures(engine: LayerEngine) -> None:
    with pytest.raises(BadRequest):
        engine.add_attachment(b"")
    with pytest.raises(BadRequest):
        engine.add_attachment(b"x" * (MAX_ATTACHMENT_BYTES + 1))


def test_layer_attachment_ids(engine: LayerEngine, doc: Document) -> None:
    png = engine.add_attachment(PNG)
    engine.create_records(doc.id, "a", "annotation", [image(png, id="I1"), image("f" * 64)])
    assert engine.layer_attachment_ids(doc.id, "a") == {png, "f" * 64}
    assert engine.layer_attachment_ids(doc.id, "b") == set()
