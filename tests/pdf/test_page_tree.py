"""The page tree's depth, checked at import: deep enough for any real PDF, refused beyond."""

from __future__ import annotations

import pymupdf
import pytest

from reviewer_app.pdf import PdfRefused, extract_base_layer
from reviewer_app.pdf.page_tree import MAX_DEPTH, page_tree_depth
from tests.pdf.builders import PdfWriter, deep_page_tree_pdf


def depth(data: bytes) -> int:
    with pymupdf.open(stream=data) as doc:
        return page_tree_depth(doc)


def test_the_depth_counts_the_steps_from_the_deepest_page_to_the_root() -> None:
    flat = PdfWriter()
    for _ in range(3):
        flat.page()
    assert depth(flat.tobytes()) == 1
    assert depth(deep_page_tree_pdf(5)) == 5
    assert depth(deep_page_tree_pdf(MAX_DEPTH + 40)) == MAX_DEPTH + 1  # it stops counting


def test_a_page_tree_at_the_limit_imports_and_one_past_it_is_refused() -> None:
    assert extract_base_layer(deep_page_tree_pdf(MAX_DEPTH)).page_count == 1
    with pytest.raises(PdfRefused, match="nested more than 256 levels"):
        extract_base_layer(deep_page_tree_pdf(MAX_DEPTH + 1), name="deep.pdf")
