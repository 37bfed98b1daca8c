"""Layers > Export Layer as XFDF… and Import XFDF Comments into Layer…, in the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait

NOTE = {
    "v": 2,
    "id": "n1",
    "type": "pspdfkit/note",
    "pageIndex": 1,
    "bbox": [100, 120, 24, 24],
    "text": {"format": "plain", "value": "Cite the passage"},
    "icon": "comment",
    "creatorName": "Ms Okafor",
}


def test_a_layer_goes_out_as_xfdf_and_comes_back_as_a_new_layer(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    window.engine.create_records(window.document.id, "amy", "annotation", [NOTE])
    window.set_layer("amy")
    xfdf, path = window.review.xfdf, tmp_path / "amy.xfdf"
    assert window.review.actions.export_xfdf in window.review.layers_dock.more.actions()
    said: list[str] = []
    window.context.message.connect(lambda text, _ms: said.append(text))
    task = xfdf.export("amy", path)
    assert task is not None
    qtbot.waitUntil(lambda: task.done, timeout=10_000)
    assert b"Cite the passage" in path.read_bytes() and b'name="n1"' in path.read_bytes()
    shown = len(window.engine.records(window.document.id, "amy", "annotation"))  # the base's too
    assert shown > 1
    assert f"Wrote {shown} annotations and 0 form values of " in said[-1]
    task = xfdf.import_into("from acrobat", path)
    assert task is not None
    qtbot.waitUntil(lambda: window.layer == "from acrobat", timeout=10_000)
    ids = [r.id for rs in window.overlay.by_page.values() for r in rs]
    assert "n1" in ids and "from acrobat" in window.review.layers.names()
    assert f"Read {shown} annotations and 0 form values from amy.xfdf into" in said[-1]


def test_a_hostile_file_is_said_and_changes_nothing(
    qtbot: QtBot,
    window: MainWindow,
    sample_pdf: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(window.context, "show_error", lambda t, text: errors.append((t, text)))
    path = tmp_path / "bomb.xfdf"
    path.write_text(
        '<!DOCTYPE x [<!ENTITY a "aaaa">]><xfdf xmlns="http://ns.adobe.com/xfdf/">&a;</xfdf>'
    )
    layers = window.review.layers.names()
    task = window.review.xfdf.import_into("bomb", path)
    assert task is not None
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert errors[0][0] == "XFDF not imported" and "entities" in errors[0][1]
    assert window.review.layers.names() == layers and window.layer != "bomb"
