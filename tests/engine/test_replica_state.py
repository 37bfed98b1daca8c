"""A replica's sync state through the engine's public API: pull, push in flight, settle, forget."""

from __future__ import annotations

from pathlib import Path

from reviewer_app.engine import (
    Document,
    LayerEngine,
    PushOutcome,
    ServerVersion,
)
from reviewer_app.instant import Record
from tests.engine.conftest import note


def _add(engine: LayerEngine, doc: Document, layer: str, *texts: str) -> list[str]:
    contents = [note(0, 5 + i, t, id=f"{layer}-{t}") for i, t in enumerate(texts)]
    change = engine.create_records(doc.id, layer, "annotation", contents)
    return [r.id for r in change.upserted]


def _waiting(engine: LayerEngine, doc: Document, layer: str) -> list[str]:
    """The ids the layer's outbox holds, checked against the count the status bar shows."""
    batch = engine.sync_outbox(doc.id, layer)
    assert engine.sync_outbox_size(doc.id, layer) == len(batch)
    return [c.id for c in batch]


def _server(rid: str, text: str) -> Record:
    return Record("annotation", rid, note(0, 5, text), "server-user", "server-user")


def test_a_push_is_remembered_before_it_is_sent_and_settled_after(
    engine: LayerEngine, doc: Document
) -> None:
    assert _waiting(engine, doc, "never") == []  # a layer that does not exist
    _add(engine, doc, "a", "one", "two", "three")
    assert _waiting(engine, doc, "a") == ["a-one", "a-three", "a-two"]
    batch = engine.sync_outbox(doc.id, "a")
    assert [c.id for c in batch] == ["a-one", "a-three", "a-two"]
    state = engine.start_push(doc.id, "a", "key-1", batch)
    assert state.pending_key == "key-1" and state.pending_changes == tuple(batch)
    theirs = ServerVersion(("annotation", "a-three"), _server("a-three", "theirs"), 7)
    outcome = PushOutcome(
        tuple(batch),
        applied={("annotation", "a-one"): 5},
        rejected=frozenset({("annotation", "a-two")}),
        conflicts=(theirs,),
        server_uid="server-uid",
    )
    merged = engine.settle_push(doc.id, "a", outcome)
    assert merged.conflicts == 1
    state = engine.sync_state(doc.id, "a")
    assert (state.pending_key, state.pending_changes, state.server_uid) == (
        None,
        None,
        "server-uid",
    )
    assert _waiting(engine, doc, "a") == []  # applied, rejected and conflicted all wait no more
    [conflict] = engine.sync_conflicts(doc.id, "a")
    assert conflict.theirs is not None and conflict.theirs.content["text"]["value"] == "theirs"
    assert conflict.mine is not None and conflict.mine.content["text"]["value"] == "three"
    assert engine.last_server_versions(doc.id, "a")[("annotation", "a-one")] is not None


def test_merging_the_server_s_versions_records_how_far_it_was_pulled(
    engine: LayerEngine, doc: Document
) -> None:
    _add(engine, doc, "a", "mine")
    versions = [
        ServerVersion(("annotation", "s-new"), _server("s-new", "from the server"), 3),
        ServerVersion(("annotation", "a-mine"), _server("a-mine", "edited there"), 4),
    ]
    merged = engine.merge_from_server(
        doc.id, "a", versions, pulled_revision=4, server_uid="server-uid"
    )
    state = engine.sync_state(doc.id, "a")
    assert (state.pulled_revision, state.server_uid) == (4, "server-uid")
    assert merged.conflicts == 1  # edited here, never sent, edited there: both kept
    assert [r.id for r in merged.change.upserted] == ["s-new"]
    texts = {r.id: r.content["text"]["value"] for r in engine.annotations(doc.id, "a")}
    assert texts["a-mine"] == "mine" and texts["s-new"] == "from the server"
    assert engine.undo_label(doc.id, "a") == "Add annotation"  # not an undo step
    seen = engine.last_server_versions(doc.id, "a")
    assert seen[("annotation", "s-new")] == versions[0].record


