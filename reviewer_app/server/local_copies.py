"""The local copies of an object store's PDFs (``storage-cache/`` in the data folder), kept
under a size: the least recently used copies go first, and a copy used in the last
``IN_USE_SECONDS`` is never removed (a reader may be about to open it).

Safe under several worker processes sharing the folder: a copy is written whole and renamed
into place; using one marks it (its modification time); one process at a time makes room
(an exclusive lock on ``.pruning``; a process that finds it taken leaves the work to the one
holding it); a copy is removed only if it was not used since the list was made. A copy removed
while a reader has it open stays readable to that reader (POSIX), and the next use fetches it
again."""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from reviewer_app.engine.partial_files import SUFFIX
from reviewer_app.server.config import DEFAULT_CACHE_SIZE

try:
    import fcntl
except ImportError:  # Windows: one server process there
    fcntl = None  # type: ignore[assignment]

IN_USE_SECONDS = 600.0
"""A copy used this recently is kept even over the limit: the path handed to a reader (a PDF
request waiting for a worker, a file response) is opened within this time."""
LOCK_NAME = ".pruning"


@dataclass
class LocalCopies:
    """The folder of local copies, at most ``limit`` bytes of copies not in use."""

    root: Path
    limit: int = DEFAULT_CACHE_SIZE
    in_use_seconds: float = IN_USE_SECONDS

    def used(self, path: Path) -> None:
        """Mark ``path`` as just used (a hit): it goes last in the eviction order."""
        with contextlib.suppress(OSError):  # removed meanwhile: the caller fetches it again
            os.utime(path)

    def make_room(self) -> list[Path]:
        """Remove the least recently used copies not in use until the rest fit the limit
        (nothing if another process is doing it now); returns the removed paths."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK_NAME, "a+b") as lock:
            if fcntl is not None:
                try:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return []
            return self._evict()

    def _evict(self) -> list[Path]:
        copies = []
        for path in self.root.rglob("*"):
            if path.name == LOCK_NAME or path.name.endswith(SUFFIX):
                continue  # the lock, and copies still being written
            with contextlib.suppress(OSError):
                stat = path.stat()
                if path.is_file():
                    copies.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in copies)
        removed: list[Path] = []
        recent = time.time() - self.in_use_seconds
        for mtime, size, path in sorted(copies):
            if total <= self.limit or mtime > recent:
                break  # the rest are newer still
            try:
                if path.stat().st_mtime != mtime:
                    continue  # used since the list was made
                path.unlink()
            except OSError:
                continue  # another process removed it, or cannot
            removed.append(path)
            total -= size
        return removed
