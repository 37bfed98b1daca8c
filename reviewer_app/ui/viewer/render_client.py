"""The viewer's end of the render server: starts the worker, sends keyed requests, reads replies."""

from __future__ import annotations

import contextlib
import subprocess
import threading
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtGui import QImage

from reviewer_app.pdf.render_pipe import (
    TileKey,
    TileSlots,
    read_message,
    started_worker,
    write_message,
)
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.viewer.worker_deaths import WorkerDeaths

_STOP_SECONDS = 3.0


class ReplyReader(QObject):
    """Reads the worker's replies on a thread of its own; a tile's BGRA pixels are copied (once,
    out of their shared slot, which is then freed) into an RGB32 QImage there.

    Emits ``replied(dict)`` for each reply (a tile reply carries its ``image``), then
    ``ended()`` when the replies stop (the worker quit or died). Both are emitted from the
    reading thread, so they reach the UI thread queued.

    A Python thread, not a QThread subclass: Qt names a starting QThread after
    ``metaObject()->className()``, and for a Python subclass that builds PySide's meta-object
    on the new thread without the GIL, racing the UI thread (seen as a segfault in
    ``MetaObjectBuilder::update`` while the first window was being built)."""

    replied = Signal(object)
    ended = Signal()

    def __init__(self, stream: Any, slots: TileSlots | None, free: Callable[[int], None]) -> None:
        super().__init__()
        self.stream = stream
        self.slots = slots
        self.free = free
        self.spare: dict[tuple[int, int], QImage] = {}
        self.taken = threading.Event()  # set by the UI thread once it has handled a tile
        self.replies = 0  # read so far (the UI may not have handled them yet)
        self._reading = threading.Thread(target=self.run, name="render replies", daemon=True)

    def start(self) -> None:
        self._reading.start()

    def wait(self) -> None:
        if self._reading.ident is not None:
            self._reading.join()

    def run(self) -> None:
        try:
            while (message := read_message(self.stream)) is not None:
                self.replies += 1
                if message.get("op") == "tile":
                    message["image"] = self.image(message)
                elif message.get("op") == "appearance":
                    message["image"] = appearance_image(message)
                emit(self.replied, message)
                if message.get("op") == "tile":
                    self.taken.wait(0.1)  # fault pages in after the UI took the tile
                    self.taken.clear()
                    self._prepare(message["width"], message["height"])
        finally:
            with contextlib.suppress(RuntimeError):  # the application is gone
                emit(self.ended)

    def _prepare(self, width: int, height: int) -> None:
        """Have an image of this size ready, its memory touched: the next tile of that size
        is then one quick copy, with no fresh pages to fault in on the way to the screen."""
        if (width, height) not in self.spare:
            image = QImage(width, height, QImage.Format.Format_RGB32)
            image.fill(0xFFFFFFFF)
            self.spare = {(width, height): image}

    def image(self, message: dict[str, Any]) -> QImage:
        width, height, stride = message["width"], message["height"], message["stride"]
        image = self.spare.pop((width, height), None)
        if image is None:
            image = QImage(width, height, QImage.Format.Format_RGB32)
        size = stride * height
        samples, slot = message.pop("samples", None), message.get("slot")
        if samples is None and slot is not None and self.slots is not None:
            with self.slots.slot(slot) as memory:
                _copy(image, memory[:size], stride)
            self.free(slot)
        elif samples is not None:
            _copy(image, memoryview(samples)[:size], stride)
        return image


def _copy(image: QImage, samples: memoryview, stride: int) -> None:
    bits = memoryview(image.bits())  # writable: a non-const QImage detaches here
    if image.bytesPerLine() == stride:
        bits[: len(samples)] = samples
        return
    line = image.bytesPerLine()
    for row in range(image.height()):
        bits[row * line : row * line + stride] = samples[row * stride : (row + 1) * stride]


def appearance_image(message: dict[str, Any]) -> QImage:
    """An ``appearance`` reply's premultiplied RGBA samples as a QImage of its own, whose
    offset is where its top-left corner lies (pixels at the reply's scale from the page's
    top-left); a null image when the annotation draws nothing."""
    width, height = message["width"], message["height"]
    samples = message.pop("samples")
    if width <= 0 or height <= 0:
        return QImage()
    image = QImage(samples, width, height, width * 4, QImage.Format.Format_RGBA8888_Premultiplied)
    image = image.copy()  # the samples are gone with the message
    image.setOffset(QPoint(int(message.get("x", 0)), int(message.get("y", 0))))
    return image