def test_a_change_written_to_a_plain_server_is_not_sent_again(
    engine: LayerEngine, doc: Document
) -> None:
    _add(engine, doc, "a", "one", "two")
    assert _waiting(engine, doc, "a") == ["a-one", "a-two"]
    first, second = engine.sync_outbox(doc.id, "a")
    engine.mark_sent(doc.id, "a", first, server_revision=0)
    assert engine.sync_outbox(doc.id, "a") == [second]
    assert _waiting(engine, doc, "a") == ["a-two"]
    assert engine.sync_state(doc.id, "a").pushed_local_revision == 0  # "two" still waits
    engine.mark_sent(doc.id, "a", second, server_revision=0)
    assert engine.sync_outbox(doc.id, "a") == []
    assert engine.sync_state(doc.id, "a").pushed_local_revision == 1
    assert engine.last_server_versions(doc.id, "a") == {first.key: None, second.key: None}


def test_a_layer_deleted_on_the_server_waits_for_the_user(
    engine: LayerEngine, doc: Document
) -> None:
    _add(engine, doc, "a", "one")
    engine.settle_push(
        doc.id,
        "a",
        PushOutcome(
            tuple(engine.sync_outbox(doc.id, "a")),
            {("annotation", "a-one"): 1},
            frozenset(),
            (),
            "uid-1",
        ),
    )
    assert engine.sync_outbox(doc.id, "a") == []
    state = engine.mark_deleted_on_server(doc.id, "a")
    assert state.deleted_on_server
    again = engine.restart_sync(doc.id, "a")  # "send it again"
    assert not again.deleted_on_server and again.server_uid is None
    assert [c.id for c in engine.sync_outbox(doc.id, "a")] == ["a-one"]
    engine.mark_deleted_on_server(doc.id, "a")
    assert engine.accept_server_deletion(doc.id, "a") is True
    assert not engine.has_layer(doc.id, "a")
    assert engine.deleted_layers(doc.id) == []  # gone for good: the server's deletion
    assert [s.name for s in engine.sync_states(doc.id)] == []
    assert engine.accept_server_deletion(doc.id, "a") is False


def test_forgetting_a_layer_s_sync_state_drops_its_conflicts(
    engine: LayerEngine, doc: Document
) -> None:
    _add(engine, doc, "a", "mine")
    engine.merge_from_server(
        doc.id, "a", [ServerVersion(("annotation", "a-mine"), _server("a-mine", "theirs"), 2)]
    )
    assert len(engine.sync_conflicts(doc.id)) == 1
    assert engine.forget_sync(doc.id, "a") is True
    assert engine.sync_conflicts(doc.id) == []
    assert engine.forget_sync(doc.id, "a") is False
    assert engine.has_layer(doc.id, "a")  # the layer itself stays


def test_attachments_are_known_without_reading_them(engine: LayerEngine) -> None:
    picture = b"\x89PNG\r\n\x1a\n" + b"x" * 100
    assert not engine.has_attachment("0" * 64)
    sha = engine.add_attachment(picture)
    assert engine.has_attachment(sha) and engine.attachment(sha) == picture


def test_a_pull_that_brings_back_our_own_push_writes_nothing(tmp_path: Path) -> None:
    """The server's feed after a push holds the versions just pushed: each costs two reads
    (in step, and unchanged here since), not a merge and a rewrite; a record changed here
    since it was pushed is still not overwritten and still waits to be sent."""
    with LayerEngine(tmp_path) as engine:
        doc = engine.add_document(b"%PDF-1.7 x", records=[], page_count=1)
        _add(engine, doc, "a", "one", "two", "three")
        batch = engine.sync_outbox(doc.id, "a")
        engine.start_push(doc.id, "a", "key-1", batch)
        applied = {c.key: 5 + n for n, c in enumerate(batch)}
        engine.settle_push(doc.id, "a", PushOutcome(tuple(batch), applied, frozenset(), (), "u"))
        engine.update_records(doc.id, "a", "annotation", [note(0, 9, "edited", id="a-two")])
        echoes = [
            ServerVersion(c.key, Record(c.kind, c.id, c.content), applied[c.key]) for c in batch
        ]
        statements: list[str] = []
        engine._conn.set_trace_callback(statements.append)
        merged = engine.merge_from_server(doc.id, "a", echoes, pulled_revision=7, server_uid="u")
        engine._conn.set_trace_callback(None)
        assert merged.change.upserted == () and merged.conflicts == 0
        writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
        assert not any("layer_records" in s or "sync_records" in s for s in writes), writes
        assert sum("FROM sync_conflicts" in s for s in statements) == 1  # a-two only
        texts = {r.id: r.content["text"]["value"] for r in engine.annotations(doc.id, "a")}
        assert texts["a-two"] == "edited" and _waiting(engine, doc, "a") == ["a-two"]
