"""`reviewer-app --self-test`: a headless check that an installed or frozen app really works."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEventLoop,
    QMessageLogContext,
    QSettings,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from reviewer_app import __version__
from reviewer_app.engine import Document, LayerEngine
from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.resources import sample_document
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow

TIMEOUT_SECONDS = 30.0
LAYER = "self-test"
NOTE_TEXT = "Reviewer self-test note"


class StepFailed(Exception):
    """A self-test step did not do what it should; the message says what happened."""


def use_offscreen_without_display() -> None:
    """Draw offscreen when there is no display to draw on (a server, CI, a container)."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def quiet_offscreen_warnings(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    """Print Qt's messages except the offscreen platform's harmless size-hint complaint."""
    if "does not support propagateSizeHints" not in text:
        print(text, file=sys.stderr)


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = TIMEOUT_SECONDS) -> None:
    """Run the Qt event loop until ``predicate()`` holds; StepFailed after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    while not predicate():
        if time.monotonic() > deadline:
            raise StepFailed(f"timed out after {timeout:.0f} s waiting for {what}")
        QTimer.singleShot(10, loop.quit)
        loop.exec()


class SelfTest:
    """The steps, in order, sharing one temporary data folder, engine and viewer window."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.engine: LayerEngine | None = None
        self.window: MainWindow | None = None
        self.first_page: list[QImage] = []
        self.worker_errors: list[str] = []
        self.note_id = ""
        self.exported = b""

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("find resources", self.find_resources),
            ("start Qt", self.start_qt),
            ("open the sample in a viewer window", self.open_sample),
            ("render page 1", self.render_first_page),
            ("import the sample into a temporary layer engine", self.import_sample),
            ("write and read an annotation", self.write_annotation),
            ("export the layer as a PDF", self.export_layer),
            ("re-extract the exported PDF", self.reextract),
            ("close the window and the render worker", self.close_window),
        ]

    def find_resources(self) -> str:
        sample = sample_document()
        if not sample.is_file():
            raise StepFailed(f"the sample worksheet is missing ({sample})")
        return str(sample.parent)

    def start_qt(self) -> str:
        QSettings.setPath(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(self.folder / "settings")
        )
        qInstallMessageHandler(quiet_offscreen_warnings)
        app = QApplication.instance() or QApplication([sys.argv[0]])
        return f"Qt platform {QApplication.platformName() or '?'}, {type(app).__name__}"

    def open_sample(self) -> str:
        self.engine = LayerEngine(self.folder / "data")
        self.window = MainWindow(self.engine, ViewerSettings())
        self.window.client.tile_ready.connect(self._tile_ready)
        self.window.client.failed.connect(self.worker_errors.append)
        self.window.show()
        ended: list[bool] = []
        self.window.opening.opened.connect(lambda _: ended.append(True))
        self.window.opening.not_opened.connect(lambda _: ended.append(False))
        self.window.open_file(sample_document())
        wait_until(lambda: bool(ended), "the sample worksheet's pages")
        if not ended[0]:
            raise StepFailed("the viewer could not open the sample worksheet")
        return f"{self.window.view.page_count()} pages, render worker pid {self.window.client.pid}"

    def _tile_ready(self, channel: str, key: Any, image: QImage) -> None:
        if channel == "view" and key[0] == 0 and not image.isNull():
            self.first_page.append(image)

    def render_first_page(self) -> str:
        process = self._window().client.process

        def rendered() -> bool:
            if self.worker_errors:
                raise StepFailed(f"the render worker failed: {self.worker_errors[0]}")
            if process.poll() is not None:
                raise StepFailed(f"the render worker exited with code {process.returncode}")
            return bool(self.first_page)

        wait_until(rendered, "the render worker's first tile of page 1")
        image = self.first_page[0]
        return f"{image.width()}×{image.height()} px tile"

    def import_sample(self) -> str:
        window = self._window()
        wait_until(lambda: window.document is not None, "the import into the engine")
        document = self._document()
        return f"document {document.id}, {len(self._engine().records(document.id, ''))} records"

    def write_annotation(self) -> str:
        engine, document = self._engine(), self._document()
        note = {
            "v": 2,
            "type": "pspdfkit/note",
            "pageIndex": 0,
            "bbox": [72, 72, 24, 24],
            "text": {"format": "plain", "value": NOTE_TEXT},
            "icon": "comment",
            "opacity": 1,
        }
        change = engine.create_records(document.id, LAYER, "annotation", [note])
        self.note_id = change.upserted[0].id
        back = engine.record(document.id, LAYER, "annotation", self.note_id)
        if back.content.get("text", {}).get("value") != NOTE_TEXT:
            raise StepFailed(f"read back {back.content.get('text')!r}")
        return f"note {self.note_id} in layer {LAYER!r}, revision {change.revision}"

    def export_layer(self) -> str:
        engine, document = self._engine(), self._document()
        source = engine.pdf_path(document.id).read_bytes()
        self.exported = export_layer_pdf(source, engine.layer_export(document.id, LAYER))
        return f"{len(self.exported) // 1024} KiB"

    def reextract(self) -> str:
        records = extract_base_layer(self.exported, name="self-test.pdf").records
        found = [r for r in records if r.content.get("name") == self.note_id]
        if not found:
            raise StepFailed(f"note {self.note_id} is not in the exported PDF")
        text = found[0].content.get("text", {})
        if not isinstance(text, dict) or text.get("value") != NOTE_TEXT:
            raise StepFailed(f"the exported note reads {text!r}")
        return f"{len(records)} records, the note among them"

    def close_window(self) -> str:
        window = self._window()
        process = window.client.process
        window.close()
        if process.poll() is None:
            raise StepFailed(f"the render worker (pid {process.pid}) is still running")
        code = process.returncode
        return f"worker exited with code {code}" + ("" if code == 0 else " (expected 0)")

    def cleanup(self) -> None:
        """Close whatever a failed step left open."""
        if self.window is not None and self.window.isVisible():
            self.window.close()
        if self.engine is not None:
            self.engine.close()

    def _window(self) -> MainWindow:
        if self.window is None:
            raise StepFailed("no viewer window (an earlier step failed)")
        return self.window

    def _engine(self) -> LayerEngine:
        if self.engine is None:
            raise StepFailed("no layer engine (an earlier step failed)")
        return self.engine

    def _document(self) -> Document:
        document = self._window().document
        if document is None:
            raise StepFailed("the sample was not imported (an earlier step failed)")
        return document


def run_self_test() -> int:
    """Run every step, print ``ok   step (ms): detail`` per step; 0 if all pass, else 1."""
    use_offscreen_without_display()
    print(f"reviewer-app {__version__} self-test", flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="reviewer-self-test-") as folder:
        test = SelfTest(Path(folder))
        try:
            for name, step in test.steps():
                begun = time.perf_counter()
                try:
                    detail = step()
                except Exception as exc:  # a self-test reports every failure as a step
                    reason = str(exc) or type(exc).__name__
                    print(f"FAIL {name}: {reason}", flush=True)
                    return 1
                ms = (time.perf_counter() - begun) * 1000
                print(f"ok   {name} ({ms:.0f} ms): {detail}", flush=True)
        finally:
            test.cleanup()
    print(f"all steps passed in {time.perf_counter() - started:.1f} s", flush=True)
    return 0
