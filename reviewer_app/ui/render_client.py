"""The viewer's end of the render server: starts the worker, sends keyed requests, reads replies."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtGui import QImage

from reviewer_app.pdf.render_worker import TileKey, read_message, write_message
from reviewer_app.ui.signals import emit

_STOP_SECONDS = 3.0


class ReplyReader(QThread):
    """Reads the worker's replies off the UI thread; tiles become RGB32 QImages here.

    Emits ``replied(dict)`` for each reply (a tile reply carries its ``image``)."""

    replied = Signal(object)

    def __init__(self, stream: Any) -> None:
        super().__init__()
        self.stream = stream

    def run(self) -> None:
        while (message := read_message(self.stream)) is not None:
            if message.get("op") == "tile":
                samples = message.pop("samples")
                image = QImage(
                    samples,
                    message["width"],
                    message["height"],
                    message["stride"],
                    QImage.Format.Format_RGB888,
                )
                message["image"] = image.convertToFormat(QImage.Format.Format_RGB32)
            emit(self.replied, message)


class RenderClient(QObject):
    """One render server process serving one open document.

    Emits ``tile_ready(channel, key, image)``, ``words_ready(page, words)``,
    ``hits_found(search_id, page, rects)``, ``search_done(search_id)``, ``opened(page_count)``
    and ``failed(message)``."""

    tile_ready = Signal(str, object, QImage)
    words_ready = Signal(int, list)
    hits_found = Signal(int, int, list)
    search_done = Signal(int)
    opened = Signal(int)
    failed = Signal(str)

    live: ClassVar[set[RenderClient]] = set()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reviewer_app.pdf.render_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._lock = threading.Lock()
        self._wanted: dict[str, list[TileKey]] = {}
        self.reader = ReplyReader(self.process.stdout)
        self.reader.replied.connect(self._dispatch)
        self.reader.start()
        RenderClient.live.add(self)

    @property
    def pid(self) -> int:
        return self.process.pid

    def open_document(self, path: str, password: str | None) -> None:
        self._wanted.clear()
        self._send({"op": "open", "path": path, "password": password})

    def want(self, channel: str, keys: list[TileKey]) -> None:
        """Replace the channel's queue with ``keys`` (most urgent first); repeats are not sent."""
        if self._wanted.get(channel) == keys:
            return
        self._wanted[channel] = keys
        self._send({"op": "want", "channel": channel, "keys": keys})

    def find(self, search_id: int, text: str) -> None:
        self._send({"op": "find", "id": search_id, "text": text})

    def words(self, page: int) -> None:
        self._send({"op": "words", "page": page})

    def _send(self, message: dict[str, Any]) -> None:
        if self.process.stdin is None or self.process.poll() is not None:
            return
        with self._lock, contextlib.suppress(BrokenPipeError, OSError, ValueError):
            write_message(self.process.stdin, message)

    def _dispatch(self, message: dict[str, Any]) -> None:
        op = message["op"]
        if op == "tile":
            keys = self._wanted.get(message["channel"])
            if keys and message["key"] in keys:
                keys.remove(message["key"])
            emit(self.tile_ready, message["channel"], message["key"], message["image"])
        elif op == "words":
            emit(self.words_ready, message["page"], message["words"])
        elif op == "hits":
            emit(self.hits_found, message["id"], message["page"], message["rects"])
        elif op == "found":
            emit(self.search_done, message["id"])
        elif op == "opened":
            emit(self.opened, message["pages"])
        elif op == "error":
            emit(self.failed, message["message"])

    def shutdown(self) -> None:
        """Ask the worker to quit, wait for it (killing it if it hangs) and stop the reader."""
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
