"""The other layers' drawings are made while the app is idle: a first display reuses them."""

from __future__ import annotations

from pathlib import Path

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
    qtbot.waitUntil(lambda: window.warmer.warmed >= 600 and not window.warmer.busy(), timeout=10000)
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
