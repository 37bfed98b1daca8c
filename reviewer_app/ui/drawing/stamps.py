"""The stamp tool: Approved, Rejected, a check mark, a cross or your own words, chosen from the
tool button's menu; a click places the stamp, a drag gives its size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QPainter, QPen
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QWidget

from reviewer_app.instant.transform import turned_size
from reviewer_app.ui.drawing.shape_geometry import Box, placed
from reviewer_app.ui.drawing.shapes import BoxTool, annotation

STAMP_EDGE = QColor("#c0392b")


@dataclass(frozen=True)
class StampChoice:
    """One entry of the stamp menu: what it writes (``stampType``, ``title``) and its size
    when placed with a click (page points)."""

    key: str
    label: str
    stamp_type: str
    title: str
    size: tuple[float, float] = (150.0, 48.0)


CHOICES = (
    StampChoice("approved", "&Approved", "Approved", ""),
    # the schema has no "RejectedWithText": a "Not approved" stamp titled Rejected
    StampChoice("rejected", "&Rejected", "NotApproved", "Rejected"),
    StampChoice("check", "&Check mark", "Accepted", "", (40.0, 40.0)),  # drawn as ✓
    StampChoice("cross", "Cr&oss", "Rejected", "", (40.0, 40.0)),  # drawn as ✗
    StampChoice("custom", "Custom &text…", "Custom", ""),
)


def choice_of(style: dict[str, Any]) -> StampChoice:
    """The menu entry that gives ``style``'s stampType and title (custom for any other)."""
    stamp_type, title = str(style.get("stampType") or ""), str(style.get("title") or "")
    for choice in CHOICES:
        if (choice.stamp_type, choice.title) == (stamp_type, title) and choice.key != "custom":
            return choice
    return CHOICES[-1] if stamp_type == "Custom" else CHOICES[0]


class StampTool(BoxTool):
    """Places ``pspdfkit/stamp`` annotations of the chosen kind (remembered in its style),
    turned on a turned page so that they read upright (``rotation`` = the page's /Rotate)."""

    name = "stamp"
    title = "S&tamp"
    shortcuts = ("S",)
    default_style: ClassVar[dict[str, Any]] = {"stampType": "Approved", "title": "", "opacity": 1.0}

    def __init__(self, box: Any) -> None:
        super().__init__(box)
        self.menu: QMenu | None = None
        self.entries: dict[str, QAction] = {}

    # -- the menu of choices ------------------------------------------------------------

    def make_menu(self, parent: QWidget) -> QMenu:
        """The stamp choices, for the tool's toolbar button and menu entry."""
        self.menu = QMenu("S&tamp", parent)
        self.menu.setObjectName("stamp-menu")
        group = QActionGroup(self.menu)
        for choice in CHOICES:
            action = self.menu.addAction(choice.label)
            action.setObjectName(f"stamp-{choice.key}")
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, c=choice: self.choose(c))
            group.addAction(action)
            self.entries[choice.key] = action
        self.menu.aboutToShow.connect(self.show_choice)
        self.show_choice()
        return self.menu

    def show_choice(self) -> None:
        current = choice_of(self.style()).key
        for key, action in self.entries.items():
            action.setChecked(key == current)

    def choose(self, choice: StampChoice) -> bool:
        """Use ``choice`` from now on (a custom stamp asks for its words) and pick this tool."""
        title = choice.title
        if choice.key == "custom":
            style = self.style()
            last = str(style.get("title") or "") if style.get("stampType") == "Custom" else ""
            text, ok = QInputDialog.getText(
                self.tools.context.dialog_parent,
                "Custom stamp",
                "Words on the stamp:",
                QLineEdit.EchoMode.Normal,
                last,
            )
            if not ok or not text.strip():
                self.show_choice()
                return False
            title = text.strip()
        self.tools.set_style(self, {"stampType": choice.stamp_type, "title": title})
        self.show_choice()
        self.tools.choose(self.name)
        return True

    # -- placing ------------------------------------------------------------------------

    def clicked(self, page: int, at: tuple[float, float]) -> None:
        style = self.style()
        size = choice_of(style).size
        if choice_of(style).key == "custom":  # room for the words
            size = (max(80.0, 14.0 * len(str(style.get("title") or "")) + 24.0), size[1])
        turn = self.tools.view.pages[page].rotation_pdf
        size = turned_size(*size, turn)  # as it reads → as it lies on the unrotated page
        self.boxed(page, placed(size, at, self.page_size(page)))

    def boxed(self, page: int, box: Box) -> None:
        style = self.style()
        content = annotation(
            "pspdfkit/stamp",
            page,
            box,
            stampType=str(style.get("stampType") or "Approved"),
            title=str(style.get("title") or "") or None,
            opacity=float(style.get("opacity") or 1.0),
            rotation=self.tools.view.pages[page].rotation_pdf or None,
        )
        self.tools.editor.create([content])

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(QPen(STAMP_EDGE, 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        x, y, w, h = rect.x(), rect.y(), rect.width(), rect.height()
        painter.drawRoundedRect(QRectF(x + w * 0.35, y + h * 0.05, w * 0.3, h * 0.35), 2, 2)
        painter.drawLine(QPointF(x + w * 0.5, y + h * 0.4), QPointF(x + w * 0.5, y + h * 0.6))
        painter.drawRoundedRect(QRectF(x + w * 0.1, y + h * 0.6, w * 0.8, h * 0.22), 2, 2)
        painter.drawLine(QPointF(x + w * 0.1, y + h * 0.95), QPointF(x + w * 0.9, y + h * 0.95))
