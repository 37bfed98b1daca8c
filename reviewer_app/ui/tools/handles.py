"""What shows the selection (outlines, resize handles, a rubber band) and a drag in progress."""

from __future__ import annotations

import math
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from reviewer_app.instant.records import Record
from reviewer_app.instant.transform import Rect, bbox_of, normalized
from reviewer_app.ui.annotations.page_annotations import MarkItem
from reviewer_app.ui.annotations.shapes import cached_mark
from reviewer_app.ui.tools.page_tools import PREVIEW_Z
from reviewer_app.ui.viewer.page_items import remove_item

if TYPE_CHECKING:
    from reviewer_app.ui.tools.page_tools import PageTools

SELECTION_BLUE = QColor("#1a73e8")
BAND_FILL = QColor(26, 115, 232, 40)
HANDLE_PIXELS = 9.0  # a handle's side on screen, whatever the zoom
GRAB_PIXELS = 6.0  # how far from a handle's centre a press still takes it
OUTLINE_GAP = 1.5  # points between a box and its outline (so the dashes clear a border)
MIN_SIZE = 2.0  # points: a resized box never gets thinner (unless it had no width)

# where each handle sits on the box, as a fraction of its width and height
HANDLES: dict[str, tuple[float, float]] = {
    "top-left": (0.0, 0.0),
    "top": (0.5, 0.0),
    "top-right": (1.0, 0.0),
    "right": (1.0, 0.5),
    "bottom-right": (1.0, 1.0),
    "bottom": (0.5, 1.0),
    "bottom-left": (0.0, 1.0),
    "left": (0.0, 0.5),
}
NOT_CHOSEN = frozenset({"pspdfkit/link", "pspdfkit/widget"})
ONLY_MOVED = frozenset({"pspdfkit/note"})  # notes keep their icon size


def choosable(record: Record) -> bool:
    """Whether the select tool takes ``record`` (links and form widgets are the document's)."""
    return record.content.get("type") not in NOT_CHOSEN


def resizable(record: Record) -> bool:
    return record.content.get("type") not in ONLY_MOVED and bbox_of(record.content) is not None


def outline_of(record: Record) -> QRectF:
    """Where a record's outline goes: round its bbox (what the handles resize) and what is
    drawn of it (a pen's width may stick out of the box; a note's icon is the note)."""
    box = bbox_of(record.content)
    drawn = cached_mark(record)
    if drawn is not None and (box is None or record.content.get("type") in ONLY_MOVED):
        return drawn.bounds
    if box is None:
        return QRectF()
    rect = QRectF(*box).adjusted(-OUTLINE_GAP, -OUTLINE_GAP, OUTLINE_GAP, OUTLINE_GAP)
    return rect.united(drawn.bounds) if drawn is not None else rect


def resized(box: Rect, handle: str, to: tuple[float, float], keep_aspect: bool) -> Rect:
    """``box`` with handle ``handle`` dragged to page point ``to``; ``keep_aspect`` scales both
    sides alike (from the opposite corner, or round the middle for a side handle)."""
    x, y, w, h = box
    fx, fy = HANDLES[handle]
    left, top, right, bottom = x, y, x + w, y + h
    if fx == 0.0:
        left = to[0]
    elif fx == 1.0:
        right = to[0]
    if fy == 0.0:
        top = to[1]
    elif fy == 1.0:
        bottom = to[1]
    if keep_aspect and w > 0 and h > 0:
        return _aspect_kept(box, fx, fy, to)
    nx, ny, nw, nh = normalized((left, top, right - left, bottom - top))
    return (nx, ny, max(nw, MIN_SIZE) if w > 0 else nw, max(nh, MIN_SIZE) if h > 0 else nh)


def _aspect_kept(box: Rect, fx: float, fy: float, to: tuple[float, float]) -> Rect:
    x, y, w, h = box
    if fx == 0.5 or fy == 0.5:  # a side: the other side grows alike, round its middle
        across = abs(to[1] - (y + h * (1 - fy))) / h if fx == 0.5 else 0.0
        along = abs(to[0] - (x + w * (1 - fx))) / w if fy == 0.5 else 0.0
        scale = max(across, along, MIN_SIZE / min(w, h))
        cx, cy = x + w / 2, y + h / 2
        if fx == 0.5:
            anchor_y = y + h * (1 - fy)
            top = anchor_y if to[1] >= anchor_y else anchor_y - h * scale
            return (cx - w * scale / 2, top, w * scale, h * scale)
        anchor_x = x + w * (1 - fx)
        left = anchor_x if to[0] >= anchor_x else anchor_x - w * scale
        return (left, cy - h * scale / 2, w * scale, h * scale)
    ax, ay = x + w * (1 - fx), y + h * (1 - fy)  # the corner that stays
    scale = max(abs(to[0] - ax) / w, abs(to[1] - ay) / h, MIN_SIZE / min(w, h))
    cx = ax + math.copysign(w * scale, to[0] - ax)
    cy = ay + math.copysign(h * scale, to[1] - ay)
    return (min(ax, cx), min(ay, cy), w * scale, h * scale)


