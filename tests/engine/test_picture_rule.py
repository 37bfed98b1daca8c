"""The picture rule, in the engine: a writer names only pictures uploaded through a layer they
can read (or the one written to), or shown by the base or such a layer; the desktop's own
writes (no writer) name any picture of their data folder."""

from __future__ import annotations

import pytest

from reviewer_app.engine import Document, LayerEngine, PictureNotAllowed, Writer
from reviewer_app.engine.sync_support import PushChange
from reviewer_app.instant import FORMAT
from tests.conftest import image_record
from tests.engine.conftest import note

PNG = b"\x89PNG\r\n\x1a\n" + b"a picture"
STUDENT_B = Writer(frozenset({"b"}))


def test_the_desktop_names_any_picture_it_stores(engine: LayerEngine, doc: Document) -> None:
    sha = engine.add_attachment(PNG)
    engine.create_records(doc.id, "mine", "annotation", [image_record(sha, id="i")])
    engine.update_records(doc.id, "mine", "annotation", [image_record(sha, x=50, id="i")])
    assert engine.layer_attachment_ids(doc.id, "mine") == {sha}


def test_a_writer_names_what_they_uploaded_or_can_read(engine: LayerEngine, doc: Document) -> None:
    (sha,) = engine.add_attachments(doc.id, "a", [PNG])
    with pytest.raises(PictureNotAllowed, match="upload it first"):
        engine.create_records(doc.id, "b", "annotation", [image_record(sha)], writer=STUDENT_B)
    engine.create_records(doc.id, "a", "annotation", [image_record(sha, id="in-a")])
    with pytest.raises(PictureNotAllowed):  # a shows it now, but b cannot read a
        engine.create_records(doc.id, "b", "annotation", [image_record(sha)], writer=STUDENT_B)
    reads_a = Writer(frozenset({"a", "b"}))
    engine.create_records(doc.id, "b", "annotation", [image_record(sha, id="c")], writer=reads_a)
    teacher = Writer(None)
    engine.create_records(doc.id, "t", "annotation", [image_record(sha, id="t")], writer=teacher)
    # b shows it now: b's own writer may copy and move it there
    engine.create_records(doc.id, "b", "annotation", [image_record(sha, id="d")], writer=STUDENT_B)
    engine.update_records(
        doc.id, "b", "annotation", [image_record(sha, x=90, id="d")], writer=STUDENT_B
    )
    engine.add_attachments(doc.id, "b", [PNG])  # uploaded through b: fine in b
    engine.create_records(doc.id, "b", "annotation", [image_record(sha, id="e")], writer=STUDENT_B)
    assert engine.forbidden_pictures(doc.id, "z", [image_record(sha)], Writer(frozenset())) != [
        None
    ]


def test_push_and_instant_json_refuse_record_by_record(engine: LayerEngine, doc: Document) -> None:
    (sha,) = engine.add_attachments(doc.id, "a", [PNG])
    changes = [
        PushChange("annotation", "stolen", 0, image_record(sha)),
        PushChange("annotation", "fine", 0, note(0, 5, "a note")),
    ]
    result = engine.push_changes(doc.id, "b", "k", changes, writer=STUDENT_B)
    assert [r["id"] for r in result.rejected] == ["stolen"]
    assert [a["id"] for a in result.applied] == ["fine"]
    data = {"format": FORMAT, "annotations": [image_record(sha, id="j")]}
    _, errors = engine.import_instant(doc.id, "b", data, writer=STUDENT_B)
    assert len(errors) == 1 and "upload it first" in errors[0]["reason"]
    assert "j" not in {r.id for r in engine.annotations(doc.id, "b")}
