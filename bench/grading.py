"""Grading figures for a class of 40 students × 12 questions × 20 marks each (9,600 marks,
20 per student and question; every student has one question left ungraded):

- the score sheet filled (every student's scores derived, the table filled): first (nothing
  derived yet: every record's grading fields read), cold (a fresh engine: the marks kept per
  layer revision in the database) and warm (kept in memory), against the floors of reading
  the same 40 layers' annotations and of fetching their rows unparsed;
- "Next Ungraded" in the real window (offscreen): the search, the student's layer shown and
  the page reached, against the floor of showing a layer alone;
- Return All (score box and comments summary) against exporting the same layers with the
  comments summary and no score box, in the same run.

Medians over 5 runs or more (bench/figures.py). Prints the figures and writes
``bench/results/grading.json``.
Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/grading.py`` (``--sheet``: the score
sheet's figures alone).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from figures import Report  # bench/, on the path when run as a script

from reviewer_app.engine import LayerEngine
from reviewer_app.engine.grade_sheet import score_box_lines
from reviewer_app.engine.grades import mark_content
from reviewer_app.engine.grading_scheme import Question, Scheme
from reviewer_app.importing import import_pdf
from reviewer_app.pdf.export_folder import export_layers
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.grading.score_sheet import ScoreSheetDock
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import make_pdf

STUDENTS, QUESTIONS, MARKS, PAGES = 40, 12, 20, 12
RUNS = 5


def spin(app: QApplication, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not condition() and time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def timed(work: Callable[[], object], runs: int = RUNS) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return samples


def fill_class(engine: LayerEngine, doc: str) -> list[str]:
    """The scheme and 40 students' marks; student n leaves question n % 12 ungraded."""
    questions = tuple(Question(f"q{i}", f"Question {i + 1}", 10, page=i % PAGES)
                      for i in range(QUESTIONS))  # fmt: skip
    engine.set_grading_scheme(doc, Scheme(questions))
    students = [f"student {n:02}" for n in range(STUDENTS)]
    for n, student in enumerate(students):
        marks = [
            mark_content(
                q.id, q.page or 0, 20 + (m % 10) * 30, 40 + (m // 10) * 20 + i * 40, points=0.5
            )
            for i, q in enumerate(questions)
            if i != n % QUESTIONS
            for m in range(MARKS)
        ]
        engine.create_records(doc, student, "annotation", marks)
    return students


def sheet_figures(report: Report, data: Path, doc: str, students: list[str]) -> None:
    """Filling the score sheet: cold (a fresh engine each run) and warm; the floor reads the
    same layers' annotations without deriving anything."""
    dock = ScoreSheetDock()
    first, cold, cold_floor, cold_scan = [], [], [], []
    for _ in range(RUNS):
        with LayerEngine(data) as engine, engine.db.atomic() as conn:
            conn.execute("DELETE FROM grading_marks")  # nothing derived yet
        with LayerEngine(data) as engine:
            start = time.perf_counter()
            dock.fill(engine.grading_scheme(doc), engine.class_grades(doc))
            first.append(time.perf_counter() - start)
        with LayerEngine(data) as engine:
            start = time.perf_counter()
            for student in students:
                engine.annotations(doc, student)
            cold_floor.append(time.perf_counter() - start)
        with LayerEngine(data) as engine:
            start = time.perf_counter()
            engine._conn.execute(_SCAN, (doc,)).fetchall()
            cold_scan.append(time.perf_counter() - start)
        with LayerEngine(data) as engine:
            start = time.perf_counter()
            dock.fill(engine.grading_scheme(doc), engine.class_grades(doc))
            cold.append(time.perf_counter() - start)
    with LayerEngine(data) as engine:
        dock.fill(engine.grading_scheme(doc), engine.class_grades(doc))
        warm = timed(lambda: dock.fill(engine.grading_scheme(doc), engine.class_grades(doc)))
        warm_floor = timed(lambda: [engine.annotations(doc, s) for s in students])
    assert dock.model.rowCount() == STUDENTS
    samples = (cold, cold_floor, warm, warm_floor, cold_scan, first)
    ms = [[v * 1000 for v in values] for values in samples]
    report.add("sheet_fill.first", ms[5], note="nothing derived yet: every record's fields read")
    report.add("sheet_fill.cold", ms[0], note="a fresh engine: the marks kept per layer revision")
    report.add("sheet_fill.cold_floor_read", ms[1], note="the 40 layers' annotations read")
    report.add("sheet_fill.cold_floor_scan", ms[4], note="their rows' JSON text fetched, unparsed")
    report.add("sheet_fill.warm", ms[2], note="the layers' marks kept: derived again")
    report.add("sheet_fill.warm_floor_read", ms[3])
    read = "reading the same layers' annotations (engine.annotations), nothing derived"
    report.ratio("sheet_fill.cold_vs_read", "sheet_fill.cold", "sheet_fill.cold_floor_read", read)
    scan = "fetching the same layers' annotation rows as JSON text (one query, nothing parsed)"
    report.ratio("sheet_fill.cold_vs_scan", "sheet_fill.cold", "sheet_fill.cold_floor_scan", scan)
    report.ratio("sheet_fill.first_vs_read", "sheet_fill.first", "sheet_fill.cold_floor_read", read)
    report.ratio("sheet_fill.first_vs_scan", "sheet_fill.first", "sheet_fill.cold_floor_scan", scan)
    report.goal("sheet_fill.warm", 100, "score sheet filled under 100 ms")
    report.goal("sheet_fill.cold", 100, "score sheet filled under 100 ms, by a fresh engine")
    report.goal("sheet_fill.first", 100, "score sheet filled under 100 ms, nothing derived yet")


_SCAN = (
    "SELECT r.content FROM layers AS l JOIN layer_records AS r ON r.layer_id = l.id "
    "WHERE l.document_id = ? AND l.name != '' AND r.kind = 'annotation'"
)


def next_ungraded_figures(report: Report, app: QApplication, tmp: Path) -> None:
    """Next Ungraded in the window: each press goes to the next student (each has one
    ungraded question, on another page); the floor shows a student's layer alone."""
    engine = LayerEngine(tmp / "window-data")
    window = MainWindow(engine, ViewerSettings())
    window.show()
    window.open_file(make_pdf(tmp / "window.pdf", pages=PAGES))
    spin(app, lambda: window.document is not None)
    assert window.document is not None
    students = fill_class(engine, window.document.id)
    window.context.changes.layer_set_changed()
    app.processEvents()
    grading = window.grading
    grading.next_ungraded()  # the first student, the layers drawn once
    app.processEvents()
    presses = []
    for _ in range(2 * RUNS):
        start = time.perf_counter()
        went = grading.next_ungraded()
        presses.append(time.perf_counter() - start)
        assert went is not None and went[0] == window.layer
        app.processEvents()
    searches = timed(lambda: grading.sheet.visible_layers(), 2 * RUNS)
    shows = []
    for student in students[: 2 * RUNS]:
        start = time.perf_counter()
        window.set_layer(student)
        shows.append(time.perf_counter() - start)
        app.processEvents()
    window.close()
    engine.close()
    report.add("next_ungraded", [v * 1000 for v in presses],
               note="found, the student's layer shown, the page reached")  # fmt: skip
    report.add("next_ungraded.floor_show_layer", [v * 1000 for v in shows])
    report.add("next_ungraded.sheet_order", [v * 1000 for v in searches])
    report.ratio("next_ungraded_vs_show_layer", "next_ungraded", "next_ungraded.floor_show_layer",
                 "showing a student's layer alone (window.set_layer)")  # fmt: skip
    report.goal("next_ungraded", 20, "next ungraded under 20 ms")


def return_all_figures(
    report: Report, data: Path, doc: str, students: list[str], tmp: Path
) -> None:
    """Return All against the same export without score boxes (comments summary in both)."""
    with LayerEngine(data) as engine:
        source = engine.pdf_path(doc).read_bytes()
        layers = {s: engine.layer_export(doc, s) for s in students}
        scheme = engine.grading_scheme(doc)
        grades = engine.class_grades(doc)
        boxes = {g.layer: score_box_lines(scheme, g, g.layer, "Bench") for g in grades}
    plain, returned = [], []
    for run in range(RUNS):
        for variant, samples in (("plain", plain), ("return", returned)):
            out = tmp / f"{variant}-{run}"
            start = time.perf_counter()
            written = export_layers(
                source,
                layers,
                out,
                summary=True,
                title="Bench",
                score_boxes=boxes if variant == "return" else None,
            )
            samples.append(time.perf_counter() - start)
            assert len(written) == STUDENTS
    report.add("return_all_40", [v * 1000 for v in returned], note="score boxes + summary")
    report.add("export_40_same_layers", [v * 1000 for v in plain], note="summary, no box")
    plain_export = "exporting the same 40 layers with the comments summary, no score box"
    report.ratio("return_all_vs_export", "return_all_40", "export_40_same_layers", plain_export)
    report.goal("return_all_vs_export", 1.2, "Return All within 1.2x of the plain export")


def main() -> Report:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    tmp = Path(tempfile.mkdtemp())
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    data = tmp / "data"
    with LayerEngine(data) as engine:
        doc = import_pdf(engine, make_pdf(tmp / "class.pdf", pages=PAGES)).document.id
        students = fill_class(engine, doc)
    report = Report("grading")
    report.facts.update(students=STUDENTS, questions=QUESTIONS,
                        marks=STUDENTS * (QUESTIONS - 1) * MARKS)  # fmt: skip
    sheet_figures(report, data, doc, students)
    if "--sheet" in sys.argv:  # the score sheet's figures alone (a quick run)
        return report
    next_ungraded_figures(report, app, tmp)
    return_all_figures(report, data, doc, students, tmp)
    return report


if __name__ == "__main__":
    main().save()
