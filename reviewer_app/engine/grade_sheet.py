"""A class's grades as CSV, one row per student, written atomically (a half-written file is
never left where the CSV should be).

Two layouts:

``plain``
    ``Student``, one column per question (``<name> (/<max>)``: its points, empty when
    ungraded), ``Total``, ``Out of``, ``Grade``, ``Status`` (graded / partly graded /
    ungraded), ``Feedback`` (the student's comments and bank comments, joined by " | ").
``gradebook`` (what Canvas and Moodle gradebooks import)
    ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section`` (Canvas's five
    identity columns; the layer name goes in ``Student`` and ``SIS Login ID``, the others are
    left empty for Canvas to match by login), then one column named after the assignment
    holding the total, then ``Feedback``. Canvas: import in the Gradebook ("Import"), it
    matches students by SIS Login ID and offers to skip the Feedback column. Moodle: Grades →
    Import → CSV file, map "SIS Login ID" to *username* and the assignment column to the
    grade item (and "Feedback" to its feedback).

Anonymous: the Student column reads "Student N" (the document's anonymous numbers) and the
identity columns are left empty."""

from __future__ import annotations

import csv
import io
import os
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path

from reviewer_app.engine.grades import StudentGrades
from reviewer_app.engine.grading_scheme import Scheme, format_points

LAYOUTS = ("plain", "gradebook")
GRADEBOOK_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def student_label(layer: str, numbers: Mapping[str, int] | None) -> str:
    """How a student is named: the layer name, or "Student N" when anonymous."""
    if numbers is None:
        return layer
    return f"Student {numbers.get(layer, 0)}"


def grade_rows(
    scheme: Scheme,
    grades: Sequence[StudentGrades],
    *,
    layout: str = "plain",
    assignment: str = "Assignment",
    numbers: Mapping[str, int] | None = None,
) -> list[list[str]]:
    """The CSV's rows, header first (``numbers``: anonymous, see the module)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown CSV layout {layout!r} (one of {', '.join(LAYOUTS)})")
    ordered = list(grades)
    if numbers is not None:
        ordered.sort(key=lambda g: numbers.get(g.layer, 0))
    if layout == "gradebook":
        rows = [[*GRADEBOOK_IDENTITY, assignment, "Feedback"]]
        for g in ordered:
            name = student_label(g.layer, numbers)
            login = "" if numbers is not None else g.layer
            total = format_points(g.total) if g.status != "ungraded" else ""
            rows.append([name, "", "", login, "", total, " | ".join(g.feedback)])
        return rows
    header = ["Student"]
    header += [f"{q.name} (/{format_points(q.max_points)})" for q in scheme.questions]
    header += ["Total", "Out of", "Grade", "Status", "Feedback"]
    rows = [header]
    for g in ordered:
        row = [student_label(g.layer, numbers)]
        for s in g.scores:
            row.append("" if s.score is None else format_points(s.score))
        row += [format_points(g.total), format_points(g.max_total), g.grade, g.status]
        row.append(" | ".join(g.feedback))
        rows.append(row)
    return rows


def score_box_lines(
    scheme: Scheme, grades: StudentGrades, student: str, title: str = ""
) -> list[str]:
    """What a returned paper's score box says: the student, each question's points, the
    total and the grade ("Question 2: - / 3" when ungraded; "(capped)" when over)."""
    heading = f"{title}: {student}" if title else student
    lines = [heading]
    for q, s in zip(scheme.questions, grades.scores, strict=True):
        got = "-" if s.score is None else format_points(s.score)
        capped = " (capped)" if s.over_max else ""
        lines.append(f"{q.name}: {got} / {format_points(q.max_points)}{capped}")
    total = f"Total: {format_points(grades.total)} / {format_points(grades.max_total)}"
    if grades.grade and scheme.scale.kind != "points":
        total += f"  Grade: {grades.grade}"
    lines.append(total)
    return lines


def csv_text(rows: Sequence[Sequence[str]]) -> str:
    """Rows as CSV text (RFC 4180: commas, quotes doubled, CRLF line ends)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def write_csv(path: Path, rows: Sequence[Sequence[str]]) -> None:
    """Write the rows to ``path`` as UTF-8 CSV (with a byte-order mark, so spreadsheet
    programs read accents right) through a temporary file and a rename: ``path`` holds its
    old content or the whole new file, never half of it."""
    data = ("\ufeff" + csv_text(rows)).encode("utf-8")
    path = Path(path)
    temp = path.parent / f".{path.name}.{secrets.token_hex(4)}.part"
    try:
        with open(temp, "xb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
