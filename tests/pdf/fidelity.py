"""The fidelity check: a PDF exported through a layer must look as the PDF itself does.

For one PDF: its base layer is exported through an empty layer (editable and flattened) and
through a layer that rewrote every base annotation from its record (a new record, the PDF
object removed); each export and the PDF itself are drawn by poppler (``pdftoppm``) and by
PyMuPDF at 72 dpi, and each page is compared with the same page of the PDF as the same reader
draws it. A pixel differs when one of its channels differs by more than TOLERANCE; a file
fails when a page of an export differs in more than LIMIT of its pixels.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymupdf

from reviewer_app.instant.records import LayerExport, Record
from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export import export_layer_pdf

DPI = 72
TOLERANCE = 48  # of 255: anti-aliasing of the same drawing stays under it
LIMIT = 0.5  # per cent of a page's pixels
EXPORTS = ("editable", "flattened", "rewritten")
READERS = ("poppler", "mupdf")


@dataclass
class Row:
    """One file's result: the worst page's share of differing pixels (per cent) for each
    export and reader, the pages, the base records, and what was written instead of kept."""

    name: str
    pages: int = 0
    records: int = 0
    worst: dict[tuple[str, str], float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    error: str = ""

    def over(self, export: str, reader: str | None = None) -> bool:
        readers = READERS if reader is None else (reader,)
        return any(self.worst.get((export, r), 0.0) > LIMIT for r in readers)


def rewritten_layer(records: Iterable[Record]) -> LayerExport:
    """A layer that removed every base annotation and wrote it again from its record (with
    a new id and no PDF object: as the layer's own), keeping the form values as they are.
    Stamps stay the PDF's: their record holds their kind and words, not the design of their
    appearance (a picture, a signature, another tool's frame); a layer that changes one
    keeps that appearance when it can (see write_kept)."""
    annotations = [
        r for r in records if r.kind == "annotation" and r.content.get("type") != "pspdfkit/stamp"
    ]
    written = [
        Record(
            "annotation",
            f"rewritten-{r.id}",
            {k: v for k, v in r.content.items() if k != "pdfObjectId"},
        )
        for r in annotations
    ]
    remove = frozenset(int(r.content["pdfObjectId"]) for r in annotations)
    return LayerExport(write=tuple(written), remove_object_ids=remove, shown=tuple(written))


def exports(source: bytes, password: str | None = None) -> tuple[dict[str, bytes], Row]:
    """The three exports of ``source`` and a row with its page and record counts."""
    extraction = extract_base_layer(source, password)
    empty = LayerExport(write=(), remove_object_ids=frozenset(), shown=())
    skipped: list[Any] = []
    made = {
        "editable": export_layer_pdf(source, empty, password=password),
        "flattened": export_layer_pdf(source, empty, flatten=True, password=password),
        "rewritten": export_layer_pdf(
            source, rewritten_layer(extraction.records), password=password, skipped=skipped
        ),
    }
    row = Row("", extraction.page_count, len(extraction.records))
    row.skipped = [f"{s.kind}: {s.reason}" for s in skipped]
    return made, row


def pdftoppm() -> str:
    path = shutil.which("pdftoppm")
    if path is None:
        raise RuntimeError("pdftoppm not found: install poppler-utils")
    return path


def poppler_pages(data: bytes, password: str | None) -> list[tuple[int, int, bytes]]:
    """Every page drawn by poppler at DPI: (width, height, RGB samples)."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "file.pdf"
        pdf.write_bytes(data)
        secret = ["-upw", password] if password else []
        command = [pdftoppm(), "-r", str(DPI), "-png", *secret, str(pdf), f"{folder}/page"]
        subprocess.run(command, check=True, capture_output=True)
        pages = []
        for png in sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem[5:])):
            pix = pymupdf.Pixmap(str(png))
            if pix.n != 3:
                pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
            pages.append((pix.width, pix.height, bytes(pix.samples)))
        return pages


def mupdf_pages(data: bytes, password: str | None) -> list[tuple[int, int, bytes]]:
    """Every page drawn by PyMuPDF at DPI: (width, height, RGB samples)."""
    doc = pymupdf.open(stream=data, filetype="pdf")
    if doc.needs_pass:
        doc.authenticate(password or "")
    pages = []
    for page in doc:
        pix = page.get_pixmap(dpi=DPI, alpha=False)
        pages.append((pix.width, pix.height, bytes(pix.samples)))
    doc.close()
    return pages


def differing(a: tuple[int, int, bytes], b: tuple[int, int, bytes]) -> float:
    """The share of pixels (per cent) that differ between two renders of a page; 100 when
    their sizes differ."""
    (width, height, one), (width_b, height_b, two) = a, b
    if (width, height) != (width_b, height_b) or len(one) != len(two):
        return 100.0
    stride, count = width * 3, 0
    for top in range(0, len(one), stride):
        if one[top : top + stride] == two[top : top + stride]:
            continue
        row_a, row_b = one[top : top + stride], two[top : top + stride]
        for x in range(0, stride, 3):
            if (
                abs(row_a[x] - row_b[x]) > TOLERANCE
                or abs(row_a[x + 1] - row_b[x + 1]) > TOLERANCE
                or abs(row_a[x + 2] - row_b[x + 2]) > TOLERANCE
            ):
                count += 1
    return 100.0 * count / max(width * height, 1)


RENDER = {"poppler": poppler_pages, "mupdf": mupdf_pages}


def check(name: str, source: bytes, password: str | None = None) -> Row:
    """The fidelity row of one PDF."""
    made, row = exports(source, password)
    row.name = name
    for reader in READERS:
        render = RENDER[reader]
        original = render(source, password)
        for export, data in made.items():
            pages = render(data, password)
            if len(pages) != len(original):
                row.worst[export, reader] = 100.0
                continue
            shares = [differing(a, b) for a, b in zip(original, pages, strict=True)]
            row.worst[export, reader] = max(shares, default=0.0)
    return row


def table(rows: list[Row]) -> str:
    """The rows as a table (per cent of the worst page's pixels that differ), then totals."""
    heads = [f"{e} {r}" for e in EXPORTS for r in READERS]
    lines = [f"{'file':38} {'pages':>5} {'recs':>5} " + " ".join(f"{h:>18}" for h in heads)]
    for row in rows:
        if row.error:
            lines.append(f"{row.name:38} not checked: {row.error}")
            continue
        cells = []
        for export in EXPORTS:
            for reader in READERS:
                share = row.worst.get((export, reader), 0.0)
                cells.append(f"{share:17.3f}{'!' if share > LIMIT else ' '}")
        lines.append(f"{row.name:38} {row.pages:5} {row.records:5} " + " ".join(cells))
    lines.extend(totals(rows))
    return "\n".join(lines)


def totals(rows: list[Row]) -> list[str]:
    """The figures: files checked, and files over LIMIT per export."""
    checked = [r for r in rows if not r.error]
    out = [f"files checked: {len(checked)} (not readable: {len(rows) - len(checked)})"]
    for export in EXPORTS:
        over = [r.name for r in checked if r.over(export)]
        out.append(f"files over {LIMIT} % {export}: {len(over)} {' '.join(over)}".rstrip())
    return out
