"""Helpers of the viewer bench: generated PDFs and annotations, waiting, memory, sharp pages."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf
from PySide6.QtCore import QEventLoop, QTimer

from reviewer_app.ui.main_window import MainWindow

LOREM = "The water cycle describes how water evaporates, condenses and falls again as rain. " * 2


def text_pdf(path: Path, pages: int, tag: str = "") -> Path:
    """``tag``: words that make the file's bytes new (a document never seen)."""
    doc = pymupdf.open()
    for index in range(pages):
        page = doc.new_page()
        page.insert_text((72, 60), f"Page {index + 1} {tag}", fontsize=18)
        for line in range(40):
            page.insert_text((72, 90 + line * 17), LOREM[line % 7 :][:90], fontsize=10)
    doc.save(path, garbage=1, deflate=True)
    return path


def annotated_pdf(path: Path, count: int, pages: int, tag: str = "") -> Path:
    """``count`` square annotations with notes spread over ``pages`` text pages."""
    doc = pymupdf.open()
    per_page = count // pages
    for index in range(pages):
        page = doc.new_page()
        page.insert_text((72, 60), f"Page {index + 1} {tag}", fontsize=18)
        for i in range(per_page):
            x, y = 20 + (i % 10) * 55, 100 + (i // 10) * 60
            annot = page.add_rect_annot(pymupdf.Rect(x, y, x + 40, y + 40))
            annot.set_info(title="bench", content=f"note {i}")
            annot.update()
    doc.save(path, garbage=1, deflate=True)
    return path


def heavy_pdf(path: Path, pages: int) -> Path:
    """Pages of many vector curves and text: a render of tens of milliseconds each."""
    doc = pymupdf.open()
    for index in range(pages):
        page = doc.new_page()
        shape = page.new_shape()
        for i in range(1500):
            x, y = 30 + (i * 37) % 540, 40 + (i * 53) % 740
            shape.draw_bezier((x, y), (x + 40, y - 30), (x - 20, y + 50), (x + 30, y + 20))
        shape.finish(color=(0.1, 0.2, 0.6), width=0.6)
        shape.commit()
        page.insert_text((72, 60), f"Heavy page {index + 1}", fontsize=18)
    doc.save(path, garbage=1, deflate=True)
    return path


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Run the event loop until ``condition()`` holds (polled every millisecond)."""
    deadline = time.perf_counter() + timeout
    loop = QEventLoop()
    timer = QTimer(interval=1)

    def check() -> None:
        if condition() or time.perf_counter() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    if not condition():
        loop.exec()
    timer.stop()
    return condition()


def memory_mb(pid: int) -> dict[str, float]:
    """What ``pid``'s resident memory is, in MB (Linux smaps_rollup): ``Rss`` in all,
    ``Anonymous`` (its heap: images, Python objects, MuPDF's), ``Shmem`` (the shared tile
    slots) and the rest file-backed (``File``: the libraries' code, Qt's and MuPDF's,
    shared with every process that loads them)."""
    found: dict[str, float] = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            words = line.split()
            if len(words) == 3 and words[2] == "kB":
                found[words[0].rstrip(":")] = int(words[1]) / 1024
    anonymous, shared = found.get("Anonymous", 0.0), found.get("Pss_Shmem", 0.0)
    return {
        "Rss": found.get("Rss", 0.0),
        "Anonymous": anonymous,
        "Shmem": shared,
        "File": found.get("Rss", 0.0) - anonymous - shared,
    }


class SharpPages:
    """When each page was first painted sharp since the last reset (``at``), and every sharp
    paint since then (``paints``)."""

    def __init__(self, window: MainWindow) -> None:
        self.at: dict[int, float] = {}
        self.paints: dict[int, list[float]] = {}
        window.view.page_sharp.connect(self.painted)

    def painted(self, page: int) -> None:
        now = time.perf_counter()
        self.at.setdefault(page, now)
        self.paints.setdefault(page, []).append(now)

    def first_after(self, page: int, moment: float) -> float | None:
        """The first sharp paint of ``page`` at or after ``moment``."""
        return next((t for t in self.paints.get(page, ()) if t >= moment), None)

    def reset(self) -> None:
        self.at.clear()
        self.paints.clear()


def visible_sharp(window: MainWindow, sharp: SharpPages) -> bool:
    first, last = window.view.visible_range()
    return all(p in sharp.at for p in range(first, last + 1))


def annotations(count: int, offset: int) -> Any:
    kinds = ["rectangle", "ellipse", "line", "highlight", "ink", "note"]
    for i in range(count):
        x, y = 20 + (i * 13 + offset) % 540, 20 + (i * 29) % 780
        content: dict[str, Any] = {"v": 2, "pageIndex": 0, "bbox": [x, y, 30, 14]}
        kind = kinds[i % len(kinds)]
        content["type"] = {
            "highlight": "pspdfkit/markup/highlight",
            "ink": "pspdfkit/ink",
            "note": "pspdfkit/note",
        }.get(kind, f"pspdfkit/shape/{kind}")
        content |= {"strokeColor": "#d03030", "strokeWidth": 1, "color": "#ffee00"}
        content |= {"startPoint": [x, y], "endPoint": [x + 30, y + 14], "rects": [[x, y, 30, 14]]}
        content["lines"] = {"points": [[[x, y], [x + 10, y + 10], [x + 30, y]]], "intensities": []}
        content["lineWidth"] = 1
        content |= {"text": {"format": "plain", "value": f"n{i}"}, "icon": "comment"}
        yield content


class Heartbeat:
    """The longest the UI thread went without turning its event loop while inside ``with``:
    a timer asks for a tick every millisecond; the widest gap between ticks (and from the
    last tick to the end) is the longest stall."""

    def __init__(self) -> None:
        self.longest_ms = 0.0
        self._last = 0.0
        self._timer = QTimer(interval=1)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_ms = max(self.longest_ms, (now - self._last) * 1000)
        self._last = now

    def __enter__(self) -> Heartbeat:
        self.longest_ms, self._last = 0.0, time.perf_counter()
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._tick()
        self._timer.stop()
