"""The annotation tools, in toolbar order: each module adds its Tool classes to ``TOOLS``."""

from __future__ import annotations

from reviewer_app.ui.tools.base import Tool
from reviewer_app.ui.tools.select import SelectTool

TOOLS: list[type[Tool]] = [
    SelectTool,
    # markup (highlight, underline, strikeout, squiggly), ink, eraser
    # notes, free text
    # shapes (rectangle, ellipse, line, arrow, polygon, polyline), stamps, image
]
