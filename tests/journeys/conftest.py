"""Journey fixtures: the UI tests' own (settings in a temporary folder, no render worker or task
left, a modal dialog nobody answers fails the test), a real server that can stop and start
again on its port with JWT keys and tokens kept under the test's folder, and windows started
as the app starts them (the gestures and checks are in ``gestures.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reviewer_app.engine import LayerEngine
from reviewer_app.resources import sample_document
from reviewer_app.sync import SyncClient
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.journeys.gestures import WAIT
from tests.sync.conftest import FAST
from tests.ui.conftest import (
    clipboard_released,
    no_leftover_tasks,
    no_leftover_workers,
    no_stuck_dialog,
    settings_in_tmp,
)
from tests.ui.export.conftest import no_leftover_exports
from tests.ui.sync.conftest import credentials_in_tmp, live, module_live

__all__ = [  # the fixtures, the autouse ones included
    "clipboard_released",
    "credentials_in_tmp",
    "live",
    "module_live",
    "no_leftover_exports",
    "no_leftover_tasks",
    "no_leftover_workers",
    "no_stuck_dialog",
    "settings_in_tmp",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The offscreen platform warns that it cannot propagate size hints, raise a window or
    grab the keyboard (for a menu): not our problem."""
    ignore = pytest.mark.qt_log_ignore(
        "This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
    )
    for item in items:
        if "tests/journeys/" in str(item.path).replace("\\", "/"):
            item.add_marker(ignore)


@pytest.fixture
def start_app(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[..., MainWindow]]:
    """``start_app(file=None)`` does what ``reviewer-app [FILE]`` does on the same data folder
    and settings file: a window, shown, opening FILE (the sample worksheet when None). Sync's
    client retries fast. Every window is closed before the engine."""
    made: list[MainWindow] = []
    engine = LayerEngine(tmp_path / "data")

    def start(file: Path | None = None, open_file: bool = True) -> MainWindow:
        window = MainWindow(engine, ViewerSettings())
        window.sync.make_client = lambda url, token: SyncClient(
            url, token, retry=FAST, timeout=(2.0, 10.0)
        )
        qtbot.addWidget(window)
        made.append(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT)
        if open_file:
            with qtbot.waitSignal(window.opening.opened, timeout=WAIT):
                window.open_file(file or sample_document())
        return window

    yield start
    for window in made:
        window.close()
    engine.close()
