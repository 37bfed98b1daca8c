"""PyMuPDF loaded on first use in the app's window process (reviewer_app.pdf.lazy_mupdf): the
window's modules import without loading it, and it works when something does use it, from
several threads at once too. Each check runs in a new interpreter (a module is loaded once)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def run(code: str) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_window_and_the_command_line_import_without_loading_pymupdf() -> None:
    out = run(
        """
        from reviewer_app.pdf import lazy_mupdf
        lazy_mupdf.import_when_used()
        import reviewer_app.cli, reviewer_app.ui.app, reviewer_app.ui.main_window
        import reviewer_app.pdf.jobs, reviewer_app.pdf.export, reviewer_app.importing
        print("loaded", lazy_mupdf.loaded())
        """
    )
    assert out.split() == ["loaded", "False"]


def test_pymupdf_works_once_used_and_its_errors_are_caught() -> None:
    out = run(
        """
        from reviewer_app.pdf import lazy_mupdf
        lazy_mupdf.import_when_used()
        from reviewer_app.pdf import BrokenPdf, open_pdf
        from reviewer_app.pdf.outline import outline
        import pymupdf
        doc = pymupdf.open()
        doc.new_page(width=200, height=300)
        data = doc.tobytes()
        print("loaded", lazy_mupdf.loaded())
        print("sizes", outline(data, None, "made.pdf")[0])
        try:
            open_pdf(b"%PDF-1.7 not really", None, "broken.pdf")
        except BrokenPdf as exc:
            print("broken", type(exc).__name__)
        """
    )
    assert "loaded True" in out and "sizes [(200.0, 300.0)]" in out and "broken BrokenPdf" in out


def test_threads_using_it_first_at_once_all_get_it_whole() -> None:
    out = run(
        """
        import threading
        from reviewer_app.pdf import lazy_mupdf
        lazy_mupdf.import_when_used()
        import pymupdf
        results, start = [], threading.Barrier(4)

        def use():
            start.wait()
            made = pymupdf.Matrix(2, 2).a, pymupdf.mupdf.fz_scale(2, 2).a
            results.append((*made, pymupdf.version[0]))

        threads = [threading.Thread(target=use) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(len(results), len(set(results)), lazy_mupdf.loaded())
        """
    )
    assert out.split() == ["4", "1", "True"]