class RenderClient(QObject):
    """One render server process serving one open document.

    Emits ``tile_ready(channel, key, image)``, ``appearance_ready(page, xref, scale, image)``
    (a null image: the annotation draws nothing), ``fields_ready(widgets, error)`` (the
    form's ``FormWidget``s, or why they cannot be read),
    ``words_ready(page, words)``,
    ``hits_found(search_id, page, rects)``, ``search_done(search_id)``, ``opened(page_count)``,
    ``read(reply)`` (a document opened with ``outline``: its ``sizes``, ``rotations`` and
    ``toc``), ``failed(message)`` (it cannot be opened, or the worker died reading it) and
    ``trouble(message)``: the worker died (what happened, for the window; an empty message:
    the trouble is over, a document was opened)."""

    tile_ready = Signal(str, object, QImage)
    appearance_ready = Signal(int, int, float, QImage)
    words_ready = Signal(int, list)
    fields_ready = Signal(list, str)
    hits_found = Signal(int, int, list)
    search_done = Signal(int)
    opened = Signal(int)
    read = Signal(object)
    failed = Signal(str)
    trouble = Signal(str)

    live: ClassVar[set[RenderClient]] = set()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._wanted: dict[str, list[TileKey]] = {}
        self.generation = 0  # of the document opened last: replies about others are dropped
        self.document: tuple[str, str | None] | None = None  # (path, password) shown now
        self.deaths = WorkerDeaths()
        self._fields_asked = False
        self._outline: tuple[str, str | None] | None = None  # asked with the open, not read yet
        self._read_ahead: tuple[str, str | None] | None = None  # opened already, for the view
        self._quitting = False
        self._start()
        RenderClient.live.add(self)

    def _start(self) -> None:
        """Start a worker process and the thread reading its replies."""
        worker = started_worker()  # the one the app started first thing, if still running
        self.process, self.slots = worker.process, worker.slots
        self.reader = ReplyReader(self.process.stdout, self.slots, self._free)
        self.reader.replied.connect(self._dispatch)
        self.reader.ended.connect(self._reader_ended)  # queued: this object's thread
        self.reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def open_document(self, path: str, password: str | None, *, outline: bool = False) -> None:
        """Show ``path`` (its pages, words, form widgets); a PDF that stopped the worker twice
        is refused at once (``trouble`` says so) and the worker is kept for the next one.

        ``outline``: the worker reads the page sizes, rotations and outline too (``read``), so
        the app's first PDF needs no PDF worker before it is shown; ``failed`` if it cannot,
        also when the worker dies reading it (not opened again then: whoever asked reads it
        in the PDF sandbox, which remembers a PDF that crashes it). The next ``open_document``
        of the same file, by the window showing what was read, does not open it again."""
        ahead, self._read_ahead, self._outline = self._read_ahead, None, None
        if ahead == (path, password) and not outline and self.document == ahead:
            return  # opened with its outline: the worker holds it, the view asks for tiles
        self._wanted.clear()
        self.generation += 1
        self._fields_asked = False
        refused = self.deaths.refusal(path)
        if refused is not None:
            self.document = None
            emit(self.trouble, refused)
            return
        self.document = (path, password)
        emit(self.trouble, "")  # whatever an earlier document did is over
        if outline:
            self._outline = self.document
        self._open(path, password, outline)

    def _open(self, path: str, password: str | None, outline: bool = False) -> None:
        message = {"op": "open", "path": path, "password": password, "outline": outline}
        self._send(message | {"generation": self.generation})

    def want(self, channel: str, keys: list[TileKey]) -> None:
        """Replace the channel's queue with ``keys`` (most urgent first); repeats are not sent."""
        if self._wanted.get(channel) == keys:
            return
        self._wanted[channel] = keys
        self._send({"op": "want", "channel": channel, "keys": keys})

    def waiting(self, channel: str) -> int:
        """How many tiles asked for on ``channel`` have not arrived yet."""
        return len(self._wanted.get(channel, ()))

    def find(self, search_id: int, text: str) -> None:
        self._send({"op": "find", "id": search_id, "text": text})

    def appearances(self, page: int, scale: float, xrefs: list[int]) -> None:
        """Ask for the annotation objects ``xrefs`` of ``page``, each drawn alone from its PDF
        appearance at ``scale`` pixels per point (replies: ``appearance_ready``)."""
        self._send({"op": "appearances", "page": page, "scale": scale, "xrefs": xrefs})

    def form_widgets(self) -> None:
        """Ask for the open document's form widgets (reply: ``fields_ready``)."""
        self._fields_asked = True
        self._send({"op": "fields"})

    def words(self, page: int) -> None:
        self._send({"op": "words", "page": page})

    def _free(self, slot: int) -> None:
        self._send({"op": "free", "slot": slot})

    def _send(self, message: dict[str, Any]) -> None:
        if self.process.stdin is None or self.process.poll() is not None:
            return
        with self._lock, contextlib.suppress(BrokenPipeError, OSError, ValueError):
            write_message(self.process.stdin, message)

    def _dispatch(self, message: dict[str, Any]) -> None:
        op = message["op"]
        if message.get("generation", self.generation) != self.generation:
            if op == "tile":  # about the document shown before: its pixels are not wanted
                self.reader.taken.set()
            return
        if op == "tile":
            keys = self._wanted.get(message["channel"])
            if keys and message["key"] in keys:
                keys.remove(message["key"])
            emit(self.tile_ready, message["channel"], message["key"], message["image"])
            self.reader.taken.set()
        elif op == "appearance":
            page, xref, scale = message["page"], message["xref"], message["scale"]
            emit(self.appearance_ready, page, xref, scale, message["image"])
        elif op == "words":
            emit(self.words_ready, message["page"], message["words"])
        elif op == "fields":
            self._fields_asked = False
            emit(self.fields_ready, message["widgets"], message["error"])
        elif op == "hits":
            emit(self.hits_found, message["id"], message["page"], message["rects"])
        elif op == "found":
            emit(self.search_done, message["id"])
        elif op == "opened":
            if self._outline is not None and "sizes" in message:
                self._read_ahead, self._outline = self._outline, None
                emit(self.read, message)
            emit(self.opened, message["pages"])
        elif op == "error":
            if self._outline is not None:
                self._outline = self.document = None
            emit(self.failed, message["message"])

    def _reader_ended(self) -> None:
        """The worker's replies ended: unless we asked it to quit, it died (a crash, or killed).
        Start another and show the document again in it, once; a document shown during two
        deaths is not sent to a worker again (see WorkerDeaths)."""
        if self._quitting:
            return
        self.reader.wait()  # it has emitted its last signal: only its return is left
        code = self.process.wait()
        answered = self.reader.replies > 0
        self._close_worker()
        given_up = self.deaths.died(code, answered)
        reading, self._outline = self._outline, None
        if given_up is not None:
            self.document = None
            emit(self.trouble, given_up)
            if reading is not None:
                emit(self.failed, given_up)
            return
        self._start()
        if reading is not None:  # not drawn again: its reader asks the PDF sandbox instead
            self.document, self._read_ahead = None, None
            self._wanted.clear()
            emit(self.failed, f"The page renderer stopped ({self.deaths.last}) reading it.")
            return
        refused = None if self.document is None else self.deaths.died_showing(self.document[0])
        if self.document is None or refused is not None:
            self.document = None
            self._wanted.clear()
            restarted = f"The page renderer stopped ({self.deaths.last}) and was started again."
            emit(self.trouble, refused or restarted)
            return
        emit(
            self.trouble,
            f"The page renderer stopped ({self.deaths.last}) and was started again: "
            "the pages are drawn anew.",
        )
        self._open(*self.document)
        for channel, keys in self._wanted.items():
            self._send({"op": "want", "channel": channel, "keys": keys})
        if self._fields_asked:
            self._send({"op": "fields"})

    def _close_worker(self) -> None:
        if self.process.stdout is not None:
            self.process.stdout.close()
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        if self.slots is not None:
            self.slots.unmap()
            self.slots = None

    def shutdown(self) -> None:
        """Ask the worker to quit, wait for it (killing it if it hangs) and stop the reader."""
        self._quitting = True
        if self in RenderClient.live:
            RenderClient.live.discard(self)
        self._send({"op": "quit"})
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        if self.slots is not None:
            self.slots.unmap()
