"""A layer pulled from the server is dated when it last changed there (the changes feed's
``updatedAt``), not when this replica pulled it: a teacher's Layers list showed every
student's layer changed at the time of her own sync."""

from __future__ import annotations

from collections.abc import Callable

from reviewer_app.engine import LayerEngine
from reviewer_app.sync.layer_sync import server_time
from tests.server.conftest import note
from tests.sync.conftest import LiveServer, Replica

HANDED_IN = "2026-01-05T08:30:00.000Z"  # long before the test runs
MARKED = "2026-01-06T09:00:00.000Z"


def dated(server: LiveServer, document_id: str, layer: str, when: str) -> None:
    """Date the server's layer ``when``, as if its last change had come then."""
    with server.store() as conn:
        conn.execute(
            "UPDATE layers SET updated_at = ? WHERE document_id = ? AND name = ?",
            (when, document_id, layer),
        )


def local_time_of(engine: LayerEngine, document_id: str, layer: str) -> str | None:
    return next(s.updated_at for s in engine.layer_summaries(document_id) if s.name == layer)


def test_a_pulled_layer_is_dated_when_it_changed_on_the_server(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    student = replicas("s", server.url, server.token(doc, layer="amy", user_id="amy"), doc)
    teacher = replicas("t", server.url, server.token(doc, layers=["*"]), doc)
    student.engine.create_records(doc, "amy", "annotation", [note(0, 10, "answer", id="a")])
    student.session.sync_all()
    feed = server.call("GET", f"/api/documents/{doc}/layers/amy/changes").json()["data"]
    assert server_time(feed["updatedAt"]) == feed["updatedAt"]  # the engine's own stamp
    dated(server, doc, "amy", HANDED_IN)
    teacher.session.sync_all()
    assert local_time_of(teacher.engine, doc, "amy") == HANDED_IN

    # her own later change here keeps its time; a change pulled later takes the server's
    teacher.engine.create_records(doc, "amy", "annotation", [note(0, 40, "good", id="fb")])
    marked = local_time_of(teacher.engine, doc, "amy")
    assert marked is not None and marked > HANDED_IN
    teacher.session.sync_all()  # her mark goes out; the server dates it now
    student.engine.update_records(doc, "amy", "annotation", [note(0, 10, "better", id="a")])
    student.session.sync_all()
    dated(server, doc, "amy", MARKED)  # (earlier than her mark: hers stays)
    teacher.session.sync_all()
    assert local_time_of(teacher.engine, doc, "amy") == marked
    assert teacher.engine.record(doc, "amy", "annotation", "a").content["text"]["value"] == "better"

    # a server whose clock runs ahead dates nothing in the future here
    student.engine.update_records(doc, "amy", "annotation", [note(0, 10, "best", id="a")])
    student.session.sync_all()
    dated(server, doc, "amy", "2099-01-01T00:00:00.000Z")
    teacher.session.sync_all()
    stamp = local_time_of(teacher.engine, doc, "amy")
    assert stamp is not None and marked < stamp < "2099"


def test_a_time_that_is_not_the_servers_stamp_is_not_taken() -> None:
    assert server_time(HANDED_IN) == HANDED_IN
    for other in (None, 5, "", "yesterday", "2026-01-05T08:30:00Z", "2026-01-05 08:30:00.000Z"):
        assert server_time(other) is None
