"""The settings file is written a moment after a change, not in the busy turn that made it;
nothing is lost (read back at once, written by sync() and by the store's end)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from pytestqt.qtbot import QtBot

from reviewer_app.ui.core.settings import ViewerSettings


def on_disk(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def settings_at(path: Path) -> ViewerSettings:
    return ViewerSettings(QSettings(str(path), QSettings.Format.IniFormat))


def test_a_change_is_written_after_the_turn_that_made_it(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    settings = settings_at(path)
    settings.set_user_name("Maya Lin")
    settings.set_last_page("doc", 3)
    QCoreApplication.sendPostedEvents()  # the turn after: QSettings would write here
    assert "Maya Lin" not in on_disk(path)
    assert settings.user_name() == "Maya Lin"  # read back all the same
    assert settings_at(path).last_page("doc") == 3  # and by another store of the same file
    qtbot.waitUntil(lambda: "Maya Lin" in on_disk(path))
    assert "pages" in on_disk(path)  # both changes, in one write
    settings.set_user_name("Maya")  # and again after that write
    qtbot.waitUntil(lambda: "Maya\n" in on_disk(path))


def test_sync_writes_at_once(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    settings = settings_at(path)
    settings.set_user_name("Lee Park")
    settings.sync()
    assert "Lee Park" in on_disk(path)
    assert not settings.store.timer.isActive()  # (nothing left to write later)


def test_a_store_that_ends_writes_what_it_held(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    settings = settings_at(path)
    settings.set_user_name("Chen")
    QCoreApplication.sendPostedEvents()
    del settings  # the QSettings is deleted: its destructor writes
    QCoreApplication.sendPostedEvents()
    assert "Chen" in on_disk(path)
