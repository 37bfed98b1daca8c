"""``reviewer-app grades``: the scheme imported from JSON (a bad file refused, nothing
changed), the class's scores printed and written as CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from reviewer_app.engine import LayerEngine
from reviewer_app.engine.grades import mark_content
from reviewer_app.resources import sample_document
from tests.test_cli import Cli


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "data", capsys)


@pytest.fixture
def doc(cli: Cli) -> str:
    return cli("import", str(sample_document())).strip()


SCHEME_FILE = {
    "questions": [{"id": "q1", "name": "Q1", "max": 4}, {"id": "q2", "name": "Q2", "max": 6}],
    "scale": {
        "kind": "thresholds",
        "grades": [{"label": "pass", "min": 50}, {"label": "fail", "min": 0}],
    },
}


def test_grades_import_a_scheme_and_write_the_csv(cli: Cli, doc: str, tmp_path: Path) -> None:
    scheme = tmp_path / "scheme.json"
    scheme.write_text(json.dumps(SCHEME_FILE))
    cli("grades", doc, "--import-scheme", str(scheme))
    with LayerEngine(cli.data) as engine:
        engine.create_records(
            doc,
            "amy",
            "annotation",
            [mark_content("q1", 0, 5, 5, points=3), mark_content("q2", 0, 5, 30, points=4)],
        )
        engine.create_layer(doc, "ben")
    out = cli("grades", doc)
    assert "amy" in out and "7/10" in out and "pass" in out and "ungraded" in out
    target = tmp_path / "out.csv"
    assert "wrote 2 students" in cli("grades", doc, "--csv", str(target))
    with open(target, encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[1] == ["amy", "3", "4", "7", "10", "pass", "graded", ""]
    cli("grades", doc, "--csv", str(target), "--layout", "gradebook")
    with open(target, encoding="utf-8-sig", newline="") as file:
        assert list(csv.reader(file))[1][:6] == ["amy", "", "", "amy", "", "7"]
    data = cli.json("grades", doc, "--anonymous")
    assert isinstance(data, dict)
    assert sorted(s["student"] for s in data["students"]) == ["Student 1", "Student 2"]


def test_a_malformed_scheme_file_is_a_one_line_error_and_changes_nothing(
    cli: Cli, doc: str, tmp_path: Path
) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(SCHEME_FILE))
    cli("grades", doc, "--import-scheme", str(good))
    bad = tmp_path / "bad.json"
    bad.write_text('{"questions": [{"name": "Q1", "max": "lots"}]}')
    cli("grades", doc, "--import-scheme", str(bad), code=1)
    assert "question 1 (Q1) needs a 'max'" in cli.err and "Traceback" not in cli.err
    exported = tmp_path / "again.json"
    cli("grades", doc, "--export-scheme", str(exported))
    assert [q["name"] for q in json.loads(exported.read_text())["questions"]] == ["Q1", "Q2"]


def test_grades_leave_out_a_layer_marked_not_a_student_and_take_it_back(
    cli: Cli, doc: str, tmp_path: Path
) -> None:
    scheme = tmp_path / "scheme.json"
    scheme.write_text(json.dumps(SCHEME_FILE))
    cli("grades", doc, "--import-scheme", str(scheme))
    with LayerEngine(cli.data) as engine:
        for name in ("amy", "key"):
            engine.create_records(doc, name, "annotation", [mark_content("q1", 0, 5, 5, points=4)])
    data = cli.json("grades", doc, "--not-student", "key")
    assert isinstance(data, dict)
    assert [s["student"] for s in data["students"]] == ["amy"]
    again = cli.json("grades", doc)  # kept in the document
    assert isinstance(again, dict) and [s["student"] for s in again["students"]] == ["amy"]
    back = cli.json("grades", doc, "--student", "key")
    assert isinstance(back, dict) and [s["student"] for s in back["students"]] == ["amy", "key"]
