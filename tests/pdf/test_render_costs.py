"""Page weights and render cost estimates: what may be rendered in the viewer's own process."""

from __future__ import annotations

import pymupdf
import pytest

from reviewer_app.pdf.render_costs import KEPT, Render, RenderCosts, Weight, page_weight


def _pages() -> pymupdf.Document:
    doc = pymupdf.open()
    doc.new_page()  # blank
    text = doc.new_page()
    for line in range(30):
        text.insert_text((72, 72 + line * 20), f"line {line} of some words", fontsize=11)
    pictured = doc.new_page()
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 200, 100), False)
    pixmap.clear_with(128)
    pictured.insert_image(pymupdf.Rect(72, 72, 272, 172), pixmap=pixmap)
    return pymupdf.open("pdf", doc.tobytes())


def test_a_pages_weight_is_its_content_bytes_and_its_images_pixels() -> None:
    doc = _pages()
    blank, text, pictured = (page_weight(doc[i]) for i in range(3))
    assert blank == Weight(0, 0)
    stored = sum(len(doc.xref_stream_raw(xref)) for xref in doc[1].get_contents())
    assert text == Weight(stored, 0) and stored > 500
    assert pictured.images == 200 * 100


def test_no_estimate_until_a_page_at_least_as_heavy_was_rendered() -> None:
    costs = RenderCosts()
    page = Weight(20_000, 0)
    assert costs.estimate(page, 1_000_000) is None
    costs.learn(Render(Weight(10_000, 0), 1_000_000, 0.004))  # lighter: says nothing
    assert costs.estimate(page, 1_000_000) is None
    costs.learn(Render(Weight(17_000, 0), 1_000_000, 0.006))  # within the slack
    assert costs.estimate(page, 1_000_000) == pytest.approx(0.006)
    assert costs.estimate(Weight(20_000, 500_000), 1_000_000) is None  # its images are new


def test_an_estimate_is_the_cheapest_known_render_scaled_up_to_more_pixels() -> None:
    costs = RenderCosts()
    costs.learn(Render(Weight(50_000, 0), 1_000_000, 0.009))
    costs.learn(Render(Weight(30_000, 0), 500_000, 0.003))
    assert costs.estimate(Weight(25_000, 0), 250_000) == pytest.approx(0.003)
    assert costs.estimate(Weight(25_000, 0), 2_000_000) == pytest.approx(0.012)
    assert costs.estimate(Weight(45_000, 0), 500_000) == pytest.approx(0.009)


def test_only_the_latest_renders_are_kept_and_weights_are_known_until_cleared() -> None:
    costs = RenderCosts()
    costs.learn(Render(Weight(90_000, 0), 1_000_000, 0.001))
    for _ in range(KEPT):
        costs.learn(Render(Weight(1_000, 0), 1_000_000, 0.002))
    assert costs.estimate(Weight(80_000, 0), 1_000_000) is None  # the heavy one was dropped
    costs.know(3, [(100, 0), None, (300, 40)])
    assert costs.weights == {3: Weight(100, 0), 5: Weight(300, 40)}
    costs.clear()
    assert not costs.weights and costs.estimate(Weight(1_000, 0), 10) is None
