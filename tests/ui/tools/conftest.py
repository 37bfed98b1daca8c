"""Annotating fixtures: a window on a PDF with an upright and a turned page, and real mouse
gestures given in page points (Instant coordinates)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reviewer_app.instant.records import Record
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait

USER = "Tester"
UPRIGHT, TURNED = 0, 1  # page 1 has /Rotate 90
LEFT = Qt.MouseButton.LeftButton


def make_annotating_pdf(path: Path) -> Path:
    """Two pages of text; the second is turned a quarter (/Rotate 90)."""
    doc = pymupdf.open()
    for index in range(2):
        page = doc.new_page(width=400, height=560)
        page.insert_text((60, 80), f"Page {index + 1}: words to mark up here", fontsize=14)
        page.insert_text((60, 120), "A second line of plain text to strike out.", fontsize=12)
    doc[TURNED].set_rotation(90)
    doc.save(path)
    return path


@pytest.fixture
def annotating(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> MainWindow:
    """The window on the two-page PDF, the user named, their layer shown, page 1 on top."""
    ViewerSettings().set_user_name(USER)
    open_and_wait(qtbot, window, make_annotating_pdf(tmp_path / "annotate.pdf"))
    window.view.set_zoom(1.0)
    window.view.go_to_page(UPRIGHT)
    assert window.layer == USER
    return window


def viewport_point(window: MainWindow, page: int, point: tuple[float, float]) -> QPoint:
    """Where page point ``point`` (Instant coordinates of page ``page``) is in the viewport."""
    view = window.view
    scene = view.pages[page].space.mapToScene(QPointF(*point))
    return view.mapFromScene(scene)


def _send(window: MainWindow, kind: QEvent.Type, at: QPoint, buttons: Qt.MouseButton) -> None:
    viewport = window.view.viewport()
    button = LEFT if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(
        kind,
        QPointF(at),
        QPointF(viewport.mapToGlobal(at)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


def drag(
    qtbot: QtBot,
    window: MainWindow,
    page: int,
    points: Sequence[tuple[float, float]],
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Press at the first page point, move through the others with the button held, release
    at the last: the events a real mouse sends to the page view."""
    window.view.go_to_page(page)
    viewport = window.view.viewport()
    at = [viewport_point(window, page, p) for p in points]
    qtbot.mousePress(viewport, LEFT, modifiers, at[0])
    for point in at[1:]:
        _send(window, QEvent.Type.MouseMove, point, LEFT)
    qtbot.mouseRelease(viewport, LEFT, modifiers, at[-1])


def click(
    qtbot: QtBot,
    window: MainWindow,
    page: int,
    point: tuple[float, float],
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    window.view.go_to_page(page)
    qtbot.mouseClick(window.view.viewport(), LEFT, modifiers, viewport_point(window, page, point))


def layer_annotations(window: MainWindow, layer: str | None = None) -> list[Record]:
    """The annotations the engine holds for ``layer`` (the shown one by default)."""
    assert window.document is not None
    return window.engine.records(window.document.id, layer or window.layer, "annotation")


def new_annotations(window: MainWindow, before: Sequence[Record]) -> list[Record]:
    ids = {r.id for r in before}
    return [r for r in layer_annotations(window) if r.id not in ids]
