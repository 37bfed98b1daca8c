"""Annotating figures: mouse release to the record committed and shown, and the frame time while
drawing an ink stroke, over a page that has 1,000 annotations in the layer.

Runs the real window offscreen (``QT_QPA_PLATFORM=offscreen``) with real mouse events sent to
the page view, prints the figures and writes ``bench/results/annotate.json``. Run with
``make bench``.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QDockWidget
from viewer_kit import annotations, text_pdf, wait_until  # bench/, on the path as a script

from reviewer_app.engine import LayerEngine
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow

RESULTS = Path(__file__).with_name("results")
USER = "Bench"
REPEATS = 30
STROKE_MOVES = 240  # mouse moves in the timed ink stroke
FRAME_TARGET_MS = 16.0


class Paints(QObject):
    """Counts the paint events of a widget."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def send(window: MainWindow, kind: QEvent.Type, page_point: tuple[float, float]) -> None:
    """A mouse event at a point of page 0 (Instant points), as the window system sends it."""
    view, viewport = window.view, window.view.viewport()
    at = view.mapFromScene(view.pages[0].space.mapToScene(QPointF(*page_point)))
    left = Qt.MouseButton.LeftButton
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else left
    held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else left
    event = QMouseEvent(
        kind,
        QPointF(at),
        QPointF(viewport.mapToGlobal(QPoint(at))),
        button,
        held,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


def figures_of(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95)] * 1000, 2),
        "worst_ms": round(ordered[-1] * 1000, 2),
    }


def release_to_record(window: MainWindow, tool: str, paints: Paints) -> dict[str, Any]:
    """Draw REPEATS shapes with ``tool``; time each from the release to the record in the
    engine (its transaction over) and to the view painted with it (shown: the events the
    release posted processed until the viewport painted)."""
    window.tools.choose(tool)
    committed: list[float] = []
    engine, create = window.engine, window.engine.create_records

    def timed_create(*args: Any, **kwargs: Any) -> Any:
        change = create(*args, **kwargs)
        committed.append(time.perf_counter())  # the transaction is over: the record is there
        return change

    engine.create_records = timed_create  # type: ignore[method-assign]
    to_commit, to_shown = [], []
    for i in range(REPEATS):
        x, y = 40 + (i % 6) * 55, 60 + (i // 6) * 90
        path = [(x + t * 4, y + 30 * math.sin(t / 3)) for t in range(12)]
        send(window, QEvent.Type.MouseButtonPress, path[0])
        for point in path[1:]:
            send(window, QEvent.Type.MouseMove, point)
        QApplication.processEvents()
        committed.clear()
        painted = paints.count
        started = time.perf_counter()
        send(window, QEvent.Type.MouseButtonRelease, path[-1])
        while paints.count == painted and time.perf_counter() - started < 1.0:
            QApplication.processEvents()
        shown = time.perf_counter()
        if len(committed) != 1:
            raise RuntimeError(f"{tool}: the release committed {len(committed)} changes")
        to_commit.append(committed[0] - started)
        to_shown.append(shown - started)
        QApplication.processEvents()
    del engine.create_records  # the class's method again
    return {
        "repeats": REPEATS,
        "to_committed": figures_of(to_commit),
        "to_shown": figures_of(to_shown),
    }


def ink_frames(window: MainWindow, paints: Paints) -> dict[str, Any]:
    """One ink stroke of STROKE_MOVES moves; each move timed until the view has repainted what
    it changed (the events it posted processed), then the same with a full viewport repaint."""
    window.tools.choose("ink")
    result: dict[str, Any] = {"moves": STROKE_MOVES, "target_ms": FRAME_TARGET_MS}
    for how in ("dirty_region", "full_viewport"):
        path = [(30 + t * 1.4, 300 + 120 * math.sin(t / 25)) for t in range(STROKE_MOVES + 1)]
        send(window, QEvent.Type.MouseButtonPress, path[0])
        QApplication.processEvents()
        frames, painted = [], paints.count
        for point in path[1:]:
            started = time.perf_counter()
            send(window, QEvent.Type.MouseMove, point)
            if how == "full_viewport":
                window.view.viewport().repaint()
            else:
                QApplication.processEvents()
            frames.append(time.perf_counter() - started)
        result[how] = figures_of(frames) | {"paints": paints.count - painted}
        send(window, QEvent.Type.MouseButtonRelease, path[-1])
        QApplication.processEvents()
    return result


def prepare(window: MainWindow, engine: LayerEngine, path: Path) -> None:
    window.open_file(path)
    wait_until(lambda: window.document is not None, 60)
    assert window.document is not None
    for dock in window.findChildren(QDockWidget):
        dock.hide()  # the page view takes the window, as when annotating
    engine.create_records(window.document.id, USER, "annotation", list(annotations(1000, 0)))
    window.view.set_zoom(1.0)
    window.view.go_to_page(0)
    window.set_layer(USER)
    wait_until(lambda: 0 in window.view.rendered_pages, 10)
    wait_until(lambda: False, 0.3)


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder, LayerEngine(Path(folder) / "data") as engine:
        tmp = Path(folder)
        settings = ViewerSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
        settings.set_user_name(USER)
        window = MainWindow(engine, settings)
        window.resize(1200, 900)
        window.show()
        paints = Paints()
        window.view.viewport().installEventFilter(paints)
        figures: dict[str, Any] = {"platform": app.platformName()}
        try:
            prepare(window, engine, text_pdf(tmp / "doc.pdf", 5))
            figures["annotations_on_page"] = window.overlay.record_count(0)
            for tool in ("rectangle", "ink"):
                figures[f"release_to_record_{tool}"] = release_to_record(window, tool, paints)
                print(f"release_to_record_{tool}: {figures[f'release_to_record_{tool}']}")
            figures["ink_stroke_frames"] = ink_frames(window, paints)
            print(f"ink_stroke_frames: {figures['ink_stroke_frames']}", flush=True)
        finally:
            window.close()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "annotate.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"wrote {RESULTS / 'annotate.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
