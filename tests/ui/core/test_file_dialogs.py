"""Where the file dialogs open: the user's documents folder (else home) at first, then the
folder of the last file chosen, also after a restart; never the folder the app was started
from. Real QFileDialogs, answered as a person would."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from reviewer_app.ui.core import file_dialogs
from reviewer_app.ui.core.file_dialogs import start_folder
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import make_pdf, when_modal


def answered(qtbot: QtBot, ask: Callable[[], object], answer: str | None) -> str:
    """Run ``ask`` (a function that opens a file dialog); note the folder it opens in, then
    choose ``answer`` in it (None: cancel)."""
    opened_in: list[str] = []

    def reply(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        opened_in.append(dialog.directory().absolutePath())
        if answer is None:
            dialog.reject()
        elif dialog.fileMode() == QFileDialog.FileMode.Directory:
            dialog.setDirectory(answer)  # (gone into, as a person picks a folder)
            dialog.accept()
        else:
            typed = dialog.findChild(QLineEdit, "fileNameEdit")  # the name typed, as a person
            assert typed is not None
            typed.setText(answer)
            dialog.accept()

    timer = when_modal(QFileDialog, reply)
    ask()
    timer.stop()
    assert opened_in, "no file dialog opened"
    return opened_in[0]


def test_open_starts_in_documents_then_where_the_last_file_was_chosen(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the folder the app was started from: never offered
    documents = Path(os.environ["HOME"]) / "Documents"
    documents.mkdir()
    papers = tmp_path / "papers"
    papers.mkdir()
    pdf = make_pdf(papers / "worksheet.pdf", pages=2)
    assert answered(qtbot, window.choose_file, str(pdf)) == str(documents)
    qtbot.waitUntil(lambda: window.document is not None)
    assert answered(qtbot, window.choose_file, None) == str(papers)
    window.settings.sync()
    assert start_folder(ViewerSettings()) == papers  # the next start's settings


def test_a_folder_chosen_is_where_the_next_dialog_opens_and_a_gone_one_is_not(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    out = tmp_path / "returned"
    out.mkdir()
    settings = window.settings
    assert answered(
        qtbot, lambda: file_dialogs.choose_folder(window, settings, "Return All"), str(out)
    ) == str(Path.home())  # no Documents folder: home
    assert start_folder(settings) == out
    out.rmdir()
    assert start_folder(settings) == Path.home()
