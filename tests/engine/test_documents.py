"""Documents: stored once by content, with a base layer and a default layer."""

from __future__ import annotations

import pytest

from reviewer_app.engine import BASE, Document, LayerEngine, NotFound
from reviewer_app.engine.schema import MIGRATIONS
from tests.engine.conftest import PDF_BYTES, base_records


def test_same_bytes_give_the_same_document(engine: LayerEngine, doc: Document) -> None:
    again = engine.add_document(PDF_BYTES, records=base_records(2), page_count=1)
    assert again == doc
    assert len(engine.documents()) == 1
    assert len(engine.records(doc.id, BASE, "annotation")) == 5


def test_pdf_is_stored_once_under_its_sha256(engine: LayerEngine, doc: Document) -> None:
    path = engine.pdf_path(doc.id)
    assert path.read_bytes() == PDF_BYTES
    assert path.name == f"{doc.sha256}.pdf"
    assert len(list((engine.data_dir / "assets").rglob("*.pdf"))) == 1


def test_document_id_is_derived_from_the_bytes(tmp_path, doc: Document) -> None:  # type: ignore[no-untyped-def]
    with LayerEngine(tmp_path / "other machine") as other:
        same = other.add_document(PDF_BYTES, records=[], page_count=3)
    assert same.id == doc.id


def test_new_document_has_a_default_layer(engine: LayerEngine, doc: Document) -> None:
    assert engine.layer_names(doc.id) == [""]
    assert doc.page_count == 3 and doc.title == "Worksheet"


def test_delete_document_removes_layers_and_pdf(engine: LayerEngine, doc: Document) -> None:
    engine.create_layer(doc.id, "alice")
    path = engine.pdf_path(doc.id)
    engine.delete_document(doc.id)
    assert not path.exists()
    with pytest.raises(NotFound):
        engine.layers(doc.id)
    assert engine.db.connection().execute("SELECT count(*) FROM layers").fetchone()[0] == 0


def test_unknown_document_is_not_found(engine: LayerEngine) -> None:
    with pytest.raises(NotFound, match="no document"):
        engine.records("nope", "")


def test_database_is_wal_with_foreign_keys_and_migrations(engine: LayerEngine) -> None:
    conn = engine.db.connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    versions = [row[0] for row in conn.execute("SELECT version FROM migrations")]
    assert versions == [version for version, _, _ in MIGRATIONS]


def test_reopening_keeps_everything(tmp_path, doc: Document, engine: LayerEngine) -> None:  # type: ignore[no-untyped-def]
    engine.create_records(
        doc.id,
        "alice",
        "annotation",
        [
            {
                "v": 2,
                "type": "pspdfkit/note",
                "pageIndex": 0,
                "bbox": [1, 2, 3, 4],
                "text": {"format": "plain", "value": "x"},
                "icon": "note",
            }
        ],
    )
    engine.close()
    with LayerEngine(engine.data_dir) as again:
        assert again.layer_names(doc.id) == ["", "alice"]
        assert len(again.annotations(doc.id, "alice")) == 6
