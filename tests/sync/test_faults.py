"""Faults between a replica and a real server: dropped answers, 503s, a killed server, offline."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reviewer_app.sync import OfflineError
from tests.server.conftest import note
from tests.sync.conftest import LiveServer, Proxy, Replica, local_records


def _notes(replica: Replica, layer: str, count: int, start: int = 0) -> None:
    items = [note(0, 5 + (i % 50), f"note {i}", id=f"n{i}") for i in range(start, start + count)]
    replica.engine.create_records(replica.doc, layer, "annotation", items)


def test_dropped_answer_is_retried_without_duplicates(
    server: LiveServer, proxy: Proxy, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    a = replicas("a", proxy.url, server.token(doc, layers=["*"]), doc)
    _notes(a, "x", 3)
    proxy.drop_next = 1  # the server applies the push; its answer never arrives
    report = a.session.sync_all()
    assert report.replayed == 1
    assert sum(1 for s in proxy.seen if "/push" in s) == 2
    assert len(server.records(doc, "x")) == 3 + 1  # three notes and the base note, once each
    feed = server.call("GET", f"/api/documents/{doc}/layers/x/changes?since=0").json()["data"]
    assert feed["revision"] == 1  # applied once
    assert local_records(a.engine, doc, "x") == server.records(doc, "x")


def test_503_then_recovery(
    server: LiveServer, proxy: Proxy, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    a = replicas("a", proxy.url, server.token(doc, layers=["*"]), doc)
    _notes(a, "x", 5)
    proxy.fail_next = 3
    a.session.sync_all()
    assert local_records(a.engine, doc, "x") == server.records(doc, "x")
    proxy.fail_next = 100  # more than the retries: an error, nothing lost
    _notes(a, "x", 2, start=10)
    with pytest.raises(Exception, match="503"):
        a.session.sync_all()
    assert a.session.status.state == "error" and a.session.status.pending == 2
    proxy.fail_next = 0
    a.session.sync_all()
    assert a.session.status.pending == 0
    assert local_records(a.engine, doc, "x") == server.records(doc, "x")


def test_server_killed_mid_push_then_an_offline_afternoon(
    server: LiveServer, proxy: Proxy, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    token = server.token(doc, layers=["*"])
    a = replicas("a", proxy.url, token, doc)
    b = replicas("b", proxy.url, token, doc)
    _notes(a, "x", 1200)  # three batches
    proxy.drop_next, proxy.on_drop = 1, server.kill  # killed after applying the first batch
    with pytest.raises(OfflineError):
        a.session.sync_all()
    assert a.session.status.state == "offline"
    assert a.engine.sync_state(doc, "x").pending_key is not None  # kept for the retry
    for i in range(200):  # the network stays down: edits go on
        a.engine.update_records(doc, "x", "annotation", [note(0, 7, f"edit {i}", id=f"n{i}")])
    a.engine.delete_records(doc, "x", [("annotation", "n1199")])
    assert a.session.pending() == 1200
    server.start()
    proxy.upstream = server.url
    report = a.session.sync_all()
    assert report.replayed == 1
    b.session.sync_all()
    expected = server.records(doc, "x")
    assert len(expected) == 1199 + 1
    assert local_records(a.engine, doc, "x") == expected
    assert local_records(b.engine, doc, "x") == expected
    assert a.session.status.pending == 0 and a.session.status.state == "synced"
