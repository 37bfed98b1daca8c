"""Sync's log file: what went wrong, with the details a message for a person leaves out."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

import platformdirs

LOGGER = logging.getLogger("reviewer_app.sync")
FILE_NAME = "sync.log"
MAX_BYTES = 1_000_000
BACKUPS = 3  # sync.log.1 … sync.log.3: about 4 MB at most


def log_file() -> Path:
    """Where the log is written: the user's log folder (``~/.local/state/Reviewer/log`` on
    Linux, ``~/Library/Logs/Reviewer`` on macOS, ``%LOCALAPPDATA%\\Reviewer\\Logs`` on Windows)."""
    return Path(platformdirs.user_log_dir("Reviewer", appauthor=False)) / FILE_NAME


def log_to_file(path: Path | None = None) -> Path:
    """Write sync's log records (INFO and above) to ``path`` (default :func:`log_file`), in a
    file rotated at about 1 MB; a handler for another path is replaced. Returns the path."""
    target = (path or log_file()).resolve()
    for handler in list(LOGGER.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            if Path(handler.baseFilename) == target:
                return target
            LOGGER.removeHandler(handler)
            handler.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    return target


def log_failure(exc: BaseException, what: str) -> None:
    """Record a failure with its traceback (``what`` says what was being done)."""
    LOGGER.warning("%s failed: %s: %s", what, type(exc).__name__, exc, exc_info=exc)
