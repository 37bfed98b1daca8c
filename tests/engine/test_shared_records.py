"""Records the engine hands out cannot change what the next reader sees."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from reviewer_app.engine import BASE, Document, LayerEngine
from reviewer_app.instant import canonical_json
from reviewer_app.instant.frozen import thawed
from tests.engine.conftest import note


def _fingerprint(engine: LayerEngine, doc: Document, layer: str) -> list[str]:
    return [canonical_json([r.id, r.content]) for r in engine.records(doc.id, layer)]


def _with_custom_data(engine: LayerEngine, doc: Document) -> str:
    extra: dict[str, Any] = {"customData": {"x": 1, "marks": [[1, 2], {"points": 3}]}}
    change = engine.create_records(doc.id, "a", "annotation", [note(0, 1, "mine", **extra)])
    return change.upserted[0].id


def test_changing_a_base_record_in_place_is_refused(engine: LayerEngine, doc: Document) -> None:
    before = _fingerprint(engine, doc, BASE)
    for layer in (BASE, "", "never-written"):
        record = engine.annotations(doc.id, layer)[0]
        with pytest.raises(TypeError, match="read-only"):
            record.content["opacity"] = 0.5
        with pytest.raises(TypeError, match="read-only"):
            record.content["bbox"][0] = 999
        with pytest.raises(TypeError, match="read-only"):
            record.content["text"]["value"] = "changed"
    assert _fingerprint(engine, doc, BASE) == before
    assert _fingerprint(engine, doc, "b") == before  # another layer still reads the PDF's


def test_changing_a_layer_s_own_record_in_place_is_refused(
    engine: LayerEngine, doc: Document
) -> None:
    rid = _with_custom_data(engine, doc)
    before = _fingerprint(engine, doc, "a")
    mine = next(r for r in engine.records(doc.id, "a") if r.id == rid)
    with pytest.raises(TypeError):
        mine.content["customData"]["x"] = 2
    with pytest.raises(TypeError):
        mine.content["customData"]["marks"][0].append(3)
    with pytest.raises(TypeError):
        mine.content["customData"]["marks"][1]["points"] = 4
    with pytest.raises(TypeError):
        mine.content["bbox"] += [1]
    assert _fingerprint(engine, doc, "a") == before
    assert _fingerprint(engine, doc, "fork") == _fingerprint(engine, doc, BASE)


def test_a_copy_is_changed_and_written_back(engine: LayerEngine, doc: Document) -> None:
    rid = _with_custom_data(engine, doc)
    mine = next(r for r in engine.records(doc.id, "a") if r.id == rid)
    content = thawed(mine.content)
    content["customData"]["x"] = 2
    content["bbox"][0] = 50
    engine.update_records(doc.id, "a", "annotation", [{**content, "id": rid}])
    again = engine.record(doc.id, "a", "annotation", rid).content
    assert again["customData"]["x"] == 2 and again["bbox"][0] == 50
    assert mine.content["customData"]["x"] == 1  # what was handed out before stays as it was


def test_fresh_results_are_the_caller_s_own(engine: LayerEngine, doc: Document) -> None:
    rid = _with_custom_data(engine, doc)
    before = _fingerprint(engine, doc, "a")
    engine.record(doc.id, "a", "annotation", rid).content["customData"]["x"] = 99
    diff = engine.diff(doc.id, "a", BASE)
    diff.only_a[0].content["bbox"][0] = 99
    change = engine.update_records(
        doc.id, "a", "annotation", [note(0, 1, "edited", id=rid, customData={"x": 5})]
    )
    change.upserted[0].content["customData"]["x"] = 99
    after = [f for f in _fingerprint(engine, doc, "a") if rid not in f]
    assert after == [f for f in before if rid not in f]
    assert engine.record(doc.id, "a", "annotation", rid).content["customData"] == {"x": 5}


def test_threads_reading_the_same_cache_see_the_same_records(
    engine: LayerEngine, doc: Document
) -> None:
    expected = _fingerprint(engine, doc, BASE)
    seen: list[list[str]] = []
    refused: list[bool] = []

    def reader() -> None:
        records = engine.annotations(doc.id, BASE)
        try:
            records[0].content["bbox"][0] = -1
        except TypeError:
            refused.append(True)
        seen.append(_fingerprint(engine, doc, BASE))

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert refused == [True] * 4 and seen == [expected] * 4
