"""Several replicas against a real server: layer isolation, feedback, conflicts between machines."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reviewer_app.engine import Conflict
from tests.server.conftest import note
from tests.sync.conftest import LiveServer, Replica, local_records


def test_students_reach_the_teacher_and_never_each_other(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    teacher = replicas("teacher", server.url, server.token(doc, layers=["*"]), doc)
    s1 = replicas("s1", server.url, server.token(doc, layer="s1", user_id="s1"), doc)
    s2 = replicas("s2", server.url, server.token(doc, layer="s2", user_id="s2"), doc)
    assert teacher.engine.document(doc).id == doc  # the same bytes give the same id
    s1.engine.create_records(doc, "s1", "annotation", [note(0, 10, "s1 answer", id="a1")])
    s2.engine.create_records(doc, "s2", "annotation", [note(1, 20, "s2 answer", id="a2")])
    assert s1.session.status.pending == 0 and s1.session.pending() == 1
    s1.session.sync_all()
    s2.session.sync_all()
    teacher.session.sync_all()
    assert {"s1", "s2"} <= set(teacher.engine.layer_names(doc))
    assert ("annotation", "a1") in {r.key for r in teacher.engine.records(doc, "s1")}
    teacher.engine.create_records(doc, "s1", "annotation", [note(0, 50, "well done", id="fb")])
    teacher.session.sync_all()
    s1.session.sync_all()
    s2.session.sync_all()
    assert {r.id for r in s1.engine.annotations(doc, "s1")} >= {"a1", "fb"}
    assert "s1" not in s2.engine.layer_names(doc)
    assert "a1" not in {r.id for r in s2.engine.annotations(doc, "s2")}
    for replica, layer in ((s1, "s1"), (s2, "s2"), (teacher, "s1"), (teacher, "s2")):
        assert local_records(replica.engine, doc, layer) == server.records(doc, layer)
    status = s1.session.status
    assert status.state == "synced" and status.pending == 0 and status.last_synced is not None
    # the pulled feedback is not in the student's undo history
    assert s1.engine.undo_label(doc, "s1") == "Add annotation"
    s1.engine.undo(doc, "s1")  # undoes the student's own note, not the teacher's
    assert {r.id for r in s1.engine.annotations(doc, "s1")} >= {"fb"}


def test_one_user_two_machines_conflict_keeps_both(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    token = server.token(doc, layer="t", user_id="teacher")
    laptop = replicas("laptop", server.url, token, doc)
    desktop = replicas("desktop", server.url, token, doc)
    laptop.engine.create_records(doc, "t", "annotation", [note(0, 10, "draft", id="n")])
    laptop.session.sync_all()
    desktop.session.sync_all()
    laptop.engine.update_records(doc, "t", "annotation", [note(0, 10, "laptop", id="n")])
    desktop.engine.update_records(doc, "t", "annotation", [note(0, 10, "desktop", id="n")])
    laptop.session.sync_all()
    report = desktop.session.sync_all()
    assert report.conflicts == 1 and desktop.session.status.conflicts == 1
    (conflict,) = desktop.session.conflicts()
    assert conflict.mine is not None and conflict.theirs is not None
    assert conflict.mine.content["text"]["value"] == "desktop"
    assert conflict.theirs.content["text"]["value"] == "laptop"
    assert desktop.session.pending() == 0  # a conflicted record waits for the user
    with pytest.raises(Conflict.__mro__[1]):
        desktop.session.resolve(conflict, "neither")
    desktop.session.resolve(conflict, "both")
    desktop.session.sync_all()
    laptop.session.sync_all()
    texts = sorted(r.content["text"]["value"] for r in laptop.engine.annotations(doc, "t"))
    assert "desktop" in texts and "laptop" in texts
    assert desktop.session.conflicts() == []
    for replica in (laptop, desktop):
        assert local_records(replica.engine, doc, "t") == server.records(doc, "t")


def test_mine_wins_and_delete_versus_edit_keeps_the_edit(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    token = server.token(doc, layers=["*"])
    a = replicas("a", server.url, token, doc)
    b = replicas("b", server.url, token, doc)
    a.engine.create_records(
        doc, "x", "annotation", [note(0, 10, "one", id="n1"), note(0, 30, "two", id="n2")]
    )
    a.session.sync_all()
    b.session.sync_all()
    a.engine.update_records(doc, "x", "annotation", [note(0, 10, "a edit", id="n1")])
    b.engine.update_records(doc, "x", "annotation", [note(0, 10, "b edit", id="n1")])
    a.engine.delete_records(doc, "x", [("annotation", "n2")])
    b.engine.update_records(doc, "x", "annotation", [note(0, 30, "b keeps", id="n2")])
    a.session.sync_all()
    report = b.session.sync_all()
    assert any("n2" in notice for notice in report.notices)
    (conflict,) = b.session.conflicts()
    b.session.resolve(conflict, "mine")
    b.session.sync_all()
    a.session.sync_all()
    shown = {r.id: r.content["text"]["value"] for r in a.engine.annotations(doc, "x")}
    assert shown["n1"] == "b edit" and shown["n2"] == "b keeps"
    assert local_records(b.engine, doc, "x") == server.records(doc, "x")
    assert local_records(a.engine, doc, "x") == server.records(doc, "x")


def test_layers_created_and_deleted_sync(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    token = server.token(doc, layers=["*"])
    a = replicas("a", server.url, token, doc)
    b = replicas("b", server.url, token, doc)
    a.engine.create_layer(doc, "empty")
    a.engine.create_records(doc, "full", "annotation", [note(0, 10, "x", id="x")])
    report = a.session.sync_all()
    assert {"empty", "full"} <= set(report.layers_created)
    assert {"empty", "full"} <= server.layers(doc)
    b.session.sync_all()
    assert {"empty", "full"} <= set(b.engine.layer_names(doc))
    b.engine.delete_layer(doc, "empty")
    assert "empty" in b.session.sync_all().layers_deleted
    assert "empty" not in server.layers(doc)
    server.call("DELETE", f"/api/documents/{doc}/layers/full")
    a.session.sync_all()
    assert a.session.status.deleted_on_server == ("empty", "full") or (
        "full" in a.session.status.deleted_on_server
    )
    assert a.engine.has_layer(doc, "full")  # kept until the user decides
    a.session.send_layer_again("full")
    a.session.sync_all()
    assert "full" in server.layers(doc)
    assert local_records(a.engine, doc, "full") == server.records(doc, "full")
