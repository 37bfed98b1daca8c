"""The user's own layer while connected: the token's layer for a student, their named layer
for a teacher, which a pulled change never moves them off."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.server.conftest import note
from tests.sync.conftest import LiveServer
from tests.ui.sync.conftest import WAIT, connect
from tests.ui.tools.conftest import drag


def server_changes(live: LiveServer, doc: str, layer: str) -> list[dict[str, Any]]:
    """Every record the server's layer changed, from its changes feed."""
    feed = live.call("GET", f"/api/documents/{doc}/layers/{layer}/changes?since=0")
    return list(feed.json()["data"]["upserted"]) if feed.status_code == 200 else []


def rectangles(live: LiveServer, doc: str, layer: str) -> list[dict[str, Any]]:
    return [
        r["content"]
        for r in server_changes(live, doc, layer)
        if r["content"].get("type") == "pspdfkit/shape/rectangle"
    ]


def draw_rectangle(qtbot: QtBot, window: MainWindow) -> None:
    """The rectangle tool, dragged with the mouse over page 1."""
    qtbot.waitUntil(lambda: 0 in window.view.rendered_pages, timeout=WAIT)
    window.view.set_zoom(1.0)
    window.tool_actions.by_name["rectangle"].trigger()
    drag(qtbot, window, 0, [(100, 100), (220, 160)])


def test_a_student_draws_and_fills_in_the_layer_their_token_is_bound_to(
    qtbot: QtBot, app: MainWindow, live: LiveServer
) -> None:
    ViewerSettings().set_user_name("Dana Smith")
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layer="dana", user_id="dana"), doc)
    assert app.layer == "dana"  # the token's layer is hers, not one named "Dana Smith"
    assert "dana" in app.windowTitle()

    draw_rectangle(qtbot, app)
    app.editor.fill([{"name": "answer", "value": "42"}])
    assert app.layer == "dana" and not app.engine.has_layer(doc, "Dana Smith")
    qtbot.waitUntil(lambda: len(rectangles(live, doc, "dana")) == 1, timeout=WAIT)
    qtbot.waitUntil(lambda: app.sync.indicator.text() == "Synced", timeout=WAIT)
    (drawn,) = rectangles(live, doc, "dana")
    assert drawn["creatorName"] == "Dana Smith"  # her name is the author, not the layer
    values = [r["content"] for r in server_changes(live, doc, "dana") if r["kind"] != "annotation"]
    assert [(v["name"], v["value"]) for v in values] == [("answer", "42")]
    assert app.layer == "dana"


def test_a_pulled_change_keeps_a_teacher_on_their_own_layer_not_yet_made(
    qtbot: QtBot, app: MainWindow, live: LiveServer
) -> None:
    ViewerSettings().set_user_name("Mr Teacher")
    doc = live.upload()
    connect(qtbot, app, live.url, live.token(doc, layers=["*"]), doc)
    assert app.layer == "Mr Teacher" and not app.engine.has_layer(doc, "Mr Teacher")

    body = {"id": "s1", "content": note(0, 40, "my answer")}
    assert live.call("POST", f"/api/documents/{doc}/layers/sam/annotations", json=body).ok
    app.sync.sync_action.trigger()  # pulls the student's layer
    qtbot.waitUntil(lambda: "sam" in app.review.layers.names(), timeout=WAIT)
    assert app.layer == "Mr Teacher"  # not moved to the default layer everyone shares

    draw_rectangle(qtbot, app)
    qtbot.waitUntil(lambda: len(rectangles(live, doc, "Mr Teacher")) == 1, timeout=WAIT)
    assert rectangles(live, doc, "") == []  # the default layer got nothing
    assert not [r for r in app.engine.records(doc, "", "annotation") if "rectangle" in str(r)]
