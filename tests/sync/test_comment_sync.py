"""Comments sync like every record: replies written on two replicas offline both arrive,
two different states of one thread are a conflict kept for the user, and a reply to an
annotation deleted meanwhile is refused by the server and kept here, never lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.sync.conftest import LiveServer, Replica


def highlight(rid: str) -> dict[str, Any]:
    return {
        "v": 2,
        "type": "pspdfkit/markup/highlight",
        "id": rid,
        "pageIndex": 0,
        "bbox": [72, 60, 120, 14],
        "rects": [[72, 60, 120, 14]],
        "color": "#fcee7c",
        "opacity": 1,
        "isCommentThreadRoot": True,
    }


def words(replica: Replica, layer: str, root: str) -> list[str]:
    shown = replica.engine.thread_comments(replica.doc, layer, root)
    return [c.content["text"]["value"] for c in shown]


def server_words(server: LiveServer, doc: str, layer: str, root: str) -> list[str]:
    path = f"/api/documents/{doc}/layers/{layer}/annotations/{root}/comments"
    return [
        c["content"]["text"]["value"] for c in server.call("GET", path).json()["data"]["comments"]
    ]


def test_replies_written_offline_on_two_replicas_both_arrive(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    student = replicas("student", server.url, server.token(doc, layer="s", user_id="s"), doc)
    teacher = replicas("teacher", server.url, server.token(doc, layers=["*"], user_id="t"), doc)
    student.engine.create_records(doc, "s", "annotation", [highlight("H")])
    student.engine.add_comments(doc, "s", "H", [{"text": "Is this right?", "creatorName": "Sam"}])
    student.session.sync_all()
    teacher.session.sync_all()
    assert words(teacher, "s", "H") == ["Is this right?"]
    # both offline: neither syncs while writing
    teacher.engine.add_comments(doc, "s", "H", [{"text": "Almost.", "creatorName": "Ms T"}])
    student.engine.add_comments(doc, "s", "H", [{"text": "Or is it?", "creatorName": "Sam"}])
    assert student.session.pending() == 1 and teacher.session.pending() == 1
    teacher.session.sync_all()
    student.session.sync_all()
    teacher.session.sync_all()
    both = sorted(["Is this right?", "Almost.", "Or is it?"])
    for replica in (student, teacher):
        assert sorted(words(replica, "s", "H")) == both
        assert replica.session.conflicts() == []
    assert sorted(server_words(server, doc, "s", "H")) == both
    mine = {c.id for c in student.engine.thread_comments(doc, "s", "H")}
    theirs = {c.id for c in teacher.engine.thread_comments(doc, "s", "H")}
    assert mine == theirs


def test_two_states_set_offline_are_a_conflict_kept_for_the_user(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    token = server.token(doc, layer="t", user_id="t")
    laptop = replicas("laptop", server.url, token, doc)
    desktop = replicas("desktop", server.url, token, doc)
    laptop.engine.create_records(doc, "t", "annotation", [highlight("H")])
    laptop.engine.add_comments(doc, "t", "H", [{"text": "open question"}])
    laptop.session.sync_all()
    desktop.session.sync_all()
    laptop.engine.set_thread_state(doc, "t", "H", "resolved", by="laptop")
    desktop.engine.set_thread_state(doc, "t", "H", "rejected", by="desktop")
    laptop.session.sync_all()
    report = desktop.session.sync_all()
    assert report.conflicts == 1
    (conflict,) = desktop.session.conflicts()
    assert conflict.key == ("annotation", "H")
    assert desktop.engine.threads(doc, "t")[0].state.state == "rejected"  # mine stays
    desktop.session.resolve(conflict, "theirs")
    desktop.session.sync_all()
    laptop.session.sync_all()
    for replica in (laptop, desktop):
        assert replica.engine.threads(doc, "t")[0].state.state == "resolved"


def test_a_reply_to_an_annotation_deleted_meanwhile_is_refused_and_kept_here(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    token = server.token(doc, layer="t", user_id="t")
    one = replicas("one", server.url, token, doc)
    two = replicas("two", server.url, token, doc)
    one.engine.create_records(doc, "t", "annotation", [highlight("H")])
    one.session.sync_all()
    two.session.sync_all()
    one.engine.delete_records(doc, "t", [("annotation", "H")])
    two.engine.add_comments(doc, "t", "H", [{"text": "late reply"}])
    one.session.sync_all()
    report = two.session.sync_all()
    assert any("root annotation 'H' is not in the layer" in r for r in report.rejected)
    assert [r.content["text"]["value"] for r in two.engine.records(doc, "t", "comment")] == [
        "late reply"
    ]


def test_replies_travel_through_a_plain_document_engine(
    plain_server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    """Without our sync extension, threads are listed root by root and a new reply goes to
    Document Engine's comment route; an edit, which that API cannot make, is reported."""
    doc = plain_server.upload()
    token = plain_server.token(doc, layers=["*"])
    a = replicas("a", plain_server.url, token, doc)
    b = replicas("b", plain_server.url, token, doc)
    a.engine.create_records(doc, "x", "annotation", [highlight("H")])
    a.engine.add_comments(doc, "x", "H", [{"text": "first", "creatorName": "A"}])
    a.session.sync_all()
    assert a.session.extension is False
    b.session.sync_all()
    assert words(b, "x", "H") == ["first"]
    b.engine.add_comments(doc, "x", "H", [{"text": "second", "creatorName": "B"}])
    b.session.sync_all()
    a.session.sync_all()
    assert words(a, "x", "H") == ["first", "second"]
    (mine,) = [
        c for c in a.engine.thread_comments(doc, "x", "H") if c.content["creatorName"] == "A"
    ]
    edited = {**mine.content, "id": mine.id, "text": {"format": "plain", "value": "changed"}}
    a.engine.update_records(doc, "x", "comment", [edited])
    report = a.session.sync_all()
    assert any("cannot edit a comment" in r for r in report.rejected)
