"""Starting the desktop app (or its self-test) from the command line.

The one place outside ``reviewer_app.ui`` that reaches the UI: the command line is the
program's entry point, on top of everything. The UI is imported when it is started, so a
layer command never loads Qt."""

from __future__ import annotations

from collections.abc import Sequence


def run_gui(argv: Sequence[str]) -> int:
    """Open the app on the FILE ``argv`` names (default: the sample worksheet).

    The render worker starts first, before Qt and the window's modules are imported: it
    spends about as long importing PyMuPDF as this process spends importing the window, so
    the two imports overlap and the worker is waiting when the window asks it for the first
    page (its sizes and outline, then its tiles). No PDF sandbox worker starts before page 1
    is on screen (on two cores a third process loading PyMuPDF then delays it): the first
    import into the engine starts it. PyMuPDF itself is loaded in this process only if
    something uses it (see pdf/lazy_mupdf.py)."""
    from reviewer_app.pdf.lazy_mupdf import import_when_used
    from reviewer_app.pdf.render_pipe import prestart

    import_when_used()  # the window draws no PDF: PyMuPDF loads only if something uses it
    prestart()
    from reviewer_app.ui.app import run_app

    return run_app(argv)


def run_self_test() -> int:
    """Check headlessly that the app works (render, annotate, export); 0 when it does."""
    from reviewer_app.ui.self_test import run_self_test as self_test

    return self_test()
