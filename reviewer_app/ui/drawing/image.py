"""The image tool: a click (or a dragged box) asks for a PNG or JPEG file to put on the page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QMessageBox

from reviewer_app.engine import EngineError
from reviewer_app.engine.attachments import image_type
from reviewer_app.instant.transform import turned_size
from reviewer_app.ui.annotations.stamps import use_attachments
from reviewer_app.ui.core import file_dialogs
from reviewer_app.ui.drawing.shape_geometry import Box, fitted, placed
from reviewer_app.ui.drawing.shapes import BoxTool, annotation

if TYPE_CHECKING:
    from reviewer_app.ui.tools.page_tools import PageTools

DEFAULT_WIDTH = 200.0  # page points, for a picture placed with a click
PICTURE_FILTER = "Pictures (*.png *.jpg *.jpeg);;All files (*)"


class ImageTool(BoxTool):
    """Puts a ``pspdfkit/image`` on the page: the picture is stored once in the engine as an
    attachment named by its SHA-256 (``imageAttachmentId``); its ratio is kept, fitted into
    the dragged box or 200 points wide where clicked, always on the page. On a turned page
    it is turned with the page (``rotation`` = its /Rotate) and stands upright."""

    name = "image"
    title = "&Image"
    shortcuts = ("I",)
    default_style: ClassVar[dict[str, Any]] = {"opacity": 1.0}

    def __init__(self, tools: PageTools) -> None:
        super().__init__(tools)
        use_attachments(tools.editor.engine.attachment)  # the overlay draws pictures from there

    def clicked(self, page: int, at: tuple[float, float]) -> None:
        self.put(page, None, at)

    def boxed(self, page: int, box: Box) -> None:
        self.put(page, box, (box[0] + box[2] / 2, box[1] + box[3] / 2))

    def put(self, page: int, box: Box | None, at: tuple[float, float]) -> None:
        """Ask for the file, then place it in ``box`` (or centred on ``at``)."""
        context = self.tools.context
        title = "Put a picture on the page"
        name = file_dialogs.open_file(
            context.dialog_parent, context.settings, title, PICTURE_FILTER
        )
        if name is None:
            return
        picture = self.read(name)
        if picture is None:
            return
        data, kind, size = picture
        turn = self.tools.view.pages[page].rotation_pdf
        if box is None:
            shape = turned_size(DEFAULT_WIDTH, DEFAULT_WIDTH * size[1] / size[0], turn)
            box = placed(shape, at, self.page_size(page))
        else:
            box = fitted(turned_size(*size, turn), box)
        try:
            attachment = self.tools.editor.engine.add_attachment(data)
        except EngineError as exc:
            self.refuse(f"{Path(name).name} could not be stored: {exc}")
            return
        content = annotation(
            "pspdfkit/image",
            page,
            box,
            imageAttachmentId=attachment,
            contentType=kind,
            fileName=Path(name).name,
            opacity=float(self.style().get("opacity") or 1.0),
            rotation=turn or None,
        )
        self.tools.editor.create([content])

    def read(self, path: Path) -> tuple[bytes, str, tuple[float, float]] | None:
        """The file's bytes, content type and size in pixels; None (and a message) when it
        cannot be read or is not a PNG or JPEG picture."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.refuse(f"{path.name} could not be read: {exc.strerror or exc}")
            return None
        kind = image_type(data)
        image = QImage.fromData(data) if kind else QImage()
        if kind is None or image.isNull() or image.width() == 0 or image.height() == 0:
            self.refuse(f"{path.name} is not a PNG or JPEG picture: nothing was added.")
            return None
        return data, kind, (float(image.width()), float(image.height()))

    def refuse(self, message: str) -> None:
        self.tools.context.notify(message, 8000)
        QMessageBox.warning(self.tools.context.dialog_parent, "Picture not added", message)

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        frame = rect.adjusted(1, 4, -1, -4)
        painter.setPen(QPen(QColor("#303030"), 1.4))
        painter.setBrush(QColor("#dcecff"))
        painter.drawRect(frame)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#3c8c3c"))
        x, y, w, h = frame.x(), frame.y(), frame.width(), frame.height()
        hills = [(0.05, 0.95), (0.4, 0.4), (0.6, 0.7), (0.75, 0.5), (0.95, 0.95)]
        painter.drawPolygon(QPolygonF([QPointF(x + w * a, y + h * b) for a, b in hills]))
        painter.setBrush(QColor("#f0b400"))
        painter.drawEllipse(QPointF(x + w * 0.75, y + h * 0.28), w * 0.09, w * 0.09)
