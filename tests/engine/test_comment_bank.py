"""The comment bank: comments kept for every document, most used first, moved as JSON (a
malformed file refused whole), and a changed comment's points applied to every student who
got it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer_app.engine import BadRequest, Document, LayerEngine
from reviewer_app.engine.grades import bank_mark_text, mark_content
from tests.engine.test_grading import SCHEME


def test_comments_are_kept_for_every_document_and_listed_most_used_first(
    engine: LayerEngine, tmp_path: Path
) -> None:
    units = engine.add_bank_comment("Check the units", -1)
    good = engine.add_bank_comment("Well argued")
    assert engine.add_bank_comment("Check the units ").id == units.id  # the same text: one
    engine.use_bank_comment(good.id)
    engine.use_bank_comment(good.id)
    engine.use_bank_comment(units.id)
    engine.close()
    with LayerEngine(engine.data_dir, engine.database) as again:
        listed = again.bank_comments()
        assert [(c.text, c.points, c.uses) for c in listed] == [
            ("Well argued", None, 2),
            ("Check the units", -1, 1),
        ]
        with pytest.raises(BadRequest, match="needs a text"):
            again.add_bank_comment("   ")


def test_the_bank_round_trips_through_json_and_a_bad_file_changes_nothing(
    engine: LayerEngine,
) -> None:
    engine.add_bank_comment("Check the units", -1, "#c8102e")
    text = engine.export_comment_bank()
    data = json.loads(text)
    assert data["format"] == "reviewer-comment-bank"
    assert data["comments"][0]["text"] == "Check the units"
    data["comments"].append({"id": "new", "text": "Show your working", "points": 0.5})
    assert engine.import_comment_bank(json.dumps(data)) == 2
    assert {c.text for c in engine.bank_comments()} == {"Check the units", "Show your working"}
    bad = {"comments": [{"text": "fine"}, {"text": ""}, {"text": "x", "points": "two"}]}
    with pytest.raises(BadRequest) as error:
        engine.import_comment_bank(json.dumps(bad))
    assert "comment 2 needs a 'text'" in str(error.value)
    assert "comment 3 ('x') has 'points' that are not a number" in str(error.value)
    assert len(engine.bank_comments()) == 2
    with pytest.raises(BadRequest, match="not JSON"):
        engine.import_comment_bank(b"\xff\xfe")


def test_changing_a_comments_points_can_be_applied_to_every_student_who_got_it(
    engine: LayerEngine, doc: Document
) -> None:
    engine.set_grading_scheme(doc.id, SCHEME)
    units = engine.add_bank_comment("Check the units", -1)
    praise = engine.add_bank_comment("Neat")

    def placed(comment_id: str, points: float | None, text: str) -> dict[str, object]:
        return mark_content(
            "q1", 0, 10, 10, points=points, text=bank_mark_text(text, points), comment=comment_id
        )

    for layer in ("amy", "ben"):
        engine.create_records(doc.id, layer, "annotation", [
            mark_content("q1", 0, 10, 40, points=4), placed(units.id, -1, units.text),
        ])  # fmt: skip
    engine.create_records(doc.id, "cat", "annotation", [placed(praise.id, None, praise.text)])
    assert engine.grades(doc.id, "amy").total == 3
    assert engine.grades(doc.id, "cat").status == "ungraded"  # feedback alone grades nothing
    engine.update_bank_comment(units.id, points=-0.5)
    changes = engine.apply_bank_points(doc.id, units.id)
    assert sorted(c.layer for c in changes) == ["amy", "ben"]
    assert engine.grades(doc.id, "amy").total == 3.5 and engine.grades(doc.id, "ben").total == 3.5
    texts = [r.content["text"]["value"] for r in changes[0].upserted]
    assert texts == ["−0.5 Check the units"]
    assert engine.apply_bank_points(doc.id, units.id) == []  # nothing left to change
    engine.undo(doc.id, "amy")  # one undo step per student
    assert engine.grades(doc.id, "amy").total == 3
    engine.update_bank_comment(praise.id, points=1)
    engine.apply_bank_points(doc.id, praise.id)
    cat = engine.grades(doc.id, "cat")
    assert cat.total == 1 and cat.feedback == ("+1 Neat",)
