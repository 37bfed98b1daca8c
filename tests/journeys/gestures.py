"""The user's gestures, and what the user checks: keys sent where the keyboard focus is,
menus opened by their letters, modal dialogs answered as they come, clicks and drags on what
the page view shows; the Layers rows, the status bar, the server's layers read through its
HTTP API."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from reviewer_app.resources import sample_document
from reviewer_app.sync import SyncStatus
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.sync.connect_dialog import ConnectDialog
from tests.sync.conftest import LiveServer
from tests.ui.tools.conftest import viewport_point

WAIT = 30000  # ms: generous, for two test runs sharing two cores
LEFT = Qt.MouseButton.LeftButton
NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
W = TypeVar("W", bound=QWidget)


def upload_worksheet(live: LiveServer) -> str:
    """The bundled sample worksheet (text, form fields, annotations) uploaded to ``live``."""
    return live.upload(sample_document().read_bytes())


# -- keys, menus and dialogs ----------------------------------------------------------------


def keys_target(qtbot: QtBot) -> QWidget:
    """Where a key press goes: an open menu, else the focus widget, else the active window.

    Nothing here activates a window: the offscreen platform has no window manager, and the
    app must give its window the keyboard back itself when a dialog or a menu closes (as on
    a bare X server or in a kiosk session). A key sent while no window has the keyboard
    fails the journey, as it would be lost for the user."""

    def someone_listens() -> bool:
        active = QApplication.activeWindow()  # (a closed menu can stay "active", hidden)
        return QApplication.activePopupWidget() is not None or (
            active is not None and active.isVisible()
        )

    qtbot.waitUntil(someone_listens, timeout=WAIT)
    target = (
        QApplication.activePopupWidget()
        or QApplication.focusWidget()
        or QApplication.activeWindow()
    )
    assert target is not None, "no widget would get the key"
    return target


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = NO) -> None:
    """A key pressed and released, sent where the keyboard focus is."""
    qtbot.keyClick(keys_target(qtbot), key, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    """Characters typed where the keyboard focus is."""
    qtbot.keyClicks(keys_target(qtbot), text)


def menu(qtbot: QtBot, menu_key: Qt.Key, item_key: Qt.Key) -> None:
    """Alt+``menu_key`` opens a menu of the menu bar; ``item_key`` chooses its entry."""
    press(qtbot, menu_key, ALT)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=WAIT)
    press(qtbot, item_key)


def when_shown(kind: type[W], answer: Callable[[W], None]) -> list[str]:
    """Answer the next modal dialog of ``kind`` as soon as it shows (even inside the event
    that opened it, as ``exec`` runs its own loop): ``answer(dialog)`` types and clicks in
    it. Returns a list that gets the dialog's title once it was answered."""
    answered: list[str] = []
    timer = QTimer(QApplication.instance(), interval=20)

    def look() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, kind) and modal.isVisible():
            timer.stop()
            timer.deleteLater()
            answered.append(modal.windowTitle())
            answer(modal)

    timer.timeout.connect(look)
    timer.start()
    return answered


