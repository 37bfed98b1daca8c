"""Flattened layer PDFs burn in what shows on screen: not what is hidden or never viewed, what
shows but does not print only on screen, notes with their own icons; and they say which
links they drop (issue 17, finding 7)."""

from __future__ import annotations

from typing import Any

import pymupdf
import pytest

from reviewer_app.instant.records import LayerExport, Record
from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.export import DROPPED_LINK, Skipped, export_layer_pdf
from reviewer_app.pdf.render import print_pixmap
from tests.pdf.cases import hidden, links, note_icons
from tests.pdf.layer_records import EMPTY, blank_pdf, own_layer

RED, BLUE, GREEN = (255, 0, 0), (0, 0, 255), (0, 153, 0)
HIDDEN_AT, NO_VIEW_AT, NO_PRINT_AT = (100, 272), (200, 272), (300, 272)  # pixels, at 72 dpi


def _pixel(pix: Any, at: tuple[int, int]) -> tuple[int, ...]:
    return tuple(pix.pixel(*at)[:3])


def test_only_what_shows_on_screen_is_burned_in() -> None:
    source = hidden()
    data = export_layer_pdf(source, EMPTY, flatten=True)
    page = pymupdf.open(stream=data)[0]
    shown = page.get_pixmap(dpi=72)
    assert _pixel(shown, HIDDEN_AT) == (255, 255, 255)  # /F 2: hidden
    assert _pixel(shown, NO_VIEW_AT) == (255, 255, 255)  # /F 32: never viewed
    assert _pixel(shown, NO_PRINT_AT) == GREEN  # shows on screen, is not printed
    assert "secret answer" not in page.get_text()  # a field never shown on screen
    assert _pixel(print_pixmap(page, 72), NO_PRINT_AT) == (255, 255, 255)
    assert _pixel(print_pixmap(pymupdf.open(stream=source)[0], 72), NO_PRINT_AT) == (255,) * 3


def test_printing_the_layer_pdf_itself_honours_the_print_flags() -> None:
    page = pymupdf.open(stream=export_layer_pdf(hidden(), EMPTY))[0]
    assert _pixel(page.get_pixmap(dpi=72), NO_PRINT_AT) == GREEN
    assert _pixel(print_pixmap(page, 72), NO_PRINT_AT) == (255, 255, 255)


def test_flattening_says_which_links_it_drops() -> None:
    source = links()
    base = extract_base_layer(source).records
    own = Record(
        "annotation",
        "my-link",
        {
            "v": 2,
            "type": "pspdfkit/link",
            "pageIndex": 0,
            "bbox": [60, 300, 100, 20],
            "action": {"type": "uri", "uri": "https://example.com/"},
        },
    )
    layer = LayerExport(write=(own,), remove_object_ids=frozenset(), shown=(*base, own))
    skipped: list[Skipped] = []
    data = export_layer_pdf(source, layer, flatten=True, skipped=skipped)
    assert sorted(s.record_id for s in skipped) == sorted([r.id for r in base] + ["my-link"])
    assert {s.reason for s in skipped} == {DROPPED_LINK}
    assert pymupdf.open(stream=data)[0].get_links() == []
    editable: list[Skipped] = []
    export_layer_pdf(source, layer, skipped=editable)
    assert editable == []


def _icon(page: Any, rect: tuple[float, float, float, float]) -> bytes:
    return bytes(page.get_pixmap(dpi=144, clip=pymupdf.Rect(rect)).samples)


ICONS = ["Comment", "Key", "Help", "Check", "Circle", "Cross", "Star", "RightArrow"]


def test_flattened_notes_keep_their_icons() -> None:
    """MuPDF draws a star for six of the icons; each keeps its own, and a note with an
    appearance of its own keeps that."""
    page = pymupdf.open(stream=export_layer_pdf(note_icons(), EMPTY, flatten=True))[0]
    drawn = [_icon(page, (60 + 50 * n, 172, 80 + 50 * n, 192)) for n in range(len(ICONS))]
    assert len(set(drawn)) == len(ICONS)
    disc = page.get_pixmap(dpi=72, clip=pymupdf.Rect(60, 252, 80, 272))
    assert _pixel(disc, (10, 10)) == (0, 153, 76)  # its own green disc


@pytest.mark.parametrize("flatten", [False, True])
def test_written_notes_draw_their_own_icons(flatten: bool) -> None:
    records = [
        Record(
            "annotation",
            f"note-{icon}",
            {
                "v": 2,
                "type": "pspdfkit/note",
                "pageIndex": 0,
                "bbox": [40 + 40 * n, 40, 24, 24],
                "icon": icon,
                "color": "#ffd400",
                "text": {"format": "plain", "value": icon},
            },
        )
        for n, icon in enumerate(["check", "circle", "cross", "star", "rightArrow", "rightPointer"])
    ]
    data = export_layer_pdf(blank_pdf(text=False), own_layer(records), flatten=flatten)
    page = pymupdf.open(stream=data)[0]
    drawn = {_icon(page, (40 + 40 * n, 40, 64 + 40 * n, 64)) for n in range(len(records))}
    assert len(drawn) == len(records)
    if not flatten:
        back = {r.content["name"]: r.content["icon"] for r in extract_base_layer(data).records}
        assert back == {r.id: r.content["icon"] for r in records}
