"""Who is a student, through a real server: a role set on one replica reaches the teacher's
other machine and a co-teacher, roles set on two machines for different layers both survive,
the same layer's role set on both is the last sync's, and a student's token neither reads nor
changes the roles."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reviewer_app.engine.grades import mark_content
from reviewer_app.sync.client import SyncError
from tests.sync.conftest import LiveServer, Replica, teachers_replicas

STUDENTS = ("amy", "ben", "cat")


def test_roles_travel_between_a_teachers_replicas_and_merge_per_layer(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    home, school, colleague = teachers_replicas(server, replicas, doc)
    for name in (*STUDENTS, "key"):
        home.engine.create_records(
            doc, name, "annotation", [mark_content("q1", 0, 10, 10, points=1)]
        )
    home.engine.set_student(doc, "key", False)  # the answer key is no student
    home.session.sync_all()
    assert home.session.roles.pushed == 1
    assert home.engine.roles_state(doc).unpushed == {}
    assert server.call("GET", f"/api/documents/{doc}/grading_roles").json()["data"]["roles"] == {
        "key": False
    }
    for replica in (school, colleague):
        replica.session.sync_all()
        assert replica.session.roles.pulled
        assert replica.engine.student_layers(doc) == ["amy", "ben", "cat"]
    # two machines, two layers, before either syncs: both roles survive
    school.engine.set_student(doc, "cat", False)
    colleague.engine.set_student(doc, "key", True)
    school.session.sync_all()
    colleague.session.sync_all()
    school.session.sync_all()
    home.session.sync_all()
    for replica in (home, school, colleague):
        assert replica.engine.layer_roles(doc) == {"key": True, "cat": False}
        assert replica.engine.student_layers(doc) == ["amy", "ben", "key"]
    # the same layer on two machines: the last to sync wins, everywhere after a round
    home.engine.set_student(doc, "ben", False)
    school.engine.set_student(doc, "ben", True)
    home.session.sync_all()
    school.session.sync_all()
    for replica in (home, school, colleague):
        replica.session.sync_all()
        assert replica.engine.layer_roles(doc)["ben"] is True
    home.session.sync_all()  # nothing new: nothing sent
    assert home.session.roles.pushed == 0 and not home.session.roles.pulled


def test_a_students_token_neither_reads_nor_changes_the_roles(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    teacher = replicas("teacher", server.url, server.token(doc, layers=["*"], user_id="t"), doc)
    teacher.engine.create_records(doc, "amy", "annotation", [mark_content("q1", 0, 1, 1, points=1)])
    teacher.engine.set_student(doc, "key", False)
    teacher.session.sync_all()
    amy = replicas("amy", server.url, server.token(doc, layers=["amy"], user_id="amy"), doc)
    amy.engine.set_student(doc, "amy", False)  # her app marks her own layer: it stays hers
    amy.session.sync_all()
    assert amy.engine.layer_roles(doc) == {"amy": False}  # nothing of the class came
    assert server.call("GET", f"/api/documents/{doc}/grading_roles").json()["data"]["roles"] == {
        "key": False
    }
    for method, body in (("GET", None), ("PUT", {"roles": {"amy": False}})):
        with pytest.raises(SyncError) as refused:
            if body is None:
                amy.session.client.get_json(f"/api/documents/{doc}/grading_roles")
            else:
                amy.session.client.send_json("PUT", f"/api/documents/{doc}/grading_roles", body)
        assert refused.value.status == 403 and method


def test_a_malformed_roles_push_is_refused_in_a_sentence_and_changes_nothing(
    server: LiveServer,
) -> None:
    doc = server.upload()
    path = f"/api/documents/{doc}/grading_roles"
    for body, said in (
        ({"roles": {"amy": "no"}}, "must be true or false"),
        ({"roles": []}, "'roles' must be an object"),
        ({"roles": {"a*b": False}}, "is not a layer name"),
    ):
        answer = server.call("PUT", path, json=body)
        assert answer.status_code == 400 and said in answer.text
    assert server.call("GET", path).json()["data"] == {"roles": {}, "revision": 0}
