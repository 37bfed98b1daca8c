"""What the window builds once its first page is on screen: the rooms' parts, imported
together by MainWindow's second stage (``MainWindow.build_rest``), so that the first page
does not wait for their modules (about half of the window's start-up)."""

from __future__ import annotations

from reviewer_app.ui import window_menus as menus
from reviewer_app.ui.actions import ViewerActions, connect_edit_actions, connect_view_actions
from reviewer_app.ui.annotations.overlay import AnnotationOverlay
from reviewer_app.ui.annotations.shapes import paint_record
from reviewer_app.ui.core.tasks import TaskRunner
from reviewer_app.ui.drawing.catalog import TOOLS
from reviewer_app.ui.forms.layer_forms import FormFields
from reviewer_app.ui.grading.grading import Grading
from reviewer_app.ui.grading.points_tool import PointsTool
from reviewer_app.ui.help import WindowHelp
from reviewer_app.ui.mark_warmer import MarkWarmer
from reviewer_app.ui.navigation.docks import BookmarksDock, OutlineDock, ThumbnailDock
from reviewer_app.ui.review.layer_review import LayerReview
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.session.editor import LayerEditor
from reviewer_app.ui.session.import_task import ShownImport
from reviewer_app.ui.session.layer_reading import LayerReading
from reviewer_app.ui.sync.controls import SyncControls
from reviewer_app.ui.tools.actions import ToolActions
from reviewer_app.ui.tools.clipboard import AnnotationClipboard
from reviewer_app.ui.tools.page_tools import PageTools
from reviewer_app.ui.tools.properties import PropertiesDock
from reviewer_app.ui.viewer.find import DocumentSearch, FindBar
from reviewer_app.ui.viewer.text_selection import TextSelection
from reviewer_app.ui.viewer.view_boxes import PageNumberBox, ZoomBox
from reviewer_app.ui.window_comments import (
    add_comment_actions,
    add_comments_dock,
    properties_follow_selection,
)

__all__ = [
    "TOOLS",
    "AnnotationClipboard",
    "AnnotationOverlay",
    "BookmarksDock",
    "DocumentContext",
    "DocumentSearch",
    "FindBar",
    "FormFields",
    "Grading",
    "LayerEditor",
    "LayerReading",
    "LayerReview",
    "MarkWarmer",
    "OutlineDock",
    "PageNumberBox",
    "PageTools",
    "PointsTool",
    "PropertiesDock",
    "ShownImport",
    "SyncControls",
    "TaskRunner",
    "TextSelection",
    "ThumbnailDock",
    "ToolActions",
    "ViewerActions",
    "WindowHelp",
    "ZoomBox",
    "add_comment_actions",
    "add_comments_dock",
    "connect_edit_actions",
    "connect_view_actions",
    "menus",
    "paint_record",
    "properties_follow_selection",
]
