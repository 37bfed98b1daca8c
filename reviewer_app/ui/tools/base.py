"""Tool: what a mouse drag over a page does (draw a kind of annotation, select, erase...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeGuard

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter

if TYPE_CHECKING:
    from reviewer_app.ui.tools.page_tools import PageTools

PREVIEW_Z = 20.0  # what a tool draws while the mouse is down: above the annotations


@dataclass(frozen=True)
class PagePoint:
    """Where the mouse is: page ``page`` and ``pos`` in its Instant coordinates (points, the
    unrotated page, y down; clamped to the page while a button is held), and the scene point."""

    page: int
    pos: QPointF
    scene: QPointF


class Tool:
    """One tool of the annotation toolbar. Subclasses set the class attributes and override
    the event methods they need (each returns True when it used the event).

    ``style()`` gives the properties new annotations take (``default_style`` overlaid with the
    user's last choices, see the properties panel); create records with ``self.tools.editor``.
    Items drawn while the mouse is down go under ``self.tools.page_space(page)`` at
    :data:`PREVIEW_Z` and are removed on release or :meth:`cancel`."""

    name: ClassVar[str] = ""  # settings key and action object name
    title: ClassVar[str] = ""  # menu text with its & accelerator
    shortcuts: ClassVar[tuple[str, ...]] = ()  # "1".."9" like Okular, then a letter
    cursor: ClassVar[Qt.CursorShape] = Qt.CursorShape.CrossCursor
    home: ClassVar[bool] = False  # the tool Esc returns to, usable on the base layer (select)
    default_style: ClassVar[dict[str, Any]] = {}  # Instant keys → values for new records

    def __init__(self, tools: PageTools) -> None:
        self.tools = tools

    # -- lifetime -----------------------------------------------------------------------

    def activate(self) -> None:
        """The tool was chosen."""

    def deactivate(self) -> None:
        """Another tool was chosen (or the document closed): drop what is in progress."""
        self.cancel()

    def cancel(self) -> None:
        """Drop a drawing in progress (Esc); nothing is written."""

    # -- events (``at`` is None when the mouse is over no page) --------------------------

    def press(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        return False

    def move(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        return False

    def release(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        return False

    def double_click(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        return False

    def key_press(self, event: QKeyEvent) -> bool:
        return False

    # -- helpers ------------------------------------------------------------------------

    def starts_drawing(self, at: PagePoint | None, event: QMouseEvent) -> TypeGuard[PagePoint]:
        """A left press on a page of a layer that can change (else the tool draws nothing)."""
        return (
            at is not None
            and event.button() == Qt.MouseButton.LeftButton
            and self.tools.editor.can_edit()
        )

    def style(self) -> dict[str, Any]:
        return self.tools.style(self)

    def tooltip(self) -> str:
        keys = " or ".join(self.shortcuts)
        return f"{self.title.replace('&', '')} ({keys})" if keys else self.title.replace("&", "")

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        """Paint the toolbar icon into ``rect`` (the default: the tool's first letter)."""
        font = QFont()
        font.setPixelSize(int(rect.height() * 0.7))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#303030"))
        letter = self.title.replace("&", "")[:1]
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), letter)
