"""A layer read hands out shared records (parsed at once by orjson, frozen, cached): they must
be the records a fresh read gives (equal, read-only, picklable), whatever page or kind."""

from __future__ import annotations

import pickle

import pytest

from reviewer_app.engine import Document, LayerEngine
from reviewer_app.instant import Record
from reviewer_app.instant.frozen import READ_ONLY
from tests.engine.conftest import note


def test_a_read_gives_the_records_written(engine: LayerEngine, doc: Document) -> None:
    written = [note(p % 3, float(p), f"ä ünicode {p} \\u00e9", id=f"n{p}") for p in range(9)]
    engine.create_records(doc.id, "s", "annotation", written)
    engine.layer_reads.forget(doc.id)
    engine.base_layers.forget(doc.id)
    shown = {r.id: r for r in engine.annotations(doc.id, "s")}
    for content in written:
        record = shown[content["id"]]
        stamps = {"createdAt", "updatedAt"}
        assert {k: v for k, v in record.content.items() if k not in stamps} == {
            k: v for k, v in content.items() if k != "id"
        }
        fresh = engine.record(doc.id, "s", "annotation", record.id)  # built for the caller
        assert record == fresh and fresh == record
    on_page = engine.records(doc.id, "s", "annotation", page_index=1)
    assert on_page and all(r.content["pageIndex"] == 1 for r in on_page)
    assert [r.id for r in on_page] == [
        r.id for r in engine.annotations(doc.id, "s") if r.content["pageIndex"] == 1
    ]


def test_shared_content_is_read_only_and_survives_pickling(
    engine: LayerEngine, doc: Document
) -> None:
    engine.base_layers.forget(doc.id)
    record = engine.annotations(doc.id, "")[0]
    copy = pickle.loads(pickle.dumps(record))  # before its content was read
    with pytest.raises(TypeError, match="read-only"):
        record.content["bbox"].append(1)
    assert READ_ONLY.startswith("a record's content")
    assert copy == record and copy.content == record.content
    assert isinstance(copy, Record) and not hasattr(copy, "missing")


def test_a_row_sqlite_doubts_but_python_reads_is_still_shown(
    engine: LayerEngine, doc: Document
) -> None:
    """orjson and SQLite's json_valid refuse NaN, which json.loads (and so every reader)
    takes: such a row is read by json and stays in the layer."""
    from tests.engine.test_unreadable_records import plant

    engine.create_records(doc.id, "s", "annotation", [note(0, 1, "kept", id="good")])
    plant(engine, doc, "s", {"nan": '{"v": 2, "type": "pspdfkit/note", "opacity": NaN}'})
    shown = {r.id: r for r in engine.annotations(doc.id, "s")}
    assert "good" in shown and shown["nan"].content["opacity"] != shown["nan"].content["opacity"]
