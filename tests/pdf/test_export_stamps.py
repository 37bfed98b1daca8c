"""Stamps in layer PDFs say their own words: /Contents is the stamp's, never MuPDF's "Approved"."""

from __future__ import annotations

import io
from typing import Any

import pypdf

from reviewer_app.instant.records import Record
from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export import export_layer_pdf
from tests.pdf.layer_records import blank_pdf, own_layer


def stamp_record(n: int, **fields: Any) -> Record:
    content = {
        "v": 2,
        "type": "pspdfkit/stamp",
        "pageIndex": 0,
        "bbox": [40, 40 + 60 * n, 150, 48],
        "opacity": 1,
        **fields,
    }
    return Record("annotation", f"stamp-{n}", content)


# (the record's stampType and title as the stamp tool writes them, its /Name, its /Contents)
KINDS = [
    ("Approved", "", "/Approved", "Approved"),
    ("NotApproved", "Rejected", "/NotApproved", "Rejected"),  # the menu's "Rejected"
    ("Accepted", "", "/Accepted", "Accepted"),  # the check mark
    ("Rejected", "", "/Rejected", "Rejected"),  # the cross
    ("Custom", "Well done, Dana!", "/Well#20done,#20Dana!", "Well done, Dana!"),
    ("InitialHere", "", "/InitialHere", "Initial Here"),
    ("Custom", "", "/Custom", "Custom"),
]


def test_each_stamp_kind_has_its_own_contents() -> None:
    records = [
        stamp_record(n, stampType=kind, title=title) for n, (kind, title, _, _) in enumerate(KINDS)
    ]
    data = export_layer_pdf(blank_pdf(), own_layer(records))
    reader = pypdf.PdfReader(io.BytesIO(data))
    annots = {str(a["/NM"]): a for a in (r.get_object() for r in reader.pages[0]["/Annots"])}
    for n, (_, _, name, words) in enumerate(KINDS):
        annot = annots[f"stamp-{n}"]
        assert annot["/Contents"] == words, (KINDS[n], annot["/Contents"])
        assert annot["/Name"] == name.replace("#20", " ")
    back = {r.id: r.content for r in _by_name(data)}
    assert back["stamp-3"]["stampType"] == "Rejected"  # the cross reads back as a cross
    assert back["stamp-4"]["title"] == "Well done, Dana!"


def test_a_stamp_with_a_note_keeps_the_note_as_contents() -> None:
    record = stamp_record(0, stampType="Rejected", note="Show your working")
    data = export_layer_pdf(blank_pdf(), own_layer([record]))
    annot = pypdf.PdfReader(io.BytesIO(data)).pages[0]["/Annots"][0].get_object()
    assert annot["/Contents"] == "Show your working"


def _by_name(data: bytes) -> list[Record]:
    """The exported annotations read back, each under its record id (/NM)."""
    return [
        Record("annotation", str(r.content["name"]), r.content)
        for r in extract_base_layer(data).records
        if "name" in r.content
    ]
