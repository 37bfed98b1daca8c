"""A teacher grading a class offline, from the keyboard: Mr Diaz imports three students'
files and the grading scheme from the Grading menu, then for each student Next Ungraded
(Ctrl+Enter), points typed after Q, a bank comment with B; exports the grades as CSV, and
returns every paper, whose score box he reads back."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from reviewer_app.ui.export.return_all import ReturnOptions
from reviewer_app.ui.grading.grading import CSV_PLAIN
from reviewer_app.ui.main_window import MainWindow
from tests.journeys.gestures import CTRL, WAIT, give_name, menu, press, type_text, when_shown

STUDENTS = ("amir", "bea", "chen")
TEACHER = "Mr Diaz"
SCHEME = {
    "questions": [
        {"id": "q1", "name": "Question 1", "max": 4, "page": 0, "region": [60, 420, 480, 140]},
        {"id": "q2", "name": "Question 2", "max": 3, "page": 1},
        {"id": "q3", "name": "Question 3", "max": 2, "page": 1, "region": [60, 220, 480, 80]},
    ],
    "scale": {"kind": "thresholds", "basis": "percent",
              "grades": [{"label": "A", "min": 85}, {"label": "B", "min": 65},
                         {"label": "C", "min": 0}]},
}  # fmt: skip
POINTS = {"amir": ("4", "3"), "bea": ("3", "1"), "chen": ("2", "3")}  # q1, q2 typed
BANK = {"format": "reviewer-comment-bank", "version": 1, "comments": [
    {"id": "units", "text": "Units given", "points": 1, "uses": 3},
    {"id": "steps", "text": "Show the steps", "uses": 1},
]}  # fmt: skip


def students_files(folder: Path) -> list[Path]:
    """Each student's answers as Instant JSON: a note on page 1."""
    files = []
    for n, student in enumerate(STUDENTS):
        note = {
            "v": 2, "type": "pspdfkit/note", "pageIndex": 0, "bbox": [60, 60 + 30 * n, 24, 24],
            "text": {"format": "plain", "value": f"My answer, {student}"}, "icon": "comment",
            "opacity": 1, "id": f"answer-{student}", "creatorName": student,
        }  # fmt: skip
        path = folder / f"{student}.json"
        path.write_text(json.dumps({"format": "https://pspdfkit.com/instant-json/v1",
                                    "annotations": [note]}))  # fmt: skip
        files.append(path)
    return files


