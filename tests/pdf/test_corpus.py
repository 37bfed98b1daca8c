"""Every corpus file: the records and skipped annotations expected, checked against pypdf."""

from __future__ import annotations

from collections import Counter
from io import BytesIO
from pathlib import Path
from typing import Any

import pypdf
import pytest

from reviewer_app.pdf import Extraction, extract_base_layer
from tests.pdf.builders import corpus_bytes

PASSWORDS = {"crazyones-encrypted-256.pdf": "password", "encrypted-file.pdf": "test"}
FORM_TEST_VALUES: dict[str, Any] = {
    "CheckBox1": "Off",
    "Text1": "",
    "Text2": "",
    "RadioGroup1": "Off",
    "RdoS1": "Off",
    "RdoS2": "Off",
    "Combo1": "",
    "Liste1": "",
    "Liste2": [],
    "DropList1": "",
    "DropList2": "",
}
# Counted by hand from pypdf's view of each file (see _pypdf_subtypes), per record type.
EXPECTED: dict[str, tuple[int, dict[str, int], dict[str, int]]] = {
    # name: (pages, records by annotation type or "formFieldValue", skipped)
    "commented.pdf": (1, {"pspdfkit/note": 2, "pspdfkit/markup/highlight": 1}, {"Popup": 3}),
    "attachment.pdf": (1, {}, {"FileAttachment": 1}),
    "FormTestFromOo.pdf": (1, {"formFieldValue": 11}, {"Widget": 13}),
    "form_acrobatReader.pdf": (1, {"formFieldValue": 1}, {"Widget": 1}),
    "form_evince.pdf": (1, {"formFieldValue": 1}, {"Widget": 1}),
    "outline-without-title.pdf": (4, {"pspdfkit/link": 9}, {}),
    "GeoBase_NHNC1_Data_Model_UML_EN.pdf": (19, {"pspdfkit/link": 14}, {}),
    "crazyones-encrypted-256.pdf": (1, {}, {}),
    "encrypted-file.pdf": (1, {}, {}),
}


def _extract(name: str) -> Extraction:
    return extract_base_layer(corpus_bytes(name), PASSWORDS.get(name), name)


def _by_type(extraction: Extraction) -> Counter[str]:
    return Counter(
        r.content["type"] if r.kind == "annotation" else r.kind for r in extraction.records
    )


def _pypdf_reader(name: str) -> pypdf.PdfReader:
    reader = pypdf.PdfReader(BytesIO(corpus_bytes(name)))
    if reader.is_encrypted:
        reader.decrypt(PASSWORDS[name])
    return reader


def _pypdf_subtypes(reader: pypdf.PdfReader) -> Counter[str]:
    """Annotation subtypes on every page, read by pypdf (an independent PDF reader)."""
    return Counter(
        str(annot.get_object()["/Subtype"])[1:]
        for page in reader.pages
        for annot in page.get("/Annots") or []
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_counts(corpus: Path, name: str) -> None:
    pages, records, skipped = EXPECTED[name]
    extraction = _extract(name)
    assert extraction.page_count == pages == len(extraction.pages)
    assert dict(_by_type(extraction)) == records
    assert extraction.skipped == skipped
    assert not [r for r in extraction.records if r.kind == "bookmark"], "outline is not bookmarks"
    # Every annotation pypdf sees is either a record or counted as skipped.
    reader = _pypdf_reader(name)
    annotation_records = sum(1 for r in extraction.records if r.kind == "annotation")
    assert sum(_pypdf_subtypes(reader).values()) == annotation_records + sum(skipped.values())
    assert len(reader.pages) == pages
    assert extraction.title == ((reader.metadata.title if reader.metadata else None) or None)


def test_commented_notes(corpus: Path) -> None:
    extraction = _extract("commented.pdf")
    notes = [r.content for r in extraction.records if r.content["type"] == "pspdfkit/note"]
    assert [n["text"]["value"].splitlines()[0] for n in notes] == [
        "Note in second paragraph",
        'note over "kinds"',
    ]
    assert notes[1]["text"]["value"].endswith("Umlaut: äöüß")
    for content in (r.content for r in extraction.records):
        assert content["creatorName"] == "moose"
        assert content["color"] == "#ffff00"
        assert content["updatedAt"].startswith("2022-04-06T17:")
    # pypdf's raw /Rect of the first note: [270.75 596.25 294.75 620.25] on a 792 pt page.
    assert notes[0]["bbox"] == [270.75, 171.75, 24, 24]


def test_link_targets_agree_with_pypdf(corpus: Path) -> None:
    for name in ("GeoBase_NHNC1_Data_Model_UML_EN.pdf", "outline-without-title.pdf"):
        reader = _pypdf_reader(name)
        expected = {}
        for page in reader.pages:
            for ref in page.get("/Annots") or []:
                link = ref.get_object()
                action = link.get("/A") or {}
                if "/URI" in action:
                    expected[ref.idnum] = {"type": "uri", "uri": str(action["/URI"])}
                else:
                    dest = link.get("/Dest") or action["/D"]
                    if isinstance(dest, str):
                        dest = reader.named_destinations[dest]
                        index = reader.get_destination_page_number(dest)
                    else:
                        index = reader.get_page_number(dest[0].get_object())
                    expected[ref.idnum] = {"type": "goTo", "pageIndex": index}
        ours = {r.content["pdfObjectId"]: r.content["action"] for r in _extract(name).records}
        assert ours == expected


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("FormTestFromOo.pdf", FORM_TEST_VALUES),
        ("form_acrobatReader.pdf", {"foo": "Bar"}),
        ("form_evince.pdf", {"foo": "bar"}),
    ],
)
def test_corpus_form_values(corpus: Path, name: str, values: dict[str, Any]) -> None:
    records = [r for r in _extract(name).records if r.kind == "formFieldValue"]
    assert {r.id: r.content["value"] for r in records} == values
    fields = _pypdf_reader(name).get_fields() or {}
    assert set(fields) == set(values)
