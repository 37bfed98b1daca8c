"""Reading a layer again that did not change reuses the parsed listing; any change is seen."""

from __future__ import annotations

from pathlib import Path

from reviewer_app.engine import LayerEngine
from tests.engine.conftest import PDF_BYTES, base_records, note


def texts(engine: LayerEngine, doc: str, layer: str) -> list[str]:
    return sorted(str(r.content.get("text")) for r in engine.records(doc, layer, "annotation"))


def test_a_layer_read_twice_is_parsed_once_and_every_change_is_seen(tmp_path: Path) -> None:
    with LayerEngine(tmp_path / "data") as engine:
        doc = engine.add_document(PDF_BYTES, records=base_records(2), page_count=2).id
        engine.create_records(doc, "ann", "annotation", [note(0, 10, "one")])
        first = engine.records(doc, "ann")
        again = engine.records(doc, "ann")
        assert again == first and again is not first  # a copy of the same parsed records
        assert again[0] is first[0]
        again.clear()  # a caller's list is its own
        assert engine.records(doc, "ann") == first
        engine.create_records(doc, "ann", "annotation", [note(1, 20, "two")])
        assert len(engine.records(doc, "ann")) == len(first) + 1
        engine.undo(doc, "ann")
        assert engine.records(doc, "ann") == first
        before = texts(engine, doc, "ann")
        engine.delete_layer(doc, "ann")  # a new layer of the same name reads as itself
        engine.create_records(doc, "ann", "annotation", [note(0, 30, "three")])
        assert texts(engine, doc, "ann") != before
        assert "three" in str(texts(engine, doc, "ann"))


def test_a_document_replaced_by_another_process_is_read_as_the_new_one(tmp_path: Path) -> None:
    """Two engines on one folder, as a server's two workers: one deletes a document and stores
    another PDF under the same chosen id; the other, which had read the first, sees the new."""
    with LayerEngine(tmp_path / "data") as one, LayerEngine(tmp_path / "data") as two:
        one.add_document(PDF_BYTES, records=base_records(2), page_count=2, document_id="hw")
        assert len(two.records("hw", "")) == 2  # the base layer is now cached in `two`
        one.delete_document("hw")
        other = PDF_BYTES + b"\n% another PDF"
        one.add_document(other, records=base_records(5, "t"), page_count=2, document_id="hw")
        assert len(two.records("hw", "")) == 5


def test_records_at_once_only_when_cached_or_few(tmp_path: Path) -> None:
    """What a window may read on its UI thread: a cached read (every record parsed), or a
    layer with the base of at most ``rows`` rows; anything else is None (read on a thread)."""
    with LayerEngine(tmp_path / "data") as engine:
        doc = engine.add_document(PDF_BYTES, records=base_records(2), page_count=2).id
        engine.create_records(doc, "ann", "annotation", [note(0, i, f"n{i}") for i in range(8)])
        assert engine.records_at_once(doc, "ann", rows=9) is None  # 2 + 8 rows
        assert engine.records_at_once(doc, "new", rows=9) == engine.records(doc, "new")
        listed = engine.records_at_once(doc, "ann", rows=10)
        assert listed is not None and listed == engine.records(doc, "ann")
        engine.create_records(doc, "ann", "annotation", [note(1, 1, "more")])
        assert engine.records_at_once(doc, "ann", rows=9) is None  # a new revision, not read
        read = engine.records(doc, "ann")  # as a window's reading task does
        assert engine.records_at_once(doc, "ann", rows=9) == read


def test_a_page_read_first_parses_that_page_only_and_matches_the_whole_read(
    tmp_path: Path,
) -> None:
    """Before the base layer is parsed, a page is read from its own rows (the base layer is
    not kept from it); it must list what the whole layer's read lists on that page, base
    records the layer changed or deleted included, in the same order."""
    with LayerEngine(tmp_path / "data") as engine:
        doc = engine.add_document(PDF_BYTES, records=base_records(12), page_count=3).id
        base = engine.annotations(doc, "")
        changed = [{**base[0].content, "id": base[0].id, "opacity": 0.5}]
        engine.update_records(doc, "hw", "annotation", changed)
        engine.delete_records(doc, "hw", [("annotation", base[1].id)])
        engine.create_records(doc, "hw", "annotation", [note(1, 99, "own", id="own")])
        for page in range(3):
            engine.base_layers.forget(doc)
            engine.layer_reads.forget(doc)
            first = engine.records(doc, "hw", "annotation", page_index=page)
            whole = [r for r in engine.records(doc, "hw") if r.content["pageIndex"] == page]
            assert first == whole and len(first) >= 3
        assert {"own", base[0].id} <= {r.id for r in engine.records(doc, "hw")}
        assert base[1].id not in {r.id for r in engine.records(doc, "hw")}
