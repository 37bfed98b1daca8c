"""The first display of a layer of many annotations never drawn before makes their marks a
slice per event-loop turn and shows them once all are made; a few are made at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from reviewer_app.ui.annotations import list_dock, page_annotations
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.session import layer_reading
from reviewer_app.ui.session.describing import groups_of
from tests.ui.annotations.test_changes import shape
from tests.ui.conftest import open_and_wait


def test_many_new_marks_are_made_over_several_turns(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page_annotations, "SLICE_SECONDS", 0.0)  # a slice: 16 records
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    many = max(page_annotations.MANY_NEW, layer_reading.AT_ONCE_ROWS) + 100  # read on a task
    shapes = [dict(shape(i), id=f"first-{i}", strokeColor="#10a050") for i in range(many)]
    window.engine.create_records(window.document.id, "many", "annotation", shapes)
    window.view.go_to_page(0)
    at_delivery: list[bool] = []

    def delivered() -> None:  # the layer read on a task is shown: its page drawn at once
        window.view.viewport().repaint()
        at_delivery.append(window.overlay.items[0].ready())

    window.reading.delivered.connect(delivered)
    with qtbot.waitSignal(window.reading.delivered, timeout=20_000):
        window.set_layer("many")
    window.reading.delivered.disconnect(delivered)
    assert at_delivery == [False]  # the window went on: the rest is made in the next turns
    item = window.overlay.items[0]
    qtbot.waitUntil(item.ready, timeout=20_000)
    assert {m.record.id for m in item.marks()} == {s["id"] for s in shapes}
    window.set_layer("")  # and back: every mark is made, so it shows at once
    window.set_layer("many")
    window.view.viewport().repaint()
    assert window.overlay.items[0].ready()


def test_a_few_new_marks_are_made_at_once(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page_annotations, "SLICE_SECONDS", 0.0)
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    shapes = [dict(shape(i), id=f"few-{i}", strokeColor="#a01050") for i in range(40)]
    window.engine.create_records(window.document.id, "few", "annotation", shapes)
    window.view.go_to_page(0)
    window.set_layer("few")
    window.view.viewport().repaint()
    assert window.overlay.items[0].ready()


def test_a_long_list_is_filled_a_slice_per_turn_and_follows_changes_meanwhile(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(list_dock, "FIRST", 10)
    monkeypatch.setattr(list_dock, "SLICE_SECONDS", 0.0)  # a slice: 50 entries
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    doc = window.document.id
    shapes = [dict(shape(i, page=i % 2), id=f"long-{i}") for i in range(300)]
    window.engine.create_records(doc, "long", "annotation", shapes)
    listed = window.review.annotations
    listed.raise_()
    qtbot.waitUntil(listed.on_screen)
    listed_then: list[int] = []  # the long layer's entries listed after each slice
    fill = listed._fill

    def slice_filled(upto: int | None, timed: bool) -> None:
        fill(upto, timed)
        count = sum(key[1].startswith("long-") for key in listed.rows)
        if count and not any(listed_then):  # the first ten listed: a change comes meanwhile
            QTimer.singleShot(0, delete_one)
        listed_then.append(count)

    def delete_one() -> None:
        assert listed.filling()  # (the rest still to come)
        change = window.engine.delete_records(doc, "long", [("annotation", "long-7")])
        window.review.context.changes.record_change(change)

    monkeypatch.setattr(listed, "_fill", slice_filled)
    window.set_layer("long")
    qtbot.waitUntil(lambda: any(listed_then))
    assert next(n for n in listed_then if n) == 10  # the first ten listed, the rest to come
    qtbot.waitUntil(lambda: not listed.filling() and not listed._refresh.isActive())
    ids = {key[1] for key in listed.rows}
    assert "long-7" not in ids and len({i for i in ids if i.startswith("long-")}) == 299
    tops = [top.text(0) for top, _ in groups_of(listed.tree)]
    assert any(t.startswith("Page 1 (") for t in tops)
    assert sum(len(rows) for _, rows in groups_of(listed.tree)) == len(listed.rows)
