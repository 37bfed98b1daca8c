"""The desktop app's entry point: read the command line, open the engine, show the viewer."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication

from reviewer_app import __version__
from reviewer_app.app_data import default_data_dir
from reviewer_app.engine import LayerEngine
from reviewer_app.resources import sample_document
from reviewer_app.ui.core.settings import APPLICATION, ORGANIZATION
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.tools.clipboard import release_clipboard


def run_app(argv: Sequence[str]) -> int:
    """Start the app on ``FILE`` (default: the bundled sample worksheet)."""
    parser = argparse.ArgumentParser(prog="reviewer-app")
    parser.add_argument("file", nargs="?", type=Path, help="a PDF to open")
    parser.add_argument("--data-dir", type=Path, help="where documents and layers live")
    args, qt_args = parser.parse_known_args(list(argv))
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    with LayerEngine(args.data_dir or default_data_dir()) as engine:
        window = MainWindow(engine)
        window.show()
        window.open_file(args.file or sample_document())
        try:
            return app.exec()
        finally:
            release_clipboard()
