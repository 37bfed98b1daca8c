"""The Layers list's rows: each row's texts are made once and made again when what they say
changes (its summary, its sync mark, how layers and authors are named)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer_app.engine import BASE, DEFAULT
from reviewer_app.engine.summaries import LayerSummary
from reviewer_app.ui.session.layer_list import NAME_ROLE, LayerList, ListAdapter

SHOWN, TIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole


def summary(name: str, annotations: int, revision: int = 1) -> LayerSummary:
    return LayerSummary(name, annotations, ("ann",), revision, "2026-01-02T03:04:05Z")


def texts(model: ListAdapter, role: Qt.ItemDataRole = SHOWN) -> dict[str, str]:
    rows = (model.index(row) for row in range(model.rowCount()))
    return {index.data(NAME_ROLE): index.data(role) for index in rows}


def test_a_rows_text_follows_its_summary_its_mark_and_the_names(qtbot: QtBot) -> None:
    layers, marks = LayerList(), {"bob": "synced"}
    layers.mark = lambda name: marks.get(name, "")
    model = ListAdapter(layers)
    layers.sync([summary(BASE, 2, 0), summary(DEFAULT, 2), summary("bob", 3)])
    first = texts(model)
    assert first["bob"].startswith("bob — synced\n3 annotations")
    assert texts(model) == first and texts(model, TIP)["bob"].startswith("bob — synced: 3")
    layers.sync([summary(BASE, 2, 0), summary(DEFAULT, 2), summary("bob", 4, 2)])
    assert texts(model)["bob"].startswith("bob — synced\n4 annotations")
    marks["bob"] = "2 to send"
    layers.marks_changed()
    assert texts(model)["bob"].startswith("bob — 2 to send\n4 annotations")
    assert texts(model, TIP)["bob"].startswith("bob — 2 to send: 4 annotations")
    layers.title = lambda name: f"Student {len(name)}"  # anonymous grading hides names
    layers.author = lambda _author: "Student 9"
    layers.names_changed()  # (as LayerReview does when the names change)
    assert texts(model)["bob"].startswith("Student 3 — 2 to send\n4 annotations")
    assert texts(model)["bob"].endswith("Student 9")


def test_the_users_own_layer_before_its_first_change_shows_new_not_a_mark(qtbot: QtBot) -> None:
    """Listed before its first change makes it, the user's own layer reads "(new)", as in the
    Layer box (it read as any other layer), and has no sync mark."""
    layers = LayerList()
    layers.mark = lambda _name: "synced"
    model = ListAdapter(layers)
    base = [summary(BASE, 2, 0), summary(DEFAULT, 2)]
    layers.sync(base, shown="me")
    assert texts(model)["me"].startswith("me (new)\n") and "me" in layers.pending
    layers.sync([*base, summary("me", 3)], shown="me")  # created by its first change
    assert texts(model)["me"].startswith("me — synced\n3 annotations")


def test_a_sync_step_shows_again_only_the_rows_whose_mark_changed(qtbot: QtBot) -> None:
    """Every sync step says the marks may have changed; a row whose mark did not is not
    shown (nor laid out) again, and one whose mark did says so at once."""
    layers, marks = LayerList(), dict.fromkeys(("amy", "bob", "cy"), "synced")
    layers.mark = lambda name: marks.get(name, "")
    model = ListAdapter(layers)
    layers.sync([summary(BASE, 2, 0), summary(DEFAULT, 2), *map(summary, marks, (1, 2, 3))])
    assert texts(model)["bob"].startswith("bob — synced\n")
    shown_again: list[str] = []
    model.dataChanged.connect(lambda first, _last: shown_again.append(first.data(NAME_ROLE)))
    layers.marks_changed()
    assert shown_again == []
    marks["bob"] = "2 to send"
    layers.marks_changed()
    assert shown_again == ["bob"] and texts(model)["bob"].startswith("bob — 2 to send\n")
    layers.marks_changed()
    assert shown_again == ["bob"]
    layers.names_changed()  # every row: the authors' names are in the second line
    assert shown_again == ["bob", BASE, DEFAULT, "amy", "bob", "cy"]
