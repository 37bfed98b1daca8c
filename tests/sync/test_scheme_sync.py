"""The grading scheme through a real server: a teacher's two replicas and a co-teacher share
it, edits travel both ways with the marks, a scheme edited on both sides is a conflict the
teacher settles (nothing overwritten unseen), and a student's token only reads it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reviewer_app.engine import Scheme
from reviewer_app.engine.grades import mark_content
from reviewer_app.engine.grading_scheme import Question, Scale
from reviewer_app.sync.client import AuthError
from reviewer_app.sync.scheme_sync import CONFLICT, PULLED, PUSHED, settle_scheme
from tests.sync.conftest import LiveServer, Replica, teachers_replicas

ONE = Scheme((Question("q1", "Question 1", 5, page=0),))
TWO = Scheme((*ONE.questions, Question("q2", "Question 2", 3)), Scale())


def test_a_teachers_two_replicas_and_a_co_teacher_share_the_scheme_and_the_marks(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    home, school, colleague = teachers_replicas(server, replicas, doc)
    home.engine.set_grading_scheme(doc, ONE)
    home.engine.create_records(doc, "s1", "annotation", [mark_content("q1", 0, 10, 10, points=4)])
    home.session.sync_all()
    assert home.session.scheme.outcome == PUSHED
    assert (
        server.call("GET", f"/api/documents/{doc}/grading_scheme").json()["data"]["revision"] == 1
    )
    school.session.sync_all()
    assert school.session.scheme.outcome == PULLED
    assert school.engine.grading_scheme(doc) == ONE
    assert school.engine.grades(doc, "s1").total == 4  # the marks came with the layer
    school.engine.set_grading_scheme(doc, TWO)
    school.engine.create_records(doc, "s1", "annotation", [mark_content("q2", 0, 10, 40, points=2)])
    school.session.sync_all()
    home.session.sync_all()
    colleague.session.sync_all()
    for replica in (home, colleague):
        assert replica.engine.grading_scheme(doc) == TWO
        assert replica.engine.grades(doc, "s1").total == 6
    home.session.sync_all()  # nothing new: nothing sent
    assert home.session.scheme.outcome == "same"
    assert home.engine.stored_scheme(doc).unpushed is False


def test_a_scheme_edited_on_two_replicas_is_a_conflict_settled_by_the_teacher(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    home = replicas("home", server.url, server.token(doc, layers=["*"], user_id="t"), doc)
    school = replicas("school", server.url, server.token(doc, layers=["*"], user_id="t"), doc)
    home.engine.set_grading_scheme(doc, ONE)
    home.session.sync_all()
    school.session.sync_all()
    home.engine.set_grading_scheme(doc, TWO)
    mine = Scheme((Question("q1", "Question 1", 10, page=0),))
    school.engine.set_grading_scheme(doc, mine)
    home.session.sync_all()
    report = school.session.sync_all()
    assert school.session.scheme.outcome == CONFLICT
    assert any("grading scheme" in n for n in report.notices)
    assert school.engine.grading_scheme(doc) == mine  # nothing overwritten
    assert school.session.scheme.theirs == TWO
    remote = server.call("GET", f"/api/documents/{doc}/grading_scheme").json()["data"]
    assert remote["scheme"]["questions"][0]["max"] == 5  # nor there
    outcome = settle_scheme(
        school.engine, school.session.client, doc, school.session.scheme, "mine"
    )
    assert outcome.outcome == PUSHED
    home.session.sync_all()
    assert home.engine.grading_scheme(doc) == mine


def test_a_students_token_reads_the_scheme_and_may_not_change_it(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    teacher = replicas("teacher", server.url, server.token(doc, layers=["*"], user_id="t"), doc)
    token = server.token(doc, layer="s1", user_id="s1")
    student = replicas("student", server.url, token, doc)
    teacher.engine.set_grading_scheme(doc, ONE)
    teacher.session.sync_all()
    student.session.sync_all()
    assert student.engine.grading_scheme(doc) == ONE
    student.engine.set_grading_scheme(doc, TWO)
    student.session.sync_all()  # not pushed: the token is bound to a layer
    assert (
        server.call("GET", f"/api/documents/{doc}/grading_scheme").json()["data"]["revision"] == 1
    )
    with pytest.raises(AuthError):  # a direct attempt is refused
        student.session.client.request("PUT", f"/api/documents/{doc}/grading_scheme",
               json={"scheme": TWO.to_json(), "base_revision": 1})  # fmt: skip


def test_the_server_refuses_an_old_revision_and_a_malformed_scheme(server: LiveServer) -> None:
    doc = server.upload()
    path = f"/api/documents/{doc}/grading_scheme"
    assert server.call("GET", path).json()["data"] == {
        "scheme": Scheme().to_json(),
        "revision": 0,
    }
    ok = server.call("PUT", path, json={"scheme": ONE.to_json(), "base_revision": 0})
    assert ok.status_code == 200 and ok.json()["data"]["revision"] == 1
    stale = server.call("PUT", path, json={"scheme": TWO.to_json(), "base_revision": 0})
    assert stale.status_code == 409 and "changed meanwhile" in stale.text
    bad = server.call(
        "PUT", path, json={"scheme": {"questions": [{"name": "Q", "max": -1}]}, "base_revision": 1}
    )
    assert bad.status_code == 400 and "needs a 'max'" in bad.text
    assert server.call("GET", path).json()["data"]["revision"] == 1
