"""``grades``: a class's scores (one student per layer) printed or written as CSV, and the
document's grading scheme imported or exported as JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

from reviewer_app.cli.output import UserError, emit, print_table
from reviewer_app.engine import LayerEngine
from reviewer_app.engine.grade_sheet import LAYOUTS, grade_rows, student_label, write_csv
from reviewer_app.engine.grading_scheme import format_points


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``grades DOC [--csv FILE [--layout plain|gradebook]] [--anonymous]
    [--import-scheme FILE.json] [--export-scheme FILE.json] [--not-student LAYER]
    [--student LAYER]``."""
    p = sub.add_parser(
        "grades",
        help="the class's scores, printed or as CSV; the grading scheme as JSON",
        description="Each student (every layer but the default one and those marked not a "
        "student) with their points per question, total, grade and status, derived from the "
        "points marks in their layer.",
    )
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--csv", metavar="FILE", type=Path, help="write the grades as CSV to FILE")
    p.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="plain",
        help="plain: a column per question; gradebook: the columns Canvas and Moodle import",
    )
    p.add_argument("--anonymous", action="store_true", help='students as "Student N"')
    p.add_argument("--import-scheme", metavar="FILE.json", type=Path, help="set the scheme")
    p.add_argument("--export-scheme", metavar="FILE.json", type=Path, help="write the scheme")
    p.add_argument(
        "--not-student",
        metavar="LAYER",
        action="append",
        default=[],
        help="LAYER is not a student (a teacher's layer, an answer key); kept",
    )
    p.add_argument("--student", metavar="LAYER", action="append", default=[],
                   help="count LAYER as a student again")  # fmt: skip
    p.set_defaults(run=cmd_grades)


def cmd_grades(engine: LayerEngine, args: argparse.Namespace) -> None:
    if args.import_scheme is not None:
        try:
            data = args.import_scheme.read_bytes()
        except OSError as exc:
            raise UserError(f"cannot read {args.import_scheme}: {exc.strerror or exc}") from exc
        engine.import_grading_scheme(args.doc, data)
    if args.export_scheme is not None:
        try:
            args.export_scheme.write_text(engine.export_grading_scheme(args.doc) + "\n")
        except OSError as exc:
            raise UserError(f"cannot write {args.export_scheme}: {exc.strerror or exc}") from exc
    for layer, student in [(n, False) for n in args.not_student] + [
        (n, True) for n in args.student
    ]:
        engine.set_student(args.doc, layer, student)
    scheme = engine.grading_scheme(args.doc)
    grades = engine.class_grades(args.doc)
    numbers = engine.student_numbers(args.doc) if args.anonymous else None
    document = engine.document(args.doc)
    title = document.title or document.file_name or "Assignment"
    rows = grade_rows(scheme, grades, layout=args.layout, assignment=title, numbers=numbers)
    if args.csv is not None:
        try:
            write_csv(args.csv, rows)
        except OSError as exc:
            raise UserError(f"cannot write {args.csv}: {exc.strerror or exc}") from exc
    data = {
        "questions": [q.to_json() for q in scheme.questions],
        "students": [
            {
                "student": student_label(g.layer, numbers),
                "scores": {s.question: s.score for s in g.scores},
                "total": g.total,
                "max": g.max_total,
                "grade": g.grade,
                "status": g.status,
                "over_max": list(g.over_max),
                "unassigned": [m.record_id for m in g.unassigned],
            }
            for g in grades
        ],
        "csv": None if args.csv is None else str(args.csv),
    }

    def text() -> None:
        if args.csv is not None:
            print(f"wrote {len(grades)} students to {args.csv}")
            return
        if not scheme.questions:
            print("no grading scheme yet: import one with --import-scheme FILE.json")
        headers = ["student", *(q.name for q in scheme.questions), "total", "grade", "status"]
        table = []
        for g in grades:
            cells = ["" if s.score is None else format_points(s.score) for s in g.scores]
            total = f"{format_points(g.total)}/{format_points(g.max_total)}"
            table.append([student_label(g.layer, numbers), *cells, total, g.grade, g.status])
        print_table(table, headers)
        for g in grades:
            for m in g.unassigned:
                who = student_label(g.layer, numbers)
                print(f"note: {who}: mark {m.record_id} is for question {m.question!r}, which "
                      "the scheme no longer has (unassigned, not counted)")  # fmt: skip

    emit(args, data, text)
