"""The grades CSV, cell by cell, in both layouts, anonymous or not, and written whole or not
at all."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from reviewer_app.engine import Document, LayerEngine, grade_sheet
from reviewer_app.engine.grade_sheet import grade_rows, write_csv
from reviewer_app.engine.grades import mark_content
from tests.engine.test_grading import SCHEME


@pytest.fixture
def graded(engine: LayerEngine, doc: Document) -> Document:
    """amy: 5 + 2 (+ a comment) + 1 = 8 of 10; ben: partly (q1: 3); cat: nothing."""
    engine.set_grading_scheme(doc.id, SCHEME)
    engine.create_records(
        doc.id,
        "amy",
        "annotation",
        [
            mark_content("q1", 0, 10, 10, points=5),
            mark_content("q2", 1, 10, 10, points=2, text='Check the units, "m/s"', comment="b1"),
            mark_content("q3", 0, 10, 40, points=1),
        ],
    )
    engine.create_records(doc.id, "ben", "annotation", [mark_content("q1", 0, 10, 10, points=3)])
    engine.create_layer(doc.id, "cat")
    return doc


def read(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def test_the_plain_layout_has_a_column_per_question_and_the_totals(
    engine: LayerEngine, graded: Document, tmp_path: Path
) -> None:
    rows = grade_rows(SCHEME, engine.class_grades(graded.id))
    write_csv(tmp_path / "grades.csv", rows)
    assert read(tmp_path / "grades.csv") == [
        ["Student", "Question 1 (/5)", "Question 2 (/3)", "Question 3 (/2)",
         "Total", "Out of", "Grade", "Status", "Feedback"],
        ["amy", "5", "2", "1", "8", "10", "B", "graded", 'Check the units, "m/s"'],
        ["ben", "3", "", "", "3", "10", "F", "partly graded", ""],
        ["cat", "", "", "", "0", "10", "", "ungraded", ""],
    ]  # fmt: skip
    raw = (tmp_path / "grades.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw


def test_the_gradebook_layout_has_canvas_identity_columns_and_one_assignment_column(
    engine: LayerEngine, graded: Document
) -> None:
    rows = grade_rows(
        SCHEME, engine.class_grades(graded.id), layout="gradebook", assignment="Worksheet"
    )
    assert rows == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Worksheet", "Feedback"],
        ["amy", "", "", "amy", "", "8", 'Check the units, "m/s"'],
        ["ben", "", "", "ben", "", "3", ""],
        ["cat", "", "", "cat", "", "", ""],
    ]


def test_anonymous_rows_name_student_numbers_in_their_order_and_no_login(
    engine: LayerEngine, graded: Document
) -> None:
    numbers = engine.student_numbers(graded.id)
    rows = grade_rows(SCHEME, engine.class_grades(graded.id), numbers=numbers)
    assert [r[0] for r in rows[1:]] == ["Student 1", "Student 2", "Student 3"]
    by_number = {f"Student {n}": layer for layer, n in numbers.items()}
    assert rows[1][4] == {"amy": "8", "ben": "3", "cat": "0"}[by_number["Student 1"]]
    book = grade_rows(SCHEME, engine.class_grades(graded.id), layout="gradebook", numbers=numbers)
    assert all(row[3] == "" for row in book[1:])


def test_a_failed_write_leaves_the_old_file_whole_and_no_part_file(
    engine: LayerEngine, graded: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "grades.csv"
    target.write_bytes(b"old,file\r\n")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(grade_sheet.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_csv(target, grade_rows(SCHEME, engine.class_grades(graded.id)))
    assert target.read_bytes() == b"old,file\r\n"
    assert [p.name for p in target.parent.iterdir()] == ["grades.csv"]
