"""Showing a big layer does not stop the window: its records are read and parsed on a task,
then shown; a layer or document asked for meanwhile wins, and a change to the layer being
read is shown with it. A small layer, or one read before, is shown at once."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.session import layer_reading
from tests.ui.annotations.test_changes import shape
from tests.ui.conftest import layer_read, make_pdf, open_and_wait

BIG = layer_reading.AT_ONCE_ROWS + 50


def shapes(prefix: str, count: int) -> list[dict[str, Any]]:
    return [dict(shape(i), id=f"{prefix}{i}") for i in range(count)]


def shown_ids(window: MainWindow) -> set[str]:
    return {r.id for page in range(window.view.page_count()) for r in window.overlay.on_page(page)}


@pytest.fixture
def opened(qtbot: QtBot, window: MainWindow, sample_pdf: Path) -> MainWindow:
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    engine, doc = window.engine, window.document.id
    engine.create_records(doc, "big", "annotation", shapes("big-", BIG))
    engine.create_records(doc, "small", "annotation", shapes("small-", 5))
    engine.create_records(doc, "other", "annotation", shapes("other-", BIG))
    window.review.refresh_layers()
    window.set_layer("small")
    return window


def test_a_big_layer_is_read_and_parsed_on_a_task_then_shown(
    qtbot: QtBot, opened: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, engine = opened, opened.engine
    threads: list[threading.Thread] = []
    real = engine.records

    def records(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "records", records)
    before = shown_ids(window)
    assert before >= {f"small-{i}" for i in range(5)}
    with qtbot.waitSignal(window.reading.delivered, timeout=15000) as delivered:
        window.set_layer("big")
        assert window.reading.pending(layer="big") and window.layer == "big"
        assert shown_ids(window) == before  # the layer shown so far stays until then
    assert delivered.args == ["big"]
    assert threads and threading.main_thread() not in threads
    assert {f"big-{i}" for i in range(BIG)} <= shown_ids(window)
    assert window.layer_box.currentData() == "big"
    shown = window.engine.records(window.document.id, "big") if window.document else []
    assert shown and window.document is not None  # read and cached: none left for the UI thread
    assert window.engine.records_at_once(window.document.id, "big", rows=0) == shown


def test_a_small_layer_and_one_read_before_are_shown_at_once(
    qtbot: QtBot, opened: MainWindow
) -> None:
    window = opened
    window.set_layer("big")
    layer_read(qtbot, window)
    window.set_layer("small")
    assert not window.reading.pending() and "small-0" in shown_ids(window)
    window.set_layer("big")  # read and parsed before: cached
    assert not window.reading.pending() and f"big-{BIG - 1}" in shown_ids(window)


def test_a_read_that_ends_after_another_layer_was_asked_for_is_dropped(
    qtbot: QtBot, opened: MainWindow
) -> None:
    window = opened
    window.set_layer("big")
    dropped = window.reading.task
    assert dropped is not None
    window.set_layer("small")  # shown at once, while big is still being read
    assert not window.reading.pending() and window.layer == "small"
    qtbot.waitUntil(lambda: dropped.done, timeout=15000)
    qtbot.wait(50)  # nothing of big may arrive after its task ended
    assert window.layer == "small"
    assert "big-0" not in shown_ids(window) and "small-0" in shown_ids(window)
    assert window.layer_box.currentData() == "small"


def test_of_two_big_layers_asked_in_turn_only_the_last_is_shown(
    qtbot: QtBot, opened: MainWindow
) -> None:
    window = opened
    arrived: list[str] = []
    window.reading.delivered.connect(arrived.append)
    window.set_layer("big")
    first = window.reading.task
    window.set_layer("other")
    layer_read(qtbot, window)
    assert first is not None
    qtbot.waitUntil(lambda: first.done, timeout=15000)
    assert arrived == ["other"]
    assert "other-0" in shown_ids(window) and "big-0" not in shown_ids(window)


def test_a_change_to_the_layer_being_read_is_shown_with_it(
    qtbot: QtBot, opened: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, engine = opened, opened.engine
    read, release = threading.Event(), threading.Event()
    real = engine.records

    def records(*args: Any, **kwargs: Any) -> Any:  # the task's read ends before the change
        found = real(*args, **kwargs)
        if threading.current_thread() is not threading.main_thread():
            read.set()
            release.wait(15)
        return found

    monkeypatch.setattr(engine, "records", records)
    window.set_layer("big")
    qtbot.waitUntil(read.is_set, timeout=15000)
    assert window.document is not None and window.reading.pending(layer="big")
    made = engine.create_records(  # as a sync brings it, into the layer asked for
        window.document.id, "big", "annotation", [dict(shape(9000), id="made-meanwhile")]
    )
    window.context.changes.record_change(made)
    release.set()
    layer_read(qtbot, window)
    assert {"made-meanwhile", "big-0"} <= shown_ids(window)


def test_a_read_that_ends_after_another_document_was_opened_is_dropped(
    qtbot: QtBot, opened: MainWindow, tmp_path: Path
) -> None:
    window = opened
    window.set_layer("big")
    dropped = window.reading.task
    assert dropped is not None
    other = make_pdf(tmp_path / "other.pdf", pages=2)
    with qtbot.waitSignal(window.opening.opened, timeout=15000):
        window.open_file(other)
    qtbot.waitUntil(lambda: dropped.done, timeout=15000)
    assert not window.reading.pending()
    assert "big-0" not in shown_ids(window)
