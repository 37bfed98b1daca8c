"""Rendered tiles under a byte budget, found by page, the closest size standing in meanwhile."""

from __future__ import annotations

import math
from collections import OrderedDict

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage

from reviewer_app.pdf.render_pipe import TileKey, tile_step

DEFAULT_BUDGET = 256 * 1024 * 1024


def scale_key(scale: float) -> float:
    """A render scale rounded so that equal zooms give equal keys."""
    return round(scale, 3)


def tile_rect(key: TileKey, image: QImage, size: tuple[float, float]) -> QRectF:
    """Where tile ``key`` sits on its page of ``size`` points, in points."""
    _, scale, column, row = key
    step = tile_step(*size, scale)
    return QRectF(column * step, row * step, image.width() / scale, image.height() / scale)


def tiles_covering(
    page: int, scale: float, area: QRectF, size: tuple[float, float]
) -> list[TileKey]:
    """The tiles of ``page`` at ``scale`` that cover ``area`` (points), nearest the centre first."""
    width, height = size
    area = area.intersected(QRectF(0, 0, width, height))
    if area.isEmpty():
        return []
    step = tile_step(width, height, scale)
    columns = range(int(area.left() // step), math.ceil(area.right() / step))
    rows = range(int(area.top() // step), math.ceil(area.bottom() / step))
    centre = area.center()
    keys = [(page, scale, c, r) for r in rows for c in columns]

    def distance(key: TileKey) -> float:
        x, y = (key[2] + 0.5) * step, (key[3] + 0.5) * step
        return (x - centre.x()) ** 2 + (y - centre.y()) ** 2

    return sorted(keys, key=distance)


class TileCache:
    """Least recently used tiles under ``budget`` bytes, indexed by page."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self.size = 0
        self._images: OrderedDict[TileKey, QImage] = OrderedDict()
        self._by_page: dict[int, set[TileKey]] = {}

    def __contains__(self, key: TileKey) -> bool:
        return key in self._images

    def __len__(self) -> int:
        return len(self._images)

    def get(self, key: TileKey) -> QImage | None:
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
        return image

    def put(self, key: TileKey, image: QImage) -> None:
        if key in self._images:
            self._remove(key)
        self._images[key] = image
        self._by_page.setdefault(key[0], set()).add(key)
        self.size += image.sizeInBytes()
        while self.size > self.budget and len(self._images) > 1:
            self._remove(next(iter(self._images)))

    def _remove(self, key: TileKey) -> None:
        image = self._images.pop(key)
        self.size -= image.sizeInBytes()
        keys = self._by_page[key[0]]
        keys.discard(key)
        if not keys:
            del self._by_page[key[0]]

    def page_tiles(self, page: int, scale: float) -> list[tuple[TileKey, QImage]]:
        """Every cached tile of ``page``: other scales first, farthest from ``scale`` first,
        so that painting them in order leaves the closest size (and ``scale`` itself) on top."""
        keys = sorted(
            self._by_page.get(page, ()),
            key=lambda k: (k[1] == scale, -abs(math.log(k[1] / scale))),
        )
        return [(key, self._images[key]) for key in keys]

    def clear(self) -> None:
        self._images.clear()
        self._by_page.clear()
        self.size = 0
