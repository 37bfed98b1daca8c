"""The status of a replica is true: synced only when every local change is on the server;
pending, local only (what the token cannot send) and conflicts per layer otherwise."""

from __future__ import annotations

from collections.abc import Callable

from reviewer_app.server.tokens import TokenRequest, issue_token
from reviewer_app.sync import SyncSession, read_token
from tests.server.conftest import note
from tests.sync.conftest import LiveServer, Replica


def test_token_claims_name_the_users_own_layer(server: LiveServer) -> None:
    doc = server.upload()
    assert read_token(server.token(doc, layer="dana")).own_layer == "dana"
    assert read_token(server.token(doc, layers=["dana"])).own_layer == "dana"
    assert read_token(server.token(doc)).own_layer == ""  # no claim: the default layer
    assert read_token(server.token(doc, layers=["*"])).own_layer is None
    assert read_token(server.token(doc, layers=["dana", "sam"])).own_layer is None
    assert read_token("the-server-token-is-not-a-jwt").server
    reader = issue_token(TokenRequest(doc, ["read-document"], layer="dana"), server.private_key)
    assert not read_token(reader).write and read_token(server.token(doc)).write


def test_a_students_stray_layer_is_local_only_never_synced(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    student = replicas("student", server.url, server.token(doc, layer="dana"), doc)
    student.engine.create_records(doc, "dana", "annotation", [note(0, 10, "mine", id="n1")])
    student.engine.create_records(doc, "Dana Smith", "annotation", [note(0, 20, "lost", id="n2")])
    status = student.session.recount()
    assert status.pending == 1 and status.layer_state("dana") == "pending"
    assert status.local_only == ("Dana Smith",)
    student.session.sync_all()
    status = student.session.status
    assert status.state == "synced" and status.pending == 0
    assert status.layers == (("Dana Smith", "local"), ("dana", "synced"))  # "" untouched: none
    assert server.layers(doc) == {"", "dana"}


def test_a_read_only_token_pulls_and_keeps_local_changes_here(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    reader = issue_token(
        TokenRequest(doc, ["read-document", "download"], layer="dana"), server.private_key
    )
    assert server.call("POST", f"/api/documents/{doc}/layers", json={"name": "dana"}).ok
    replica = replicas("reader", server.url, reader, doc)
    replica.engine.create_records(doc, "dana", "annotation", [note(0, 10, "mine", id="n1")])
    replica.session.sync_all()  # no 403: nothing is pushed
    status = replica.session.status
    assert status.state == "synced" and status.local_only == ("dana",) and status.pending == 0
    assert all(r[0] != "n1" for r in server.records(doc, "dana"))


def test_a_conflict_marks_its_layer(server: LiveServer, replicas: Callable[..., Replica]) -> None:
    doc = server.upload()
    token = server.token(doc, layers=["*"])
    a, b = replicas("a", server.url, token, doc), replicas("b", server.url, token, doc)
    a.engine.create_records(doc, "t", "annotation", [note(0, 10, "first", id="n1")])
    a.session.sync_all()
    b.session.sync_all()
    a.engine.update_records(doc, "t", "annotation", [note(0, 10, "from a", id="n1")])
    b.engine.update_records(doc, "t", "annotation", [note(0, 10, "from b", id="n1")])
    a.session.sync_all()
    b.session.sync_all()
    status = b.session.status
    assert status.conflicts == 1 and status.layer_state("t") == "conflict"


def test_a_stopped_session_sends_nothing_more_and_keeps_it_for_the_next(
    server: LiveServer, replicas: Callable[..., Replica], monkeypatch
) -> None:
    """File > Disconnect stops the session while its sync runs: a change that reaches the
    outbox as the push reads it (typed after the disconnect) is not sent; it stays pending,
    and a new session sends it."""
    doc = server.upload()
    replica = replicas("student", server.url, server.token(doc, layer="dana"), doc)
    replica.engine.create_records(doc, "dana", "annotation", [note(0, 10, "before", id="n1")])
    replica.session.sync_all()
    replica.engine.create_records(doc, "dana", "annotation", [note(0, 20, "after", id="n2")])
    outbox = replica.engine.sync_outbox

    def read_as_disconnected(*args: object, **kwargs: object) -> object:
        replica.session.stop()  # (the UI thread disconnects as the push reads its outbox)
        return outbox(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(replica.engine, "sync_outbox", read_as_disconnected)
    replica.session.sync_all()
    sent = {r[0] for r in server.records(doc, "dana")}
    assert "n1" in sent and "n2" not in sent
    monkeypatch.undo()
    again = SyncSession(replica.engine, replica.session.client, doc)
    assert again.recount().pending == 1  # kept here
    again.sync_all()
    assert {"n1", "n2"} <= {r[0] for r in server.records(doc, "dana")}
