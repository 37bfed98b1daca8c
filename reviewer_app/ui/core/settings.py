"""The viewer's remembered state (window, recent files, last page per document) with typed reads."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QRect, QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

ORGANIZATION = "Reviewer"
APPLICATION = "Reviewer"
MAX_RECENT = 10
FLUSH_MS = 1000
"""How long a change waits before the settings file is written (QSettings writes in the next
turn of the event loop, on the UI thread, with an fdatasync that waits on the disk)."""


def open_settings() -> QSettings:
    """The app's settings file: an INI file in the user's config folder (tests move it)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


class LaterSettings(QSettings):
    """A settings file written ``FLUSH_MS`` after the first change, all changes at once,
    instead of in the next turn of the event loop. That turn is often a busy one (a document
    opened, a sync's layers listed), and QSettings waits there for the disk: 2 to 7 ms of one
    stall. The changes are read back at once all the same (QSettings keeps them until
    written); :meth:`sync` and the object's end write them sooner. (A subclass, not an event
    filter: a filter on a QSettings deleted with its write pending crashed PySide6.)"""

    def __init__(self, file_name: str, file_format: QSettings.Format) -> None:
        super().__init__(file_name, file_format)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(FLUSH_MS)
        self.timer.timeout.connect(self.sync)

    def event(self, event: QEvent) -> bool:
        if event.type() != QEvent.Type.UpdateRequest:
            return super().event(event)
        if not self.timer.isActive():
            self.timer.start()
        return True  # (QSettings asks again only once a sync() has written the changes)

    def sync(self) -> None:
        """Write every change to the file now."""
        self.timer.stop()
        super().sync()


def written_later(store: QSettings) -> LaterSettings:
    """``store``'s file as a :class:`LaterSettings` (itself if it is one)."""
    if isinstance(store, LaterSettings):
        return store
    return LaterSettings(store.fileName(), store.format())


class ViewerSettings:
    """Typed access to the settings the viewer keeps; written to disk a moment after a change
    (:class:`LaterSettings`), at once by :meth:`sync`."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.store = written_later(settings if settings is not None else open_settings())

    def path(self) -> str:
        return self.store.fileName()

    def _str_list(self, key: str) -> list[str]:
        value = self.store.value(key, [])
        if isinstance(value, str):
            return [value] if value else []
        return [str(v) for v in value] if isinstance(value, list) else []

    def recent_files(self) -> list[str]:
        return self._str_list("recent/files")

    def add_recent_file(self, path: Path) -> None:
        name = str(path.resolve())
        files = [name, *(f for f in self.recent_files() if f != name)][:MAX_RECENT]
        self.store.setValue("recent/files", files)

    def last_page(self, document: str) -> int:
        value = self.store.value(f"pages/{document}", 0)
        try:
            return max(0, int(str(value)))
        except ValueError:
            return 0

    def set_last_page(self, document: str, page: int) -> None:
        self.store.setValue(f"pages/{document}", int(page))

    def save_window(self, window: QMainWindow) -> None:
        self.store.setValue("window/geometry", window.saveGeometry())
        self.store.setValue("window/state", window.saveState())

    def window_state(self) -> QByteArray | None:
        """The docks and toolbars as the window was left (``save_window``), if it was."""
        state = self.store.value("window/state")
        return state if isinstance(state, QByteArray) else None

    def restore_window(self, window: QMainWindow) -> bool:
        """Restore geometry and docks; the window is moved and shrunk to fit on a screen."""
        geometry = self.store.value("window/geometry")
        state = self.store.value("window/state")
        restored = isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            window.restoreState(state)
        clamp_to_screen(window)
        return restored

    def sync_interval(self) -> int:
        """Seconds between background syncs with the server (``sync/interval``, default 30)."""
        try:
            return max(5, int(str(self.store.value("sync/interval", 30))))
        except ValueError:
            return 30

    def data_folder(self) -> Path | None:
        """The data folder chosen in the app when the usual one could not be used."""
        value = str(self.store.value("data/folder", "") or "")
        return Path(value) if value else None

    def set_data_folder(self, folder: Path) -> None:
        self.store.setValue("data/folder", str(folder))

    def user_name(self) -> str:
        """The display name written as ``creatorName`` ("" until the user gave one)."""
        return str(self.store.value("user/name", "") or "").strip()

    def set_user_name(self, name: str) -> None:
        self.store.setValue("user/name", name.strip())

    def tool_style(self, tool: str) -> dict[str, object]:
        """The properties a tool gives new annotations (colour, width, ...), as last chosen."""
        self.store.beginGroup(f"tools/{tool}")
        try:
            return {key: self.store.value(key) for key in self.store.childKeys()}
        finally:
            self.store.endGroup()

    def set_tool_style(self, tool: str, style: dict[str, object]) -> None:
        for key, value in style.items():
            self.store.setValue(f"tools/{tool}/{key}", value)

    def sync(self) -> None:
        """Write every change to the file now."""
        self.store.sync()


def clamp_to_screen(window: QMainWindow) -> None:
    """Move and shrink ``window`` so that it lies on the screen showing most of it."""
    frame = window.frameGeometry()
    screen = QGuiApplication.screenAt(frame.center()) or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    rect = QRect(window.geometry())
    rect.setWidth(min(rect.width(), area.width()))
    rect.setHeight(min(rect.height(), area.height()))
    rect.moveLeft(min(max(rect.left(), area.left()), area.right() - rect.width() + 1))
    rect.moveTop(min(max(rect.top(), area.top()), area.bottom() - rect.height() + 1))
    if rect != window.geometry():
        window.setGeometry(rect)
