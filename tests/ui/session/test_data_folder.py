"""A data folder the app cannot use: a dialog says why and offers another folder; the app
never dies with a traceback and no window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from reviewer_app.engine.partial_files import partial_file
from reviewer_app.pdf import sandbox
from reviewer_app.pdf.sandbox import REMEMBERED_FILE, PdfSandbox
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.session.data_folder import data_folder, open_engine, problem_box, why_unusable


@pytest.fixture(autouse=True)
def own_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[PdfSandbox]:
    """The program's sandbox, fresh for the test (opening the data folder tells it where to
    remember the PDFs that crash its workers): no other test's is changed."""
    fresh = PdfSandbox(workers=1)
    monkeypatch.setattr(sandbox, "_shared", fresh)
    yield fresh
    fresh.close()


def unusable_folders(tmp_path: Path) -> list[Path]:
    """Folders no user can store layers in, whoever runs the tests (root included)."""
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "layers.sqlite3").write_bytes(b"this is not a database" * 100)
    return [a_file, a_file / "below-a-file", damaged]


def test_each_unusable_folder_asks_for_another_then_opens_it(qtbot: QtBot, tmp_path: Path) -> None:
    settings = ViewerSettings()
    asked: list[tuple[Path, str]] = []
    good = tmp_path / "good"
    for folder in unusable_folders(tmp_path):
        engine = open_engine(folder, settings, lambda f, why: asked.append((f, why)) or good)
        assert engine is not None and engine.data_dir == good
        engine.close()
        assert asked[-1][0] == folder and asked[-1][1]  # it said which folder, and why
    assert settings.data_folder() == good  # the next start uses it
    assert data_folder(None, settings) == good
    assert data_folder(tmp_path / "given", settings) == tmp_path / "given"  # --data-dir wins


def test_quitting_from_the_dialog_opens_nothing(tmp_path: Path) -> None:
    settings = ViewerSettings()
    (folder,) = unusable_folders(tmp_path)[:1]
    assert open_engine(folder, settings, lambda f, why: None) is None
    assert settings.data_folder() is None


def test_the_dialog_says_what_is_wrong_in_words(qtbot: QtBot, tmp_path: Path) -> None:
    folder = unusable_folders(tmp_path)[0]
    reason = why_unusable(FileExistsError(17, "File exists"))
    assert reason == "That path is a file, not a folder."
    assert "may not write" in why_unusable(PermissionError(13, "Permission denied"))
    box = problem_box(folder, reason)
    qtbot.addWidget(box)
    assert str(folder) in box.text() and reason in box.informativeText()
    roles = {box.buttonRole(b): b.text() for b in box.buttons()}
    assert roles == {
        QMessageBox.ButtonRole.AcceptRole: "&Choose Another Folder…",
        QMessageBox.ButtonRole.RejectRole: "&Quit",
    }


def test_the_environment_still_wins_over_a_remembered_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = ViewerSettings()
    settings.set_data_folder(tmp_path / "remembered")
    monkeypatch.setenv("REVIEWER_DATA_DIR", str(tmp_path / "from-env"))
    assert data_folder(None, settings) == tmp_path / "from-env"


def test_opening_the_folder_removes_leftovers_and_reads_the_refused_pdfs(
    tmp_path: Path, own_sandbox: PdfSandbox
) -> None:
    folder = tmp_path / "data"
    (folder / "pdfs").mkdir(parents=True)
    left = folder / "pdfs" / "tmpkilled.part"  # an import killed half-way left it
    left.write_bytes(b"%PDF-1.7 half of a PDF")
    digest = "ab" * 32
    (folder / REMEMBERED_FILE).write_text(
        f"{digest} it crashed the PDF reader (a segmentation fault)\n"
    )
    with partial_file(folder / "pdfs") as (_, writing):  # another process writes this one now
        engine = open_engine(folder, ViewerSettings(), lambda f, why: None)
        assert engine is not None
        assert writing.exists()
    engine.close()
    assert not left.exists()
    assert own_sandbox.refused == {digest: "it crashed the PDF reader (a segmentation fault)"}
    assert own_sandbox.remembered_file == folder / REMEMBERED_FILE
