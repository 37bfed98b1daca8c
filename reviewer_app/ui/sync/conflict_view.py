"""One version of a conflicting record, shown: what it says, who changed it when, where it is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGroupBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from reviewer_app.instant.records import Record

PaintRecord = Callable[[QPainter, Record], None]
Named = Callable[[str], str]  # how an author is named on screen
"""Draws a record on a painter whose coordinates are the page's points (y down)."""

_NAMES = {
    "note": "Note",
    "text": "Free text",
    "ink": "Drawing",
    "shape/rectangle": "Rectangle",
    "shape/ellipse": "Ellipse",
    "shape/line": "Line",
    "shape/polygon": "Polygon",
    "shape/polyline": "Polyline",
    "markup/highlight": "Highlight",
    "markup/underline": "Underline",
    "markup/strikeout": "Strike-out",
    "markup/squiggly": "Squiggly underline",
    "stamp": "Stamp",
    "image": "Image",
    "link": "Link",
}


def what(record: Record | None, key: tuple[str, str]) -> str:
    """What the record is, in words: "Note on page 1", "Form field “name”", "Bookmark"."""
    kind, rid = key
    if kind == "formFieldValue":
        return f"Form field “{rid}”"
    if kind == "bookmark":
        name = record.content.get("name") if record is not None else None
        return f"Bookmark “{name}”" if name else "Bookmark"
    if record is None:
        return "Annotation"
    raw = str(record.content.get("type", "")).removeprefix("pspdfkit/")
    name = _NAMES.get(raw, raw.replace("/", " ").capitalize() or "Annotation")
    page = record.content.get("pageIndex")
    return f"{name} on page {page + 1}" if isinstance(page, int) else name


def value_of(record: Record) -> str:
    """The text or value a version holds ("" for a drawing without text)."""
    content = record.content
    if record.kind == "formFieldValue":
        value = content.get("value")
        if value is None:
            return "(empty)"
        if isinstance(value, list):
            return ", ".join(str(v) for v in value) or "(empty)"
        return str(value)
    if record.kind == "bookmark":
        return str(content.get("name") or "")
    text = content.get("text")
    if isinstance(text, dict):
        text = text.get("value")
    words = text if isinstance(text, str) else content.get("stampType") or ""
    return str(words)


def geometry_of(record: Record) -> str:
    """Where a drawing is and its colour: "red, 120 × 40 pt at (50, 80)" ("" without a box)."""
    box = record.content.get("bbox")
    if not (isinstance(box, list) and len(box) == 4):
        return ""
    x, y, w, h = (float(v) for v in box)
    colour = record.content.get("strokeColor") or record.content.get("color") or ""
    return f"{colour + ', ' if colour else ''}{w:.0f} × {h:.0f} pt at ({x:.0f}, {y:.0f})"


def author_of(record: Record, named: Named = str) -> str:
    """Who made the version: its author (``creatorName``), and who changed it last when that
    is someone else ("Ms. Rivera, changed by dana"); each named by ``named`` (how the
    window names an author: LayerNames.author)."""
    changer = named(record.updated_by or "")
    if record.kind == "formFieldValue":  # a value is whoever set it last
        return changer or named(record.created_by or "")
    author = named(str(record.content.get("creatorName") or record.created_by or ""))
    if changer and author and changer.casefold() != author.casefold():
        return f"{author}, changed by {changer}"
    return author or changer


def when_of(record: Record) -> str:
    """When the version was made, in local time ("" when the record does not say)."""
    raw = record.content.get("updatedAt") or record.content.get("createdAt")
    try:
        moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        return moment.astimezone().strftime("%d %b %Y %H:%M")
    except (ValueError, OverflowError, OSError):
        return ""


def summary(record: Record | None, named: Named = str) -> str:
    """One line about a version: its text or value (or its shape), author and time."""
    if record is None:
        return "(deleted)"
    value = value_of(record)
    said = f"“{value[:60]}”" if value and record.kind != "formFieldValue" else value[:60]
    said = said or geometry_of(record)
    by = " · ".join(p for p in (author_of(record, named), when_of(record)) if p)
    return f"{said} — {by}" if by else said


