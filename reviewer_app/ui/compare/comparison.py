"""Comparing two layers: the differences by page, and how the view marks them in colour."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen

from reviewer_app import giving_way
from reviewer_app.engine import LayerDiff, RecordKey
from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.marks import Mark
from reviewer_app.ui.annotations.shapes import mark_of
from reviewer_app.ui.compare.framed import FramedMarks, FrameLook
from reviewer_app.ui.core import turns
from reviewer_app.ui.session.describing import describe, page_of
from reviewer_app.ui.viewer.page_items import PageItem, remove_item
from reviewer_app.ui.viewer.page_view import PageView

ONLY_A, ONLY_B, CHANGED = "only-a", "only-b", "changed"
COLOURS = {ONLY_A: QColor("#e67e22"), ONLY_B: QColor("#2e86de"), CHANGED: QColor("#9b59b6")}
MARKER_Z = 20.0
OTHER_SIDE_OPACITY = 0.55
BATCH = 20  # differences drawn between looks at the clock


def legend_text(kind: str, a: str, b: str) -> str:
    return {ONLY_A: f"only in {a}", ONLY_B: f"only in {b}", CHANGED: "changed"}[kind]


@dataclass(frozen=True)
class Difference:
    """One record the two layers disagree on: which way (``kind``), and each side's version."""

    kind: str
    key: RecordKey
    a: Record | None
    b: Record | None

    @property
    def shown(self) -> Record:
        """The version to describe and place (B's when it changed: what a merge brings)."""
        record = self.b or self.a
        assert record is not None
        return record

    @cached_property
    def page(self) -> int:  # (asked for again and again: sorting, grouping, drawing)
        shown = self.shown
        return page_of(shown) if shown.kind == "annotation" else -1

    def bbox(self) -> QRectF:
        """Where the difference is on its page: both versions' boxes together."""
        rect = QRectF()
        for record in (self.a, self.b):
            box = record.content.get("bbox") if record else None
            if isinstance(box, list) and len(box) >= 4:
                rect = rect.united(QRectF(*map(float, box[:4])))
        return rect

    def describe(self, named: Callable[[str], str] = str) -> str:
        """In words: 'Note by Ann — “text”', 'Form field “answer”: “A's” → “B's”' (an author
        named by ``named``: hidden names stay hidden)."""
        shown = self.shown
        if shown.kind == "formFieldValue":
            values = [_value(r) for r in (self.a, self.b) if r is not None]
            return f"Form field “{shown.content.get('name') or shown.id}”: " + " → ".join(values)
        if shown.kind == "bookmark":
            name = shown.content.get("name")
            return f"Bookmark “{name}”" if name else "Bookmark"
        return describe(shown, named=named)


def _value(record: Record) -> str:
    value = record.content.get("value")
    if value is None or value == "" or value == []:
        return "(empty)"
    return ", ".join(f"“{v}”" for v in value) if isinstance(value, list) else f"“{value}”"


class Comparison:
    """Layer ``a`` against layer ``b``: the differences, in page order, grouped by page."""

    def __init__(self, diff: LayerDiff) -> None:
        self.a, self.b = diff.a, diff.b
        items = [Difference(ONLY_A, r.key, r, None) for r in diff.only_a]
        items += [Difference(ONLY_B, r.key, None, r) for r in diff.only_b]
        items += [Difference(CHANGED, x.key, x, y) for x, y in diff.changed]
        places = []
        for d in items:  # (on a task: the window's turns go first)
            if giving_way.busy:
                giving_way.give_way()
            places.append((d.page < 0, d.page, d.bbox().top(), d.key))
        self.differences = [items[i] for i in sorted(range(len(items)), key=places.__getitem__)]
        pages: dict[int, list[Difference]] = defaultdict(list)
        for difference in self.differences:
            pages[difference.page].append(difference)
        self._by_page = dict(pages)

    def by_page(self) -> dict[int, list[Difference]]:
        """Page index → its differences (-1: records with no page, such as bookmarks)."""
        return self._by_page

    def counts(self) -> dict[str, int]:
        counts = {ONLY_A: 0, ONLY_B: 0, CHANGED: 0}
        for difference in self.differences:
            counts[difference.kind] += 1
        return counts


def _frame(difference: Difference) -> QRectF:
    return difference.bbox().adjusted(-3, -3, 3, 3)


def _frame_pen(colour: QColor) -> QPen:
    pen = QPen(colour, 1.6, Qt.PenStyle.DashLine)
    pen.setCosmetic(True)
    return pen


def _fill(colour: QColor) -> QBrush:
    fill = QColor(colour)
    fill.setAlpha(40)
    return QBrush(fill)


FRAME_PENS = {kind: _frame_pen(colour) for kind, colour in COLOURS.items()}
FRAME_FILLS = {kind: _fill(colour) for kind, colour in COLOURS.items()}


