"""The conflicts window shows what conflicts: both values, their authors and times, and a
drawing's two versions at their place on the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from reviewer_app.engine import LayerEngine
from reviewer_app.sync import SyncClient, SyncSession
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.sync.conflict_view import PagePreview
from tests.server.conftest import note
from tests.sync.conftest import FAST, LiveServer
from tests.ui.sync.conftest import WAIT, connect

RED = "#ff0000"


def rectangle(x: float, y: float, author: str, **extra: Any) -> dict[str, Any]:
    return {
        "v": 2,
        "type": "pspdfkit/shape/rectangle",
        "id": "r1",
        "pageIndex": 0,
        "bbox": [x, y, 160, 100],
        "strokeColor": RED,
        "strokeWidth": 12,
        "opacity": 1,
        "creatorName": author,
        **extra,
    }


def red_near(preview: PagePreview, x: float, y: float) -> bool:
    """Whether the preview shows red around page point (x, y)."""
    image: QImage = preview.grab().toImage()
    at = preview.widget_point(x, y).toPoint()
    for dx in range(-3, 4):
        for dy in range(-3, 4):
            c = QColor(image.pixel(at.x() + dx, at.y() + dy))
            if c.red() > 180 and c.green() < 110 and c.blue() < 110:
                return True
    return False


def test_a_note_a_form_value_and_a_rectangle_in_conflict(
    qtbot: QtBot, app: MainWindow, live: LiveServer, tmp_path: Path
) -> None:
    doc = live.upload()
    token = live.token(doc, layers=["*"])
    connect(qtbot, app, live.url, token, doc)
    e = app.engine
    e.create_records(doc, "t", "annotation", [note(0, 40, "first", id="n1", creatorName="T")])
    e.create_records(doc, "t", "annotation", [rectangle(60, 300, "T")])
    e.set_form_field_values(doc, "t", [{"name": "answer", "value": "40"}], user="T")
    app.sync.sync_action.trigger()
    qtbot.waitUntil(lambda: "t" in live.layers(doc), timeout=WAIT)
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Synced", timeout=WAIT)
    with LayerEngine(tmp_path / "laptop") as laptop:
        sams = live.token(doc, layers=["*"], user_id="sam")  # the server names her "sam"
        other = SyncSession.open(laptop, SyncClient(live.url, sams, retry=FAST), doc)
        other.sync_all()
        sam = {"creatorName": "Sam", "updatedAt": "2026-03-02T10:15:00Z"}
        laptop.update_records(doc, "t", "annotation", [note(0, 40, "theirs", id="n1", **sam)])
        laptop.update_records(doc, "t", "annotation", [rectangle(260, 300, "Sam")])
        laptop.set_form_field_values(doc, "t", [{"name": "answer", "value": "41"}], user="sam")
        other.sync_all()
        other.client.close()

    mine = {"creatorName": "Mr T", "updatedAt": "2026-03-02T11:45:00Z"}
    e.update_records(doc, "t", "annotation", [note(0, 40, "mine", id="n1", **mine)])
    e.update_records(doc, "t", "annotation", [rectangle(60, 500, "Mr T")])
    e.set_form_field_values(doc, "t", [{"name": "answer", "value": "42"}], user="mr-t")
    app.sync.sync_action.trigger()
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "3 conflicts", timeout=WAIT)

    app.sync.show_conflicts()
    dialog = app.sync.dialog
    assert dialog is not None
    rows = {}
    for i in range(dialog.tree.topLevelItemCount()):
        item = dialog.tree.topLevelItem(i)
        assert item is not None
        rows[item.text(1)] = (item.text(2), item.text(3), i)
    assert set(rows) == {"Note on page 1", "Rectangle on page 1", "Form field “answer”"}
    here, there, _ = rows["Note on page 1"]
    assert here.startswith("“mine” — Mr T · ") and there.startswith("“theirs” — Sam · ")
    assert rows["Form field “answer”"][:2] == ("42 — mr-t", "41 — sam")
    here, there, index = rows["Rectangle on page 1"]
    assert here.startswith(f"{RED}, 160 × 100 pt at (60, 500) — Mr T")
    assert there.startswith(f"{RED}, 160 × 100 pt at (260, 300) — Sam")

    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(index))
    assert dialog.mine.preview.isVisible() and dialog.theirs.preview.isVisible()
    assert dialog.mine.details.text().startswith(f"{RED}, 160 × 100 pt at (60, 500)\nBy Mr T")
    assert red_near(dialog.mine.preview, 60, 550)  # mine: the left edge, at its place
    assert not red_near(dialog.mine.preview, 260, 350)
    assert red_near(dialog.theirs.preview, 260, 350)  # theirs: moved right and up
    assert not red_near(dialog.theirs.preview, 60, 550)

    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(rows["Form field “answer”"][2]))
    assert not dialog.mine.preview.isVisible()  # a value has no place on the page
    assert dialog.mine.details.text() == "42\nBy mr-t"
    assert dialog.theirs.details.text() == "41\nBy sam"
    assert not dialog.buttons["both"].isEnabled()  # a value cannot be kept twice
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(rows["Note on page 1"][2]))
    assert dialog.theirs.details.text().startswith("“theirs”\n")
    assert "By Sam\n" in dialog.theirs.details.text()  # "sam" on the server: the same person
    assert dialog.buttons["both"].isEnabled()
