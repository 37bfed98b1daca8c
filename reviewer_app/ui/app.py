"""The desktop app's entry point (for now a minimal window showing a document's first page)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
)

from reviewer_app import __version__
from reviewer_app.pdf import PdfError, open_pdf
from reviewer_app.pdf.render import render_page
from reviewer_app.resources import sample_document


class FirstPageWindow(QMainWindow):
    """Shows the first page of one PDF; File > Open picks another."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Reviewer")
        self.page_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.page_label.setAccessibleName("Page view")
        scroll = QScrollArea()
        scroll.setWidget(self.page_label)
        scroll.setWidgetResizable(True)
        self.setCentralWidget(scroll)
        menu = self.menuBar().addMenu("&File")
        open_action = QAction("&Open…", self, shortcut=QKeySequence(QKeySequence.StandardKey.Open))
        open_action.triggered.connect(self.choose_file)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        menu.addAction(open_action)
        menu.addAction(quit_action)
        self.resize(760, 900)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open PDF", "", "PDF files (*.pdf)")
        if name:
            self.open_file(Path(name))

    def open_file(self, path: Path) -> bool:
        """Show ``path``'s first page; a file that cannot be shown gives a message, not a crash."""
        try:
            doc = open_pdf(path.read_bytes(), name=path.name)
            rendered = render_page(doc, 0, zoom=self.devicePixelRatioF() * 1.25)
        except (OSError, PdfError) as exc:
            QMessageBox.warning(self, "Cannot open the PDF", f"{path.name}: {exc}")
            return False
        image = QImage(
            rendered.samples,
            rendered.width,
            rendered.height,
            rendered.stride,
            QImage.Format.Format_RGB888,
        ).copy()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.page_label.setPixmap(pixmap)
        self.setWindowTitle(f"{path.name} — Reviewer")
        self.statusBar().showMessage(f"{doc.page_count} pages")
        return True


def run_app(argv: Sequence[str]) -> int:
    """Start the app on ``FILE`` (default: the bundled sample worksheet)."""
    parser = argparse.ArgumentParser(prog="reviewer-app")
    parser.add_argument("file", nargs="?", type=Path, help="a PDF to open")
    parser.add_argument("--data-dir", type=Path, help="where documents and layers live")
    args, qt_args = parser.parse_known_args(list(argv))
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Reviewer")
    app.setApplicationVersion(__version__)
    window = FirstPageWindow()
    window.open_file(args.file or sample_document())
    window.show()
    return app.exec()
