"""The fidelity check (issue 17) over every PDF of ../shared/corpus and every PDF the tests
build: a layer PDF looks as the PDF itself does, to poppler and to MuPDF (see fidelity.py).
Each file prints its row; ``bench/fidelity.py`` prints the whole table and its figures."""

from __future__ import annotations

from collections.abc import Callable

import pymupdf
import pytest

from reviewer_app.resources import sample_document
from tests.conftest import CORPUS, corpus_file
from tests.pdf.cases import CASES
from tests.pdf.fidelity import LIMIT, check, table
from tests.pdf.layer_records import PAGE_SHAPES, blank_pdf, own_layer, records_for_page

PASSWORDS = {"crazyones-encrypted-256.pdf": "password", "encrypted-file.pdf": "test"}
UNREADABLE = {"random-bytes.pdf", "truncated.pdf"}  # not PDFs: refused at import, by design
READER_WRONG = {
    ("note-icons", "flattened", "poppler"): "poppler draws no icon at all for notes without "
    "an appearance named Check, Star or RightArrow (the flattened PDF shows them)",
    ("note-icons", "rewritten", "poppler"): "as flattened: the written notes carry their "
    "icons, poppler drew none for the PDF's",
}
"""(file, export, reader) over LIMIT because that reader draws the PDF itself wrongly."""


def our_types() -> bytes:
    """A PDF holding every annotation type we write, on pages of every shape: written by a
    layer export, then exported again through layers of its own."""
    from reviewer_app.pdf.export import export_layer_pdf

    records = [r for page in range(len(PAGE_SHAPES)) for r in records_for_page(page)]
    return export_layer_pdf(blank_pdf(), own_layer(records))


def forms() -> bytes:
    """The form tests' two forms (raw PDF syntax and PyMuPDF's), one after the other."""
    from tests.pdf.test_forms import _pymupdf_form, _raw_form

    out = pymupdf.open()
    for made in (_raw_form(), _pymupdf_form()):
        out.insert_pdf(pymupdf.open(stream=made, filetype="pdf"))
    return bytes(out.tobytes())


BUILT: dict[str, Callable[[], bytes]] = {
    **CASES,
    "blank pages (layer_records)": blank_pdf,
    "every type we write": our_types,
    "sample worksheet": lambda: sample_document().read_bytes(),
    "raw and PyMuPDF forms (test_forms)": forms,
}
CORPUS_FILES = sorted(p.name for p in CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []


def _check_row(name: str, source: bytes, password: str | None = None) -> None:
    row = check(name, source, password)
    print("\n" + table([row]))
    over = [
        f"{export} {reader}: {row.worst[export, reader]:.3f} %"
        for (export, reader) in row.worst
        if row.worst[export, reader] > LIMIT and (name, export, reader) not in READER_WRONG
    ]
    assert not over, f"{name} differs over {LIMIT} % of a page:\n{table([row])}"


@pytest.mark.parametrize("name", sorted(BUILT))
def test_a_pdf_the_tests_build_looks_the_same_through_a_layer(name: str) -> None:
    _check_row(name, BUILT[name]())


@pytest.mark.parametrize("name", [n for n in CORPUS_FILES if n not in UNREADABLE] or ["(none)"])
def test_a_corpus_pdf_looks_the_same_through_a_layer(name: str) -> None:
    _check_row(name, corpus_file(name).read_bytes(), PASSWORDS.get(name))
