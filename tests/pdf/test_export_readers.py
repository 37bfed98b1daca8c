"""Other readers agree: pypdf parses every exported annotation, poppler (pdftoppm) draws it."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pymupdf
import pypdf
import pytest

from reviewer_app.instant.records import Record
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.pdf.geometry import page_box
from reviewer_app.resources import sample_document
from tests.conftest import corpus_file
from tests.pdf.layer_records import EMPTY, PAGE_SHAPES, blank_pdf, own_layer, records_for_page

SUBTYPES = {
    "pspdfkit/note": "/Text",
    "pspdfkit/text": "/FreeText",
    "pspdfkit/shape/line": "/Line",
    "pspdfkit/shape/rectangle": "/Square",
    "pspdfkit/shape/ellipse": "/Circle",
    "pspdfkit/shape/polygon": "/Polygon",
    "pspdfkit/shape/polyline": "/PolyLine",
    "pspdfkit/ink": "/Ink",
    "pspdfkit/markup/highlight": "/Highlight",
    "pspdfkit/markup/underline": "/Underline",
    "pspdfkit/markup/squiggly": "/Squiggly",
    "pspdfkit/markup/strikeout": "/StrikeOut",
    "pspdfkit/stamp": "/Stamp",
    "pspdfkit/link": "/Link",
    "pspdfkit/markup/redaction": "/Redact",
}
DPI = 36


def _all_records() -> list[Record]:
    return [r for page in range(len(PAGE_SHAPES)) for r in records_for_page(page)]


def test_pypdf_reads_every_annotation_with_subtype_rect_and_appearance() -> None:
    records = {r.id: r for r in _all_records()}
    data = export_layer_pdf(blank_pdf(), own_layer(list(records.values())))
    reader = pypdf.PdfReader(io.BytesIO(data))
    seen = set()
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot["/Subtype"] == "/Popup":
                continue
            record = records[str(annot["/NM"])]
            seen.add(record.id)
            assert record.content["pageIndex"] == index
            assert annot["/Subtype"] == SUBTYPES[record.content["type"]]
            rect = [float(v) for v in annot["/Rect"]]
            assert rect[2] - rect[0] == pytest.approx(record.content["bbox"][2], abs=0.5)
            assert rect[3] - rect[1] == pytest.approx(record.content["bbox"][3], abs=0.5)
            appearance = annot["/AP"]["/N"].get_object()
            assert appearance["/Subtype"] == "/Form" and "/BBox" in appearance
    assert seen == set(records)


def pdftoppm() -> str:
    """The pdftoppm executable; fails (never skips) when poppler-utils is missing."""
    path = shutil.which("pdftoppm")
    if path is None:
        pytest.fail(
            "pdftoppm not found: install poppler-utils (apt-get install poppler-utils) "
            "— `make test` does so when run as root"
        )
    return path


def poppler_render(data: bytes, page: int, tmp_path: Path, name: str) -> Any:
    """Page ``page`` (0-based) of ``data`` as drawn by poppler, loaded as a pymupdf.Pixmap."""
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(data)
    stem = tmp_path / f"{name}-{page}"
    subprocess.run(
        [
            pdftoppm(),
            "-png",
            "-r",
            str(DPI),
            "-f",
            str(page + 1),
            "-l",
            str(page + 1),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
        capture_output=True,
    )
    return pymupdf.Pixmap(str(stem) + ".png")


def region(pix: Any, doc: Any, page: int, bbox: list[float]) -> bytes:
    """The pixels of an Instant bbox in a render at DPI (the page's /Rotate applied)."""
    box = page_box(doc, page)
    w, h = box.width, box.height
    left, top, width, height = bbox
    corners = [(left, top), (left + width, top + height)]
    turn = {
        0: lambda x, y: (x, y),
        90: lambda x, y: (h - y, x),
        180: lambda x, y: (w - x, h - y),
        270: lambda x, y: (y, w - x),
    }[box.rotation]
    (x0, y0), (x1, y1) = (turn(x, y) for x, y in corners)
    scale = DPI / 72
    xs = range(int(min(x0, x1) * scale), min(pix.width, int(max(x0, x1) * scale) + 1))
    ys = range(int(min(y0, y1) * scale), min(pix.height, int(max(y0, y1) * scale) + 1))
    return b"".join(bytes(pix.pixel(x, y)) for y in ys for x in xs)


@pytest.mark.parametrize("page", [0, 1, 5])
def test_poppler_draws_every_annotation(page: int, tmp_path: Path) -> None:
    records = records_for_page(page)
    source = blank_pdf()
    editable = export_layer_pdf(source, own_layer(records))
    empty = export_layer_pdf(source, EMPTY)
    drawn = poppler_render(editable, page, tmp_path, "layer")
    blank = poppler_render(empty, page, tmp_path, "empty")
    doc = pymupdf.open(stream=editable)
    for record in records:
        bbox = record.content["bbox"]
        assert region(drawn, doc, page, bbox) != region(blank, doc, page, bbox), record.id


def _value(name: str, value: Any) -> Record:
    content = {"v": 1, "type": "pspdfkit/form-field-value", "name": name, "value": value}
    return Record("formFieldValue", name, content)


def test_poppler_shows_form_values_of_one_layer_only(tmp_path: Path) -> None:
    source = corpus_file("FormTestFromOo.pdf").read_bytes()
    alice = export_layer_pdf(
        source, own_layer([_value("Text1", "ALICE"), _value("CheckBox1", "Yes")])
    )
    bob = export_layer_pdf(source, own_layer([_value("Text1", "BOB")]))
    doc = pymupdf.open(stream=source)
    fields = {w.field_name: w.rect for w in doc[0].widgets()}
    shown_a = poppler_render(alice, 0, tmp_path, "alice")
    shown_b = poppler_render(bob, 0, tmp_path, "bob")
    for name in ("Text1", "CheckBox1"):
        r = fields[name]
        bbox = [r.x0, r.y0, r.width, r.height]
        assert region(shown_a, doc, 0, bbox) != region(shown_b, doc, 0, bbox), name
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=alice, capture_output=True, check=False
    ).stdout
    assert b"BOB" not in text


