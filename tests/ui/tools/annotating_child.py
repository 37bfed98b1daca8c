"""The app process the durability test kills: it draws a rectangle with the mouse, says so,
then runs on (``python -m tests.ui.tools.annotating_child DATA PDF SETTINGS``)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reviewer_app.engine import LayerEngine
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.ui.tools.conftest import USER, viewport_point

LEFT = Qt.MouseButton.LeftButton


def wait_for(app: QApplication, ready: object, seconds: float = 30.0) -> None:
    end = time.monotonic() + seconds
    while not ready():  # type: ignore[operator]
        if time.monotonic() > end:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.01)


def main(data: Path, pdf: Path, settings: Path) -> None:
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings))
    app = QApplication(["annotating-child", "-platform", "offscreen"])
    ViewerSettings().set_user_name(USER)
    engine = LayerEngine(data)
    window = MainWindow(engine)
    window.show()
    window.open_file(pdf)
    wait_for(app, lambda: window.document is not None)
    window.view.set_zoom(1.0)
    window.view.go_to_page(0)
    window.tools.choose("rectangle")
    viewport = window.view.viewport()
    start, end = viewport_point(window, 0, (100, 150)), viewport_point(window, 0, (220, 240))
    QTest.mousePress(viewport, LEFT, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, end)
    QTest.mouseRelease(viewport, LEFT, Qt.KeyboardModifier.NoModifier, end)
    made = [
        r
        for r in engine.records(window.document.id, USER, "annotation")  # type: ignore[union-attr]
        if r.content["type"] == "pspdfkit/shape/rectangle"
    ]
    print("DRAWN", made[0].id if made else "-", flush=True)
    app.exec()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
