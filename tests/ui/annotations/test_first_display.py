"""The first display of a layer of many annotations never drawn before makes their marks a
slice per event-loop turn and shows them once all are made; a few are made at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from reviewer_app.ui.annotations import overlay, page_annotations
from reviewer_app.ui.annotations.marks import Mark
from reviewer_app.ui.core import turns
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.review import list_dock
from reviewer_app.ui.session import layer_reading
from tests.ui.annotations.test_changes import shape
from tests.ui.conftest import open_and_wait


def ready_when_delivered(qtbot: QtBot, window: MainWindow, layer: str) -> bool:
    """Show ``layer`` (read on a task): whether the first page's marks were all made when
    its records were delivered, its page drawn at once."""
    at_delivery: list[bool] = []

    def delivered() -> None:
        window.view.viewport().repaint()
        at_delivery.append(window.overlay.items[0].ready())

    window.reading.delivered.connect(delivered)
    with qtbot.waitSignal(window.reading.delivered, timeout=20_000):
        window.set_layer(layer)
    window.reading.delivered.disconnect(delivered)
    assert len(at_delivery) == 1
    return at_delivery[0]


def test_many_new_marks_are_made_over_several_turns(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(turns, "BUDGET", 0.0)  # a slice: 16 records
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    many = max(page_annotations.MANY_NEW, layer_reading.AT_ONCE_ROWS) + 100  # read on a task
    shapes = [dict(shape(i), id=f"first-{i}", strokeColor="#10a050") for i in range(many)]
    window.engine.create_records(window.document.id, "many", "annotation", shapes)
    window.view.go_to_page(0)
    # the window went on: the rest is made in the next turns
    assert not ready_when_delivered(qtbot, window, "many")
    item = window.overlay.items[0]
    qtbot.waitUntil(item.ready, timeout=20_000)
    assert {m.record.id for m in item.marks()} == {s["id"] for s in shapes}
    window.set_layer("")  # and back: every mark is made, so it shows at once
    window.set_layer("many")
    window.view.viewport().repaint()
    assert window.overlay.items[0].ready()


def test_a_layer_read_again_finds_its_many_marks_over_several_turns(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its records are new objects (the engine read them again) but their marks were made
    before: found a slice per turn too, not all in the turn that shows the layer."""
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    doc = window.document.id
    many = max(page_annotations.MANY, layer_reading.AT_ONCE_ROWS) + 100  # read on a task
    shapes = [dict(shape(i), id=f"again-{i}", strokeColor="#1050a0") for i in range(many)]
    window.engine.create_records(doc, "again", "annotation", shapes)
    window.view.go_to_page(0)
    with qtbot.waitSignal(window.reading.delivered, timeout=20_000):
        window.set_layer("again")
    item = window.overlay.items[0]
    qtbot.waitUntil(item.ready, timeout=20_000)
    before = {m.record.id: m for m in item.marks()}
    window.set_layer("")
    window.engine.base_layers.forget(doc)  # read again: new records, the same contents
    window.engine.layer_reads.forget(doc)
    monkeypatch.setattr(turns, "BUDGET", 0.0)  # a slice: 16 records
    # the window went on: the marks are found in the next turns
    assert not ready_when_delivered(qtbot, window, "again")
    qtbot.waitUntil(item.ready, timeout=20_000)
    after = item.marks()
    assert {m.record.id for m in after} == {s["id"] for s in shapes}
    assert all(m is before[m.record.id] for m in after)  # found, not made again


