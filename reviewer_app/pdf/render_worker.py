"""The render server: a process that renders tiles, finds text and reads words for the viewer.

PyMuPDF holds the GIL while it renders, so the viewer runs this loop in its own process
(``python -m reviewer_app.pdf.render_worker``) and talks to it over stdin/stdout with framed
pickles. Requests are keyed; a ``want`` message *replaces* a channel's queue, so requests for
pages scrolled away are dropped and the newest view is served first. No Qt here.

Requests (dicts with ``op``):
  open   path, password, generation → opened (pages) or error (message); every reply
         [outline: True]             from then on carries this ``generation``; asked for its
                                     outline, opened also carries sizes, rotations, toc (as
                                     pdf/outline.py reads them: the app's first PDF)
  want   channel, keys             → one ``tile`` reply per key, in order, unless replaced first
  find   id, text                  → ``hits`` (id, page, rects) per page with hits, then ``found``
  words  page                      → ``words`` (page, [(x0, y0, x1, y1, text, block, line), ...])
  free   slot                      → (no reply) the viewer has copied the tile out of ``slot``
  appearances page, scale, xrefs  → one ``appearance`` (page, xref, scale, width, height, x, y:
                                     its corner, samples: premultiplied RGBA) per object asked;
                                     width and height 0 (no samples) when it draws nothing
  fields                           → ``fields`` (widgets: [FormWidget, ...], error: "" or why
                                     the form cannot be read), after the view's tiles
  quit
A key is (page, scale, column, row): a tile (see ``tile_step``) at ``scale`` pixels per point.
Tiles are BGRA; started with ``--slots-fd N`` (a shared-memory file, see ``TileSlots``) the
worker draws them straight into a free slot and the reply names it, else they travel inline.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import IO, Any

import pymupdf

from reviewer_app.pdf.errors import PdfError
from reviewer_app.pdf.geometry import page_box, rotation_matrix
from reviewer_app.pdf.open import open_pdf
from reviewer_app.pdf.outline import outline_of
from reviewer_app.pdf.render import page_display_list
from reviewer_app.pdf.render_pipe import (
    RENDER_WORKER_FLAG,
    SLOTS_FLAG,
    TILE_SIZE,
    Message,
    TileKey,
    TileSlots,
    read_message,
    tile_clip,
    write_message,
)
from reviewer_app.pdf.sandbox_worker import Limits, limit_memory
from reviewer_app.pdf.tile_pixels import Pixels, display_list_runner, draw, page_runner

__all__ = [
    "RENDER_WORKER_FLAG",
    "TILE_SIZE",
    "TileKey",
    "read_message",
    "serve",
    "tile_clip",
    "write_message",
]

CHANNELS = ("view", "thumbs")  # served in this order (the form's widgets between them)
_DISPLAY_LISTS = 8

_mupdf: Any = pymupdf


class RenderServer:
    """Holds one document and the queues of work; serves one unit of work at a time."""

    def __init__(self, output: IO[bytes], slots: TileSlots | None = None) -> None:
        self.output = output
        self.slots = slots
        self.doc: Any = None
        self.wanted: dict[str, list[TileKey]] = {name: [] for name in CHANNELS}
        self.words_wanted: list[int] = []
        self.fields_wanted = False
        self.search: tuple[int, str, int] | None = None  # id, text, next page
        self.display_lists: OrderedDict[int, Any] = OrderedDict()
        self.generation = 0  # which open document the replies are about (sent with each)

    def handle(self, message: Message) -> bool:
        """Take one request into the queues; False when told to quit."""
        op = message.get("op")
        if op == "quit":
            return False
        if op == "open":
            self.generation = message.get("generation", 0)
            self.open(message["path"], message.get("password"), bool(message.get("outline")))
        elif op == "want":
            self.wanted[message["channel"]] = list(message["keys"])
        elif op == "find":
            text = str(message["text"]).strip()
            self.search = (message["id"], text, 0) if text else None
            if not text:
                self.send({"op": "found", "id": message["id"]})
        elif op == "words":
            self.words_wanted.append(int(message["page"]))
        elif op == "appearances":
            self.send_appearances(message)
        elif op == "fields":
            self.fields_wanted = True
        return True

    def open(self, path: str, password: str | None, outline: bool = False) -> None:
        if self.doc is not None:
            self.doc.close()
        self.doc, self.search = None, None
        self.display_lists.clear()
        self.wanted = {name: [] for name in CHANNELS}
        self.fields_wanted = False
        name = os.path.basename(path)
        try:  # MuPDF reads the file as it needs it: no copy of the whole file in memory
            self.doc = open_pdf(Path(path), password=password, name=name)
            read = outline_of(self.doc, name) if outline else None
        except (OSError, PdfError) as exc:
            if self.doc is not None:  # opened, but its pages cannot be read
                self.doc.close()
            self.doc = None
            self.send({"op": "error", "message": str(exc)})
            return
        reply: Message = {"op": "opened", "pages": self.doc.page_count}
        if read is not None:
            reply |= {"sizes": read[0], "rotations": read[1], "toc": read[2]}
        self.send(reply)

    def has_work(self) -> bool:
        return self.doc is not None and bool(
            any(self.wanted.values()) or self.fields_wanted or self.words_wanted or self.search
        )

    def work_once(self) -> None:
        """Serve the most urgent unit: a view tile, the form's widgets, a thumbnail, words, a
        page of search."""
        if self.wanted["view"]:
            self.render("view", self.wanted["view"].pop(0))
        elif self.fields_wanted:
            self.send_fields()
        elif self.wanted["thumbs"]:
            self.render("thumbs", self.wanted["thumbs"].pop(0))
        elif self.words_wanted:
            self.send_words(self.words_wanted.pop(0))
        elif self.search:
            self.search_step()

    def display_list(self, index: int) -> Any:
        found = self.display_lists.get(index)
        if found is None:
            found = page_display_list(self.doc[index], fields=False)  # drawn by the viewer
            self.display_lists[index] = found
            while len(self.display_lists) > _DISPLAY_LISTS:
                self.display_lists.popitem(last=False)
        else:
            self.display_lists.move_to_end(index)
        return found

    def render(self, channel: str, key: TileKey) -> None:
        """Draw tile ``key`` (a whole page straight from the page, a tile of a bigger one from
        its display list) into a free slot, and say so (with the seconds it took)."""
        page, scale = key[0], key[1]
        if not 0 <= page < self.doc.page_count:
            return
        started = time.perf_counter()
        pdf_page = self.doc[page]
        run, bounds = page_runner(pdf_page)
        width, height = bounds.x1 - bounds.x0, bounds.y1 - bounds.y0
        x0, y0, x1, y1 = tile_clip(width, height, key)
        if (x0, y0, x1, y1) != (0, 0, width, height):
            run = display_list_runner(self.display_list(page))
        clip = (x0 + bounds.x0, y0 + bounds.y0, x1 + bounds.x0, y1 + bounds.y0)
        waited = time.perf_counter()
        slot = self.slots.acquire() if self.slots is not None else None
        waited = time.perf_counter() - waited  # for the viewer to free a slot: not a cost
        pixels = self._draw(run, clip, scale, slot)
        seconds = time.perf_counter() - started - waited
        reply = {"op": "tile", "channel": channel, "key": key, "width": pixels.width}
        reply |= {"height": pixels.height, "stride": pixels.stride, "slot": pixels.slot}
        reply |= {"samples": pixels.samples, "seconds": seconds}
        self.send(reply)

    def _draw(self, run: Any, clip: Any, scale: float, slot: int | None) -> Pixels:
        if slot is None or self.slots is None:
            return draw(run, clip, scale, None)
        with self.slots.slot(slot) as out:
            try:
                pixels = draw(run, clip, scale, out)
            except BaseException:
                self.slots.release(slot)
                raise
        if pixels.samples is None:
            pixels.slot = slot
        else:  # too big for a slot: it travels inline
            self.slots.release(slot)
        return pixels

    def send_appearances(self, message: Message) -> None:
        """Draw each asked annotation object of a page alone, from its PDF appearance (small
        images, drawn at once), upright as in the unrotated page; one reply each."""
        page_index, scale = int(message["page"]), float(message["scale"])
        if self.doc is None or not 0 <= page_index < self.doc.page_count:
            return
        page = self.doc[page_index]
        for xref in message["xrefs"]:
            pixels = annotation_pixels(page, int(xref), scale) or {
                "scale": scale,
                "width": 0,
                "height": 0,
                "x": 0,
                "y": 0,
                "samples": b"",
            }  # none: the viewer draws the record itself
            self.send({"op": "appearance", "page": page_index, "xref": xref, **pixels})

    def send_fields(self) -> None:
        """The document's form widgets (read once: the viewer draws and fills them)."""
        self.fields_wanted = False
        from reviewer_app.pdf.form_widgets import read_form_widgets  # (after the first tiles)

        try:
            widgets, error = read_form_widgets(self.doc), ""
        except (RuntimeError, ValueError) as exc:  # MuPDF on a damaged field tree
            widgets, error = [], str(exc) or type(exc).__name__
        self.send({"op": "fields", "widgets": widgets, "error": error})

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
        message["generation"] = self.generation
        write_message(self.output, message)


