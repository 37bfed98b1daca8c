"""The real app asked to end by a signal (a session's end: SIGTERM; Ctrl+C in its terminal:
SIGINT) closes as by its close button, and keeps what it keeps at a close."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.ui.conftest import make_pdf

ROOT = Path(__file__).resolve().parents[2]


def settings_text() -> str:
    """The app's settings file, as the child writes it (under the test's XDG_CONFIG_HOME)."""
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "Reviewer" / "Reviewer.ini"
    return path.read_text() if path.exists() else ""


def wait_for(found: Callable[[], bool], child: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 120  # a bound for a hung child, not a figure
    while not found():
        assert child.poll() is None, f"the app ended before {what}: {child.communicate()}"
        assert time.monotonic() < deadline, f"the app never got to {what}"
        time.sleep(0.1)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_closes_the_app_as_its_close_button_does(
    tmp_path: Path, stop: signal.Signals
) -> None:
    pdf = make_pdf(tmp_path / "worksheet.pdf", pages=3)
    child = subprocess.Popen(
        [sys.executable, "-m", "reviewer_app", "--data-dir", str(tmp_path / "data"), str(pdf)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        wait_for(lambda: "worksheet.pdf" in settings_text(), child, "the PDF opened")
        assert "pages" not in settings_text()  # the page it is at: kept at the close
        child.send_signal(stop)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err  # ended by its own close, not killed by the signal
    assert "KeyboardInterrupt" not in err
    assert "[pages]" in settings_text()
