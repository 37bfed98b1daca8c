"""End to end without Qt: a PDF imported by the CLI path, its base layer exported as Instant
JSON and read back through validation, for every corpus file and the sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.cli import import_pdf
from reviewer_app.engine import BASE, LayerEngine
from reviewer_app.instant import parse_document, plan_import
from reviewer_app.resources import sample_document
from tests.conftest import corpus_file

FILES = [
    ("commented.pdf", None),
    ("attachment.pdf", None),
    ("FormTestFromOo.pdf", None),
    ("form_acrobatReader.pdf", None),
    ("form_evince.pdf", None),
    ("outline-without-title.pdf", None),
    ("GeoBase_NHNC1_Data_Model_UML_EN.pdf", None),
    ("crazyones-encrypted-256.pdf", "password"),
    ("encrypted-file.pdf", "test"),
]


@pytest.mark.parametrize(("name", "password"), FILES)
def test_base_layer_survives_export_and_validation(
    tmp_path: Path, name: str, password: str | None
) -> None:
    with LayerEngine(tmp_path / "data") as engine:
        doc, _ = import_pdf(engine, corpus_file(name), password)
        exported = engine.export_instant(doc.id, BASE)
        plan = plan_import(parse_document(exported), page_count=doc.page_count)
        assert plan.errors == []
        assert len(plan.upserts) == len(engine.records(doc.id, BASE))
        created = engine.create_layer(doc.id, "copy", instant_json=exported)
        assert created.errors == []
        assert engine.diff(doc.id, "copy", BASE).empty


def test_sample_worksheet_has_text_form_and_annotations(tmp_path: Path) -> None:
    with LayerEngine(tmp_path / "data") as engine:
        doc, new = import_pdf(engine, sample_document())
        assert new and doc.page_count == 3
        types = sorted(r.content["type"] for r in engine.annotations(doc.id, BASE))
        assert types == ["pspdfkit/markup/highlight", "pspdfkit/note", "pspdfkit/shape/rectangle"]
        values = {r.id: r.content["value"] for r in engine.records(doc.id, BASE, "formFieldValue")}
        assert values == {"name": "", "answer": "", "read_all": "Off", "difficulty": "just right"}
