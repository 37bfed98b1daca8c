"""The render server: a process that renders tiles, finds text and reads words for the viewer.

PyMuPDF holds the GIL while it renders, so the viewer runs this loop in its own process
(``python -m reviewer_app.pdf.render_worker``) and talks to it over stdin/stdout with framed
pickles. Requests are keyed; a ``want`` message *replaces* a channel's queue, so requests for
pages scrolled away are dropped and the newest view is served first. No Qt here.

Requests (dicts with ``op``):
  open   path, password            → opened (pages) or error (message)
  want   channel, keys             → one ``tile`` reply per key, in order, unless replaced first
  find   id, text                  → ``hits`` (id, page, rects) per page with hits, then ``found``
  words  page                      → ``words`` (page, [(x0, y0, x1, y1, text, block, line), ...])
  quit
A key is (page, scale, column, row): the tile of TILE_SIZE pixels at ``scale`` pixels per point.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import struct
import sys
import threading
import time
from collections import OrderedDict
from typing import IO, Any

import pymupdf

from reviewer_app.pdf.errors import PdfError
from reviewer_app.pdf.open import open_pdf

TILE_SIZE = 1024
HEADER = struct.Struct("<Q")
CHANNELS = ("view", "thumbs")  # served in this order
_DISPLAY_LISTS = 8

TileKey = tuple[int, float, int, int]
Message = dict[str, Any]
_mupdf: Any = pymupdf


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


def tile_clip(width: float, height: float, key: TileKey) -> tuple[float, float, float, float]:
    """The part of a ``width`` x ``height`` point page that tile ``key`` covers, in points."""
    _, scale, column, row = key
    step = TILE_SIZE / scale
    x0, y0 = column * step, row * step
    return (x0, y0, min(width, x0 + step), min(height, y0 + step))


def page_display_list(page: Any) -> Any:
    """The page's content and its form fields, without its other annotations."""
    mu = _mupdf.mupdf
    fz_page = page.this.super() if hasattr(page.this, "super") else page.this
    display = mu.FzDisplayList(mu.fz_bound_page(fz_page))
    device = mu.FzDevice(display)
    ctm = mu.FzMatrix()
    mu.fz_run_page_contents(fz_page, device, ctm, mu.FzCookie())
    mu.fz_run_page_widgets(fz_page, device, ctm, mu.FzCookie())
    mu.fz_close_device(device)
    return _mupdf.DisplayList(display)


class RenderServer:
    """Holds one document and the queues of work; serves one unit of work at a time."""

    def __init__(self, output: IO[bytes]) -> None:
        self.output = output
        self.doc: Any = None
        self.wanted: dict[str, list[TileKey]] = {name: [] for name in CHANNELS}
        self.words_wanted: list[int] = []
        self.search: tuple[int, str, int] | None = None  # id, text, next page
        self.display_lists: OrderedDict[int, Any] = OrderedDict()

    def handle(self, message: Message) -> bool:
        """Take one request into the queues; False when told to quit."""
        op = message.get("op")
        if op == "quit":
            return False
        if op == "open":
            self.open(message["path"], message.get("password"))
        elif op == "want":
            self.wanted[message["channel"]] = list(message["keys"])
        elif op == "find":
            text = str(message["text"]).strip()
            self.search = (message["id"], text, 0) if text else None
            if not text:
                self.send({"op": "found", "id": message["id"]})
        elif op == "words":
            self.words_wanted.append(int(message["page"]))
        return True

    def open(self, path: str, password: str | None) -> None:
        if self.doc is not None:
            self.doc.close()
        self.doc, self.search = None, None
        self.display_lists.clear()
        self.wanted = {name: [] for name in CHANNELS}
        try:
            with open(path, "rb") as handle:
                self.doc = open_pdf(handle.read(), password=password, name=os.path.basename(path))
        except (OSError, PdfError) as exc:
            self.send({"op": "error", "message": str(exc)})
            return
        self.send({"op": "opened", "pages": self.doc.page_count})

    def has_work(self) -> bool:
        return self.doc is not None and bool(
            any(self.wanted.values()) or self.words_wanted or self.search
        )

    def work_once(self) -> None:
        """Serve the most urgent unit: a view tile, a thumbnail, words, then a page of search."""
        for channel in CHANNELS:
            if self.wanted[channel]:
                self.render(channel, self.wanted[channel].pop(0))
                return
        if self.words_wanted:
            self.send_words(self.words_wanted.pop(0))
        elif self.search:
            self.search_step()

    def display_list(self, index: int) -> Any:
        found = self.display_lists.get(index)
        if found is None:
            found = page_display_list(self.doc[index])
            self.display_lists[index] = found
            while len(self.display_lists) > _DISPLAY_LISTS:
                self.display_lists.popitem(last=False)
        else:
            self.display_lists.move_to_end(index)
        return found

    def render(self, channel: str, key: TileKey) -> None:
        started = time.perf_counter()
        page, scale = key[0], key[1]
        if not 0 <= page < self.doc.page_count:
            return
        display = self.display_list(page)
        bounds = display.rect
        x0, y0, x1, y1 = tile_clip(bounds.width, bounds.height, key)
        clip = _mupdf.Rect(x0 + bounds.x0, y0 + bounds.y0, x1 + bounds.x0, y1 + bounds.y0)
        pix = display.get_pixmap(matrix=_mupdf.Matrix(scale, scale), alpha=False, clip=clip)
        reply = {"op": "tile", "channel": channel, "key": key, "width": pix.width}
        reply |= {"height": pix.height, "stride": pix.stride, "samples": bytes(pix.samples)}
        reply["seconds"] = time.perf_counter() - started
        self.send(reply)

    def send_words(self, page: int) -> None:
        if not 0 <= page < self.doc.page_count:
            return
        words = [tuple(w[:7]) for w in self.doc[page].get_text("words", sort=True)]
        self.send({"op": "words", "page": page, "words": words})

    def search_step(self) -> None:
        assert self.search is not None
        search_id, text, page = self.search
        if page >= self.doc.page_count:
            self.search = None
            self.send({"op": "found", "id": search_id})
            return
        quads = self.doc[page].search_for(text)
        if quads:
            rects = [(r.x0, r.y0, r.x1, r.y1) for r in quads]
            self.send({"op": "hits", "id": search_id, "page": page, "rects": rects})
        self.search = (search_id, text, page + 1)

    def send(self, message: Message) -> None:
        write_message(self.output, message)


def serve(source: IO[bytes], output: IO[bytes]) -> None:
    """Read requests from ``source`` (on a thread, so new ones replace queued work at once)."""
    inbox: queue.Queue[Message | None] = queue.Queue()

    def read_all() -> None:
        while (message := read_message(source)) is not None:
            inbox.put(message)
        inbox.put(None)

    threading.Thread(target=read_all, daemon=True).start()
    server = RenderServer(output)
    while True:
        block = not server.has_work()
        try:
            message = inbox.get(block=block)
        except queue.Empty:
            server.work_once()
            continue
        if message is None or not server.handle(message):
            return
        while not inbox.empty():  # take every queued request before working
            pending = inbox.get()
            if pending is None or not server.handle(pending):
                return


def main() -> None:
    """Serve on stdin/stdout; anything else printed to stdout goes to stderr instead."""
    output = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    with contextlib.suppress(BrokenPipeError):  # the viewer went away: nothing to serve
        serve(sys.stdin.buffer, output)


if __name__ == "__main__":
    main()