def modal_of(qtbot: QtBot, kind: type[W]) -> W:
    """The modal dialog in front, once it is the active window (it has the keyboard)."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=WAIT)
    modal = QApplication.activeModalWidget()
    assert isinstance(modal, kind)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is modal, timeout=WAIT)
    return modal


def child(parent: QObject, kind: type[W], name: str = "") -> W:
    found = parent.findChild(kind, name) if name else parent.findChild(kind)
    assert isinstance(found, kind), f"no {kind.__name__} {name!r} in {parent!r}"
    return found


def give_name(name: str) -> list[str]:
    """Answer the display-name question (asked at the first change): the name it offers is
    selected; ``name`` is typed over it and OK pressed."""

    def answer(dialog: QInputDialog) -> None:
        line = child(dialog, QLineEdit)
        line.selectAll()
        line.insert(name)
        dialog.accept()

    return when_shown(QInputDialog, answer)


def fill_connect_dialog(qtbot: QtBot, url: str, token: str) -> ConnectDialog:
    """File > Connect to Server…, the address typed, then (Alt+T) the token; the document
    id is filled in from the token."""
    menu(qtbot, Qt.Key.Key_F, Qt.Key.Key_S)
    dialog = modal_of(qtbot, ConnectDialog)
    click_widget(qtbot, dialog.url)
    type_text(qtbot, url)
    press(qtbot, Qt.Key.Key_T, ALT)  # &Token:
    assert dialog.token.hasFocus()
    type_text(qtbot, token)
    return dialog


# -- the mouse on the pages -----------------------------------------------------------------


def on_screen(window: MainWindow, page: int, point: tuple[float, float]) -> QPoint:
    """Where page point ``point`` (Instant coordinates) shows in the viewport, which must
    show it: a user clicks only what they see."""
    at = viewport_point(window, page, point)
    shown = window.view.viewport().rect()
    assert shown.contains(at), f"page {page + 1} at {point} is not on screen ({at}, {shown})"
    return at


def click_page(qtbot: QtBot, window: MainWindow, page: int, point: tuple[float, float]) -> None:
    qtbot.mouseClick(window.view.viewport(), LEFT, NO, on_screen(window, page, point))


def drag_page(
    qtbot: QtBot, window: MainWindow, page: int, points: Sequence[tuple[float, float]]
) -> None:
    """Press at the first page point, move through the others with the button held, release
    at the last: the events a real mouse sends to the page view."""
    viewport = window.view.viewport()
    at = [on_screen(window, page, p) for p in points]
    qtbot.mousePress(viewport, LEFT, NO, at[0])
    for point in at[1:]:
        move = QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(point),
            QPointF(viewport.mapToGlobal(point)),
            Qt.MouseButton.NoButton,
            LEFT,
            NO,
        )
        QApplication.sendEvent(viewport, move)
    qtbot.mouseRelease(viewport, LEFT, NO, at[-1])


def click_widget(qtbot: QtBot, widget: QWidget, pos: QPoint | None = None) -> None:
    assert widget.isVisible() and widget.isEnabled(), f"{widget!r} cannot be clicked"
    qtbot.mouseClick(widget, LEFT, NO, pos or widget.rect().center())


def click_layer_row(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """Click the row of layer ``name`` in the Layers dock, where it is shown."""
    dock = window.review.layers_dock
    row = dock.visible_names().index(name)
    place = dock.list.visualRect(dock.list.model().index(row, 0)).center()
    qtbot.mouseClick(dock.list.viewport(), LEFT, NO, place)


def tick(qtbot: QtBot, box: QWidget) -> None:
    """Click a check box where a user does: on its box, at its left end."""
    qtbot.mouseClick(box, LEFT, NO, QPoint(8, box.height() // 2))


# -- what the user checks -------------------------------------------------------------------


def layer_rows(window: MainWindow) -> list[str]:
    """The first line of each row of the Layers dock, as shown."""
    dock = window.review.layers_dock
    rows = [dock.proxy.index(row, 0).data() for row in range(dock.proxy.rowCount())]
    return [str(text).split("\n")[0] for text in rows]


def indicator_texts(window: MainWindow) -> list[str]:
    """Every text the sync indicator shows from now on, in order (each sync's statuses)."""
    shown: list[str] = []

    def follow(_status: SyncStatus) -> None:
        if not shown or shown[-1] != window.sync.indicator.text():
            shown.append(window.sync.indicator.text())

    window.sync.background.status.connect(follow)
    return shown


def synced_after_pending(qtbot: QtBot, window: MainWindow, seen: list[str]) -> None:
    """Wait until the indicator, having said what was pending, says "Synced" (``seen``: from
    :func:`indicator_texts`, taken before the changes)."""
    qtbot.waitUntil(lambda: "pending" in " ".join(seen) and seen[-1] == "Synced", timeout=WAIT)
    assert window.sync.indicator.text() == "Synced"


def status_messages(window: MainWindow) -> list[str]:
    """Every message the status bar shows from now on (one shown for 10 s could be gone
    before a loaded machine looks)."""
    shown: list[str] = []
    window.context.message.connect(lambda text, _ms: shown.append(text))
    window.statusBar().messageChanged.connect(lambda text: text and shown.append(text))
    return shown


def server_records(live: LiveServer, doc: str, layer: str) -> list[dict[str, Any]]:
    """Every annotation the server's layer shows (through its HTTP API)."""
    path = f"/api/documents/{doc}/layers/{layer}/annotations"
    answer = live.call("GET", path, headers={"Accept": "application/x-ndjson"})
    assert answer.status_code == 200, answer.text
    return [json.loads(line) for line in answer.text.splitlines() if line.strip()]


def server_form_values(live: LiveServer, doc: str, layer: str) -> dict[str, Any]:
    answer = live.call("GET", f"/api/documents/{doc}/layers/{layer}/form-field-values")
    assert answer.status_code == 200, answer.text
    return {v["name"]: v.get("value") for v in answer.json()["data"]["formFieldValues"]}
