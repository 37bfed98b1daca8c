"""The desktop app's entry point: read the command line, show the viewer, open the engine."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication
from shiboken6 import delete

from reviewer_app import __version__
from reviewer_app.ui.core.settings import APPLICATION, ORGANIZATION, ViewerSettings
from reviewer_app.ui.core.stop_signals import StopSignals
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.session.data_folder import data_folder, open_engine, refuse_known_crashers


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
    settings = ViewerSettings()
    folder = data_folder(args.data_dir, settings)
    refuse_known_crashers(folder)
    window = MainWindow(  # the first page first: the engine is opened after it, as the rest
        None, settings, staged=True, open_engine=lambda: open_engine(folder, settings)
    )
    window.show()
    if args.file is None:  # (the sample's module: only then)
        from reviewer_app.resources import sample_document

        args.file = sample_document()
    window.open_file(args.file)
    stops = StopSignals(app)  # SIGTERM, SIGHUP, Ctrl+C: the windows closed, as by a click
    try:
        code = app.exec()
        return 1 if window.engine_refused else code  # (the data folder could not be used)
    finally:
        stops.restore()
        if window.built:  # (else nothing was ever copied)
            from reviewer_app.ui.tools.clipboard import release_clipboard

            release_clipboard()
        engine = window.engine_if_open()
        delete(window)  # its parts go while Python still runs (their event filters too)
        if engine is not None:
            engine.close()
