"""Importing a class: many students' files in one go, one layer per file (Instant JSON, or
a PDF a student filled in another reader), with a report; a file that cannot be imported
is reported and creates nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf

from reviewer_app.engine import LayerEngine
from reviewer_app.importing import import_class, import_pdf
from reviewer_app.resources import sample_document


def filled_copy(path: Path, name: str) -> Path:
    """The worksheet as a student returns it from another reader: the form filled in, a
    highlight and a note of theirs added, the worksheet's own annotations still there."""
    doc = pymupdf.open(sample_document())
    for widget in doc[0].widgets():
        if widget.field_name == "name":
            widget.field_value = name
            widget.update()
        if widget.field_name == "answer":
            widget.field_value = "The sun heats it"
            widget.update()
    doc[0].add_highlight_annot(pymupdf.Rect(72, 100, 300, 120))
    doc[1].add_text_annot((300, 400), f"{name} asks: is this right?")
    doc.save(path)
    return path


def test_a_class_of_files_becomes_one_layer_each_with_a_report(tmp_path: Path) -> None:
    with LayerEngine(tmp_path / "data") as engine:
        document = import_pdf(engine, sample_document()).document
        engine.create_layer(document.id, "dan")
        note = {
            "v": 2, "type": "pspdfkit/note", "pageIndex": 0, "bbox": [10, 10, 24, 24],
            "text": {"format": "plain", "value": "from Instant JSON"}, "icon": "comment",
            "opacity": 1, "id": "n1",
        }  # fmt: skip
        instant = tmp_path / "dan.json"
        instant.write_text(json.dumps({"format": "https://pspdfkit.com/instant-json/v1",
                                       "annotations": [note]}))  # fmt: skip
        other = tmp_path / "other.pdf"
        blank = pymupdf.open()
        blank.new_page()
        blank.save(other)
        broken = tmp_path / "broken.pdf"
        broken.write_bytes(b"%PDF-1.7 not really")
        files = [filled_copy(tmp_path / "amy.pdf", "Amy"), instant, other, broken,
                 tmp_path / "missing.json"]  # fmt: skip
        report = import_class(engine, document.id, files)
        by_file = {r.file: r for r in report}
        amy = by_file["amy.pdf"]
        assert (amy.layer, amy.annotations, amy.form_values, amy.problems) == ("amy", 2, 2, [])
        values = {r.id: r.content["value"] for r in engine.records(document.id, "amy")
                  if r.kind == "formFieldValue"}  # fmt: skip
        assert values["name"] == "Amy" and values["answer"] == "The sun heats it"
        texts = [a.content.get("text") for a in engine.annotations(document.id, "amy")]
        assert any("Amy asks: is this right?" in str(t) for t in texts)
        base = engine.annotations(document.id, "*base")
        assert len(engine.annotations(document.id, "amy")) == len(base) + 2  # no duplicates
        assert by_file["dan.json"].layer == "dan (2)"  # "dan" was taken
        assert by_file["dan.json"].annotations == 1
        assert by_file["other.pdf"].layer is None
        assert "not a copy of this worksheet" in by_file["other.pdf"].problems[0]
        assert by_file["broken.pdf"].layer is None and by_file["broken.pdf"].problems
        assert by_file["missing.json"].layer is None
        assert "cannot be read" in by_file["missing.json"].problems[0]
        assert engine.layer_names(document.id) == ["", "amy", "dan", "dan (2)"]
