"""The app's file dialogs: each opens in the folder of the last file or folder chosen in one
(kept in the settings, so also at the next start), else in the user's documents folder (else
their home); never in the folder the app happened to be started from."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from reviewer_app.ui.core.settings import ViewerSettings

KEY = "files/folder"


def start_folder(settings: ViewerSettings) -> Path:
    """Where the next file dialog opens."""
    kept = str(settings.store.value(KEY, "") or "")
    if kept and Path(kept).is_dir():
        return Path(kept)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def _chosen(settings: ViewerSettings, name: str, folder: bool = False) -> Path | None:
    if not name:
        return None
    path = Path(name)
    settings.store.setValue(KEY, str(path if folder else path.parent))
    return path


def open_file(parent: QWidget, settings: ViewerSettings, title: str, kinds: str) -> Path | None:
    """A file to read (``kinds``: the dialog's filter, "PDF files (*.pdf)"); None if cancelled."""
    name, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder(settings)), kinds)
    return _chosen(settings, name)


def open_files(parent: QWidget, settings: ViewerSettings, title: str, kinds: str) -> list[Path]:
    """Files to read, any number (none if cancelled)."""
    names, _ = QFileDialog.getOpenFileNames(parent, title, str(start_folder(settings)), kinds)
    if names:
        _chosen(settings, names[0])
    return [Path(name) for name in names]


def save_file(
    parent: QWidget, settings: ViewerSettings, title: str, offered: str, kinds: str
) -> tuple[Path | None, str]:
    """A file to write, ``offered`` the name first given, and the filter chosen of ``kinds``
    (several by ";;"); (None, "") if cancelled."""
    where = str(start_folder(settings) / offered)
    name, kind = QFileDialog.getSaveFileName(parent, title, where, kinds)
    return _chosen(settings, name), kind if name else ""


def choose_folder(parent: QWidget, settings: ViewerSettings, title: str) -> Path | None:
    """A folder to write into; None if cancelled."""
    name = QFileDialog.getExistingDirectory(parent, title, str(start_folder(settings)))
    return _chosen(settings, name, folder=True)
