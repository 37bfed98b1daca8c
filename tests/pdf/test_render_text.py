"""Rendering clips with or without annotations, and words / text in Instant coordinates."""

from __future__ import annotations

import pymupdf
import pytest

from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.pdf.render import page_display_list, render_clip
from reviewer_app.pdf.text import text_in_rect, words
from tests.conftest import corpus_file
from tests.pdf.layer_records import PAGE_SHAPES, blank_pdf, own_layer, records_for_page


@pytest.mark.parametrize("page", range(len(PAGE_SHAPES)))
def test_words_and_text_in_instant_coordinates(page: int) -> None:
    doc = pymupdf.open(stream=blank_pdf())
    found = words(doc, page)
    assert [w.text for w in found] == ["Hello", "layer", "world"]
    left, top, width, height = found[0].bbox
    # The text starts 72 pt right of the visible box's left edge (the crop box is 30 pt in).
    assert left == pytest.approx(42 if page == 6 else 72, abs=0.5)
    assert 0 < width < 60 and 10 < height < 25
    assert text_in_rect(doc, page, [left - 2, top - 2, 200, height + 4]) == "Hello layer world"
    assert text_in_rect(doc, page, [left - 2, top + 40, 200, height]) == ""


@pytest.mark.parametrize("page", [0, 1, 2])
def test_render_clip_hides_annotations_but_not_widgets(page: int) -> None:
    records = records_for_page(page)
    doc = pymupdf.open(stream=export_layer_pdf(blank_pdf(), own_layer(records)))
    rectangle = next(r for r in records if r.content["type"] == "pspdfkit/shape/rectangle")
    clip = tuple(rectangle.content["bbox"])
    shown = render_clip(doc, page, clip, 2.0)
    hidden = render_clip(doc, page, clip, 2.0, annotations=False)
    assert (shown.width, shown.height) == (hidden.width, hidden.height)
    expected = (160, 100) if page != 1 else (100, 160)
    assert (shown.width, shown.height) == pytest.approx(expected, abs=2)
    assert shown.samples != hidden.samples
    empty = pymupdf.open(stream=export_layer_pdf(blank_pdf(), own_layer([])))
    bare = render_clip(empty, page, clip, 2.0).samples  # the same up to anti-aliasing
    assert max(abs(a - b) for a, b in zip(hidden.samples, bare, strict=True)) <= 8
    rgba = render_clip(doc, page, clip, 1.0, alpha=True)
    assert rgba.stride == rgba.width * 4


def test_widgets_still_show_without_annotations() -> None:
    doc = pymupdf.open(corpus_file("FormTestFromOo.pdf"))
    widget = next(w for w in doc[0].widgets() if w.field_name == "Liste1")
    r = widget.rect
    hidden = render_clip(doc, 0, (r.x0, r.y0, r.width, r.height), annotations=False)
    assert set(hidden.samples) != {255}


def test_annotations_no_layer_holds_are_drawn_with_the_page() -> None:
    """A file attachment (which Instant JSON cannot express) is part of every layer's page;
    a rectangle (a layer's record, drawn by the viewer) is not."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.add_file_annot((100, 100), b"hello", "a.txt")
    page.add_rect_annot((200, 200, 300, 300))
    pixmap = page_display_list(doc[0], fields=False).get_pixmap()
    assert pixmap.pixel(110, 110) != (255, 255, 255)  # the attachment's pin
    assert pixmap.pixel(200, 250) == (255, 255, 255)  # the rectangle's edge is left out
