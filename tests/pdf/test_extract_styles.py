"""What other tools put where our first reader did not look: a free text's style in /DS and
/RC, blend modes (the annotation's /BM or its appearance's), link borders (issue 17, findings
6 and 7); and those survive a layer PDF."""

from __future__ import annotations

from typing import Any

import pymupdf

from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.pdf.rich_text import rich_text, style_of
from tests.pdf.cases import blend_modes, links, rich_free_text
from tests.pdf.fidelity import rewritten_layer


def _contents(data: bytes) -> list[dict[str, Any]]:
    return [r.content for r in extract_base_layer(data).records]


def test_free_text_takes_its_style_from_ds_and_rc() -> None:
    first, second = _contents(rich_free_text())
    assert first["text"]["value"] == "Check this step"
    assert (first["fontSize"], first["fontColor"], first["horizontalAlign"]) == (
        16,
        "#e52237",
        "center",
    )
    assert first["font"] == "Helvetica" and first["fontStyle"] == ["bold"]
    assert second["text"]["value"] == "Well argued,\nsee p. 4"  # a \r broke the line
    assert (second["fontSize"], second["fontColor"], second["horizontalAlign"]) == (
        11,
        "#008000",
        "right",
    )


def test_css_as_acrobat_and_browsers_write_it() -> None:
    assert style_of(
        "font: italic bold 12px/14px 'Times New Roman', serif; color: rgb(0,0,255)"
    ) == {
        "fontSize": 9.0,
        "font": "Times",
        "fontColor": "#0000ff",
        "fontStyle": ["bold", "italic"],
    }
    assert style_of("font-family: Courier; font-size: 10pt; text-align: justify; color:#abc") == {
        "font": "Courier",
        "fontSize": 10.0,
        "horizontalAlign": "left",
        "fontColor": "#aabbcc",
    }
    words, style = rich_text(
        '<body style="color:#ff0000;font-size:9pt"><p>Red <span style="color:#00f">blue</span>'
        "</p><p>second&amp;last</p></body>"
    )
    assert words == "Red blue\nsecond&last" and style == {"fontColor": "#ff0000", "fontSize": 9.0}


def test_blend_modes_are_read_from_the_annotation_or_its_appearance() -> None:
    highlight, square = _contents(blend_modes())
    assert highlight["blendMode"] == "multiply"  # in its appearance's ExtGState
    assert square["blendMode"] == "multiply"  # the annotation's own /BM
    data = export_layer_pdf(
        blend_modes(), rewritten_layer(extract_base_layer(blend_modes()).records)
    )
    assert [c["blendMode"] for c in _contents(data)] == ["multiply", "multiply"]


def test_link_borders_are_read_and_written() -> None:
    solid, dashed, none = _contents(links())
    assert (solid["borderWidth"], solid["borderColor"]) == (2, "#ff0000")
    assert "borderStyle" not in solid
    assert (dashed["borderWidth"], dashed["borderStyle"]) == (1, "dashed")
    assert "borderWidth" not in none
    data = export_layer_pdf(links(), rewritten_layer(extract_base_layer(links()).records))
    back = _contents(data)
    assert [c.get("borderWidth") for c in back] == [2, 1, None]
    assert [c.get("borderStyle") for c in back] == [None, "dashed", None]


def test_a_rewritten_free_text_shows_its_style() -> None:
    source = rich_free_text()
    data = export_layer_pdf(source, rewritten_layer(extract_base_layer(source).records))
    first = _contents(data)[0]
    assert (first["fontSize"], first["fontColor"], first["horizontalAlign"]) == (
        16,
        "#e52237",
        "center",
    )
    page = pymupdf.open(stream=data)[0]
    reds = [
        span
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        if span["text"].strip() == "Check this step"
    ]
    assert reds and reds[0]["color"] == 0xE52237 and round(reds[0]["size"]) == 16
