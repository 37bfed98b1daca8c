"""Files being written (``*.part``): made locked, renamed into place when complete, and the
ones a killed process left behind found and removed."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # Windows: no flock, but a file open for writing cannot be removed there
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".part"


@contextlib.contextmanager
def partial_file(folder: Path) -> Iterator[tuple[BinaryIO, Path]]:
    """A new ``*.part`` file in ``folder`` (made if missing), open for writing and locked
    while it is written, so that :func:`remove_leftovers` in another process leaves it alone.
    The caller renames it into place; if it has not when the block ends, it is removed."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, suffix=SUFFIX)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            if fcntl is not None:
                fcntl.flock(file.fileno(), fcntl.LOCK_EX)
            yield file, path
    finally:
        path.unlink(missing_ok=True)


def remove_leftovers(root: Path) -> list[Path]:
    """Remove the ``*.part`` files under ``root`` that no process is writing (left by a crash
    or a kill mid-write); returns them."""
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for path in root.rglob(f"*{SUFFIX}"):
        if path.is_file() and _remove_if_unlocked(path):
            removed.append(path)
    return removed


def _remove_if_unlocked(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            if fcntl is not None:
                try:
                    fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return False  # being written right now
            path.unlink()
        return True
    except FileNotFoundError:
        return False  # finished (renamed) or removed meanwhile
    except PermissionError:
        return False  # open in another process (Windows)
