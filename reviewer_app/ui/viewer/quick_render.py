"""Quick renders in the viewer's own process: the visible part of a page the render server has
not drawn yet, when the renders seen so far say it takes a few milliseconds.

PyMuPDF holds the GIL while it renders, so a render here blocks the UI thread for as long as
it takes. It is done only when ``RenderCosts`` knows a page at least as heavy that rendered
within BUDGET; anything else waits for the render server. What it saves is the round trip: a
jump to a far page shows sharp in the time PyMuPDF takes to draw its visible part, plus one
paint.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

import pymupdf
from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QImage

from reviewer_app.pdf.render_costs import RenderCosts, page_weight
from reviewer_app.pdf.tile_pixels import draw_into, page_runner
from reviewer_app.ui.viewer.render_cache import Patch

_mupdf: Any = pymupdf
BUDGET = 0.008  # seconds a quick render may be estimated to block the UI thread
_log = logging.getLogger(__name__)


class QuickRender:
    """Its own handle on the shown PDF (read from the file as needed) and a blank image the
    size of the viewport, its memory touched ahead, to draw the next patch into."""

    def __init__(self, costs: RenderCosts) -> None:
        self.costs = costs
        self.doc: Any = None
        self.spare: QImage | None = None

    def open(self, path: Path, password: str | None) -> None:
        self.close()
        try:
            doc = _mupdf.open(str(path), filetype="pdf")
            if doc.needs_pass and not doc.authenticate(password or ""):
                doc.close()
                return
        except Exception as exc:  # MuPDF raises several types; the render server reports them
            _log.info("no quick renders of %s: %s", path, exc)
            return
        self.doc = doc

    def close(self) -> None:
        if self.doc is not None:
            self.doc.close()
        self.doc = None

    def prepare(self, width: int, height: int) -> None:
        """Have a blank image of at least ``width`` x ``height`` pixels ready."""
        spare = self.spare
        if spare is None or spare.width() < width or spare.height() < height:
            spare = QImage(max(width, 1), max(height, 1), QImage.Format.Format_RGB32)
            spare.fill(0xFFFFFFFF)  # touch the memory now, not on the way to the screen
            self.spare = spare

    def _take(self, width: int, height: int) -> QImage:
        self.prepare(width, height)
        image, self.spare = self.spare, None
        assert image is not None
        return image

    def render(self, index: int, scale: float, clip: QRectF) -> Patch | None:
        """``clip`` (points of the page as it shows) of page ``index`` at ``scale``, if that is
        sure to be quick; else None."""
        if self.doc is None or not 0 <= index < self.doc.page_count:
            return None
        left, top = math.floor(clip.left() * scale), math.floor(clip.top() * scale)
        right, bottom = math.ceil(clip.right() * scale), math.ceil(clip.bottom() * scale)
        width, height = right - left, bottom - top
        try:
            page, weight = None, self.costs.weights.get(index)
            if weight is None:  # not weighed by the render server yet
                page = self.doc[index]
                weight = page_weight(page)
            seconds = self.costs.estimate(weight, width * height)
            if seconds is None or seconds > BUDGET:
                return None  # (a refusal costs no page load once the pages are weighed)
            run, bounds = page_runner(page or self.doc[index])
            x0, y0 = bounds.x0, bounds.y0  # the page's own origin, as tiles are drawn
            area = (x0 + left / scale, y0 + top / scale, x0 + right / scale, y0 + bottom / scale)
            image = self._take(width, height)
            drawn = draw_into(run, area, scale, image.bits(), image.bytesPerLine())
        except Exception as exc:  # a damaged page: the render server says what is wrong
            _log.info("quick render of page %d failed: %s", index + 1, exc)
            return None
        if drawn is None:
            return None
        source = QRect(0, 0, *drawn)
        rect = QRectF(left / scale, top / scale, drawn[0] / scale, drawn[1] / scale)
        return Patch(scale, rect, image, source)
