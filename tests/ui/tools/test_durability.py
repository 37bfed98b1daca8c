"""Nothing is lost: the app process killed right after a mouse-drawn change keeps that change."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from reviewer_app.engine import LayerEngine
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait
from tests.ui.tools.conftest import USER, make_annotating_pdf

ROOT = Path(__file__).resolve().parents[3]


def test_a_killed_app_keeps_the_change_it_drew(qtbot: QtBot, tmp_path: Path) -> None:
    data, pdf = tmp_path / "data", make_annotating_pdf(tmp_path / "annotate.pdf")
    original = pdf.read_bytes()
    arguments = [str(data), str(pdf), str(tmp_path / "child-settings")]
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.tools.annotating_child", *arguments],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.stdout is not None
    line = child.stdout.readline().split()
    child.send_signal(signal.SIGKILL)  # no close, no Save: the process just dies
    child.wait(timeout=30)
    assert line[:1] == ["DRAWN"] and line[1] != "-", line
    with LayerEngine(data) as engine:
        assert engine.db.connection().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        doc = engine.documents()[0]
        assert pdf.read_bytes() == original  # the PDF itself is never modified
        assert hashlib.sha256(engine.pdf_path(doc.id).read_bytes()).hexdigest() == doc.sha256
        drawn = engine.record(doc.id, USER, "annotation", line[1])
        assert drawn.content["type"] == "pspdfkit/shape/rectangle"
        assert drawn.content["creatorName"] == USER
        # reopened in a new window, the user's layer shows it
        ViewerSettings().set_user_name(USER)
        window = MainWindow(engine, ViewerSettings())
        qtbot.addWidget(window)
        window.show()
        open_and_wait(qtbot, window, pdf)
        assert window.layer == USER
        assert any(r.id == line[1] for r in window.overlay.on_page(0))
        window.close()
