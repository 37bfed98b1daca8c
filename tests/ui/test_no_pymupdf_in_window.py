"""Issue 16's rule for the app: the window's process never opens a user's PDF with PyMuPDF.
Pages are drawn by the render worker, page sizes and outlines read by the PDF sandbox, exports
and prints made in child processes. Checked on the UI modules' imports: none imports PyMuPDF,
and the PDF package's functions that open a PDF are imported only by what runs elsewhere."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "reviewer_app" / "ui"
OPENS_A_PDF = {
    "open_pdf",
    "render_page",
    "render_clip",
    "print_pixmap",
    "export_layer_pdf",
    "export_layers",
    "extract_base_layer",
}
ELSEWHERE = {
    ("export/printing.py", "render_in_child"),  # the print child process
    ("export/run.py", "export_in_child"),  # the export child process
    ("self_test.py", None),  # the frozen app's self-test, on a PDF it made itself
}


def breaches(path: Path, name: str) -> list[str]:
    """Where module ``name`` (relative to ui/) could open a PDF in the window's process."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            inside = child.name if isinstance(child, ast.FunctionDef) else function
            allowed = (name, None) in ELSEWHERE or (name, inside) in ELSEWHERE
            if isinstance(child, ast.Import):
                found.extend(a.name for a in child.names if a.name in ("pymupdf", "fitz"))
            elif isinstance(child, ast.ImportFrom) and child.module and not allowed:
                if child.module.split(".")[0] in ("pymupdf", "fitz"):
                    found.append(child.module)
                elif child.module.startswith(("reviewer_app.pdf", "reviewer_app.xfdf")):
                    opens = [a.name for a in child.names if a.name in OPENS_A_PDF]
                    found.extend(f"{child.module}.{n} (line {child.lineno})" for n in opens)
            visit(child, inside)

    visit(tree, None)
    return found


def test_the_window_process_leaves_pymupdf_to_workers() -> None:
    found = {
        str(p.relative_to(UI)): b
        for p in sorted(UI.rglob("*.py"))
        if (b := breaches(p, str(p.relative_to(UI))))
    }
    assert found == {}


def test_the_rule_sees_a_pdf_opened_here(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import pymupdf\n"
        "def show(path):\n    from reviewer_app.pdf.open import open_pdf\n    open_pdf(path)\n"
        "def render_in_child(r):\n    from reviewer_app.pdf.render import print_pixmap\n",
        encoding="utf-8",
    )
    assert breaches(bad, "bad.py") == [
        "pymupdf",
        "reviewer_app.pdf.open.open_pdf (line 3)",
        "reviewer_app.pdf.render.print_pixmap (line 6)",  # only export/printing.py's may
    ]
