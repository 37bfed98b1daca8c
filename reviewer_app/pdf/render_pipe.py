"""The viewer's line to its render worker, without PyMuPDF: how the worker is started, the
framed messages both ends write, and the shared slots tiles travel in.

Kept apart from ``render_worker`` (which imports PyMuPDF) so that the app can start the worker
as the very first thing it does (:func:`prestart`), and the worker's own import of PyMuPDF
runs while the window's modules are still being imported."""

from __future__ import annotations

import atexit
import contextlib
import mmap
import os
import pickle
import queue
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import IO, Any

# A frozen app has no ``python -m``: it starts the worker as ``reviewer-app --render-worker``,
# and the program's command line (reviewer_app.cli) hands that flag to the worker's ``main``.
RENDER_WORKER_FLAG = "--render-worker"
SLOTS_FLAG = "--slots-fd"
HEADER = struct.Struct("<Q")
SLOT_BYTES = 16 * 1024 * 1024  # more than a whole page or a tile
SLOTS = 3

Message = dict[str, Any]
TILE_SIZE = 1024  # pixels: the side of a tile when a page is too big to be drawn whole
WHOLE_PAGE_PIXELS = 4_000_000  # a page of at most this many pixels is one tile

TileKey = tuple[int, float, int, int]


def tile_step(width: float, height: float, scale: float) -> float:
    """The side of a tile in points for a ``width`` x ``height`` point page at ``scale``.

    A page small enough is one tile (column 0, row 0), drawn in one go; a bigger one is cut in
    tiles of TILE_SIZE pixels so that no single render or image is huge."""
    if width * height * scale * scale <= WHOLE_PAGE_PIXELS:
        return max(width, height) + 1.0
    return TILE_SIZE / scale


def tile_clip(width: float, height: float, key: TileKey) -> tuple[float, float, float, float]:
    """The part of a ``width`` x ``height`` point page that tile ``key`` covers, in points."""
    _, scale, column, row = key
    step = tile_step(width, height, scale)
    x0, y0 = column * step, row * step
    return (x0, y0, min(width, x0 + step), min(height, y0 + step))


def write_message(stream: IO[bytes], message: Message) -> None:
    """Write one framed message (length, then pickle) and flush it."""
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(body)) + body)
    stream.flush()


def read_message(stream: IO[bytes]) -> Message | None:
    """Read one framed message; None at the end of the stream."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        return None
    message: Message = pickle.loads(body)
    return message


class TileSlots:
    """SLOTS buffers of SLOT_BYTES in one shared-memory file (an inherited descriptor).

    The worker draws a tile into a slot it ``acquire``s; the viewer copies the pixels out and
    tells the worker, which ``release``s the slot. ``close`` wakes a worker waiting for one."""

    def __init__(self, fd: int) -> None:
        self.memory = mmap.mmap(fd, SLOTS * SLOT_BYTES)
        os.close(fd)
        self._free: queue.SimpleQueue[int | None] = queue.SimpleQueue()
        for index in range(SLOTS):
            self._free.put(index)
        self.closed = False

    @staticmethod
    def new_file() -> int | None:
        """A descriptor of a new shared-memory file big enough for the slots (None if the
        platform has none: tiles then travel in the messages)."""
        try:
            fd = os.memfd_create("reviewer-tiles") if hasattr(os, "memfd_create") else -1
            if fd < 0:
                with tempfile.TemporaryFile() as handle:
                    fd = os.dup(handle.fileno())
            os.ftruncate(fd, SLOTS * SLOT_BYTES)
            os.set_inheritable(fd, True)
        except OSError:
            return None
        return fd

    def slot(self, index: int) -> memoryview:
        """Slot ``index`` as a writable view (release it when done)."""
        return memoryview(self.memory)[index * SLOT_BYTES : (index + 1) * SLOT_BYTES]

    def acquire(self) -> int | None:
        """A free slot, waiting for one; None once closed."""
        index = None if self.closed else self._free.get()
        return None if self.closed else index

    def release(self, index: int) -> None:
        if 0 <= index < SLOTS:
            self._free.put(index)

    def close(self) -> None:
        """Wake whoever waits for a slot: none will be freed any more."""
        self.closed = True
        self._free.put(None)

    def unmap(self) -> None:
        """Let the memory go (once nothing reads or draws into it)."""
        with contextlib.suppress(BufferError):
            self.memory.close()


def worker_command() -> list[str]:
    """How to start the worker: ``python -m``, or a frozen app's own ``--render-worker`` flag."""
    if getattr(sys, "frozen", False):  # PyInstaller: reviewer_app.cli dispatches the flag
        return [sys.executable, RENDER_WORKER_FLAG]
    return [sys.executable, "-m", "reviewer_app.pdf.render_worker"]


@dataclass
class StartedWorker:
    """A render worker process and its tile slots (None: tiles travel in the messages)."""

    process: subprocess.Popen[bytes]
    slots: TileSlots | None


def start_worker() -> StartedWorker:
    """Start a render worker process, talking over its stdin and stdout."""
    fd = TileSlots.new_file()
    process = subprocess.Popen(
        worker_command() + ([SLOTS_FLAG, str(fd)] if fd is not None else []),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        pass_fds=(fd,) if fd is not None else (),
    )
    return StartedWorker(process, TileSlots(fd) if fd is not None else None)


_prestarted: list[StartedWorker] = []


def prestart() -> None:
    """Start a worker now, for the viewer to take (:func:`started_worker`) once its window is
    built; one nobody took is stopped when the program ends (its stdin closes: it leaves)."""
    if not _prestarted:
        _prestarted.append(start_worker())
        atexit.register(_stop_prestarted)


def started_worker() -> StartedWorker:
    """The worker :func:`prestart` started, if it is still running; else a new one."""
    while _prestarted:
        worker = _prestarted.pop()
        if worker.process.poll() is None:
            return worker
        _close(worker)
    return start_worker()


def _stop_prestarted() -> None:
    while _prestarted:
        _close(worker := _prestarted.pop())
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(3)


def _close(worker: StartedWorker) -> None:
    for stream in (worker.process.stdin, worker.process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    if worker.slots is not None:
        worker.slots.unmap()
