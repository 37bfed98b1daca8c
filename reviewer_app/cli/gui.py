"""Starting the desktop app (or its self-test) from the command line.

The one place outside ``reviewer_app.ui`` that reaches the UI: the command line is the
program's entry point, on top of everything. The UI is imported when it is started, so a
layer command never loads Qt."""

from __future__ import annotations

import threading
from collections.abc import Sequence


def run_gui(argv: Sequence[str]) -> int:
    """Open the app on the FILE ``argv`` names (default: the sample worksheet).

    The render worker and a PDF worker start first, before Qt and the window's modules are
    imported: each new process spends about as long importing PyMuPDF as this one spends
    importing the window, so the two imports overlap and both workers are waiting when the
    window asks them for the first page (its outline, then its tiles). PyMuPDF itself is
    loaded in this process only if something uses it (see pdf/lazy_mupdf.py)."""
    from reviewer_app.pdf.lazy_mupdf import import_when_used
    from reviewer_app.pdf.render_pipe import prestart
    from reviewer_app.pdf.sandbox import shared_sandbox

    import_when_used()  # the window draws no PDF: PyMuPDF loads only if something uses it
    prestart()
    threading.Thread(target=shared_sandbox().start, name="start PDF worker", daemon=True).start()
    from reviewer_app.ui.app import run_app

    return run_app(argv)


def run_self_test() -> int:
    """Check headlessly that the app works (render, annotate, export); 0 when it does."""
    from reviewer_app.ui.self_test import run_self_test as self_test

    return self_test()
