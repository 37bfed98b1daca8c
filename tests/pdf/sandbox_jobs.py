"""Jobs that misbehave, for the PDF sandbox's tests (module-level: a worker imports them)."""

from __future__ import annotations

import ctypes
import os
import signal
from pathlib import Path

from reviewer_app.pdf.errors import BrokenPdf


def size(data: bytes, extra: int = 0) -> int:
    return len(data) + extra


def pid(data: bytes) -> int:
    return os.getpid()


def refuse(data: bytes) -> None:
    raise BrokenPdf(f"damaged PDF: {len(data)} bytes of nothing")


def crash(data: bytes, ran: str) -> None:
    """Leave a mark in ``ran`` (one line per run), then die of a segmentation fault."""
    with Path(ran).open("a") as file:
        file.write("ran\n")
    ctypes.string_at(0)


def terminated(data: bytes) -> None:
    """End as a busy worker is ended when its program exits (multiprocessing's SIGTERM)."""
    os.kill(os.getpid(), signal.SIGTERM)


def spin(data: bytes) -> None:
    while True:
        pass


def wait_for(data: bytes, started: str, release: str) -> str:
    """Say it started (file ``started``), then wait until the file ``release`` exists."""
    Path(started).touch()
    while not Path(release).exists():
        os.sched_yield()
    return "released"


def hog(data: bytes) -> int:
    """Ask for 8 GiB (more than any test's limit)."""
    return len(bytearray(8 << 30))