def has_geometry(record: Record | None) -> bool:
    return (
        record is not None
        and record.kind == "annotation"
        and isinstance(record.content.get("pageIndex"), int)
        and isinstance(record.content.get("bbox"), list)
    )


def outline_record(painter: QPainter, record: Record) -> None:
    """The fallback drawing: the record's box, in its colour."""
    box = record.content.get("bbox")
    if isinstance(box, list) and len(box) == 4:
        colour = QColor(str(record.content.get("strokeColor") or "#2060c0"))
        painter.setPen(QPen(colour, float(record.content.get("strokeWidth") or 1.5)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(*(float(v) for v in box)))


class PagePreview(QWidget):
    """A page's outline (and its picture, when given) with one version of a record drawn at
    its place, and the other version's box dashed for comparison."""

    def __init__(self, paint_record: PaintRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paint_record = paint_record
        self.page_size = (612.0, 792.0)
        self.image: QImage | None = None
        self.record: Record | None = None
        self.other: Record | None = None
        self.setMinimumSize(160, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(240, 300)

    def show_versions(
        self,
        record: Record | None,
        other: Record | None,
        page_size: tuple[float, float] | None,
        image: QImage | None,
    ) -> None:
        self.record, self.other = record, other
        self.page_size = page_size or self.page_size
        self.image = image
        self.update()

    def page_rect(self) -> QRectF:
        """Where the page is drawn in the widget (fitted, centred)."""
        w, h = self.page_size
        scale = max(0.01, min((self.width() - 8) / w, (self.height() - 8) / h))
        shown_w, shown_h = w * scale, h * scale
        return QRectF((self.width() - shown_w) / 2, (self.height() - shown_h) / 2, shown_w, shown_h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        page = self.page_rect()
        painter.fillRect(page, QColor("white"))
        if self.image is not None:
            painter.drawImage(page, self.image)
        painter.setPen(QPen(QColor("#808080"), 1))
        painter.drawRect(page)
        painter.translate(page.topLeft())
        scale = page.width() / self.page_size[0]
        painter.scale(scale, scale)
        if has_geometry(self.other):
            assert self.other is not None
            box = [float(v) for v in self.other.content["bbox"]]
            painter.setPen(QPen(QColor("#909090"), 1 / scale, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(*box))
        if has_geometry(self.record):
            assert self.record is not None
            painter.save()
            self.paint_record(painter, self.record)
            painter.restore()
        painter.end()

    def widget_point(self, x: float, y: float) -> QPointF:
        """Where page point (x, y) is drawn in the widget."""
        page = self.page_rect()
        scale = page.width() / self.page_size[0]
        return QPointF(page.left() + x * scale, page.top() + y * scale)


class VersionPane(QGroupBox):
    """One side of a conflict: the preview (for a drawing) and the value, author and time."""

    def __init__(self, title: str, paint_record: PaintRecord, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.preview = PagePreview(paint_record)
        self.details = QLabel(wordWrap=True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.details)

    def show_version(self, record: Record | None, other: Record | None, **page: Any) -> None:
        self.details.setText(details_text(record, page.get("named", str)))
        drawn = has_geometry(record) or has_geometry(other)
        self.preview.setVisible(drawn)
        if drawn:
            self.preview.show_versions(record, other, page.get("size"), page.get("image"))


def details_text(record: Record | None, named: Named = str) -> str:
    """The lines under a version: value, shape, author, time."""
    if record is None:
        return "Deleted"
    lines = []
    value = value_of(record)
    if value:
        lines.append(value if record.kind == "formFieldValue" else f"“{value}”")
    if geometry_of(record):
        lines.append(geometry_of(record))
    author = author_of(record, named)
    lines.append(f"By {author}" if author else "Author not recorded")
    if when_of(record):
        lines.append(when_of(record))
    return "\n".join(lines)
