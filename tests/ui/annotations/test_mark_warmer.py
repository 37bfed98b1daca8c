"""The other layers' drawings are made while the app is idle: a first display reuses them."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from reviewer_app.ui.annotations import shapes as annotation_shapes
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait


def rectangles(count: int, shift: float) -> list[dict[str, object]]:
    return [
        {
            "v": 2,
            "type": "pspdfkit/shape/rectangle",
            "pageIndex": 0,
            "bbox": [10 + (i % 30) * 12 + shift, 40 + (i // 30) * 12, 8, 8],
            "strokeColor": "#2060d0",
            "strokeWidth": 1,
        }
        for i in range(count)
    ]


def test_other_layers_are_drawn_ahead_and_shown_from_those_drawings(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    doc = window.document.id
    for index, name in enumerate(("ann", "bob")):
        window.engine.create_records(doc, name, "annotation", rectangles(300, index * 3))
    window.review.refresh_layers()
    window.set_layer("")
    readers: list[tuple[str, threading.Thread]] = []
    real_records = window.engine.records

    def records(document_id: str, layer: str, *args: Any) -> Any:
        readers.append((layer, threading.current_thread()))
        return real_records(document_id, layer, *args)

    monkeypatch.setattr(window.engine, "records", records)
    qtbot.waitUntil(lambda: window.warmer.warmed >= 600 and not window.warmer.busy(), timeout=10000)
    warmed = [thread for layer, thread in readers if layer in ("ann", "bob")]
    assert len(warmed) == 2 and threading.main_thread() not in warmed  # read on tasks
    monkeypatch.undo()
    made: list[object] = []
    real = annotation_shapes.mark_of

    def counting(record: object) -> object:
        made.append(record)
        return real(record)  # type: ignore[arg-type]

    monkeypatch.setattr(annotation_shapes, "mark_of", counting)
    window.set_layer("bob")
    window.view.viewport().repaint()
    assert window.overlay.record_count(0) == 300 + len(
        window.engine.records(doc, "", "annotation", 0)
    )
    assert made == []  # every drawing was made ahead, none on this first display
