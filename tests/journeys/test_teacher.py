"""A teacher's journey: three students have answered on the server; Ms Okafor connects with a
token for every layer, marks each student with a stamp, a note and a free text using only
the keyboard between students, compares two of them, and exports everyone's PDF with the
comments summary."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from reviewer_app.ui.export.options import ExportOptions
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.session.describing import groups_of
from tests.journeys.gestures import (
    ALT,
    CTRL,
    SHIFT,
    WAIT,
    click_page,
    click_widget,
    fill_connect_dialog,
    give_name,
    indicator_texts,
    layer_rows,
    press,
    server_form_values,
    server_records,
    synced_after_pending,
    tick,
    type_text,
    upload_worksheet,
    when_shown,
)
from tests.server.conftest import note
from tests.sync.conftest import LiveServer

STUDENTS = {"amir": "Amir Haddad", "bea": "Bea Long", "chen": "Chen Wei"}
STAMP_AT, NOTE_AT, TEXT_AT = (420, 470), (545, 530), (300, 640)  # page 1, in points
TEACHER = "Ms Okafor"


def words_for(student: str) -> tuple[str, str]:
    """What the teacher writes to ``student``: a note and a free text."""
    return f"See me about the water {student}", f"Well argued {student}"


def answers_on_server(live: LiveServer, doc: str) -> None:
    """Each student's layer as their own app leaves it: the form filled and a note, sent
    with their own token."""
    for layer, name in STUDENTS.items():
        token = live.token(doc, layer=layer, user_id=layer)
        bearer = {"Authorization": f"Bearer {token}"}
        base = f"/api/documents/{doc}/layers/{layer}"
        values = [{"name": "name", "value": name}, {"name": "answer", "value": f"heat {layer}"}]
        answer = live.call(
            "POST", base + "/form-field-values", json={"formFieldValues": values}, headers=bearer
        )
        assert answer.status_code == 200, answer.text
        body = {"id": f"{layer}-q", "content": note(0, 60, f"A question from {name}")}
        answer = live.call("POST", base + "/annotations", json=body, headers=bearer)
        assert answer.status_code == 200, answer.text


def connect(qtbot: QtBot, url: str, token: str) -> None:
    dialog = fill_connect_dialog(qtbot, url, token)
    assert "Read and change: every layer" in dialog.token_note.text()
    press(qtbot, Qt.Key.Key_Return)  # Connect


def view_state(window: MainWindow) -> tuple[int, float, int]:
    """What "the page and zoom stay" means on screen: page, zoom, scroll position."""
    view = window.view
    return view.current_page(), view.zoom, view.verticalScrollBar().value()


def mark(qtbot: QtBot, window: MainWindow, student: str) -> None:
    """A stamp, a note and a free text on page 1, tools chosen with their keys."""
    note_words, text_words = words_for(student)
    press(qtbot, Qt.Key.Key_S)
    click_page(qtbot, window, 0, STAMP_AT)
    press(qtbot, Qt.Key.Key_N)
    click_page(qtbot, window, 0, NOTE_AT)
    type_text(qtbot, note_words)
    press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_T)
    click_page(qtbot, window, 0, TEXT_AT)
    type_text(qtbot, text_words)
    press(qtbot, Qt.Key.Key_Return, CTRL)


def pick(qtbot: QtBot, box: QComboBox, title: str) -> None:
    """Choose ``title`` in the focused combo box with Home and Down."""
    press(qtbot, Qt.Key.Key_Home)
    for _ in range(box.count()):
        if box.currentText() == title:
            return
        press(qtbot, Qt.Key.Key_Down)
    assert box.currentText() == title


def teachers_marks(window: MainWindow, layer: str) -> dict[str, str]:
    """The teacher's annotations in ``layer`` (type → text)."""
    assert window.document is not None
    found = window.engine.records(window.document.id, layer, "annotation")
    return {
        r.content["type"]: str((r.content.get("text") or {}).get("value", ""))
        for r in found
        if r.content.get("creatorName") == TEACHER
    }


