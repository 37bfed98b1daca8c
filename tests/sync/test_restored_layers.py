"""Undoing a layer's deletion, then syncing: the restored layer reaches the server again."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reviewer_app.engine import Conflict
from tests.server.conftest import note
from tests.sync.conftest import LiveServer, Replica, local_records


def _essay(replica: Replica) -> None:
    notes = [note(0, 10 + i, f"essay {i}", id=f"e{i}") for i in range(3)]
    replica.engine.create_records(replica.doc, "essay", "annotation", notes)
    base = replica.engine.annotations(replica.doc, "")[0]  # the PDF's own note, deleted here
    replica.engine.delete_records(replica.doc, "essay", [("annotation", base.id)])


def _server_trash(server: LiveServer) -> int:
    with server.store() as conn:
        return int(conn.execute("SELECT count(*) FROM deleted_layers").fetchone()[0])


def test_a_layer_deleted_synced_and_restored_is_on_the_server_again(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    token = server.token(doc, layers=["*"])
    a = replicas("a", server.url, token, doc)
    b = replicas("b", server.url, token, doc)
    _essay(a)
    a.session.sync_all()
    expected = server.records(doc, "essay")
    assert local_records(a.engine, doc, "essay") == expected
    a.engine.delete_layer(doc, "essay")
    assert a.session.sync_all().layers_deleted == ["essay"]
    assert "essay" not in server.layers(doc)
    assert _server_trash(server) == 0  # the server's DELETE keeps nothing
    a.engine.restore_layer(doc)
    report = a.session.sync_all()
    assert report.layers_created == ["essay"] and report.conflicts == 0
    assert server.records(doc, "essay") == expected == local_records(a.engine, doc, "essay")
    b.session.sync_all()
    assert local_records(b.engine, doc, "essay") == expected
    a.engine.create_records(doc, "essay", "annotation", [note(1, 10, "after", id="after")])
    a.session.sync_all()
    b.session.sync_all()
    assert local_records(b.engine, doc, "essay") == server.records(doc, "essay")
    assert "after" in {rid for rid, _ in local_records(b.engine, doc, "essay")}


def test_a_deletion_undone_before_syncing_changes_nothing_on_the_server(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    a = replicas("a", server.url, server.token(doc, layers=["*"]), doc)
    _essay(a)
    a.session.sync_all()
    expected = server.records(doc, "essay")
    uid = a.engine.sync_state(doc, "essay").server_uid
    a.engine.delete_layer(doc, "essay")
    a.engine.restore_layer(doc)
    report = a.session.sync_all()
    assert (report.layers_deleted, report.layers_created, report.pushed) == ([], [], 0)
    assert a.engine.sync_state(doc, "essay").server_uid == uid  # the same pairing as before
    assert server.records(doc, "essay") == expected
    a.engine.update_records(doc, "essay", "annotation", [note(0, 10, "edited", id="e0")])
    assert a.session.sync_all().pushed == 1
    assert server.records(doc, "essay") == local_records(a.engine, doc, "essay")


def test_a_layer_the_server_changed_after_the_deletion_comes_back_instead(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    token = server.token(doc, layers=["*"])
    a = replicas("a", server.url, token, doc)
    b = replicas("b", server.url, token, doc)
    _essay(a)
    a.session.sync_all()
    b.session.sync_all()
    a.engine.delete_layer(doc, "essay")
    b.engine.create_records(doc, "essay", "annotation", [note(1, 10, "b's", id="b1")])
    b.session.sync_all()
    report = a.session.sync_all()
    assert any("changed on the server" in notice for notice in report.notices)
    assert local_records(a.engine, doc, "essay") == server.records(doc, "essay")
    with pytest.raises(Conflict, match="exists again"):
        a.engine.restore_layer(doc)  # the server's version is here now; ours stays deleted


def test_a_restored_layer_reaches_a_plain_server_again(
    plain_server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    server = plain_server
    doc = server.upload()
    a = replicas("a", server.url, server.token(doc, layers=["*"]), doc)
    _essay(a)
    a.session.sync_all()
    expected = server.records(doc, "essay")
    a.engine.delete_layer(doc, "essay")
    a.session.sync_all()
    assert "essay" not in server.layers(doc)
    a.engine.restore_layer(doc)
    a.session.sync_all()
    assert server.records(doc, "essay") == expected == local_records(a.engine, doc, "essay")
