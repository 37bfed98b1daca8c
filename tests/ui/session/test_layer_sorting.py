"""A big layer's records are sorted out by page on the task that reads them (the UI thread
then only hands each page its records); a layer of many records read before goes through a
task too, the layer shown staying meanwhile; a sorting made before the overlay changed is made
again on the UI thread."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations import overlay as overlay_module
from reviewer_app.ui.annotations.sorting import Sorting, sort_out
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.session import layer_reading
from tests.ui.annotations.test_changes import shape
from tests.ui.conftest import layer_read, open_and_wait
from tests.ui.session.test_layer_reading import shown_ids

BIG = layer_reading.AT_ONCE_ROWS + 50


@pytest.fixture
def opened(qtbot: QtBot, window: MainWindow, sample_pdf: Path) -> MainWindow:
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    shapes = [dict(shape(i, page=i % 2), id=f"big-{i}") for i in range(BIG)]
    window.engine.create_records(window.document.id, "big", "annotation", shapes)
    window.engine.create_records(
        window.document.id, "small", "annotation", [dict(shape(1), id="small-1")]
    )
    window.review.refresh_layers()
    window.set_layer("small")
    return window


def counting_sorts(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """Each call of the overlay's sort_out, by the thread that made it."""
    threads: list[threading.Thread] = []

    def counted(records: Sequence[Record], *args: Any) -> Sorting:
        threads.append(threading.current_thread())
        return sort_out(records, *args)

    monkeypatch.setattr(overlay_module, "sort_out", counted)
    return threads


def test_a_big_layer_is_sorted_out_on_its_task(
    qtbot: QtBot, opened: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = opened
    threads = counting_sorts(monkeypatch)
    with qtbot.waitSignal(window.reading.delivered, timeout=15000):
        window.set_layer("big")
    assert threads and threading.main_thread() not in threads  # none on the UI thread
    assert window.document is not None
    records = window.engine.records(window.document.id, "big")
    pages = window.view.page_count()
    for page in range(pages):  # as the UI thread would have sorted them
        expected = sort_out(records, window.context.base_records(), set(), pages)
        assert [r.id for r in window.overlay.on_page(page)] == [
            r.id for r in expected.by_page.get(page, [])
        ]
    assert {f"big-{i}" for i in range(BIG)} <= shown_ids(window)


def test_a_layer_of_many_records_read_before_goes_through_a_task(
    qtbot: QtBot, opened: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = opened
    window.set_layer("big")
    layer_read(qtbot, window)
    window.set_layer("small")  # few: at once
    assert not window.reading.pending() and "small-1" in shown_ids(window)
    monkeypatch.setattr(layer_reading, "MANY_AT_ONCE", BIG // 2)  # big counts as many now
    threads = counting_sorts(monkeypatch)
    with qtbot.waitSignal(window.reading.delivered, timeout=15000):
        window.set_layer("big")  # read before (cached), but many
        assert window.reading.pending(layer="big")
        assert "small-1" in shown_ids(window) and "big-0" not in shown_ids(window)
    assert threads and threading.main_thread() not in threads
    assert "big-0" in shown_ids(window) and "small-1" not in shown_ids(window)
    monkeypatch.setattr(layer_reading, "MANY_AT_ONCE", BIG * 2)
    window.set_layer("small")
    window.set_layer("big")  # not more than MANY_AT_ONCE: shown at once again
    assert not window.reading.pending() and "big-0" in shown_ids(window)


def test_a_sorting_made_before_the_overlay_changed_is_made_again(
    opened: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = opened
    assert window.document is not None
    records = window.engine.records(window.document.id, "big")
    made = window.overlay.sorter()(records)
    threads = counting_sorts(monkeypatch)
    window.overlay.show(window.view.pages, records, made)
    assert threads == []  # taken as it was made
    assert "big-0" in shown_ids(window)
    window.overlay.lacking.add(12345)  # an appearance found empty meanwhile
    window.overlay.show(window.view.pages, records, made)
    assert threads == [threading.main_thread()]  # made again: it no longer holds
