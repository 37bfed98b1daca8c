"""FramedMarks: marks over a page drawn faded, under a dashed frame round each of a set of
places (Compare: the other layer's versions, and what differs), as two items in all."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneHelpEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from reviewer_app.ui.annotations.marks import Mark, batched, paint_marks

FRAME_MARGIN = 2.0  # page points round a frame that its cosmetic pen may paint
FRAMES_SHOWN = 100  # frames shown a turn (their dashed strokes cost about 18 us each)


class FrameLook:
    """How frames are drawn, by kind: ``pens`` and ``fills``; ``kind_of(what)`` the kind of
    what a frame is round, ``said(what)`` its tooltip."""

    def __init__(
        self,
        pens: Mapping[str, QPen],
        fills: Mapping[str, QBrush],
        kind_of: Callable[[Any], str],
        said: Callable[[Any], str],
    ) -> None:
        self.pens, self.fills, self.kind_of, self.said = pens, fills, kind_of, said


class FramedMarks(QGraphicsItem):
    """Marks drawn at ``opacity`` (``marks``, painted in one pass, not an item each; runs of
    one pen batched, each shape still stroked on its own, as overlapping faded strokes add
    up), under a frame round each place (the child ``frames``). An item per mark and per
    frame cost a full paint of a page of hundreds 10 ms more. Made a part at a time unseen
    (:meth:`add`), then shown in a few parts (:meth:`show_more`), each a paint of its own."""

    def __init__(self, opacity: float, look: FrameLook, places: Sequence[QRectF]) -> None:
        """``places``: where every frame to come goes."""
        super().__init__()
        self.opacity_of_marks = opacity
        self.marks: list[Mark] = []  # in drawing order
        self._painted: list[Mark] = []  # the same, batched
        self._bounds = QRectF()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)  # (exposed)
        self.setVisible(False)
        self.frames = Frames(look, places, self)

    def add(self, marks: Sequence[Mark], frames: Sequence[tuple[QRectF, Any]]) -> None:
        """Draw ``marks`` and ``frames`` ((place, what it is round)) too, over those drawn
        before (seen once shown)."""
        bounds = self._bounds
        for mark in marks:
            bounds = bounds.united(mark.bounds)
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
        self.marks += marks
        self._painted += batched(list(marks))
        self.frames.frames += frames

    def show_more(self) -> bool:
        """Show the next part of what was drawn: the marks, then the frames a part at a
        time (FRAMES_SHOWN: about 2 ms of drawing); True once all is shown."""
        if not self.isVisible():
            self.setVisible(True)
            return not self.frames.frames
        return self.frames.show_more()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        base = painter.opacity()
        painter.setOpacity(base * self.opacity_of_marks)
        paint_marks(painter, self._painted, option.exposedRect)
        painter.setOpacity(base)


class Frames(QGraphicsItem):
    """A page's frames (``frames``: (place, what it is round)), drawn as ``look`` says, runs
    of one kind in one call. Kept as an image at the view's scale (Qt's item cache: frames
    blend over what is under them as they are, so the image is exact), since their dashed
    strokes cost 18 us each to draw (8 ms for the 440 frames of two pages): a paint of the
    view takes the image, and only frames shown anew or a new zoom are drawn again. The
    frame under the mouse says what it is round in its tooltip (made when asked for)."""

    def __init__(self, look: FrameLook, places: Sequence[QRectF], parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.look = look
        self.frames: list[tuple[QRectF, Any]] = []
        self.shown = 0  # how many of them are shown (the first)
        self._bounds = QRectF()  # where every frame goes: the cached image's size is set
        for place in places:  # once (a larger one would be drawn again whole)
            self._bounds = self._bounds.united(place)
        self._bounds.adjust(-FRAME_MARGIN, -FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)  # (exposed)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def show_more(self) -> bool:
        """Show the next FRAMES_SHOWN frames (only their part of the cached image is drawn
        again); True once all are shown."""
        part = self.frames[self.shown : self.shown + FRAMES_SHOWN]
        self.shown += len(part)
        where = QRectF()
        for place, _ in part:
            where = where.united(place)
        self.update(where.adjusted(-FRAME_MARGIN, -FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN))
        return self.shown >= len(self.frames)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        exposed, kind_of = option.exposedRect, self.look.kind_of
        kind, run = "", list[QRectF]()
        for place, what in self.frames[: self.shown]:
            if kind_of(what) != kind:
                self._paint(painter, kind, run)
                kind, run = kind_of(what), []
            if place.intersects(exposed):
                run.append(place)
        self._paint(painter, kind, run)

    def _paint(self, painter: QPainter, kind: str, places: list[QRectF]) -> None:
        if places:
            painter.setPen(self.look.pens[kind])
            painter.setBrush(self.look.fills[kind])
            painter.drawRects(places)

    def at(self, point: QPointF) -> Any:
        """What the frame topmost at ``point`` (page points) is round, or None."""
        shown = reversed(self.frames[: self.shown])
        return next((what for place, what in shown if place.contains(point)), None)

    def say_at(self, point: QPointF) -> None:
        """Take the words of the frame topmost at ``point`` as the tooltip (none off every
        frame: the scene then asks the items under this one, the annotations' own)."""
        found = self.at(point)
        self.setToolTip(self.look.said(found) if found is not None else "")

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemSceneHasChanged and value is not None:
            value.installEventFilter(_tips())
        return super().itemChange(change, value)


class _Tips(QObject):
    """Gives each :class:`Frames` under the mouse the words of its frame there when the scene
    is asked for a tooltip, before it answers (it shows the topmost item's). Frames take no
    hover events: the annotations under them keep theirs (their own tooltips, a link's
    cursor)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QGraphicsSceneHelpEvent) and isinstance(watched, QGraphicsScene):
            where = event.scenePos()
            for item in watched.items(where):
                if isinstance(item, Frames):
                    item.say_at(item.mapFromScene(where))
        return False


_made: list[_Tips] = []


def _tips() -> _Tips:
    if not _made:
        _made.append(_Tips())
    return _made[0]
