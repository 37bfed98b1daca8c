"""Sync figures of the window: the longest UI-thread stall while connecting to a server (the
document downloaded, the client attached, the first sync) and while closing the document
(opening another PDF) during a sync of 30 layers of 200 annotations. A real server on
127.0.0.1; every figure a median over several runs (bench/figures.py). Prints a table and
writes ``bench/results/sync_stalls.json``; ``make bench``.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from figures import RUNS, Report  # bench/, on the path when run as a script
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from viewer_kit import Heartbeat, text_pdf, wait_until

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from reviewer_app.engine import LayerEngine
from reviewer_app.server.tokens import keygen
from reviewer_app.sync import CredentialStore, SyncClient
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.sync import controls as sync_ui
from tests.server.conftest import note
from tests.sync.conftest import FAST, LiveServer
from tests.ui.sync.conftest import fill_connect_dialog

LAYERS, PER_LAYER = 30, 200


def connect(window: MainWindow, url: str, token: str, doc: str) -> None:
    """File > Connect to Server… filled in; returns once the document shows, synced. The
    dialog shows (and is painted) before it is filled in and confirmed, as with a person:
    opening it and the server's answer to Connect never fall in one turn of the loop."""
    fill_connect_dialog(window, url, token, doc, read=lambda: wait_until(lambda: False, 0.1))
    wait_until(lambda: window.document is not None and window.document.id == doc, 60)
    wait_until(lambda: window.sync.indicator.text() == "Synced", 120)


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    report = Report("sync_stalls")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        sync_ui.CredentialStore = functools.partial(  # type: ignore[misc]
            CredentialStore, tmp / "credentials.json", use_keyring=False
        )
        private, public = keygen(tmp / "keys", "ES256")
        live = LiveServer(tmp / "server", ("--jwt-public-key", str(public)))
        live.private_key = private.read_bytes()
        live.start()
        other = text_pdf(tmp / "other.pdf", 3)
        connecting, closing = [], []
        try:
            for run in range(RUNS):
                doc = live.upload()
                settings = ViewerSettings(
                    QSettings(str(tmp / f"settings {run}.ini"), QSettings.Format.IniFormat)
                )
                with LayerEngine(tmp / f"replica {run}") as engine:
                    window = MainWindow(engine, settings)
                    window.sync.make_client = lambda url, token: SyncClient(
                        url, token, retry=FAST, timeout=(2.0, 30.0)
                    )
                    window.resize(1200, 900)
                    window.show()
                    wait_until(lambda: False, 0.2)  # shown and painted before anything is timed
                    token = live.token(doc, layers=["*"])  # given by the server's keeper
                    with Heartbeat() as beat:
                        connect(window, live.url, token, doc)
                    connecting.append(beat.longest_ms)
                    for n in range(LAYERS):
                        notes = [note(i % 2, 20 + i, f"n{n}-{i}") for i in range(PER_LAYER)]
                        engine.create_records(doc, f"student {n:02}", "annotation", notes)
                    window.review.context.changes.layer_set_changed()
                    wait_until(lambda: False, 0.1)  # the new layers listed (not the close's)
                    window.sync.background.sync_now()
                    wait_until(lambda w=window: w.sync.background.busy(), 10)
                    with Heartbeat() as beat:
                        window.open_file(other)  # the synced document closes mid-sync
                        wait_until(lambda w=window: w.sync.session is None, 30)
                        wait_until(lambda: False, 0.3)
                    closing.append(beat.longest_ms)
                    window.close()
                    app.processEvents()
        finally:
            live.stop()
    report.add("connect.longest_stall", connecting, note="connect, download, first sync")
    report.add(
        "close_during_sync.longest_stall",
        closing,
        note=f"another PDF opened while {LAYERS} layers of {PER_LAYER} sync",
    )
    report.goal("connect.longest_stall", 16, "the UI thread while connecting")
    report.goal("close_during_sync.longest_stall", 16, "closing a document during a sync")
    report.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
