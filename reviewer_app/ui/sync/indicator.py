"""The status bar's sync indicator: what the shown document's sync state is, in words."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QToolButton, QWidget

from reviewer_app.sync import SyncStatus, log_file
from reviewer_app.ui.core.words import plural

NOT_CONNECTED = "Not connected"
CONNECTING = "Connecting…"
_HEADS = {"new": CONNECTING, "synced": "", "syncing": "Syncing…", "offline": "Offline"}


def describe(status: SyncStatus | None) -> str:
    """The indicator's text: "Synced" only when every change of the document is on the
    server; else "Syncing…", "3 pending", "Offline · 3 pending", "2 conflicts",
    "1 layer local only", "Sync error"…, or "Not connected" (no session)."""
    if status is None:
        return NOT_CONNECTED
    head = _HEADS.get(status.state, "Sync error")
    parts = [head] if head else []
    if status.pending:
        parts.append(f"{status.pending} pending")
    if status.conflicts:
        parts.append(plural(status.conflicts, "conflict"))
    if status.deleted_on_server:
        parts.append(f"{plural(len(status.deleted_on_server), 'layer')} deleted on server")
    if status.local_only:
        parts.append(f"{plural(len(status.local_only), 'layer')} local only")
    return " · ".join(parts) or "Synced"


def explain_status(status: SyncStatus | None, server: str = "the server") -> str:
    """The indicator's tooltip: what the text means, in sentences."""
    if status is None:
        return (
            "This document is on this computer only. "
            "File > Connect to Server… shares its layers with a server."
        )
    lines: list[str] = []
    if status.error:
        lines += [status.error, f"The details are written to {log_file()}."]
    elif status.state == "new":
        lines.append(f"Connecting to {server}…")
    elif status.state == "synced" and not status.pending and status.last_synced:
        when = status.last_synced.astimezone().strftime("%H:%M:%S")
        lines.append(f"Last synced with {server} at {when}.")
    if status.pending:
        verb = "waits" if status.pending == 1 else "wait"
        lines.append(
            f"{plural(status.pending, 'change')} of this document {verb} to go to {server}."
        )
    if status.conflicts:
        lines.append(
            f"{plural(status.conflicts, 'record')} changed both here and on the server: "
            "click to choose which to keep."
        )
    if status.deleted_on_server:
        names = ", ".join(status.deleted_on_server)
        lines.append(f"Deleted on the server, kept here until you decide: {names}.")
    if status.local_only:
        names = ", ".join(f"“{n or 'Default layer'}”" for n in status.local_only)
        one = len(status.local_only) == 1
        lines.append(
            f"Kept on this computer only, as the token cannot send {'it' if one else 'them'}: "
            f"{names}."
        )
    if not status.pending and not status.local_only and status.state == "synced":
        lines.append("Every change of this document is on the server.")
    return "\n".join(lines)


class SyncIndicator(QWidget):
    """The status bar's sync state (a button that opens the conflicts) and a progress bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button = QToolButton(autoRaise=True)
        self.button.setAccessibleName("Sync status")
        self.shown: Callable[[str], str] = str  # words as shown (LayerNames.shown)
        self.progress = QProgressBar(textVisible=False)
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName("Sync progress")
        self.progress.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.button)
        self.syncing = False  # the last status said a sync is under way
        self.show_status(None)

    def text(self) -> str:
        return self.button.text()

    def tooltip(self) -> str:
        return self.button.toolTip()

    def show_status(self, status: SyncStatus | None, server: str = "the server") -> None:
        self.button.setText(describe(status))
        self.button.setToolTip(self.shown(explain_status(status, server)))
        self.syncing = status is not None and status.under_way
        if not self.syncing:
            self.progress.hide()

    def show_connecting(self, server: str) -> None:
        self.button.setText(CONNECTING)
        self.button.setToolTip(f"Connecting to {server}…")

    def show_progress(self, done: int, total: int, message: str) -> None:
        """A step of the sync: the bar shows from a step of several under way until the sync
        ends (its status). Hidden at each step's end, it came and went a dozen times a sync,
        and the whole window was laid out again each time. Steps heard while no sync of the
        document shown is under way (one closed mid-sync finishing) are not shown."""
        if not self.syncing:
            self.progress.hide()
            return
        if total > 1:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            self.progress.setToolTip(self.shown(f"Syncing {message} ({100 * done // total} %)"))
            if done < total:
                self.progress.show()
