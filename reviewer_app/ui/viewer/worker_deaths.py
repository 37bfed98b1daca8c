"""What the viewer remembers of its render worker's deaths. The worker runs MuPDF on the user's
PDFs so that a PDF that crashes it costs only the worker; the viewer starts another and shows
the document again, once. A PDF shown during two deaths is remembered by its SHA-256 (as the
PDF sandbox remembers the PDFs that crashed its workers) and not sent to a worker again while
the app runs; other PDFs open as usual."""

from __future__ import annotations

import signal
from pathlib import Path

CANNOT_SHOW = "This PDF's pages cannot be shown"
SIGNALS = {
    signal.SIGSEGV: "a segmentation fault",
    signal.SIGBUS: "a bus error",
    signal.SIGABRT: "it aborted",
    signal.SIGILL: "an illegal instruction",
    signal.SIGFPE: "an arithmetic fault",
    signal.SIGKILL: "it was killed, perhaps for want of memory",
}
DEATHS_ALLOWED = 2
"""A PDF shown during this many deaths of the worker is refused."""
SILENT_DEATHS_ALLOWED = 3
"""Workers that die before answering anything, in a row, before the viewer stops starting
them (something other than a PDF is wrong: the installation, the machine's memory)."""


class WorkerDeaths:
    """The deaths of one viewer's render workers, and the PDFs they refuse."""

    def __init__(self) -> None:
        self.by_pdf: dict[str, int] = {}  # SHA-256 → deaths while it was shown
        self.refused: dict[str, str] = {}  # SHA-256 → what its last death was
        self.silent = 0
        self.last = ""  # what the last death was, in words

    def died(self, exit_code: int, answered: bool) -> str | None:
        """Count a worker's death (it had ``answered`` something, or not); None when another
        may be started, else what to tell the user."""
        self.last = what_happened(exit_code)
        self.silent = 0 if answered else self.silent + 1
        if self.silent < SILENT_DEATHS_ALLOWED:
            return None
        return f"The page renderer cannot be started ({self.last}), so no page can be shown."

    def died_showing(self, path: str) -> str | None:
        """Count the last death against ``path`` (shown then): what to tell the user, and
        whether the PDF is now refused (a message saying so) or shown again (None)."""
        key = _digest(path)
        if key is None:
            return None
        self.by_pdf[key] = self.by_pdf.get(key, 0) + 1
        if self.by_pdf[key] < DEATHS_ALLOWED:
            return None
        self.refused[key] = self.last
        return (
            f"This PDF stopped the page renderer twice ({self.last}): its pages are no longer "
            "drawn. Other PDFs open as usual."
        )

    def refusal(self, path: str) -> str | None:
        """What to tell the user instead of showing ``path``, if it is refused (the file is
        only read, to be hashed, once a PDF has been refused)."""
        if not self.refused:
            return None
        reason = self.refused.get(_digest(path) or "")
        if reason is None:
            return None
        return (
            f"{CANNOT_SHOW}: it stopped the page renderer twice before ({reason}). "
            "Other PDFs open as usual."
        )


def what_happened(exit_code: int) -> str:
    """A worker's exit, in words: the signal that ended it, or its exit code."""
    if exit_code < 0:
        try:
            return SIGNALS.get(signal.Signals(-exit_code), f"signal {-exit_code}")
        except ValueError:
            return f"signal {-exit_code}"
    return f"exit code {exit_code}"


def _digest(path: str) -> str | None:
    import hashlib  # (only once a worker died: not on the way to the first page)

    digest = hashlib.sha256()
    try:
        with Path(path).open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()
