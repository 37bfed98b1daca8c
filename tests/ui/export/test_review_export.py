"""Exporting every layer of a 30-layer document as PDFs, with a live, cancellable progress."""

from __future__ import annotations

import time
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from reviewer_app.engine import BASE
from reviewer_app.ui.export.dialog import PdfExport, export_to_folder
from reviewer_app.ui.export.run import ExportRun
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait


def thirty_layers(window: MainWindow) -> list[str]:
    doc = window.document
    assert doc is not None
    for n in range(30):
        note = {
            "v": 2,
            "type": "pspdfkit/text",
            "pageIndex": n % 12,
            "bbox": [60, 200, 200, 40],
            "text": {"format": "plain", "value": f"Student {n}"},
            "fontColor": "#c00000",
            "fontSize": 14,
            "opacity": 1,
            "horizontalAlign": "left",
            "verticalAlign": "top",
        }
        window.engine.create_records(doc.id, f"student {n:02}", "annotation", [note])
    window.review.refresh_layers()
    return exported_layers(window)


def exported_layers(window: MainWindow) -> list[str]:
    """What "all layers" exports: not the base, nor the user's own before it exists."""
    layers = window.review.layers
    return [name for name in layers.names() if name != BASE and name not in layers.pending]


def run_export(
    qtbot: QtBot,
    window: MainWindow,
    folder: Path,
    flatten: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[PdfExport, int]:
    """Export all layers; returns the export and how many times a 10 ms UI timer fired while
    it ran (how long the UI stalled is a figure of bench/review.py, not a test's)."""
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    names = exported_layers(window)
    assert window.document is not None
    ticks: list[float] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    export = export_to_folder(
        window, window.engine.data_dir, window.document.id, names, flatten, settings=window.settings
    )
    assert export is not None and export.dialog.isVisible()
    with qtbot.waitSignal(export.ended, timeout=120000):
        pass
    timer.stop()
    return export, len(ticks)


@pytest.mark.slow
def test_export_all_30_layers_keeps_the_window_live(
    qtbot: QtBot,
    window: MainWindow,
    sample_pdf: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    names = thirty_layers(window)
    assert len(names) == 31  # the default layer and 30 students
    export, ticks = run_export(qtbot, window, tmp_path / "out", False, monkeypatch)
    assert len(export.paths) == 31 and "31 PDFs written" in export.message
    assert not export.dialog.isVisible()
    for n in (0, 17, 29):
        path = tmp_path / "out" / f"student {n:02}.pdf"
        with pymupdf.open(path) as doc:
            texts = [a.info.get("content") for page in doc for a in page.annots()]
            assert f"Student {n}" in texts
    for path in export.paths:
        with pymupdf.open(path) as doc:
            assert doc.page_count == 12
    assert ticks >= 2  # the window's event loop kept turning while the export ran


def test_flattened_export_can_be_cancelled(
    qtbot: QtBot,
    window: MainWindow,
    sample_pdf: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    thirty_layers(window)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "flat"))
    assert window.document is not None
    names = [n for n in window.review.layers.names() if n != BASE]
    export = export_to_folder(
        window, window.engine.data_dir, window.document.id, names, True, settings=window.settings
    )
    assert export is not None
    with qtbot.waitSignal(export.ended, timeout=60000):
        button = export.dialog.findChild(QPushButton)
        assert button is not None and button.text() == "Cancel"
        button.click()  # the child checks before each layer
    assert export.message.startswith("Export cancelled")
    assert len(export.paths) < 31
    assert sorted((tmp_path / "flat").glob("*")) == sorted(export.paths)  # no partial file
    export = export_to_folder(
        window,
        window.engine.data_dir,
        window.document.id,
        names[:2],
        True,
        settings=window.settings,
    )
    assert export is not None
    with qtbot.waitSignal(export.ended, timeout=60000):
        pass
    assert len(export.paths) == 2
    for path in export.paths:
        with pymupdf.open(path) as doc:
            assert not any(list(page.annots()) for page in doc)


def test_closing_the_window_ends_a_running_export_without_waiting_for_it(
    qtbot: QtBot,
    window: MainWindow,
    sample_pdf: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    names = thirty_layers(window)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "x"))
    assert window.document is not None
    export = export_to_folder(
        window, window.engine.data_dir, window.document.id, names, True, settings=window.settings
    )
    assert export is not None
    window.review.export = export
    process = export.run.process
    qtbot.waitUntil(lambda: process.pid is not None and process.is_alive(), timeout=10000)
    window.close()  # the export is told to stop; close does not join it
    assert export.run not in ExportRun.live
    qtbot.waitUntil(lambda: not process.is_alive(), timeout=10000)
    for path in (tmp_path / "x").glob("*"):  # only whole files, each a PDF that opens
        assert path.suffix == ".pdf"
        with pymupdf.open(path) as doc:
            assert doc.page_count == 12
