"""The app on a hostile PDF (finding 2 of issue 16): the import and the export say "this PDF
could not be processed: ..." and the window stays up, ready for the next PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from reviewer_app.ui.export.dialog import export_to_folder
from reviewer_app.ui.main_window import MainWindow
from tests.pdf.builders import deep_page_tree_pdf
from tests.ui.conftest import open_and_wait

DEEP = deep_page_tree_pdf(70_000)


def test_a_deep_page_tree_is_shown_not_imported_and_the_app_goes_on(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, tmp_path: Path
) -> None:
    deep = tmp_path / "deep.pdf"
    deep.write_bytes(DEEP)
    with qtbot.waitSignal(window.opening.opened, timeout=30000):
        window.open_file(deep)  # its one page can be shown
    qtbot.waitUntil(
        lambda: "could not be processed" in window.statusBar().currentMessage(), timeout=30000
    )
    message = window.statusBar().currentMessage()
    assert "the page tree of deep.pdf is nested more than 256 levels" in message
    assert window.document is None and window.engine.documents() == []
    open_and_wait(qtbot, window, sample_pdf)  # the next PDF opens as usual
    assert window.document is not None


def test_an_export_that_crashes_the_writer_says_so_and_the_app_goes_on(
    qtbot: QtBot,
    window: MainWindow,
    sample_pdf: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stored = window.engine.add_document(DEEP, records=[], page_count=1, file_name="deep.pdf")
    out = tmp_path / "out"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    export = export_to_folder(
        window, window.engine.data_dir, stored.id, ["alice"], False, settings=window.settings
    )
    assert export is not None
    with qtbot.waitSignal(export.ended, timeout=60000):
        pass
    assert export.message.startswith(
        "Export failed: this PDF could not be processed: it crashed the PDF reader"
    )
    assert export.result_box is not None and export.result_box.isVisible()
    assert not list(out.glob("*"))
    export.result_box.close()
    open_and_wait(qtbot, window, sample_pdf)
