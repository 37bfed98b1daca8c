"""``reviewer-app import`` and ``export`` on a hostile PDF (finding 2 of issue 16): a clear
message and a non-zero exit code, where the command used to die inside MuPDF."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reviewer_app.engine import LayerEngine
from tests.pdf.builders import deep_page_tree_pdf

DEEP = deep_page_tree_pdf(70_000)


def reviewer_app(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command, in its own process."""
    command = [sys.executable, "-m", "reviewer_app", "--data-dir", str(data), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def test_importing_a_deep_page_tree_says_why_and_fails(tmp_path: Path) -> None:
    pdf = tmp_path / "deep.pdf"
    pdf.write_bytes(DEEP)
    done = reviewer_app(tmp_path / "data", "import", str(pdf))
    assert done.returncode == 1, done
    assert done.stderr.startswith("reviewer-app: error: this PDF could not be processed:")
    assert "page tree of deep.pdf is nested more than 256 levels" in done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    with LayerEngine(tmp_path / "data") as engine:
        assert engine.documents() == []
    again = reviewer_app(tmp_path / "data", "import", str(pdf))  # another command, later
    assert again.returncode == 1, again
    assert "(refused at once: this PDF was seen before)" in again.stderr
    assert "nested more than 256 levels" in (tmp_path / "data" / "refused-pdfs.txt").read_text()


def test_exporting_a_pdf_that_crashes_the_writer_says_why_and_fails(tmp_path: Path) -> None:
    with LayerEngine(tmp_path / "data") as engine:  # imported by an older version
        document = engine.add_document(DEEP, records=[], page_count=1, file_name="deep.pdf")
    out = tmp_path / "out"
    one = reviewer_app(tmp_path / "data", "export", document.id, "-o", str(out / "one.pdf"))
    assert one.returncode == 1, one
    assert "this PDF could not be processed: it crashed the PDF reader" in one.stderr
    assert "Traceback" not in one.stderr
    assert not (out / "one.pdf").exists()
    listed = reviewer_app(tmp_path / "data", "export", document.id, "-o", str(out / "two.pdf"))
    assert "refused at once" in listed.stderr  # remembered in the data folder
    layers = ["a", "b", "c", "d"]  # a folder export, written by several workers
    many = reviewer_app(
        tmp_path / "data", "export", document.id, "--layers", *layers, "-o", str(out / "all")
    )
    assert many.returncode == 1, many
    assert "this PDF could not be processed:" in many.stderr
    assert "Traceback" not in many.stderr
    assert not list((out / "all").glob("*.pdf"))