def _pen(width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(SELECTION_BLUE, width, style)
    pen.setCosmetic(True)  # pixels, not points: as thin at every zoom
    return pen


@dataclass
class Gesture:
    """A drag in progress: ``kind`` is "move", "resize", "band" or "pan"."""

    kind: str
    page: int
    start: QPointF  # page point (for "pan": viewport pixels)
    pixels: QPointF  # viewport point of the press
    records: list[Record] = field(default_factory=list)
    handle: str = ""
    clicked: Record | None = None  # pressed on, to choose alone if the mouse does not move
    started: bool = False
    result: list[Record] = field(default_factory=list)


class Handle(QGraphicsRectItem):
    """A resize handle: a small square of constant size on screen, centred on its box point."""

    def __init__(self, name: str, parent: QGraphicsItem) -> None:
        half = HANDLE_PIXELS / 2
        super().__init__(-half, -half, HANDLE_PIXELS, HANDLE_PIXELS, parent)
        self.name = name
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setPen(_pen(1.2))
        self.setBrush(QBrush(QColor("#ffffff")))
        self.setZValue(PREVIEW_Z + 2)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)


class SelectionMarks:
    """The items showing the selected records on their pages (an outline each; handles round
    a single resizable one), a preview of where a drag puts them, and the rubber band."""

    def __init__(self, tools: PageTools) -> None:
        self.tools = tools
        self.items: list[QGraphicsItem] = []
        self.handles: list[Handle] = []
        self.band: QGraphicsRectItem | None = None

    def show(self, records: Sequence[Record], ghosts: bool = False) -> None:
        """Outline ``records``; with ``ghosts`` they are drawn too (a drag's preview)."""
        self.clear_items()
        pages = self.tools.view.pages
        for record in records:
            page = record.content.get("pageIndex")
            if not isinstance(page, int) or not 0 <= page < len(pages):
                continue
            space = self.tools.page_space(page)
            if ghosts and (drawn := self.tools.overlay.drawing_of(record)) is not None:
                ghost = MarkItem(drawn)
                ghost.setParentItem(space)
                ghost.setZValue(PREVIEW_Z)
                self.items.append(ghost)
            outline = QGraphicsRectItem(outline_of(record), space)
            outline.setPen(_pen(1.0, Qt.PenStyle.DashLine))
            outline.setZValue(PREVIEW_Z + 1)
            outline.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            self.items.append(outline)
        if len(records) == 1 and resizable(records[0]):
            self._add_handles(records[0])

    def _add_handles(self, record: Record) -> None:
        page = record.content.get("pageIndex")
        box = bbox_of(record.content)
        if box is None or not isinstance(page, int) or not 0 <= page < len(self.tools.view.pages):
            return
        x, y, w, h = box
        space = self.tools.page_space(page)
        for name, (fx, fy) in HANDLES.items():
            handle = Handle(name, space)
            handle.setPos(x + w * fx, y + h * fy)
            self.handles.append(handle)
            self.items.append(handle)

    def handle_at(self, viewport_pos: QPointF) -> str | None:
        """The handle under a viewport point (in pixels), if any."""
        view = self.tools.view
        for handle in reversed(self.handles):
            centre = view.mapFromScene(handle.scenePos())
            if max(abs(centre.x() - viewport_pos.x()), abs(centre.y() - viewport_pos.y())) <= (
                HANDLE_PIXELS / 2 + GRAB_PIXELS / 2
            ):
                return handle.name
        return None

    def handle_cursor(self, name: str) -> Qt.CursorShape:
        """The resize cursor for handle ``name`` as it shows (turned pages turn it)."""
        handle = next(h for h in self.handles if h.name == name)
        fx, fy = HANDLES[name]
        space, pos = handle.parentItem(), handle.pos()
        assert space is not None
        out = space.mapToScene(pos + QPointF(fx - 0.5, fy - 0.5)) - space.mapToScene(pos)
        angle = math.degrees(math.atan2(out.y(), out.x())) % 180
        if angle < 22.5 or angle >= 157.5:
            return Qt.CursorShape.SizeHorCursor
        if 67.5 <= angle < 112.5:
            return Qt.CursorShape.SizeVerCursor
        return Qt.CursorShape.SizeFDiagCursor if angle < 90 else Qt.CursorShape.SizeBDiagCursor

    def touched(self, page: int, band: QRectF) -> list[Record]:
        """The annotations drawn on page ``page`` that the rubber band ``band`` touches."""
        item = self.tools.overlay.page_item(page)
        marks = item.marks() if item is not None else []
        return [m.record for m in marks if m.bounds.intersects(band) and choosable(m.record)]

    def draw_page_without(self, page: int, hidden: Container[tuple[str, str]]) -> None:
        """Draw page ``page``'s annotations without those being dragged (their preview shows)."""
        item = self.tools.overlay.page_item(page)
        if item is not None:
            shown = self.tools.overlay.on_page(page)
            item.set_records([r for r in shown if r.key not in hidden])

    def show_band(self, page: int, rect: QRectF) -> None:
        if self.band is None:
            self.band = QGraphicsRectItem(self.tools.page_space(page))
            self.band.setPen(_pen(1.0))
            self.band.setBrush(QBrush(BAND_FILL))
            self.band.setZValue(PREVIEW_Z + 1)
        self.band.setRect(rect.normalized())

    def clear_band(self) -> None:
        remove_item(self.band)
        self.band = None

    def clear_items(self) -> None:
        for item in self.items:
            remove_item(item)
        self.items, self.handles = [], []

    def clear(self) -> None:
        self.clear_items()
        self.clear_band()
