"""Against a plain Document Engine (our server without its sync extension): listings and diffs."""

from __future__ import annotations

from collections.abc import Callable

from tests.server.conftest import note
from tests.sync.conftest import LiveServer, Replica, local_records


def test_two_replicas_sync_through_a_plain_server(
    plain_server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    server = plain_server
    doc = server.upload()
    token = server.token(doc, layers=["*"])
    a = replicas("a", server.url, token, doc)
    b = replicas("b", server.url, token, doc)
    a.engine.create_records(doc, "x", "annotation", [note(0, 10, "one", id="n1")])
    a.engine.create_records(doc, "x", "annotation", [note(0, 20, "two", id="n2")])
    a.session.sync_all()
    assert a.session.extension is False
    b.session.sync_all()
    assert {r.id for r in b.engine.annotations(doc, "x")} >= {"n1", "n2"}
    b.engine.update_records(doc, "x", "annotation", [note(0, 10, "one, edited", id="n1")])
    b.engine.delete_records(doc, "x", [("annotation", "n2")])
    b.session.sync_all()
    a.session.sync_all()
    shown = {r.id: r.content["text"]["value"] for r in a.engine.annotations(doc, "x")}
    assert shown.get("n1") == "one, edited" and "n2" not in shown
    a.engine.update_records(doc, "x", "annotation", [note(0, 10, "a", id="n1")])
    b.engine.update_records(doc, "x", "annotation", [note(0, 10, "b", id="n1")])
    a.session.sync_all()
    b.session.sync_all()
    assert len(b.session.conflicts()) == 1  # seen by the diff against the last listing
    for replica in (a, b):
        replica.session.sync_all()
    assert local_records(a.engine, doc, "x") == server.records(doc, "x")
