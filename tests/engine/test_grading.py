"""Grading in the engine: the scheme stored with the document (and its JSON file), marks as
records of a student's layer, and the scores derived from them: sums, caps, direct scores,
marks of deleted questions, statuses, grades and anonymous numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reviewer_app.engine import BadRequest, Conflict, Document, LayerEngine
from reviewer_app.engine.grades import (
    GRADED,
    PARTLY,
    UNGRADED,
    mark_content,
    mark_text,
    student_grades,
)
from reviewer_app.engine.grading_scheme import Grade, Question, Scale, Scheme, read_scheme

SCHEME = Scheme(
    (
        Question("q1", "Question 1", 5, page=0, region=(10, 10, 200, 100)),
        Question("q2", "Question 2", 3, page=1),
        Question("q3", "Question 3", 2),
    ),
    Scale("thresholds", "percent", (Grade("A", 90), Grade("B", 75), Grade("C", 50), Grade("F", 0))),
)


def mark(question: str, page: int = 0, *, points: float | None = None,
         score: float | None = None, stamp: str = "2026-01-01T00:00:00.000Z",
         comment: str | None = None) -> dict[str, Any]:  # fmt: skip
    content = mark_content(question, page, 20, 20, points=points, score=score, comment=comment)
    return {**content, "createdAt": stamp, "updatedAt": stamp}


def test_a_document_has_an_empty_scheme_until_one_is_set_and_keeps_it(
    engine: LayerEngine, doc: Document, tmp_path: Path
) -> None:
    assert engine.grading_scheme(doc.id) == Scheme()
    stored = engine.set_grading_scheme(doc.id, SCHEME)
    assert stored.revision == 1 and stored.unpushed
    engine.close()
    with LayerEngine(
        engine.data_dir, engine.database
    ) as again:  # stored in the database, not in memory
        assert again.grading_scheme(doc.id) == SCHEME
        assert again.stored_scheme(doc.id).revision == 1


def test_a_scheme_edit_from_an_old_revision_is_a_conflict(
    engine: LayerEngine, doc: Document
) -> None:
    engine.set_grading_scheme(doc.id, SCHEME)
    engine.set_grading_scheme(doc.id, Scheme(SCHEME.questions[:1]), base_revision=1)
    with pytest.raises(Conflict, match="changed meanwhile"):
        engine.set_grading_scheme(doc.id, SCHEME, base_revision=1)
    assert len(engine.grading_scheme(doc.id).questions) == 1


def test_the_scheme_round_trips_through_its_json_file(engine: LayerEngine, doc: Document) -> None:
    engine.set_grading_scheme(doc.id, SCHEME)
    text = engine.export_grading_scheme(doc.id)
    data = json.loads(text)
    assert data["format"] == "reviewer-grading-scheme" and data["version"] == 1
    assert data["questions"][0] == {
        "id": "q1",
        "name": "Question 1",
        "max": 5,
        "page": 0,
        "region": [10, 10, 200, 100],
    }
    assert data["scale"]["grades"][0] == {"label": "A", "min": 90}
    engine.set_grading_scheme(doc.id, Scheme())
    engine.import_grading_scheme(doc.id, text.encode())
    assert engine.grading_scheme(doc.id) == SCHEME


def test_a_file_without_ids_gets_readable_unique_ones() -> None:
    scheme = read_scheme(
        {"questions": [{"name": "Part A", "max": 2}, {"name": "part a", "max": 1}]}
    )
    assert [q.id for q in scheme.questions] == ["part-a", "part-a-2"]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"questions": [{"name": "Q1"}]}', "question 1 (Q1) needs a 'max'"),
        (b'{"questions": [{"name": "Q1", "max": -2}]}', "needs a 'max' of 0 points or more"),
        (b'{"questions": [{"max": 2}]}', "question 1 needs a 'name'"),
        (b'{"questions": [{"name": "Q1", "max": 2, "page": 7}]}', "names page 7"),
        (b'{"questions": [{"name": "Q1", "max": 2, "region": [1, 2]}]}', "'region'"),
        (
            b'{"questions": [{"id": "a", "name": "Q1", "max": 1},'
            b' {"id": "a", "name": "Q2", "max": 1}]}',
            "repeats the id 'a'",
        ),
        (b'{"scale": {"kind": "stars"}}', "'points' or 'thresholds'"),
        (b'{"scale": {"kind": "thresholds", "grades": []}}', "needs a list of 'grades'"),
        (b'{"scale": {"kind": "thresholds", "grades": [{"label": "A"}]}}', "grade 1 of the scale"),
        (b'{"format": "something-else"}', "'format' must be"),
    ],
)
def test_a_malformed_scheme_file_is_refused_in_a_sentence_and_changes_nothing(
    engine: LayerEngine, doc: Document, data: bytes, problem: str
) -> None:
    engine.set_grading_scheme(doc.id, SCHEME)
    with pytest.raises(BadRequest, match="grading scheme") as error:
        engine.import_grading_scheme(doc.id, data)
    assert problem in str(error.value)
    assert engine.grading_scheme(doc.id) == SCHEME
    assert engine.stored_scheme(doc.id).revision == 1


def test_marks_add_up_per_question_capped_at_its_maximum_and_flagged_over_it(
    engine: LayerEngine, doc: Document
) -> None:
    engine.set_grading_scheme(doc.id, SCHEME)
    engine.create_records(
        doc.id,
        "amy",
        "annotation",
        [
            mark("q1", points=2),
            mark("q1", points=3),
            mark("q1", points=1.5),  # 6.5 of 5
            mark("q2", 1, points=2),
            mark("q2", 1, points=-1),
        ],
    )
    grades = engine.grades(doc.id, "amy")
    q1, q2, q3 = grades.scores
    assert (q1.score, q1.raw, q1.over_max, len(q1.marks)) == (5, 6.5, True, 3)
    assert (q2.score, q2.raw, q2.over_max) == (1, 1, False)
    assert q3.score is None
    assert grades.total == 6 and grades.max_total == 10
    assert grades.status == PARTLY and grades.over_max == ("q1",)
    assert grades.first_ungraded() == "q3"
    assert grades.grade == "C"  # 60 %


def test_a_score_never_goes_below_zero(engine: LayerEngine, doc: Document) -> None:
    engine.set_grading_scheme(doc.id, SCHEME)
    engine.create_records(doc.id, "amy", "annotation", [mark("q3", points=-3)])
    q3 = engine.grades(doc.id, "amy").score("q3")
    assert q3 is not None and (q3.score, q3.raw) == (0, -3)


def test_a_direct_score_replaces_the_marks_and_the_newest_counts(
    engine: LayerEngine, doc: Document
) -> None:
    engine.set_grading_scheme(doc.id, SCHEME)
    engine.create_records(
        doc.id,
        "amy",
        "annotation",
        [
            mark("q1", points=1),
            mark("q1", score=4, stamp="2026-01-02T00:00:00.000Z"),
            mark("q1", score=3, stamp="2026-01-01T00:00:00.000Z"),
        ],
    )
    q1 = engine.grades(doc.id, "amy").score("q1")
    assert q1 is not None and (q1.score, q1.direct) == (4, True)


def test_marks_of_a_deleted_question_are_unassigned_not_counted_nor_dropped(
    engine: LayerEngine, doc: Document
) -> None:
    engine.set_grading_scheme(doc.id, SCHEME)
    change = engine.create_records(
        doc.id, "amy", "annotation", [mark("q1", points=2), mark("q3", points=2)]
    )
    engine.set_grading_scheme(doc.id, Scheme(SCHEME.questions[:2], SCHEME.scale))
    grades = engine.grades(doc.id, "amy")
    assert grades.total == 2 and grades.max_total == 8
    assert [m.question for m in grades.unassigned] == ["q3"]
    assert len(engine.annotations(doc.id, "amy")) == 5 + 2  # the base's five and both marks
    q3_mark = next(
        r for r in change.upserted if r.content["customData"]["grading"]["question"] == "q3"
    )
    assert grades.unassigned[0].record_id == q3_mark.id


def test_statuses_grades_and_feedback_of_a_class(engine: LayerEngine, doc: Document) -> None:
    engine.set_grading_scheme(doc.id, SCHEME)
    engine.create_records(
        doc.id,
        "amy",
        "annotation",
        [
            mark("q1", points=5),
            mark("q2", 1, points=3),
            mark("q3", points=1, comment="c1"),
            {  # a note of the teacher's: feedback
                "v": 2,
                "type": "pspdfkit/note",
                "pageIndex": 0,
                "bbox": [1, 1, 24, 24],
                "text": {"format": "plain", "value": "Well argued."},
                "icon": "comment",
                "creatorName": "Ms Rivera",
            },
            {  # a note of the student's own: not feedback
                "v": 2,
                "type": "pspdfkit/note",
                "pageIndex": 0,
                "bbox": [40, 1, 24, 24],
                "text": {"format": "plain", "value": "My answer"},
                "icon": "comment",
                "creatorName": "Amy",
            },
        ],
    )
    engine.create_layer(doc.id, "ben")
    engine.create_layer(doc.id, "cat")
    engine.create_records(doc.id, "cat", "annotation", [mark("q1", points=1)])
    amy, ben, cat = engine.class_grades(doc.id)
    assert [g.layer for g in (amy, ben, cat)] == ["amy", "ben", "cat"]
    assert (amy.status, amy.total, amy.grade) == (GRADED, 9, "A")
    assert amy.feedback == ("+1", "Well argued.")  # base notes are never feedback
    assert (ben.status, ben.total, ben.grade) == (UNGRADED, 0, "")
    assert (cat.status, cat.grade) == (PARTLY, "F")


def test_a_points_scale_gives_the_total_and_a_points_basis_compares_points() -> None:
    assert Scale().grade(7.5, 10) == "7.5"
    steps = Scale("thresholds", "points", (Grade("pass", 6), Grade("fail", 0)))
    assert steps.grade(6, 20) == "pass" and steps.grade(5.5, 20) == "fail"


def test_anonymous_numbers_are_given_once_and_kept(engine: LayerEngine, doc: Document) -> None:
    for name in ("amy", "ben", "cat"):
        engine.create_layer(doc.id, name)
    first = engine.student_numbers(doc.id)
    assert sorted(first.values()) == [1, 2, 3] and set(first) == {"amy", "ben", "cat"}
    engine.create_layer(doc.id, "abe")  # first by name: no renumbering for the others
    engine.delete_layer(doc.id, "ben")
    second = engine.student_numbers(doc.id)
    assert second == {"abe": 4, "amy": first["amy"], "cat": first["cat"]}
    assert "" not in engine.student_layers(doc.id)


def test_a_mark_shows_its_points_or_its_score_out_of_the_maximum() -> None:
    assert (mark_text(points=2), mark_text(points=-1), mark_text(points=0.5)) == (
        "+2",
        "−1",
        "+0.5",
    )
    assert mark_text(score=4, maximum=5) == "4/5"
    content = mark_content("q1", 2, 50, 60, points=2)
    assert content["text"]["value"] == "+2" and content["pageIndex"] == 2
    assert content["customData"] == {"grading": {"question": "q1", "points": 2}}


def test_the_class_query_gives_what_the_layers_records_give(
    engine: LayerEngine, doc: Document
) -> None:
    """The score sheet reads only the fields grading needs, in SQL; the same grades follow
    from the records the layer shows (base records, edits of them and deletions included)."""
    engine.set_grading_scheme(doc.id, SCHEME)
    engine.create_records(doc.id, "amy", "annotation", [
        mark("q1", points=2), mark("q1", points=4), mark("q2", 1, score=2),
        mark("gone", points=1), mark("q3", points=1, comment="c1"),
        {**mark("q3", points=1), "customData": {"grading": {"question": "q3", "points": "x"}}},
    ])  # fmt: skip
    base_note = engine.annotations(doc.id, "amy")[0]
    edited = {**base_note.content, "id": base_note.id, "creatorName": "Ms Rivera"}
    engine.update_records(doc.id, "amy", "annotation", [edited])  # a base note, edited
    last = engine.annotations(doc.id, "amy")[-1]
    engine.delete_records(doc.id, "amy", [last.key])
    base = frozenset(r.id for r in engine.annotations(doc.id, "*base"))
    for layer in ("amy", "nobody"):
        expected = student_grades(SCHEME, layer, engine.annotations(doc.id, layer), base)
        assert engine.grades(doc.id, layer) == expected


def test_a_layer_marked_not_a_student_leaves_the_class_and_can_come_back(
    engine: LayerEngine, doc: Document
) -> None:
    engine.set_grading_scheme(doc.id, SCHEME)
    for name in ("amy", "ben", "Ms Lee"):
        engine.create_records(doc.id, name, "annotation", [mark("q1", points=1)])
    engine.set_student(doc.id, "Ms Lee", False)  # the teacher's own layer
    assert engine.layer_roles(doc.id) == {"Ms Lee": False}
    assert engine.student_layers(doc.id) == ["amy", "ben"]
    assert [g.layer for g in engine.class_grades(doc.id)] == ["amy", "ben"]
    assert set(engine.student_numbers(doc.id)) == {"amy", "ben"}
    engine.set_student(doc.id, "Ms Lee", True)
    assert [g.layer for g in engine.class_grades(doc.id)] == ["Ms Lee", "amy", "ben"]
    assert engine.student_numbers(doc.id)["Ms Lee"] == 3  # numbered after the others


def test_marks_read_in_one_go_refuse_fields_of_the_wrong_type(
    engine: LayerEngine, doc: Document
) -> None:
    """The score sheet reads marks as SQL columns: a question that is not a string, points
    that are a boolean or a string, make no mark (as mark_of says), and a layer edited after
    a read is read again."""
    engine.set_grading_scheme(doc.id, SCHEME)
    odd = [
        {**mark("q1", points=1), "customData": {"grading": {"question": 1, "points": 2}}},
        {**mark("q1", points=1), "customData": {"grading": {"question": "q1", "points": True}}},
        {**mark("q1", points=1), "customData": {"grading": {"question": "q1", "points": "2"}}},
        mark("q2", 1, points=2),
        mark("q1", score=4, comment="units"),
    ]
    engine.create_records(doc.id, "amy", "annotation", odd)
    (amy,) = engine.class_grades(doc.id)
    q1, q2, _ = amy.scores
    assert (q1.score, q1.direct, q2.score, q2.marks[0].page) == (4, True, 2, 1)
    assert q1.marks[0].comment == "units"
    engine.create_records(doc.id, "amy", "annotation", [mark("q3", points=1)])
    assert engine.class_grades(doc.id)[0].score("q3").score == 1  # type: ignore[union-attr]


def test_a_fresh_engine_reads_the_marks_kept_per_layer_revision_and_rereads_a_changed_layer(
    engine: LayerEngine, doc: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine.set_grading_scheme(doc.id, SCHEME)
    engine.create_records(doc.id, "amy", "annotation", [mark("q1", points=2)])
    engine.create_records(doc.id, "amy", "annotation", [mark("q2", 1, points=3, comment="c")])
    engine.create_records(doc.id, "ben", "annotation", [mark("q1", score=4)])
    first = engine.class_grades(doc.id)
    engine.close()
    with LayerEngine(engine.data_dir, engine.database) as again:

        def no_records(*args: object) -> None:
            raise AssertionError("a layer that did not change was read again")

        monkeypatch.setattr(again, "_read_marks", no_records)
        assert again.class_grades(doc.id) == first  # from grading_marks: no record parsed
        monkeypatch.undo()
        again.undo(doc.id, "amy")  # a new revision of amy: read again, ben still kept
        amy, ben = again.class_grades(doc.id)
        assert (amy.total, amy.feedback, ben.total) == (2, (), 4)
    with LayerEngine(engine.data_dir, engine.database) as third:
        assert [g.total for g in third.class_grades(doc.id)] == [2, 4]