def _dark_pixels(data: bytes, rect: Any, tmp_path: Path, name: str) -> int:
    """How many dark pixels poppler draws inside ``rect`` of page 1, at 288 dpi."""
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(data)
    scale = 4
    crop = [
        int(rect.x0 * scale),
        int(rect.y0 * scale),
        int(rect.width * scale),
        int(rect.height * scale),
    ]
    args = ["-x", str(crop[0]), "-y", str(crop[1]), "-W", str(crop[2]), "-H", str(crop[3])]
    stem = tmp_path / name
    subprocess.run(
        [
            pdftoppm(),
            "-png",
            "-r",
            str(72 * scale),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            *args,
            str(pdf),
            str(stem),
        ],
        check=True,
        capture_output=True,
    )
    pix = pymupdf.Pixmap(f"{stem}.png")
    samples, n = pix.samples, pix.n
    return sum(1 for i in range(0, len(samples), n) if samples[i] < 100)


@pytest.mark.parametrize("flatten", [False, True])
def test_poppler_draws_a_ticked_check_box(tmp_path: Path, flatten: bool) -> None:
    """PyMuPDF leaves the check mark's Dingbats font with /WinAnsiEncoding and /V a string:
    poppler then draws the box empty. The export must show the tick in poppler too."""
    source = sample_document().read_bytes()
    doc = pymupdf.open(stream=source)
    page = doc[0]
    rect = next(w.rect for w in page.widgets() if w.field_name == "read_all")
    ticked = export_layer_pdf(source, own_layer([_value("read_all", "Yes")]), flatten=flatten)
    plain = export_layer_pdf(source, EMPTY, flatten=flatten)
    on = _dark_pixels(ticked, rect, tmp_path, "on")
    off = _dark_pixels(plain, rect, tmp_path, "off")
    assert on > off + 100, (on, off)
