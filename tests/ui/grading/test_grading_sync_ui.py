"""Grading with a real server on 127.0.0.1: the Sync Conflicts window names students by number
while names are hidden."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from reviewer_app.engine import LayerEngine
from reviewer_app.sync import SyncClient, SyncSession
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.server.conftest import note
from tests.sync.conftest import FAST, LiveServer
from tests.ui.grading.screen_texts import names_in, screen_texts
from tests.ui.sync.conftest import WAIT, app, connect, credentials_in_tmp, live, module_live

__all__ = ["app", "credentials_in_tmp", "live", "module_live"]
STUDENTS = ("amy", "ben", "cat")


def class_on_server(qtbot: QtBot, app: MainWindow, live: LiveServer) -> str:
    """A worksheet on the server, connected with a teacher's token, three students synced."""
    ViewerSettings().set_user_name("Teacher")
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layers=["*"]), doc)
    for name in STUDENTS:
        said = note(0, 40, f"work of {name}", id=f"n-{name}", creatorName=name)
        app.engine.create_records(doc, name, "annotation", [said])
    app.context.changes.layer_set_changed()
    app.sync.sync_action.trigger()
    qtbot.waitUntil(lambda: set(STUDENTS) <= set(live.layers(doc)), timeout=WAIT)
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Synced", timeout=WAIT)
    return doc


def test_the_conflicts_window_names_students_by_number_while_names_are_hidden(
    qtbot: QtBot, app: MainWindow, live: LiveServer, tmp_path: Path
) -> None:
    doc = class_on_server(qtbot, app, live)
    with LayerEngine(tmp_path / "laptop") as laptop:  # amy's note changed on another machine
        other = SyncSession.open(
            laptop, SyncClient(live.url, live.token(doc, layers=["*"]), retry=FAST), doc
        )
        other.sync_all()
        theirs = note(0, 40, "theirs", id="n-amy", creatorName="amy")
        laptop.update_records(doc, "amy", "annotation", [theirs])
        other.sync_all()
        other.client.close()
    app.engine.update_records(doc, "amy", "annotation", [note(0, 40, "mine", id="n-amy")])
    app.grading.actions.anonymous.trigger()
    alias = app.context.names.title("amy")
    assert alias.startswith("Student ")
    app.sync.sync_action.trigger()
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "1 conflict", timeout=WAIT)
    app.sync.show_conflicts()
    dialog = app.sync.dialog
    assert dialog is not None
    row = dialog.tree.topLevelItem(0)
    assert row is not None and row.text(0) == alias
    assert row.text(3).startswith(f"“theirs” — {alias} · ")  # amy wrote it: her number
    assert f"By {alias}" in dialog.theirs.details.text()
    said = names_in(screen_texts(), STUDENTS)
    assert not said, said
    app.grading.actions.anonymous.trigger()  # names shown: the window follows at once
    assert dialog.tree.topLevelItem(0).text(0) == "amy"
    assert "By amy" in dialog.theirs.details.text()
    dialog.close()


def test_who_is_a_student_travels_between_the_teachers_machines(
    qtbot: QtBot, app: MainWindow, live: LiveServer, tmp_path: Path
) -> None:
    doc = class_on_server(qtbot, app, live)
    roles = f"/api/documents/{doc}/grading_roles"
    assert [g.layer for g in app.grading.sheet.model.rows] == ["amy", "ben", "cat"]
    app.set_layer("cat")
    app.grading.actions.not_student.trigger()  # Grading > This Layer Is Not a Student
    app.sync.sync_action.trigger()
    qtbot.waitUntil(lambda: live.call("GET", roles).json()["data"]["roles"].get("cat") is False,
                    timeout=WAIT)  # fmt: skip
    with LayerEngine(tmp_path / "laptop") as laptop:  # the teacher's other machine
        token = live.token(doc, layers=["*"])
        other = SyncSession.open(laptop, SyncClient(live.url, token, retry=FAST), doc)
        other.sync_all()
        assert laptop.student_layers(doc) == ["amy", "ben"]  # cat came as not a student
        laptop.set_student(doc, "ben", False)  # ben's layer is the answer key, says the laptop
        other.sync_all()
        other.client.close()
    app.sync.sync_action.trigger()
    qtbot.waitUntil(lambda: [g.layer for g in app.grading.sheet.model.rows] == ["amy"],
                    timeout=WAIT)  # fmt: skip
    app.set_layer("ben")
    assert app.grading.actions.not_student.isChecked()