class ComparisonOverlay:
    """Draws what B adds to the view of A (B's own versions, faded) and a coloured frame
    around every difference; the frames' colours are :data:`COLOURS`. A page gets its
    drawings when it comes near the viewport (as the layer's own annotations do), so a
    comparison of thousands of differences costs the UI thread only the pages in view.
    ``draw`` gives a record's drawing (the window's overlay draws a PDF's own annotation
    from its appearance, as the pages show it). ``markers`` holds every difference whose
    frame is shown, by key. A page's drawings are one :class:`FramedMarks` (``on_page``),
    made unseen a slice per turn and then shown in parts, each turn that shows a part
    ending there (its paint comes next: most of a frame)."""

    def __init__(self, view: PageView, draw: Callable[[Record], Mark | None] = mark_of) -> None:
        self.view, self.draw = view, draw
        self.named: Callable[[str], str] = str  # how authors are named (LayerNames.author)
        self.items: list[FramedMarks] = []
        self.on_page: dict[int, FramedMarks] = {}
        self.look = FrameLook(FRAME_PENS, FRAME_FILLS, lambda d: d.kind, self._said)
        self.markers: dict[RecordKey, Difference] = {}
        self.waiting: dict[int, list[Difference]] = {}  # by page, not drawn yet
        self.placed: dict[int, list[QRectF]] = {}  # by page: its frames, before its item
        self.pages: Sequence[PageItem] = ()
        self.due: deque[int] = deque()  # pages come near, drawn a slice per event-loop turn
        view.pages_near.connect(self.build)

    def show(self, pages: Sequence[PageItem], comparison: Comparison) -> None:
        self.clear()
        self.pages = pages
        self.waiting = {p: list(d) for p, d in comparison.by_page().items() if 0 <= p < len(pages)}
        first, last = self.view.visible_range()
        self.build(first - 1, last + 1)

    def build(self, first: int, last: int) -> None:
        """Draw the differences of the pages from ``first`` to ``last``, if not yet: a slice
        per turn of the event loop from the next on (the UI thread never waits long)."""
        near = [p for p in range(max(first, 0), last + 1) if p in self.waiting]
        if near:
            self.due.extendleft(reversed(near))  # the pages in view go first
            turns.later(self, self._draw_some, turns.DRAWINGS)

    def drawing(self) -> bool:
        """Whether pages near the view still have differences to draw."""
        return any(page in self.waiting for page in self.due)

    def _draw_some(self, deadline: float) -> bool:
        """A turn's slice (at least one batch); True once the pages due are drawn."""
        while self.due:
            page = self.due[0]
            left = self.waiting.get(page)
            if left is None:  # (drawn already)
                self.due.popleft()
                continue
            if not left:
                item = self.on_page[page]
                before = item.frames.shown
                if item.show_more():
                    self.due.popleft()
                    del self.waiting[page]
                shown = item.frames.frames[before : item.frames.shown]
                self.markers.update((d.key, d) for _, d in shown)
                turns.end_turn()
                return not self.drawing()
            framed = self._page(page, deadline)  # (before its first batch leaves ``waiting``)
            if framed is None:  # its frames are still being placed
                return False
            batch, left[:] = left[:BATCH], left[BATCH:]
            made = (self.draw(d.b) for d in batch if d.b is not None)
            framed.add([m for m in made if m is not None], [(_frame(d), d) for d in batch])
            if not left:  # shown from the next turn on, first thing
                turns.end_turn()
                return False
            if time.perf_counter() > deadline:
                return False
        return True

    def _page(self, page: int, deadline: float) -> FramedMarks | None:
        """Page ``page``'s item, made on its first difference once the frames of all its
        differences are placed (they set its size): a BATCH at a time until ``deadline``,
        None until all are (a page's 480 frames placed at once held the window 5-8 ms)."""
        if page not in self.on_page:
            places, waiting = self.placed.setdefault(page, []), self.waiting[page]
            while len(places) < len(waiting):
                places += map(_frame, waiting[len(places) : len(places) + BATCH])
                if len(places) < len(waiting) and time.perf_counter() > deadline:
                    return None
            del self.placed[page]
            item = self.on_page[page] = FramedMarks(OTHER_SIDE_OPACITY, self.look, places)
            item.setZValue(MARKER_Z)
            item.setParentItem(self.pages[page].space)
            self.items.append(item)
        return self.on_page[page]

    def _said(self, difference: Difference) -> str:
        return f"{difference.kind}: {difference.describe(self.named)}"

    def colour_of(self, key: RecordKey) -> QColor | None:
        """The colour of the frame drawn round the difference of record ``key``, if drawn."""
        difference = self.markers.get(key)
        return COLOURS[difference.kind] if difference is not None else None

    def clear(self) -> None:
        for item in self.items:
            remove_item(item)  # (its page may have gone with the previous document)
        self.items.clear()
        self.on_page.clear()
        self.markers.clear()
        self.waiting.clear()
        self.placed.clear()
        self.due.clear()
        turns.drop(self)
