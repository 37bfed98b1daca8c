"""What a page costs to render, learned from the renders done so far, before rendering it.

PyMuPDF holds the GIL while it renders, so the viewer may only render in its own process what
is sure to be quick. A page's *weight* (its content stream bytes and its images' pixels) is
cheap to read; a page no heavier than one already rendered quickly, over no more pixels, is
taken to cost no more than that render did. A page heavier than every cheap one seen is not
guessed at: it has no estimate.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import pymupdf

_mupdf: Any = pymupdf

SLACK = 1.25  # a page up to this much heavier than a known one is taken to cost the same
CONTENT_FLOOR = 2048  # bytes of content: below this, any known page is as heavy
IMAGE_FLOOR = 65_536  # pixels of images: below this, any known page is as heavy
KEPT = 32  # renders remembered (the most recent: estimates read them all)


@dataclass(frozen=True)
class Weight:
    """A page's content stream bytes (as stored) and the pixels of the images it draws."""

    content: int
    images: int

    def within(self, known: Weight) -> bool:
        """No heavier than ``known`` (within SLACK and the floors)."""
        return self.content <= max(known.content * SLACK, CONTENT_FLOOR) and self.images <= max(
            known.images * SLACK, IMAGE_FLOOR
        )


def page_weight(page: Any) -> Weight:
    """The weight of a ``pymupdf.Page`` (a fraction of a millisecond: the objects it reads are
    the ones a render reads first anyway)."""
    mu = _mupdf.mupdf
    fz_page = page.this.super() if hasattr(page.this, "super") else page.this
    contents = mu.pdf_page_contents(mu.pdf_page_from_fz_page(fz_page))
    if mu.pdf_is_array(contents):
        streams = [mu.pdf_array_get(contents, i) for i in range(mu.pdf_array_len(contents))]
    else:
        streams = [contents]
    length = mu.PDF_ENUM_NAME_Length
    content = sum(max(0, mu.pdf_to_int(mu.pdf_dict_get(s, length))) for s in streams)
    images = sum(max(0, w) * max(0, h) for _, _, w, h, *_ in page.get_images(full=False))
    return Weight(content, images)


@dataclass(frozen=True)
class Render:
    """One render seen: the page's weight, the pixels drawn and the seconds it took (cold: the
    page was not loaded or listed before)."""

    weight: Weight
    pixels: int
    seconds: float


class RenderCosts:
    """The last KEPT cold renders of one document, and estimates drawn from them."""

    def __init__(self) -> None:
        self.renders: deque[Render] = deque(maxlen=KEPT)
        self.weights: dict[int, Weight] = {}  # pages weighed ahead (by the render server)

    def know(self, first: int, weights: list[tuple[int, int] | None]) -> None:
        """Pages ``first``, ``first + 1``... weigh ``weights`` (None: unknown)."""
        for index, weight in enumerate(weights, first):
            if weight is not None:
                self.weights[index] = Weight(*weight)

    def learn(self, render: Render) -> None:
        if render.pixels > 0 and render.seconds >= 0:
            self.renders.append(render)

    def clear(self) -> None:
        self.renders.clear()
        self.weights.clear()

    def estimate(self, weight: Weight, pixels: int) -> float | None:
        """Seconds to render ``pixels`` of a page of ``weight``: the cheapest known render of a
        page at least as heavy, scaled up if it drew fewer pixels; None if none is known."""
        best: float | None = None
        for known in self.renders:
            if weight.within(known.weight):
                seconds = known.seconds * max(1.0, pixels / known.pixels)
                best = seconds if best is None else min(best, seconds)
        return best
