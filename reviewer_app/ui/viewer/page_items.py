"""A page in the scene: its tiles (or the closest size while they arrive) under its overlays."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from reviewer_app.ui.viewer.render_cache import TileCache, tile_rect, tiles_covering

PAGE_BORDER = QColor("#9a9a9a")
NO_PEN = QPen(Qt.PenStyle.NoPen)


class PageItem(QGraphicsRectItem):
    """One page, ``size`` points wide and high as it shows (its /Rotate applied), drawn from
    ``cache`` at the view's render scale. ``space`` is a child in the page's Instant
    coordinates (the unrotated page, y down, see :mod:`reviewer_app.pdf.geometry`):
    annotation, search, selection and tool items are its children, in those points.

    A rect item, so that the scene finds a page's bounds without calling into Python for each
    of a thousand pages at every paint."""

    def __init__(
        self,
        index: int,
        size: tuple[float, float],
        cache: TileCache,
        scale: Callable[[], float],
        painted: Callable[[int, bool], None],
        rotation: int = 0,
    ) -> None:
        super().__init__(0, 0, *size)
        self.setPen(NO_PEN)
        self.index = index
        self.size = size
        self.cache = cache
        self.render_scale = scale
        self.painted = painted
        self.rotation_pdf = rotation % 360
        width, height = size
        self.unrotated = (height, width) if self.rotation_pdf % 180 else (width, height)
        self._space: QGraphicsRectItem | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)

    @property
    def space(self) -> QGraphicsRectItem:
        """The page's Instant space, made when first asked for: a document's thousand pages
        are laid out at once, but only those near the view get items on them."""
        if self._space is None:
            self._space = QGraphicsRectItem(0, 0, *self.unrotated, self)
            self._space.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
            if self.rotation_pdf:
                self._space.setTransform(page_transform(self.rotation_pdf, *self.unrotated))
        return self._space

    def to_page(self, scene_pos: QPointF) -> QPointF:
        """A scene point in this page's Instant coordinates."""
        return self.space.mapFromScene(scene_pos)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        bounds = QRectF(0, 0, *self.size)
        exposed = option.exposedRect.intersected(bounds)
        scale = self.render_scale()
        cache = self.cache
        tiled = all(key in cache for key in tiles_covering(self.index, scale, exposed, self.size))
        sharp = tiled
        if not sharp:  # else the exact tiles cover every exposed point
            painter.fillRect(exposed, Qt.GlobalColor.white)
        for key, image in cache.page_tiles(self.index, scale):
            exact = key[1] == scale
            if sharp and not exact:
                continue
            target = tile_rect(key, image, self.size)
            if not target.intersects(exposed):
                continue
            if exact:
                draw_exact(painter, target, image, image.rect())
            else:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                painter.drawImage(target, image)
        pen = QPen(PAGE_BORDER, 0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(bounds)
        self.painted(self.index, sharp)


def draw_exact(painter: QPainter, target: QRectF, image: QImage, source: QRect) -> None:
    """Draw ``source`` of ``image``, rendered for ``target`` at the device's resolution: pixel
    for pixel when the painter only moves and scales (a copy, three times as fast as letting
    QPainter map it), else mapped without smoothing."""
    world, device = painter.worldTransform(), painter.deviceTransform()
    corner = world.map(target.topLeft())
    size = world.mapRect(target).size()
    if (
        world.m12() == world.m21() == 0  # not turned
        and (device.m11(), device.m22()) == (world.m11(), world.m22())  # no pixel ratio
        and abs(size.width() - source.width()) < 0.5
        and abs(size.height() - source.height()) < 0.5
    ):
        painter.save()
        painter.resetTransform()
        painter.drawImage(QPoint(round(corner.x()), round(corner.y())), image, source)
        painter.restore()
        return
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
    painter.drawImage(target, image, QRectF(source))


def page_transform(rotation: int, width: float, height: float) -> QTransform:
    """Instant coordinates of an unrotated ``width`` × ``height`` page → the page as it shows
    with /Rotate ``rotation`` (turned clockwise, its top-left corner at the origin)."""
    offsets = {0: (0.0, 0.0), 90: (height, 0.0), 180: (width, height), 270: (0.0, width)}
    dx, dy = offsets[rotation % 360]
    return QTransform().translate(dx, dy).rotate(rotation % 360)


def place_pages(items: list[PageItem], rotation: int, gap: float) -> list[tuple[float, float]]:
    """Stack the pages vertically, centred, each turned by ``rotation`` degrees.

    Returns each page's (top, height) in scene points."""
    turned = rotation % 180 == 90
    widths = [(h if turned else w) for w, h in (item.size for item in items)]
    widest = max(widths, default=0.0)
    spans: list[tuple[float, float]] = []
    top = gap
    for item, width in zip(items, widths, strict=True):
        w, h = item.size
        height = w if turned else h
        item.setRotation(rotation)
        offsets = {0: (0.0, 0.0), 90: (width, 0.0), 180: (width, height), 270: (0.0, height)}
        dx, dy = offsets[rotation % 360]
        item.setPos((widest - width) / 2 + dx, top + dy)
        spans.append((top, height))
        top += height + gap
    return spans


def remove_item(item: QGraphicsItem | None) -> None:
    """Take an item off its page (safe if the page went with a closed document)."""
    if item is None:
        return
    try:
        scene = item.scene()
    except RuntimeError:
        return
    if scene is not None:
        scene.removeItem(item)
