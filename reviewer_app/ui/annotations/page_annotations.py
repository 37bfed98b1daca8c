"""One item per page that paints all of the page's annotations, and finds the one under a point."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from contextlib import suppress

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from reviewer_app.collector import keep_frozen, no_gc
from reviewer_app.engine import RecordKey
from reviewer_app.giving_way import let_go
from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.marks import (
    AFFINE,
    ANNOTATION_Z,
    EVERYWHERE,
    Mark,
    batched,
    paint_marks,
)
from reviewer_app.ui.annotations.shapes import (
    Appearance,
    appearance_mark,
    cached_mark,
    uncached_marks,
)
from reviewer_app.ui.annotations.tooltips import tooltip_of
from reviewer_app.ui.core import turns
from reviewer_app.ui.viewer import item_rasters

MARGIN = 24.0  # points around the page where a mark may still reach
PLANS = 4  # batched paint plans kept per page
FEW_CHANGED = 16  # marks that may come or go with only their area repainted
PART = 64  # marks batched together, on average (a change batches its part again)
KEPT_AS_PIXELS = 100  # paint parts from which the page's marks are kept as pixels (fewer: 1-2 ms)
MANY_NEW = 48  # new marks above which a page makes them a slice per turn (≈ 5-25 ms at once)
MANY = 256  # records above which a page not shown with them before makes its marks a slice
# per turn even when all were made before (finding them is 2-5 µs a record: a layer of
# 1,000 read again, its marks all found at once, held the window 16-21 ms)
Plan = tuple[list[Mark], list[Mark], dict[tuple[int, ...], list[Mark]]]  # marks, plan, parts


def _paint_all(painter: QPainter, marks: Sequence[Mark]) -> None:
    paint_marks(painter, marks, EVERYWHERE)


def parts(marks: list[Mark]) -> list[list[Mark]]:
    """``marks`` cut after each mark whose record id hashes to a multiple of PART: the cuts
    go with the records, so adding, changing or removing one leaves the other parts as
    they were (batching the parts apart paints the same pixels)."""
    out, start = [], 0
    for index, mark in enumerate(marks):
        if hash(mark.record.id) % PART == 0:
            out.append(marks[start : index + 1])
            start = index + 1
    if start < len(marks):
        out.append(marks[start:])
    return out


_due: list[PageAnnotations] = []  # items whose marks are being made, painted once made


def _later(item: PageAnnotations) -> None:
    """Make ``item``'s marks in the next turns (no paint meanwhile: it costs more), then paint."""
    if item not in _due:
        _due.append(item)
    turns.later(_make_due, _make_due, turns.MARKS)


def making() -> bool:
    """Whether some page's marks are still being made (a slice per turn), not shown yet."""
    return bool(_due)


def _make_due(deadline: float) -> bool:
    """A turn's slice: the marks of the items due (and their paint plan); an item whose
    marks are all made is repainted at the next turn, alone (its paint is a turn's work)."""
    while _due:
        item = _due[0]
        if item.ready() and item._painted is not None:
            _due.pop(0)
            with suppress(RuntimeError):  # its page went with its document
                item.update()
            turns.end_turn()
            return not _due
        if item.ready() or item._make(deadline):
            item._painted = item._plan(item.marks())
        if time.perf_counter() > deadline:
            return False
    return True