def test_a_few_new_marks_are_made_at_once(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(turns, "BUDGET", 0.0)
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    shapes = [dict(shape(i), id=f"few-{i}", strokeColor="#a01050") for i in range(40)]
    window.engine.create_records(window.document.id, "few", "annotation", shapes)
    window.view.go_to_page(0)
    window.set_layer("few")
    window.view.viewport().repaint()
    assert window.overlay.items[0].ready()


def test_a_long_list_is_built_a_slice_per_turn_and_follows_changes_meanwhile(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(turns, "BUDGET", 0.0)  # a slice: BUILD_STEP records counted, ...
    monkeypatch.setattr(list_dock, "BUILD_STEP", 10)
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    doc = window.document.id
    shapes = [dict(shape(i, page=i % 2), id=f"long-{i}") for i in range(300)]
    window.engine.create_records(doc, "long", "annotation", shapes)
    listed = window.review.annotations
    listed.raise_()
    qtbot.waitUntil(listed.on_screen)
    listed_then: list[int] = []  # the long layer's entries listed after each slice
    step = listed._step
    deleted: list[bool] = []

    def slice_built(deadline: float) -> bool:
        done = step(deadline)
        count = sum(key[1].startswith("long-") for key in listed.keys_listed())
        if listed.layer == "long" and listed.filling() and not deleted:  # a change comes
            deleted.append(True)  # meanwhile (the slices before may be the old list's)
            QTimer.singleShot(0, delete_one)
        listed_then.append(count)
        return done

    def delete_one() -> None:
        change = window.engine.delete_records(doc, "long", [("annotation", "long-7")])
        window.review.context.changes.record_change(change)

    monkeypatch.setattr(listed, "_step", slice_built)
    window.set_layer("long")
    qtbot.waitUntil(lambda: any(listed_then))
    qtbot.waitUntil(lambda: not listed.filling() and not listed._refresh.isActive())
    assert deleted  # while the rest was still to come
    assert listed_then[:3] == [0, 0, 0]  # the old list stays while the new one is built
    assert set(listed_then) <= {0, 299, 300}  # then all of it is listed at once
    ids = {key[1] for key in listed.keys_listed()}
    assert "long-7" not in ids and len({i for i in ids if i.startswith("long-")}) == 299
    tops = [heading for heading, _ in listed.shown()]
    assert any(t.startswith("Page 1 (") for t in tops)
    assert sum(len(rows) for _, rows in listed.shown()) == len(listed.keys_listed())


def test_a_layer_switched_back_to_makes_no_mark_again(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    for name in ("one", "two"):
        shapes = [dict(shape(i), id=f"{name}-{i}") for i in range(60)]
        window.engine.create_records(window.document.id, name, "annotation", shapes)
    window.view.go_to_page(0)
    drawn: dict[str, list[object]] = {}
    for name in ("one", "two"):
        window.set_layer(name)  # few: shown at once
        window.view.viewport().repaint()
        qtbot.waitUntil(lambda: window.overlay.items[0].ready(), timeout=10000)
        drawn[name] = list(window.overlay.items[0].marks())
    made: list[object] = []
    real = page_annotations.cached_mark
    monkeypatch.setattr(page_annotations, "cached_mark", lambda r: made.append(r) or real(r))
    window.set_layer("one")
    window.view.viewport().repaint()
    item = window.overlay.items[0]
    assert item.ready() and made == []  # its marks as they were: none made, none looked up
    assert [id(m) for m in item.marks()] == [id(m) for m in drawn["one"]]
    assert {m.record.id for m in item.marks()} >= {f"one-{i}" for i in range(60)}


def test_the_list_waits_for_the_marks_being_made_then_is_built(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    shapes = [dict(shape(i), id=f"wait-{i}") for i in range(20)]
    window.engine.create_records(window.document.id, "waits", "annotation", shapes)
    listed = window.review.annotations
    listed.raise_()
    qtbot.waitUntil(listed.on_screen)
    marks_made, asked = [False], []
    monkeypatch.setattr(list_dock, "making", lambda: asked.append(1) or not marks_made[0])
    window.set_layer("waits")
    qtbot.waitUntil(lambda: len(asked) >= 3, timeout=10000)  # asked again and again meanwhile
    assert not any(key[1].startswith("wait-") for key in listed.keys_listed())
    marks_made[0] = True
    qtbot.waitUntil(lambda: any(key[1].startswith("wait-") for key in listed.keys_listed()))
    qtbot.waitUntil(lambda: not listed.filling())
    assert {key[1] for key in listed.keys_listed()} >= {f"wait-{i}" for i in range(20)}


def test_the_list_asked_for_while_it_is_built_in_slices_is_given_whole(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(list_dock, "BUILD_STEP", 5)
    monkeypatch.setattr(turns, "BUDGET", 0.0)
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    shapes = [dict(shape(i, page=i % 2), id=f"slice-{i}") for i in range(40)]
    window.engine.create_records(window.document.id, "sliced", "annotation", shapes)
    listed = window.review.annotations
    listed.raise_()
    qtbot.waitUntil(listed.on_screen)
    asked: list[list[str]] = []
    rebuild_sliced = listed._rebuild_sliced

    def ask() -> None:  # a turn after the build of "sliced" began: the entries asked for
        assert listed._building is not None  # (counted a slice per turn: not done yet)
        listed_now = listed.keys_listed()
        assert not any(key[1].startswith("slice-") for key in listed_now)  # the old list stays
        asked.append(listed.entries())  # built and listed whole, now
        assert listed._building is None and not listed.filling()

    def begun() -> None:
        rebuild_sliced()
        if listed.layer == "sliced" and not asked:
            QTimer.singleShot(0, ask)

    monkeypatch.setattr(listed, "_rebuild_sliced", begun)
    window.set_layer("sliced")
    qtbot.waitUntil(lambda: bool(asked))
    entries = asked[0]
    assert sum(" by " in e for e in entries) >= 40  # every entry listed
    assert {key[1] for key in listed.keys_listed()} >= {f"slice-{i}" for i in range(40)}


def test_many_new_marks_on_screen_start_being_made_without_waiting_for_a_paint(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    count = page_annotations.MANY_NEW + 40  # sliced, but few enough to be read at once
    assert count <= layer_reading.AT_ONCE_ROWS
    shapes = [dict(shape(i), id=f"soon-{i}", strokeColor="#2050c0") for i in range(count)]
    window.engine.create_records(window.document.id, "soon", "annotation", shapes)
    window.view.go_to_page(0)
    window.set_layer("soon")  # shown at once
    item = window.overlay.items[0]
    assert not item.ready() and page_annotations.making()  # (the list waits meanwhile)
    qtbot.waitUntil(lambda: item.ready() and not page_annotations.making(), timeout=10000)
    assert {m.record.id for m in item.marks()} >= {f"soon-{i}" for i in range(count)}


def test_what_the_window_no_longer_keeps_is_let_go_not_freed_in_its_turn(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A layer's records sorted out and a page's marks, dropped from what is kept for
    switching back, go to ``let_go`` (freed out of the window's turn), not freed there."""
    let_go: list[object] = []
    monkeypatch.setattr(overlay, "let_go", let_go.append)
    monkeypatch.setattr(page_annotations, "let_go", let_go.append)
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    window.view.go_to_page(0)
    names = [f"kept {n}" for n in range(overlay.KEPT_SORTINGS + 2)]
    for name in names:
        shapes = [dict(shape(i), id=f"{name}-{i}") for i in range(5)]
        window.engine.create_records(window.document.id, name, "annotation", shapes)
        window.set_layer(name)
        window.view.viewport().repaint()  # (its marks made and kept)
    sorted_out = [records for d in let_go if isinstance(d, list) for records, _ in d]
    first = {f"{names[0]}-{i}" for i in range(5)}
    assert any({r.id for r in records} >= first for records in sorted_out)  # the oldest layer's
    marks = [d[1] for d in let_go if isinstance(d, tuple)]  # (records, marks) of a page
    assert marks and all(isinstance(m, Mark) for made in marks for m in made)
