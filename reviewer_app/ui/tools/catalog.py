"""The annotation tools in toolbar order (``TOOLS``): a new tool module adds its classes here."""

from __future__ import annotations

from reviewer_app.ui.tools.base import Tool
from reviewer_app.ui.tools.eraser import EraserTool
from reviewer_app.ui.tools.image import ImageTool
from reviewer_app.ui.tools.ink import InkTool
from reviewer_app.ui.tools.lines import ArrowTool, LineTool, PolygonTool, PolylineTool
from reviewer_app.ui.tools.markup import HighlightTool, SquigglyTool, StrikeoutTool, UnderlineTool
from reviewer_app.ui.tools.notes import FreeTextTool, NoteTool
from reviewer_app.ui.tools.select import SelectTool
from reviewer_app.ui.tools.shapes import EllipseTool, RectangleTool
from reviewer_app.ui.tools.stamps import StampTool

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
