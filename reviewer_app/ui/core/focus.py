"""The keyboard back to a window when one of its dialogs or menus closes and no window has it.

A window manager gives the keyboard back to a dialog's window when the dialog closes. Without
one (a bare X server, a kiosk session, the offscreen platform) no window has it: the next key
(Ctrl+Z after "Your name", typed on at once) reaches nothing at all, while the toolbar's
buttons still work."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QApplication, QWidget


class FocusReturn(QObject):
    """Watches which window has the keyboard; once a dialog or menu of ``window`` (its
    transient child) that had it is hidden and no shown window has the keyboard, ``window``
    takes it back, and with it the widget that had it before."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.focusWindowChanged.connect(self._changed)

    def _changed(self, now: QWindow | None) -> None:
        if now is not None and now.transientParent() is self.window.windowHandle() is not None:
            now.visibleChanged.connect(
                self._dialog_shown_or_hidden, Qt.ConnectionType.UniqueConnection
            )
            if not now.isVisible():  # (heard after a dialog answered at once had closed)
                self._dialog_shown_or_hidden(False)

    @Slot(bool)
    def _dialog_shown_or_hidden(self, visible: bool) -> None:
        if not visible:
            QTimer.singleShot(0, self, self._take_back)  # once the dialog is gone

    def _take_back(self) -> None:
        active = QApplication.activeWindow()  # (a menu closed by its own command, File >
        # Open Recent, can stay the "active" window while hidden: its keys go nowhere)
        if (active is not None and active.isVisible()) or not self.window.isVisible():
            return
        modal = QApplication.activeModalWidget()  # one the menu's command opened, not
        # active yet: the keys are its own (the window would take them from it)
        (modal if modal is not None and modal.isVisible() else self.window).activateWindow()