def annotation_pixels(page: Any, xref: int, scale: float) -> dict[str, Any] | None:
    """Annotation ``xref`` of ``page`` alone at ``scale`` pixels per point, in the unrotated
    page's orientation (as Instant coordinates are): width, height, its top-left corner (x,
    y: pixels at ``scale`` from the page's top-left), scale and premultiplied RGBA samples;
    None when the page holds no such annotation or it draws nothing."""
    try:
        annot = page.load_annot(xref)
        if annot is None:
            return None
        turn = _mupdf.Matrix(*rotation_matrix(page_box(page.parent, page.number)))
        matrix = ~turn * _mupdf.Matrix(scale, scale)  # PyMuPDF's own lacks the /UserUnit
        pix = annot.get_pixmap(matrix=matrix, alpha=True)
    except Exception:  # no such annotation on the page (pymupdf raises Exception), or damaged
        return None
    if pix.width <= 0 or pix.height <= 0 or pix.n != 4:
        return None
    return {
        "scale": scale,
        "width": pix.width,
        "height": pix.height,
        "x": pix.x,
        "y": pix.y,
        "samples": pix.samples,
    }


def serve(source: IO[bytes], output: IO[bytes], slots: TileSlots | None = None) -> None:
    """Read requests from ``source`` (on a thread, so new ones replace queued work at once and
    freed slots are free at once)."""
    inbox: queue.Queue[Message | None] = queue.Queue()

    def read_all() -> None:
        while (message := read_message(source)) is not None:
            if message.get("op") == "free":
                if slots is not None:
                    slots.release(int(message["slot"]))
                continue
            inbox.put(message)
        if slots is not None:
            slots.close()
        inbox.put(None)

    threading.Thread(target=read_all, daemon=True).start()
    server = RenderServer(output, slots)
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
    limit_memory(Limits().memory_bytes)  # a hostile PDF may not take the machine's memory
    args = sys.argv[1:]
    slots = None
    if SLOTS_FLAG in args[:-1]:
        slots = TileSlots(int(args[args.index(SLOTS_FLAG) + 1]))
    with contextlib.suppress(BrokenPipeError):  # the viewer went away: nothing to serve
        serve(sys.stdin.buffer, output, slots)
    with contextlib.suppress(OSError):
        output.flush()
    # The stdin reader thread may be blocked in a read; a normal interpreter shutdown would
    # then abort ("could not acquire lock for stdin"). Nothing is left to clean up: leave now.
    os._exit(0)


if __name__ == "__main__":
    main()
