"""Documents: stored once by content, with a base layer and a default layer."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

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


@pytest.mark.parametrize("engines", [1, 2], ids=["one engine", "two engines"])
def test_a_concurrent_add_of_the_same_bytes_returns_the_winners_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engines: int
) -> None:
    """Both adds look before either stores (a barrier holds them): one stores, the other gets
    its document instead of a UNIQUE failure. Two engines on one folder are two processes'
    worth of connections; one engine is two threads of one process."""
    opened = [LayerEngine(tmp_path / "data") for _ in range(engines)]
    both_looked = threading.Barrier(2, timeout=60)
    for engine in opened:
        monkeypatch.setattr(engine, "find_document", _then_wait(engine.find_document, both_looked))
    results: dict[int, Document] = {}
    errors: list[BaseException] = []

    def add(i: int) -> None:
        try:
            engine = opened[i % engines]
            results[i] = engine.add_document(PDF_BYTES, records=base_records(2 + i), page_count=3)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert results[0] == results[1]
        engine = opened[0]
        assert engine.documents() == [results[0]]
        assert len(engine.records(results[0].id, BASE, "annotation")) in (2, 3)  # one extraction
        assert len(engine.layer_names(results[0].id)) == 1
        assert [p.name for p in (engine.data_dir / "assets").rglob("*") if p.is_file()] == [
            f"{results[0].sha256}.pdf"
        ]
    finally:
        for engine in opened:
            engine.close()


def test_a_failed_add_stores_neither_the_pdf_nor_a_row(engine: LayerEngine) -> None:
    twice = [*base_records(1), *base_records(1)]  # the same record id twice: the insert fails
    with pytest.raises(sqlite3.IntegrityError):
        engine.add_document(PDF_BYTES, records=twice, page_count=3)
    assert engine.documents() == []
    assert not [p for p in (engine.data_dir / "assets").rglob("*") if p.is_file()]
    assert engine.add_document(PDF_BYTES, records=base_records(1), page_count=3).page_count == 3


def _then_wait(
    find: Callable[[str], Document | None], barrier: threading.Barrier
) -> Callable[[str], Document | None]:
    def find_then_wait(sha256: str) -> Document | None:
        found = find(sha256)
        barrier.wait()
        return found

    return find_then_wait


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
