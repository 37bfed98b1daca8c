"""The object parser and property conversions behind extraction, on edge cases."""

from __future__ import annotations

import pytest

from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.annotations import parse_da
from reviewer_app.pdf.objects import Name, Ref, parse_object, text_string
from reviewer_app.pdf.properties import color_hex, iso_date
from tests.pdf.builders import PdfWriter, annot


def test_parse_dictionary_with_every_kind_of_value() -> None:
    text = "<</A 1/B -2.5/C .5/D true/E null/F 3 0 R/G[1 [2]]/H<</I/J#20K>>/L(x\\)y)/M<41 4>>>"
    assert parse_object(text) == {
        "A": 1,
        "B": -2.5,
        "C": 0.5,
        "D": True,
        "E": None,
        "F": Ref(3, 0),
        "G": [1, [2]],
        "H": {"I": Name("J K")},
        "L": b"x)y",
        "M": b"A@",
    }


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("(a(b)c)", b"a(b)c"),
        ("(tab\\there)", b"tab\there"),
        ("(\\101\\102C)", b"ABC"),
        ("(line\\\ncontinued)", b"linecontinued"),
        ("(\\\\)", b"\\"),
    ],
)
def test_literal_strings(literal: str, expected: bytes) -> None:
    assert parse_object(literal) == expected


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"\xfe\xff\x00A\x00\xe9", "Aé"),
        (b"\xef\xbb\xbfA\xc3\xa9", "Aé"),
        (b"caf\xe9 \x80 \xa0", "café • €"),
    ],
)
def test_text_strings(raw: bytes, text: str) -> None:
    assert text_string(raw) == text


@pytest.mark.parametrize(
    ("pdf_date", "iso"),
    [
        ("D:20240101100000Z", "2024-01-01T10:00:00Z"),
        ("D:20240101100000+02'00'", "2024-01-01T08:00:00Z"),
        ("D:20240101100000-05'30", "2024-01-01T15:30:00Z"),
        ("D:20240101", "2024-01-01T00:00:00Z"),
        ("20240101100000", "2024-01-01T10:00:00Z"),
        ("D:20241301", None),
        ("yesterday", None),
        (None, None),
    ],
)
def test_dates(pdf_date: str | None, iso: str | None) -> None:
    assert iso_date(pdf_date) == iso


@pytest.mark.parametrize(
    ("components", "hex_color"),
    [
        ([1, 0, 0], "#ff0000"),
        ([0.5], "#808080"),
        ([0, 1, 1, 0], "#ff0000"),
        ([0, 0, 0, 1], "#000000"),
        ([], None),
        ([1, 2], None),
        (None, None),
    ],
)
def test_colors(components: list[float] | None, hex_color: str | None) -> None:
    assert color_hex(components) == hex_color


def test_default_appearance() -> None:
    assert parse_da("/Helv 12 Tf 1 0 0 rg") == ("Helv", 12.0, "#ff0000")
    assert parse_da("0.5 g /Cour 9.5 Tf") == ("Cour", 9.5, "#808080")
    assert parse_da("") == (None, None, None)


def test_malformed_annotations_do_not_crash() -> None:
    writer = PdfWriter()
    not_a_dict = writer.add("42")
    no_subtype = writer.add("<< /Type /Annot /Rect [0 0 10 10] >>")
    no_rect = writer.add("<< /Type /Annot /Subtype /Square >>")
    writer.page([annot("Square", "[1 2 3]")], refs=[not_a_dict, no_subtype, no_rect, 999])
    extraction = extract_base_layer(writer.tobytes())
    # MuPDF lists only dictionaries with a /Subtype; those without a usable /Rect get an empty box.
    assert [r.content["bbox"] for r in extraction.records] == [[0, 792, 0, 0], [0, 792, 0, 0]]
