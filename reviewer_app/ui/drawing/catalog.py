"""The annotation tools in toolbar order (``TOOLS``): a new tool module adds its classes here."""

from __future__ import annotations

from reviewer_app.ui.drawing.eraser import EraserTool
from reviewer_app.ui.drawing.image import ImageTool
from reviewer_app.ui.drawing.ink import InkTool
from reviewer_app.ui.drawing.lines import ArrowTool, LineTool, PolygonTool, PolylineTool
from reviewer_app.ui.drawing.markup import HighlightTool, SquigglyTool, StrikeoutTool, UnderlineTool
from reviewer_app.ui.drawing.notes import FreeTextTool, NoteTool
from reviewer_app.ui.drawing.shapes import EllipseTool, RectangleTool
from reviewer_app.ui.drawing.stamps import StampTool
from reviewer_app.ui.tools.page_tools import Tool
from reviewer_app.ui.tools.select import SelectTool

TOOLS: list[type[Tool]] = [
    SelectTool,
    HighlightTool,
    UnderlineTool,
    StrikeoutTool,
    SquigglyTool,
    InkTool,
    EraserTool,
    NoteTool,
    FreeTextTool,
    RectangleTool,
    EllipseTool,
    LineTool,
    ArrowTool,
    PolygonTool,
    PolylineTool,
    StampTool,
    ImageTool,
]
