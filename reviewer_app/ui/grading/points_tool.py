"""The points tool (key Q): a click on the paper, or a digit typed while it is chosen, opens a
small editor; "+2", "2", "−1" or "2/5" and Enter put a points mark (a free text carrying
``customData.grading``) for a question in the student's layer, as one undoable change."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSimpleTextItem

from reviewer_app.engine.grades import MARK_COLOR, MARK_FONT_SIZE, mark_content
from reviewer_app.engine.grading_scheme import Question, Scheme
from reviewer_app.ui.drawing.shape_geometry import Box, dragged_box
from reviewer_app.ui.drawing.shapes import MIN_DRAG
from reviewer_app.ui.grading.state import GradingState
from reviewer_app.ui.tools.page_tools import PREVIEW_Z, PagePoint, Tool
from reviewer_app.ui.tools.text_edit import AnnotationTextEditor, free_text_bbox, free_text_editor
from reviewer_app.ui.viewer.page_items import remove_item

if TYPE_CHECKING:
    from reviewer_app.ui.tools.page_tools import PageTools

_POINTS = re.compile(r"^\s*([+-]?\s*\d+(?:[.,]\d+)?)\s*(?:/\s*(\d+(?:[.,]\d+)?))?\s*$")
STARTERS = set("0123456789+-−")
MARK_WIDTH = 44.0  # points: room for "+2.5" in the margin
REGION_COLOR = QColor("#2060d0")
RegionDone = Callable[[int, Box], None]  # the page and the box dragged there
MARK_STYLE: dict[str, Any] = {
    "fontSize": MARK_FONT_SIZE,
    "fontColor": MARK_COLOR,
    "font": "Helvetica",
    "backgroundColor": None,
}


def read_points(text: str) -> tuple[float | None, float | None]:
    """What a typed mark means: (points, None) for "+2", "2", "−1"; (None, score) for "2/5";
    (None, None) when it is neither."""
    found = _POINTS.match(text.replace("−", "-").replace("–", "-"))
    if found is None:
        return None, None
    value = float(found.group(1).replace(" ", "").replace(",", "."))
    return (None, value) if found.group(2) is not None else (value, None)


def kept_on_page(bbox: list[float], page_width: float) -> list[float]:
    """``bbox`` moved left as far as needed to end inside the page (a long comment placed
    in the margin)."""
    x, y, w, h = bbox
    return [max(0.0, min(x, page_width - w - 4)), y, w, h]


def question_of(content: dict[str, Any]) -> str | None:
    """The question an annotation was placed for (a mark, a bank comment), if any."""
    custom = content.get("customData")
    grading = custom.get("grading") if isinstance(custom, dict) else None
    question = grading.get("question") if isinstance(grading, dict) else None
    return question if isinstance(question, str) else None


def question_at(scheme: Scheme, page: int, pos: QPointF, current: str | None) -> Question | None:
    """The question a click at ``pos`` on ``page`` is for: the one whose region holds it,
    else the current one, else the first on that page, else the first."""
    for q in scheme.questions:
        if q.page == page and q.region is not None and QRectF(*q.region).contains(pos):
            return q
    chosen = scheme.question(current) if current else None
    if chosen is not None:
        return chosen
    on_page = [q for q in scheme.questions if q.page == page]
    return next(iter(on_page or scheme.questions), None)


class PointsEditor(AnnotationTextEditor):
    """The on-page editor of a mark: Enter keeps it (Esc and a click elsewhere too)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.commit()
        else:
            super().keyPressEvent(event)


