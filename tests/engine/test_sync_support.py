"""Sync support: the changes feed with record revisions and the idempotent, conflict-safe push."""

from __future__ import annotations

import sqlite3

import pytest

from reviewer_app.engine import BadRequest, Conflict, Document, LayerEngine
from reviewer_app.engine.sync_support import PushChange, parse_changes
from tests.engine.conftest import note


def _push(
    engine: LayerEngine, doc: Document, key: str, *changes: PushChange, layer: str = "a"
) -> dict[str, object]:
    return engine.push_changes(doc.id, layer, key, list(changes), user="alice").to_json()


def test_push_creates_updates_and_deletes_as_one_revision(
    engine: LayerEngine, doc: Document
) -> None:
    base_id = engine.annotations(doc.id, "a")[0].id
    result = _push(
        engine,
        doc,
        "k1",
        PushChange("annotation", "new-1", 0, note(0, 5, "new")),
        PushChange("annotation", base_id, 0, None),
    )
    assert result["revision"] == 1
    assert [a["id"] for a in result["applied"]] == ["new-1", base_id]  # type: ignore[index]
    assert result["conflicts"] == [] and result["rejected"] == []
    assert engine.record(doc.id, "a", "annotation", "new-1").created_by == "alice"
    assert base_id not in {r.id for r in engine.annotations(doc.id, "a")}
    assert base_id in {r.id for r in engine.annotations(doc.id, "")}  # other layers untouched


def test_same_key_twice_applies_once(engine: LayerEngine, doc: Document) -> None:
    change = PushChange("annotation", "n", 0, note(0, 5, "once"))
    first = _push(engine, doc, "same", change)
    second = _push(engine, doc, "same", change)
    assert second["replayed"] is True and first["replayed"] is False
    assert {k: v for k, v in second.items() if k != "replayed"} == {
        k: v for k, v in first.items() if k != "replayed"
    }
    assert engine.changes_feed(doc.id, "a", 0).revision == 1


def test_same_key_with_other_changes_is_a_conflict(engine: LayerEngine, doc: Document) -> None:
    _push(engine, doc, "k", PushChange("annotation", "n", 0, note(0, 5, "x")))
    with pytest.raises(Conflict):
        _push(engine, doc, "k", PushChange("annotation", "m", 0, note(0, 5, "y")))


def test_stale_base_revision_is_a_conflict_and_overwrites_nothing(
    engine: LayerEngine, doc: Document
) -> None:
    _push(engine, doc, "k1", PushChange("annotation", "n", 0, note(0, 5, "first")))
    _push(engine, doc, "k2", PushChange("annotation", "n", 1, note(0, 5, "second")))
    stale = _push(engine, doc, "k3", PushChange("annotation", "n", 1, note(0, 5, "stale")))
    (conflict,) = stale["conflicts"]  # type: ignore[misc]
    assert conflict["server_revision"] == 2 and conflict["base_revision"] == 1
    assert conflict["server"]["content"]["text"]["value"] == "second"
    assert stale["applied"] == [] and stale["revision"] == 2
    assert engine.record(doc.id, "a", "annotation", "n").content["text"]["value"] == "second"


def test_creating_an_id_that_exists_is_a_conflict(engine: LayerEngine, doc: Document) -> None:
    _push(engine, doc, "k1", PushChange("annotation", "n", 0, note(0, 5, "mine")))
    other = _push(engine, doc, "k2", PushChange("annotation", "n", 0, note(0, 5, "theirs")))
    assert other["conflicts"][0]["server_revision"] == 1  # type: ignore[index]


def test_invalid_content_is_rejected_others_apply(engine: LayerEngine, doc: Document) -> None:
    result = _push(
        engine,
        doc,
        "k",
        PushChange("annotation", "bad", 0, {"type": "pspdfkit/note"}),
        PushChange("annotation", "good", 0, note(0, 5, "ok")),
    )
    assert [r["id"] for r in result["rejected"]] == ["bad"]  # type: ignore[index]
    assert [a["id"] for a in result["applied"]] == ["good"]  # type: ignore[index]


def test_feed_carries_record_revisions_and_tombstones(engine: LayerEngine, doc: Document) -> None:
    base_id = engine.annotations(doc.id, "")[0].id
    _push(engine, doc, "k1", PushChange("annotation", "n", 0, note(0, 5, "x")))
    _push(engine, doc, "k2", PushChange("annotation", base_id, 0, None))
    feed = engine.changes_feed(doc.id, "a", 0)
    assert feed.revision == 2
    assert [(r.id, rev) for r, rev in feed.upserted] == [("n", 1)]
    assert feed.deleted == ((("annotation", base_id), 2),)
    assert engine.changes_feed(doc.id, "a", 1).upserted == ()
    assert engine.changes_feed(doc.id, "missing", 0).uid is None


def test_parse_changes_names_the_bad_change() -> None:
    with pytest.raises(BadRequest, match="change 1"):
        parse_changes([{"kind": "annotation", "id": "x", "base_revision": 0}, {"kind": "nope"}])
    with pytest.raises(BadRequest, match="base_revision"):
        parse_changes([{"kind": "annotation", "id": "x", "base_revision": -1}])


def test_migration_2_adds_the_push_table(engine: LayerEngine) -> None:
    conn = sqlite3.connect(engine.db.path)
    versions = [row[0] for row in conn.execute("SELECT version FROM migrations ORDER BY 1")]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert versions[:2] == [1, 2] and "sync_pushes" in tables
