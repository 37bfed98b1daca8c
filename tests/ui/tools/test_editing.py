"""The editing frame: whose layer is edited, the title, undo/redo from the engine history."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QWidget
from pytestqt.qtbot import QtBot

from reviewer_app.engine import BASE
from reviewer_app.ui.drawing.catalog import TOOLS
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.session.layer_list import NAME_ROLE
from tests.ui.conftest import open_and_wait, when_modal
from tests.ui.tools.conftest import (
    TURNED,
    UPRIGHT,
    USER,
    click,
    layer_annotations,
    make_annotating_pdf,
)


def note(page: int = UPRIGHT) -> dict[str, object]:
    return {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": page,
        "bbox": [50, 60, 20, 20],
        "text": {"format": "plain", "value": "hi"},
        "icon": "comment",
    }


def test_the_users_layer_is_shown_named_in_the_title_and_created_on_first_change(
    qtbot: QtBot, annotating: MainWindow
) -> None:
    window, doc = annotating, annotating.document
    assert doc is not None
    assert USER in window.windowTitle() and window.layer_box.currentData() == USER
    assert "(new)" in window.layer_box.currentText()
    assert not window.engine.has_layer(doc.id, USER)
    panel = window.review.layers_dock  # the Layers panel lists it too, selected, before it exists
    assert USER in panel.visible_names()
    assert panel.list.currentIndex().data(NAME_ROLE) == USER
    change = window.editor.create([note()])
    assert change is not None and window.engine.has_layer(doc.id, USER)
    made = [r for r in layer_annotations(window) if r.content["type"] == "pspdfkit/note"]
    assert made and made[0].content["creatorName"] == USER and made[0].created_by == USER
    assert window.layer_box.currentData() == USER and "(new)" not in window.layer_box.currentText()
    assert window.overlay.record_count(UPRIGHT) == len(
        [r for r in layer_annotations(window) if r.content["pageIndex"] == UPRIGHT]
    )


def test_the_name_is_asked_once_and_names_the_layer(
    qtbot: QtBot,
    window: MainWindow,
    sample_pdf: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def get_text(*args: object) -> tuple[str, bool]:
        asked.append("name")
        return "Ada", True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    open_and_wait(qtbot, window, sample_pdf)
    assert window.editor.create([note()]) is not None
    assert window.editor.create([note()]) is not None
    assert asked == ["name"] and window.layer == "Ada"
    assert window.settings.user_name() == "Ada"
    assert window.document is not None
    assert len(window.engine.records(window.document.id, "Ada", "annotation")) == 3  # 1 + 2


def test_undo_and_redo_keys_follow_the_engine_history(qtbot: QtBot, annotating: MainWindow) -> None:
    window = annotating
    before = len(layer_annotations(window))
    window.editor.create([note()])
    actions = window.viewer_actions
    assert actions.undo.isEnabled() and "Add" in actions.undo.text()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(layer_annotations(window)) == before and actions.redo.isEnabled()
    qtbot.keyClick(window.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert len(layer_annotations(window)) == before + 1
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(
        window.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(layer_annotations(window)) == before + 1


def test_the_base_layer_cannot_be_annotated(qtbot: QtBot, annotating: MainWindow) -> None:
    window = annotating
    window.set_layer(BASE)
    assert window.tool_actions.by_name["select"].isEnabled() is not False
    assert window.editor.create([note()]) is None
    assert "base layer" in window.editor.last_error
    assert BASE in window.windowTitle() or "Base" in window.windowTitle()


def test_page_space_maps_instant_points_on_a_turned_page(annotating: MainWindow) -> None:
    page = annotating.view.pages[TURNED]
    width, height = page.unrotated
    assert (width, height) == (400, 560) and page.size == (560, 400)
    shown = page.space.mapToItem(page, QPointF(10, 20))
    assert (shown.x(), shown.y()) == pytest.approx((height - 20, 10))
    assert page.to_page(page.mapToScene(shown)).toTuple() == pytest.approx((10, 20))


def test_every_tool_and_its_keys_are_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    table = readme[readme.index("## Annotating") : readme.index("## The reviewer panel")]
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    for tool in TOOLS:
        row = next((r for r in rows if all(k in r.split("|")[1] for k in tool.shortcuts)), None)
        assert row is not None, f"{tool.name}: keys {tool.shortcuts} not in the README's table"


def test_ctrl_z_after_the_name_dialog_takes_back_the_first_note(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """A first note typed and closed with Esc asks the user's name; once it is given, the
    keys go to the page again (no window manager gives them back here, as on a bare X
    server): Ctrl+Z, typed at once, takes the note back."""
    open_and_wait(qtbot, window, make_annotating_pdf(tmp_path / "first.pdf"))
    window.activateWindow()
    click(qtbot, window, UPRIGHT, (200, 300))
    qtbot.keyClick(window.view, Qt.Key.Key_N)  # the note tool
    click(qtbot, window, UPRIGHT, (200, 300))
    qtbot.keyClicks(QApplication.focusWidget(), "first thought")

    def named(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog) and dialog.windowTitle() == "Your name"
        dialog.setTextValue("Eve")
        dialog.accept()

    answering = when_modal(QInputDialog, named)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # kept; then the name
    answering.stop()
    assert window.layer == "Eve"
    assert [r.content["text"]["value"] for r in layer_annotations(window)] == ["first thought"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view, timeout=5000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert layer_annotations(window) == []