class PointsTool(Tool):
    """Puts points marks for the questions of the document's grading scheme. The question is
    the one whose region was clicked, else the current one (``state``, set by the Grading
    dock and Next Ungraded). Typed digits (while the pages have the keys) open the editor at
    the current question's place: its region's corner, else its page's right margin."""

    name = "points"
    title = "&Points"
    shortcuts = ("Q",)
    cursor = Qt.CursorShape.PointingHandCursor

    def __init__(self, tools: PageTools) -> None:
        super().__init__(tools)
        self.state: GradingState | None = None  # set by the grading room
        self.editor: AnnotationTextEditor | None = None
        self._typing = _DigitKeys(self)
        self.region_for: tuple[Question, RegionDone] | None = None  # Set Region: waiting
        self.band: QGraphicsRectItem | None = None  # the region being dragged
        self.band_start = (0, QPointF())
        self.outlines: list[QGraphicsRectItem] = []  # the questions' regions, while chosen

    # -- lifetime -----------------------------------------------------------------------

    def activate(self) -> None:
        self.tools.view.installEventFilter(self._typing)
        self.show_regions()

    def deactivate(self) -> None:
        self.tools.view.removeEventFilter(self._typing)
        self._end_region()
        self.show_regions(False)

    def show_regions(self, shown: bool = True) -> None:
        """Outline each question's region on its page, named (while the tool is chosen)."""
        for item in self.outlines:
            remove_item(item)
        self.outlines = []
        pages = self.tools.view.pages
        for q in self.scheme().questions if shown else ():
            if q.region is None or q.page is None or not 0 <= q.page < len(pages):
                continue
            item = QGraphicsRectItem(QRectF(*q.region), self.tools.page_space(q.page))
            pen = QPen(REGION_COLOR, 1.0, Qt.PenStyle.DotLine)
            pen.setCosmetic(True)
            item.setPen(pen)
            item.setZValue(PREVIEW_Z - 1)
            label = QGraphicsSimpleTextItem(q.name, item)
            label.setBrush(REGION_COLOR)
            label.setFont(QFont("Sans", 7))
            label.setPos(q.region[0] + 2, q.region[1] + q.region[3] - 12)
            self.outlines.append(item)
        if self.editor is not None:
            self.editor.commit()

    def cancel(self) -> None:
        self._end_region()
        if self.editor is not None:
            self.editor.cancel()

    # -- Set Region: a drag on the page is a question's region ----------------------------

    def ask_region(self, question: Question, done: RegionDone) -> None:
        """The next rectangle dragged on a page is ``question``'s region: ``done(page,
        box)`` is called with it (Esc or another tool: no region)."""
        self.tools.choose(self.name)
        if self.editor is not None:
            self.editor.commit()
        self.region_for = (question, done)
        self.tools.view.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self.tools.context.notify(f"Drag a rectangle over {question.name} on the page (Esc: "
                                  "cancel)")  # fmt: skip

    def _end_region(self) -> None:
        remove_item(self.band)
        self.band, self.region_for = None, None

    def _drag_region(self, what: str, at: PagePoint | None) -> bool:
        page, start = self.band_start
        if what == "press" and at is not None:
            remove_item(self.band)
            self.band_start = (at.page, at.pos)
            self.band = QGraphicsRectItem(QRectF(at.pos, at.pos), self.tools.page_space(at.page))
            pen = QPen(REGION_COLOR, 1.5, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            self.band.setPen(pen)
            self.band.setBrush(QBrush(QColor(32, 96, 208, 40)))
            self.band.setZValue(PREVIEW_Z)
        elif self.band is not None and at is not None and at.page == page:
            size = self.tools.view.pages[page].unrotated
            box = dragged_box((start.x(), start.y()), (at.pos.x(), at.pos.y()), size)
            self.band.setRect(QRectF(*box))
            if what == "release" and min(box[2], box[3]) >= MIN_DRAG and self.region_for:
                done = self.region_for[1]
                self._end_region()
                done(page, tuple(round(v, 1) for v in box))  # type: ignore[arg-type]
        if what == "release" and self.band is not None:
            remove_item(self.band)  # a click, not a drag: still waiting for one
            self.band = None
        return True

    def move(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        return self.region_for is not None and self._drag_region("move", at)

    def finish(self) -> None:
        if self.editor is not None:
            self.editor.commit()

    # -- placing ------------------------------------------------------------------------

    def scheme(self) -> Scheme:
        doc = self.tools.context.document_id
        return Scheme() if doc is None else self.tools.context.engine.grading_scheme(doc)

    def current_question(self) -> str | None:
        return None if self.state is None else self.state.question

    def press(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self.region_for is not None and event.button() == Qt.MouseButton.LeftButton:
            return self._drag_region("press", at)
        if not self.starts_drawing(at, event):
            return at is not None and event.button() == Qt.MouseButton.LeftButton
        question = question_at(self.scheme(), at.page, at.pos, self.current_question())
        if question is None:
            self._no_questions()
            return True
        self.open_editor(question, at.page, at.pos, "")
        return True

    def release(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self.region_for is not None:
            return self._drag_region("release", at)
        return at is not None and event.button() == Qt.MouseButton.LeftButton

    def take_typed(self, text: str) -> bool:
        """A digit typed in a list or on a button of the window (the Layers list, just
        clicked) starts the mark on the pages, which take the keys, as one typed there."""
        if text not in STARTERS:
            return False
        self.tools.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.start_typing(text)
        return True

    def start_typing(self, first: str) -> bool:
        """A digit or sign typed on the pages: the editor opens at the current question's
        place with it. False when there is no question or layer to write in."""
        if self.editor is not None or not self.tools.editor.can_edit():
            return False
        scheme = self.scheme()
        question = scheme.question(self.current_question() or "")
        if question is None:
            page = max(self.tools.view.current_page(), 0)
            question = question_at(scheme, page, QPointF(-1, -1), None)
        if question is None:
            self._no_questions()
            return True
        page, where = self.place_for(scheme, question)
        self.open_editor(question, page, where, first)
        return True

    def place_for(self, scheme: Scheme, question: Question) -> tuple[int, QPointF]:
        """Where a typed mark goes: in the margin right of the question's region (inside
        its right edge when the margin is too narrow), one line under the other; without a
        region, in its page's right margin, a line per question."""
        page = question.page if question.page is not None else self.tools.view.current_page()
        page = min(max(page, 0), len(self.tools.view.pages) - 1)
        placed = [  # the question's marks and bank comments (stamps too) on that page
            r.content["bbox"]
            for r in self.tools.editor.records("annotation", page)
            if question_of(r.content) == question.id
        ]
        earlier = len(placed)
        width = self.tools.view.pages[page].unrotated[0]
        if question.region is not None:
            x, y, w, _ = question.region
            right = x + w + 4 if x + w + MARK_WIDTH <= width else x + w - MARK_WIDTH
            below = max((float(b[1]) + float(b[3]) + 2 for b in placed), default=y)
            return page, QPointF(max(0.0, right), below)
        line = [q.id for q in scheme.questions].index(question.id)
        x = max(4.0, width - MARK_WIDTH - 40.0 * earlier)
        return page, QPointF(x, 36.0 + 22.0 * line)

    def open_editor(self, question: Question, page: int, at: QPointF, text: str) -> None:
        if self.editor is not None:
            self.editor.commit()
        self.editor = free_text_editor(
            self.tools,
            page,
            at,
            MARK_STYLE,
            text,
            lambda t: self._done(question, page, at, t),
            PointsEditor,
        )
        if self.state is not None:
            self.state.set_question(question.id)
        self.tools.context.notify(f"{question.name} (max {question.max_points:g}): type +2, −1 "
                                  "or 2/5, then Enter")  # fmt: skip

    def _done(self, question: Question, page: int, at: QPointF, text: str | None) -> None:
        self.editor = None
        self.tools.context.notify("")  # (the editor's hint: it is closed)
        if text is None or not text.strip():
            return
        points, score = read_points(text)
        if points is None and score is None:
            self.tools.context.notify(
                f"“{text.strip()}” is not points: type +2, −1 or 2/5 (nothing was added)", 8000
            )
            return
        content = mark_content(
            question.id, page, at.x(), at.y(), points=points, score=score,
            maximum=question.max_points,
        )  # fmt: skip
        bbox = free_text_bbox(at, content["text"]["value"], MARK_STYLE)
        content["bbox"] = kept_on_page(bbox, self.tools.view.pages[page].unrotated[0])
        self.tools.editor.create([content])

    def _no_questions(self) -> None:
        self.tools.context.notify(
            "This document has no questions yet: add them in the Grading dock", 8000
        )

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(QPen(QColor(MARK_COLOR), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect.adjusted(1, 1, -1, -1))
        font = QFont("Sans")
        font.setPixelSize(int(rect.height() * 0.5))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(MARK_COLOR))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), "+2")


class _DigitKeys(QObject):
    """While the points tool is chosen, digits and signs typed on the pages are the start of
    a mark, not the tool keys 1–9 (the page view takes them before any shortcut)."""

    def __init__(self, tool: PointsTool) -> None:
        super().__init__(tool.tools)
        self.tool = tool

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or self.tool.editor is not None:
            return False
        plain = not event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        if not (plain and event.text() and event.text() in STARTERS):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress:
            return self.tool.start_typing(event.text())
        return False