def close_message(qtbot: QtBot) -> str:
    """The message box in front (a report), read and closed with Esc."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=WAIT)
    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    text = f"{box.text()}\n{box.informativeText()}"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box, timeout=WAIT)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=WAIT)
    return text


def test_a_teacher_grades_three_students_from_the_keyboard_and_returns_the_papers(
    qtbot: QtBot,
    start_app: Callable[..., MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The OS file dialogs and the file manager are replaced: they cannot run here."""
    window = start_app()
    qtbot.waitUntil(lambda: window.document is not None, timeout=WAIT)
    files = students_files(tmp_path)
    scheme_file, bank_file = tmp_path / "scheme.json", tmp_path / "bank.json"
    scheme_file.write_text(json.dumps(SCHEME))
    bank_file.write_text(json.dumps(BANK))
    names = [str(p) for p in files]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (names, ""))
    chosen_file = {"name": str(scheme_file)}
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen_file["name"], ""))

    # The class and the scheme, from the Grading menu (Alt+R).
    menu(qtbot, Qt.Key.Key_R, Qt.Key.Key_L)  # Import a C&lass…
    report = close_message(qtbot)
    assert "3 of 3 files imported" in report and "amir.json → layer “amir”" in report
    menu(qtbot, Qt.Key.Key_R, Qt.Key.Key_I)  # &Import Grading Scheme…
    grading = window.grading
    qtbot.waitUntil(lambda: len(grading.scheme.questions) == 3, timeout=WAIT)
    assert sorted(grading.sheet.visible_layers()) == list(STUDENTS)
    press(qtbot, Qt.Key.Key_B)  # the bank, filled from a colleague's file
    palette = grading.bank.palette
    qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.search, timeout=WAIT)
    chosen_file["name"] = str(bank_file)
    press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # &Import…
    qtbot.waitUntil(lambda: palette.list.count() == 2, timeout=WAIT)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not palette.isVisible(), timeout=WAIT)

    # Grading, student by student: every action counted.
    asked = give_name(TEACHER)
    actions: dict[str, int] = {}
    press(qtbot, Qt.Key.Key_Q)  # the points tool, once
    for student in STUDENTS:
        count = 0
        for question, typed in zip(("q1", "q2"), POINTS[student], strict=True):
            press(qtbot, Qt.Key.Key_Return, CTRL)  # Next Ungraded
            assert (window.layer, grading.state.question) == (student, question)
            type_text(qtbot, typed)
            press(qtbot, Qt.Key.Key_Return)
            count += 2
        press(qtbot, Qt.Key.Key_Return, CTRL)
        assert (window.layer, grading.state.question) == (student, "q3")
        assert window.view.current_page() == 1  # at that question's page
        press(qtbot, Qt.Key.Key_B)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is palette.search, timeout=WAIT)
        assert palette.current_id() == "units"  # the most used first: Enter takes it
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not palette.isVisible(), timeout=WAIT)
        count += 3
        actions[student] = count
    assert asked == ["Your name"]
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert "Every student is graded" in window.statusBar().currentMessage()
    assert actions == {s: 7 for s in STUDENTS}  # under half of the 15 it took before
    notes = [r for r in window.engine.annotations(window.document.id, "amir")
             if r.content["type"] == "pspdfkit/text"]  # fmt: skip
    assert all(r.content["creatorName"] == TEACHER for r in notes)

    # The grades as CSV (Alt+R, C).
    target = tmp_path / "grades.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), CSV_PLAIN))
    menu(qtbot, Qt.Key.Key_R, Qt.Key.Key_C)
    qtbot.waitUntil(target.exists, timeout=WAIT)
    with open(target, encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows == [
        ["Student", "Question 1 (/4)", "Question 2 (/3)", "Question 3 (/2)",
         "Total", "Out of", "Grade", "Status", "Feedback"],
        ["amir", "4", "3", "1", "8", "9", "A", "graded", "+1 Units given"],
        ["bea", "3", "1", "1", "5", "9", "C", "graded", "+1 Units given"],
        ["chen", "2", "3", "1", "6", "9", "B", "graded", "+1 Units given"],
    ]  # fmt: skip

    # Every paper back (Alt+R, R), flattened, with the score box read back.
    folder = tmp_path / "back"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)

    def flatten(dialog: ReturnOptions) -> None:
        dialog.flatten.setChecked(True)
        dialog.accept()

    when_shown(ReturnOptions, flatten)
    menu(qtbot, Qt.Key.Key_R, Qt.Key.Key_R)
    export = grading.returning
    assert export is not None
    qtbot.waitUntil(lambda: export.result_box is not None, timeout=120000)
    assert "3 PDFs written" in close_message(qtbot)
    for student, row in zip(STUDENTS, rows[1:], strict=True):
        reader = pypdf.PdfReader(io.BytesIO((folder / f"{student}.pdf").read_bytes()))
        first = reader.pages[0].extract_text()
        assert f": {student}" in first
        assert f"Question 1: {row[1]} / 4" in first and f"Question 3: {row[3]} / 2" in first
        assert f"Total: {row[4]} / 9  Grade: {row[6]}" in first
        with pymupdf.open(folder / f"{student}.pdf") as doc:
            assert not any(list(page.annots()) for page in doc)  # flattened
        assert "Units given" in reader.pages[-1].extract_text()  # the comments summary