def pdftotext(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def summary_entries(summary: str) -> list[tuple[str, str, str]]:
    """(kind, author, first line of text) of each entry of a comments summary's text:
    "3. Note · Ms Okafor · 2026-12-06 06:38" and the line under it."""
    lines = [line.strip() for line in summary.splitlines()]
    found = []
    for at, line in enumerate(lines[:-1]):
        head = re.match(r"\d+\. (.+?) · (.+?)( · .*)?$", line)
        if head:
            found.append((head[1], head[2], lines[at + 1]))
    return found


def test_a_teacher_marks_three_students_compares_two_and_exports_them_all(
    qtbot: QtBot,
    start_app: Callable[..., MainWindow],
    live: LiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The OS folder picker (QFileDialog.getExistingDirectory) and the file manager
    (QDesktopServices.openUrl) are replaced: they cannot run here."""
    doc = upload_worksheet(live)
    answers_on_server(live, doc)
    window = start_app(open_file=False)
    connect(qtbot, live.url, live.token(doc, layers=["*"], user_id="okafor"))
    qtbot.waitUntil(lambda: window.document is not None and window.document.id == doc, timeout=WAIT)
    qtbot.waitUntil(lambda: window.sync.indicator.text() == "Synced", timeout=WAIT)
    students = sorted(STUDENTS)
    assert [r.split(" — ")[0] for r in layer_rows(window)][2:5] == students

    # Marking: Ctrl+PgDn to each student in turn; the page and zoom stay.
    press(qtbot, Qt.Key.Key_2, CTRL)  # fit page
    seen = indicator_texts(window)
    shown = view_state(window)
    asked = give_name(TEACHER)
    for student in students:
        press(qtbot, Qt.Key.Key_PageDown, CTRL)
        assert window.layer == student and f" — {student} — " in window.windowTitle()
        assert window.layer_box.currentText() == student
        assert view_state(window) == shown
        mark(qtbot, window, student)
        assert asked == ["Your name"]  # at the first mark only
        note_words, text_words = words_for(student)
        assert teachers_marks(window, student) == {
            "pspdfkit/stamp": "",
            "pspdfkit/comment-marker": note_words,
            "pspdfkit/text": text_words,
        }
    press(qtbot, Qt.Key.Key_PageDown, CTRL)  # round to the first student, past her own
    assert window.layer == students[0]
    synced_after_pending(qtbot, window, seen)
    for student in students:
        on_server = [r for r in server_records(live, doc, student) if r["createdBy"] == "okafor"]
        kinds = sorted(r["content"]["type"] for r in on_server)
        assert kinds == ["pspdfkit/comment-marker", "pspdfkit/stamp", "pspdfkit/text"], student
        assert server_form_values(live, doc, student)["answer"] == f"heat {student}"
    assert TEACHER not in live.layers(doc)  # her marks are in the students' layers

    # Compare two students: Ctrl+Shift+M, A and B chosen with the keys, Compare.
    press(qtbot, Qt.Key.Key_M, CTRL | SHIFT)
    dock = window.review.comparing.dock
    assert dock.a_box.hasFocus()
    pick(qtbot, dock.a_box, "amir")  # with the arrows: letters are the tools' keys
    press(qtbot, Qt.Key.Key_Tab)
    assert dock.b_box.hasFocus()
    pick(qtbot, dock.b_box, "bea")
    press(qtbot, Qt.Key.Key_M, ALT)  # Co&mpare
    qtbot.waitUntil(
        lambda: window.review.comparing.comparison is not None and not dock.filling(), timeout=WAIT
    )
    comparison = window.review.comparing.comparison
    assert comparison is not None and (comparison.a, comparison.b) == ("amir", "bea")
    listed = [entry.text(0) for _, entries in groups_of(dock.tree) for entry in entries]
    for student, side in (("amir", "A only"), ("bea", "B only")):
        note_words, text_words = words_for(student)
        assert any(f"[{side}]" in line and note_words in line for line in listed), listed
        assert any(f"[{side}]" in line and text_words in line for line in listed), listed
    assert "[changed] Form field “answer”: “heat amir” → “heat bea”" in listed
    # A's own: her question, and the teacher's stamp, free text and note (its marker and comment)
    assert "only in A (amir) (5)" in dock.legend.text() and "changed (2)" in dock.legend.text()

    # Export everyone, flattened with the comments summary.
    folder = tmp_path / "marked"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    chosen: list[list[str]] = []

    def flatten_and_export(dialog: ExportOptions) -> None:
        chosen.append(dialog.chosen())
        tick(qtbot, dialog.flatten)
        assert dialog.summary.isChecked()
        click_widget(qtbot, dialog.ok)

    when_shown(ExportOptions, flatten_and_export)
    press(qtbot, Qt.Key.Key_E, CTRL)
    assert chosen == [students]
    export = window.review.export
    assert export is not None
    qtbot.waitUntil(lambda: export.result_box is not None, timeout=60000)
    box = export.result_box
    assert isinstance(box, QMessageBox) and "3 PDFs written to" in box.text()
    click_widget(qtbot, box.button(QMessageBox.StandardButton.Close))
    assert sorted(p.name for p in folder.iterdir()) == [f"{s}.pdf" for s in students]
    for student in students:
        text = pdftotext(folder / f"{student}.pdf")
        summary = text[text.index("Comments summary") :]
        assert "The water cycle: a worksheet" in summary and f"Layer: {student}" in summary
        note_words, text_words = words_for(student)
        entries = summary_entries(summary)
        assert ("Comment", TEACHER, note_words) in entries, entries
        assert ("Free text", TEACHER, text_words) in entries
        assert ("Stamp", TEACHER, "Approved") in entries
        assert ("Note", student, f"A question from {STUDENTS[student]}") in entries
        for other in set(students) - {student}:
            assert words_for(other)[0] not in text
        assert "Your name:       " + STUDENTS[student] in text  # her answers, flattened