class PageAnnotations(QGraphicsItem):
    """The annotations of one page, painted in page points by one item (a thousand items cost a
    thousand times the bookkeeping). Marks are made from the records on first use; ``set_records``
    swaps the records and repaints. The records ``set_from_pdf`` names are painted from their
    PDF appearance images (see :func:`appearance_mark`), in their place among the marks."""

    def __init__(self, page: QGraphicsItem, size: tuple[float, float]) -> None:
        super().__init__(page)
        self.size = size
        self.records: list[Record] = []
        self.appearances: dict[str, tuple[QRectF, QImage]] = {}  # by record id, as they came
        self.from_pdf: dict[str, Appearance] = {}  # the records painted from their appearance
        self._pdf_marks: dict[str, tuple[Record, Mark]] = {}
        self.hovered: Mark | None = None
        self._tip: Record | None = None  # the record whose tooltip is set
        self.named: Callable[[str], str] = str  # how its tooltips name authors
        self._marks: list[Mark] | None = []
        self._made: list[Mark] = []  # while marks are made a slice per turn: those made
        self._next = 0  # and the index of the next record to make
        self._sliced = False  # whether this set of records is made a slice per turn
        self._painted: list[Mark] | None = []  # the marks with stroke runs merged (batched)
        self._plans: dict[tuple[int, ...], Plan] = {}
        # the marks of the last few sets of records, by the records' identity (they are never
        # changed): a layer switched back to takes its marks as they were, making nothing
        self._kept: dict[tuple[int, ...], tuple[list[Record], list[Mark]]] = {}
        self.setZValue(ANNOTATION_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, *self.size).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)

    def set_records(
        self, records: Sequence[Record], changed: Collection[RecordKey] | None = None
    ) -> None:
        """Draw ``records`` from now on (marks are made at the next paint). On screen, only
        where marks came or went is repainted when few did (a change, not a layer switch).
        ``changed``: the keys a change touched; the other records keep their marks."""
        on_screen, before = self._on_screen(), self._marks
        self._keep()
        self.records = list(records)
        self._marks = self._painted = None
        self._made, self._next = [], 0
        kept = self._kept.get(tuple(map(id, self.records))) if changed is None else None
        if kept is not None:
            self._marks = kept[1]
        # a first display of many records (or of many not drawn before): made a slice per
        # event-loop turn at paint, shown when all are made (rather than holding the window
        # up meanwhile)
        self._sliced = (
            kept is None
            and changed is None
            and (len(self.records) > MANY or uncached_marks(self.records, MANY_NEW) > MANY_NEW)
        )
        self.hovered = self._tip = None
        self.setToolTip("")
        self.unsetCursor()
        self.setAcceptHoverEvents(bool(self.records))  # authors on hover
        area = None
        if changed is not None and before is not None:
            area = self._remade(before, {rid for _, rid in changed})
        elif on_screen and before is not None and not self._sliced:
            area = self._changed_area(before)
        if on_screen and self._sliced:
            _later(self)  # made from the next turn on, without waiting for a paint
        if area is None or not on_screen:
            self.update()
        elif not area.isEmpty():
            self.update(area)

    def _keep(self) -> None:
        """Keep the marks made for the records shown (see ``_kept``), the last PLANS sets."""
        if self._marks is None or not self.records:
            return
        key = tuple(map(id, self.records))
        self._kept.pop(key, None)
        self._kept[key] = (self.records, self._marks)
        while len(self._kept) > PLANS:  # (the oldest marks freed out of the window's turn)
            let_go(self._kept.pop(next(iter(self._kept))))

    def _remade(self, before: list[Mark], ids: set[str]) -> QRectF | None:
        """Make the marks, reusing ``before``'s for the records whose id is not in ``ids``;
        where marks came or went (None when many did)."""
        kept = {m.record.id: m for m in before if m.record.id not in ids}
        with no_gc():
            made = (kept.get(r.id) or self._mark(r) for r in self.records)
            self._marks = [m for m in made if m is not None]
        moved = [m for m in (*before, *self._marks) if m.record.id in ids]
        if len(moved) > max(FEW_CHANGED, len(self._marks) // 8):
            return None
        area = QRectF()
        for mark in moved:
            area = area.united(mark.bounds)
        return area

    def _changed_area(self, before: list[Mark]) -> QRectF | None:
        """Where the marks differ from ``before`` (marks are reused for unchanged records);
        None when many differ."""
        after = self.marks()
        old, new = set(map(id, before)), set(map(id, after))
        if len(old ^ new) > max(FEW_CHANGED, len(after) // 8):
            return None
        area = QRectF()
        for mark in (*before, *after):
            if (id(mark) in old) != (id(mark) in new):
                area = area.united(mark.bounds)
        return area

    def _on_screen(self) -> bool:
        scene = self.scene()
        if scene is None:
            return False
        mine = self.sceneBoundingRect()
        for view in scene.views():
            if view.mapToScene(view.viewport().rect()).boundingRect().intersects(mine):
                return True
        return False

    def set_from_pdf(self, ids: Collection[str]) -> None:
        """Paint the records ``ids`` from their PDF appearance images from now on (set before
        :meth:`set_records`); those not among them are drawn from the record again."""
        if ids == self.from_pdf.keys():
            return
        self.from_pdf = {i: self.from_pdf.get(i) or Appearance(QRectF()) for i in ids}
        self._pdf_marks = {i: m for i, m in self._pdf_marks.items() if i in self.from_pdf}
        self.appearances = {i: a for i, a in self.appearances.items() if i in self.from_pdf}
        self._marks = self._painted = None
        self._kept.clear()  # their marks drew other records from their appearance
        self.update()

    def set_appearances(self, shown: Sequence[tuple[Record, QImage, QRectF, float]]) -> None:
        """The PDF appearance images of records painted from them, each with the place it
        covers (page points) and the opacity it is painted with."""
        area = QRectF()
        for record, image, rect, opacity in shown:
            appearance = self.from_pdf.get(record.id)
            if appearance is None or (
                appearance.image is image
                and appearance.rect == rect
                and appearance.opacity == opacity
            ):
                continue
            area = area.united(appearance.rect).united(rect)
            appearance.image, appearance.rect, appearance.opacity = image, rect, opacity
            self.appearances[record.id] = (rect, image)
            made = self._pdf_marks.get(record.id)
            if made is not None:  # (its bounds are read when painting: no plan is made anew)
                made[1].bounds = made[1].bounds.united(rect)
        if not area.isEmpty():
            item_rasters.forget(self)  # (they hold the images before)
            self.update(area)

    def _mark(self, record: Record) -> Mark | None:
        """``record``'s mark: from its PDF appearance, or its own drawing (cached)."""
        appearance = self.from_pdf.get(record.id)
        if appearance is None:
            return cached_mark(record)
        made = self._pdf_marks.get(record.id)
        if made is None or made[0] is not record:
            made = self._pdf_marks[record.id] = (record, appearance_mark(record, appearance))
        return made[1]

    def marks(self) -> list[Mark]:
        """The drawn records' marks, bottom first."""
        if self._marks is None:
            self._make()
        assert self._marks is not None
        return self._marks

    def ready(self) -> bool:  # whether the marks of the records set are all made
        return self._marks is not None

    def _make(self, deadline: float | None = None) -> bool:
        """Make the marks not made yet (until ``deadline``, if given); whether all are."""
        records, made = self.records, self._made
        with no_gc():
            while self._next < len(records):
                mark = self._mark(records[self._next])
                self._next += 1
                if mark is not None:
                    made.append(mark)
                if deadline is not None and self._next % 16 == 0 and time.perf_counter() > deadline:
                    return False
        self._marks, self._made = made, []
        # the marks (and records) live as long as their layer is shown or cached: out of
        # the collector's passes (a full pass over 8 layers of 1,000 took 40-60 ms)
        keep_frozen()
        return True

    def _plan(self, marks: list[Mark]) -> list[Mark]:
        """``batched(marks)`` part by part (see :func:`parts`), kept for the last few sets
        of marks (the layers switched between), with the marks, so that their ids stay
        theirs. A part the kept plans have batched already is reused: after a change only
        the parts it touched are batched again."""
        key = tuple(map(id, marks))
        if key not in self._plans:
            known = {k: part for _, _, kept in self._plans.values() for k, part in kept.items()}
            plan: list[Mark] = []
            batches: dict[tuple[int, ...], list[Mark]] = {}
            with no_gc():
                for part in parts(marks):
                    part_key = tuple(map(id, part))
                    batches[part_key] = known.get(part_key) or batched(part)
                    plan += batches[part_key]
            if len(self._plans) >= PLANS:
                del self._plans[next(iter(self._plans))]
            self._plans[key] = (marks, plan, batches)
        return self._plans[key][1]

    def marks_at(self, point: QPointF) -> list[Mark]:
        """The marks whose bounds hold ``point`` (page points), topmost first."""
        return [m for m in reversed(self.marks()) if m.bounds.contains(point)]

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        exposed = option.exposedRect
        if self._painted is None:
            # marks not made yet are made a slice per turn (shown when all are made), here
            # for a slice at most when none is under way; marks made before come at once
            if self._marks is None and (
                self in _due or not self._make(time.perf_counter() + turns.BUDGET)
            ):
                _later(self)
                return
            self._painted = self._plan(self.marks())
        plan, hovered = self._painted, self.hovered
        many = len(plan) >= KEPT_AS_PIXELS and (hovered is None or not hovered.hover_only)
        if not (  # kept as pixels: many marks, all drawn in affine modes, no link outlined
            many
            and all(m.blend in AFFINE for m in plan)
            and item_rasters.laid(self, painter, plan, _paint_all, exposed, widget)
        ):
            paint_marks(painter, plan, exposed, hovered)

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        point = event.pos()
        found = next((m for m in reversed(self.marks()) if m.bounds.contains(point)), None)
        record = found.record if found is not None else None
        if record is not self._tip:
            self._tip = record
            self.setToolTip(tooltip_of(record, self.named) if record is not None else "")
        if found is self.hovered:
            return
        for old_or_new in (self.hovered, found):
            if old_or_new is not None and old_or_new.hover_only:  # links: outlined on hover
                self.update(old_or_new.bounds)
        self.hovered = found
        if found is not None and found.hover_only:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        if self.hovered is not None and self.hovered.hover_only:
            self.update(self.hovered.bounds)
        self.hovered = self._tip = None
        self.setToolTip("")
        self.unsetCursor()


class MarkItem(QGraphicsItem):
    """A single record drawn as its own item (for a few marks over a view, such as a
    comparison's other side); ``mark`` is what it paints."""

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.record = mark.record
        self.setZValue(ANNOTATION_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(True)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        if not self.toolTip():
            self.setToolTip(tooltip_of(self.record))  # made on the first hover only

    def boundingRect(self) -> QRectF:
        return self.mark.bounds

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        paint_marks(painter, [self.mark], self.mark.bounds)
