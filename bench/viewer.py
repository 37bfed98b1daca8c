"""Viewer figures: opening a PDF to its first sharp page (cold: a PDF never seen; warm: again),
scrolling to sharp pages and jumping to far ones against PyMuPDF drawing the same clip at the
same scale in the same run, the longest UI-thread stalls (scrolling a heavy PDF at 200 %,
opening a PDF of 10,000 annotations), and memory while scrolling 1,000 pages.

Runs the real window offscreen; every figure a median over several runs (bench/figures.py).
Prints a table and writes ``bench/results/viewer.json``; ``make bench``. Layer switches are
in bench/review.py, start-up in bench/startup.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pymupdf
from figures import RUNS, Report  # bench/, on the path when run as a script
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from viewer_kit import (
    Heartbeat,
    SharpPages,
    annotated_pdf,
    heavy_pdf,
    text_pdf,
    visible_sharp,
    wait_until,
)

from reviewer_app.engine import LayerEngine
from reviewer_app.resources import sample_document
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SCROLL_PX, FRAME_MS, SCROLL_PAGES = 60, 16, 24  # 3,750 px/s: a brisk reading scroll


def opening(report: Report, window: MainWindow, sharp: SharpPages, tmp: Path) -> None:
    """From open_file to page 1 sharp: cold, a 1,000-page PDF never seen (new bytes each run);
    warm, one opened before."""
    cold, warm = [], []
    for run in range(RUNS):
        path = text_pdf(tmp / f"open {run}.pdf", 1000, tag=f"run {run}")
        for times in (cold, warm):
            sharp.reset()
            started = time.perf_counter()
            window.open_file(path)
            wait_until(lambda: 0 in sharp.at, 60)
            times.append((sharp.at[0] - started) * 1000)
            wait_until(lambda: window.document is not None, 120)
    report.add("open_1000_pages.cold", cold, note="a PDF never opened, to page 1 sharp")
    report.add("open_1000_pages.warm", warm, note="the same PDF again")


def visible_clip(window: MainWindow, page: int) -> pymupdf.Rect:
    """The part of ``page`` the viewport shows, in page points: what the floor draws."""
    item = window.view.pages[page]
    local = item.mapRectFromScene(window.view.visible_area())
    local = local.intersected(local.__class__(0, 0, *item.size))
    return pymupdf.Rect(local.left(), local.top(), local.right(), local.bottom())


def pymupdf_clip_ms(doc: pymupdf.Document, page: int, scale: float, clip: pymupdf.Rect) -> float:
    started = time.perf_counter()
    doc[page].get_pixmap(matrix=pymupdf.Matrix(scale, scale), clip=clip, alpha=False, annots=False)
    return (time.perf_counter() - started) * 1000


def scroll_to_sharp(report: Report, window: MainWindow, sharp: SharpPages, path: Path) -> None:
    """Scroll down step by step (SCROLL_PX each FRAME_MS) through SCROLL_PAGES pages; for each
    page entering the viewport, the time from the step that brought it in to its first sharp
    paint, whether or not its tiles were rendered ahead (then it is the paint alone, a real
    time, never 0). Against PyMuPDF drawing the part then visible at the same scale."""
    view, bar = window.view, window.view.verticalScrollBar()
    window.open_file(path)
    wait_until(lambda: window.document is not None, 120)
    view.go_to_page(200)
    wait_until(lambda: visible_sharp(window, sharp), 10)
    wait_until(lambda: False, 0.3)
    start = view.visible_range()[1]
    entered: dict[int, float] = {}
    clips: dict[int, pymupdf.Rect] = {}
    ahead = 0
    sharp.reset()

    def step() -> None:
        nonlocal ahead
        before = time.perf_counter()
        bar.setValue(bar.value() + SCROLL_PX)
        scale, area = view.render_scale(), view.visible_area()
        first, last = view.visible_range()
        for page in range(max(first, start + 1), last + 1):
            if page not in entered:
                entered[page] = before
                clips[page] = visible_clip(window, page)
                ahead += not view._missing(page, scale, area)

    clock = QTimer(interval=FRAME_MS)
    clock.timeout.connect(step)
    clock.start()
    end = start + SCROLL_PAGES
    wait_until(lambda: end in entered, 120)
    clock.stop()
    wait_until(lambda: all(sharp.first_after(p, at) for p, at in entered.items()), 5)
    doc, scale = pymupdf.open(path), view.render_scale()
    now = time.perf_counter()  # a page never painted sharp counts until now
    report.add(
        "scroll.entry_to_sharp",
        [((sharp.first_after(p, at) or now) - at) * 1000 for p, at in sorted(entered.items())],
        note=f"{SCROLL_PX * 1000 // FRAME_MS} px/s",
    )
    report.add("scroll.floor", [pymupdf_clip_ms(doc, p, scale, clips[p]) for p in sorted(entered)])
    report.ratio(
        "scroll.entry_to_sharp_vs_floor",
        "scroll.entry_to_sharp",
        "scroll.floor",
        "PyMuPDF drawing the clip visible at entry, same scale",
    )
    report.facts["scroll.pages_rendered_ahead"] = f"{ahead} of {len(entered)}"


def worker_idle(window: MainWindow) -> bool:
    """The render worker has drawn every tile and thumbnail asked for (it renders one at a
    time: none is under way then either)."""
    client = window.view.client
    return not client.waiting("view") and not client.waiting("thumbs")


def cold_jumps(
    report: Report,
    window: MainWindow,
    sharp: SharpPages,
    path: Path,
    name: str,
    pages: list[int],
    after: bool = False,
) -> None:
    """Jump to each of ``pages`` with no tile cached (the cache emptied first) and time it to
    its sharp image, against PyMuPDF drawing the clip then visible at the same scale. Both
    start with their renderer idle: the viewer's worker has drawn all it was asked for (the
    pages ahead of the last jump, the thumbnails), as PyMuPDF in this process has.

    ``{name}.right_after`` (with ``after``), without a goal: a jump as soon as the last one's
    page is sharp, the worker still drawing the pages around it (a render under way is not
    stopped: the jump waits for it)."""
    view = window.view
    window.open_file(path)
    wait_until(lambda: window.document is not None, 120)
    wait_until(lambda: False, 0.5)
    doc = pymupdf.open(path)
    viewer, floor, right_after = [], [], []
    for page in pages:
        view.cache.clear()
        wait_until(lambda: False, 0.3)  # what the cleared cache leaves to draw is asked for
        wait_until(lambda: worker_idle(window), 60)
        sharp.reset()
        started = time.perf_counter()
        view.go_to_page(page)
        wait_until(lambda p=page: p in sharp.at, 10)
        viewer.append((sharp.at[page] - started) * 1000)
        if after:  # half the document away: none of the pages drawn ahead of this one
            again = (page + len(view.pages) // 2) % len(view.pages)
            started = time.perf_counter()
            view.go_to_page(again)
            wait_until(lambda p=again: p in sharp.at, 10)
            right_after.append((sharp.at[again] - started) * 1000)
            view.go_to_page(page)
        wait_until(lambda: worker_idle(window), 60)
        floor.append(pymupdf_clip_ms(doc, page, view.render_scale(), visible_clip(window, page)))
    report.add(f"{name}.jump_to_sharp", viewer, note="cold: no tile cached, the worker idle")
    report.add(f"{name}.floor", floor)
    if after:
        report.add(f"{name}.right_after", right_after, note="cold, the worker drawing ahead")
    report.ratio(
        f"{name}.jump_vs_floor",
        f"{name}.jump_to_sharp",
        f"{name}.floor",
        "PyMuPDF drawing the visible clip at the same scale",
    )


def jumps(report: Report, window: MainWindow, sharp: SharpPages, big: Path, heavy: Path) -> None:
    cold_jumps(report, window, sharp, big, "jump_light", list(range(100, 1000, 45)), after=True)
    cold_jumps(report, window, sharp, heavy, "jump_heavy", list(range(5, 100, 9)), after=True)
    report.goal("jump_light.jump_to_sharp", 16.7, "far page to sharp, pages PyMuPDF draws < 10 ms")
    report.goal("jump_heavy.jump_vs_floor", 1.25, "far page to sharp, heavier pages")
    for path in (sample_document(), CORPUS / "GeoBase_NHNC1_Data_Model_UML_EN.pdf"):
        if path.is_file():
            count = pymupdf.open(path).page_count
            pages = [(i * 7) % count for i in range(1, max(RUNS, 2 * count) + 1)]
            cold_jumps(report, window, sharp, path, f"jump_{path.stem[:24]}", pages)


def scroll_memory(report: Report, path: Path) -> None:
    """Peak RSS of the window's process and the render worker while scrolling 1,000 pages end
    to end (bench/viewer_memory.py, in a process of its own as the app's window is; one run:
    it takes minutes), and what the peak is made of."""
    child = [sys.executable, str(Path(__file__).with_name("viewer_memory.py")), str(path)]
    out = subprocess.run(child, capture_output=True, text=True, timeout=1800, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    budget, start, peak = found["budget"], found["start"], found["peak"]
    ui, worker, tiles, thumbs = peak["ui"], peak["worker"], peak["tiles"], peak["thumbnails"]
    report.add("scroll_1000_pages.peak_rss", [peak["total"]], "MB", note="UI + render worker")
    facts = report.facts
    facts["scroll_1000_pages.tile_budget_mb"] = budget
    facts["scroll_1000_pages.rest_at_peak_mb"] = round(peak["total"] - tiles, 1)
    facts["scroll_1000_pages.ui_mb"] = (
        f"{start['ui']['Rss']:.0f} at the start, {ui['Rss']:.0f} at the peak: tiles "
        f"{tiles:.0f}, thumbnails {thumbs:.0f}, the rest of its heap "
        f"{ui['Anonymous'] - tiles - thumbs:.0f}, libraries {ui['File']:.0f}, tile slots "
        f"{ui['Shmem']:.0f}; PyMuPDF loaded: {found['pymupdf_in_ui']}"
    )
    facts["scroll_1000_pages.worker_mb"] = (
        f"{start['worker']['Rss']:.0f} at the start, {worker['Rss']:.0f} at the peak: heap "
        f"{worker['Anonymous']:.0f}, libraries {worker['File']:.0f}, tile slots "
        f"{worker['Shmem']:.0f}"
    )
    report.goal("scroll_1000_pages.peak_rss", budget + 250, "tile budget + 250 MB")


def scroll_stalls(report: Report, window: MainWindow, sharp: SharpPages, path: Path) -> None:
    """The longest UI-thread stall while scrolling a heavy PDF at 200 %: RUNS scrolls of 10
    pages each, a step every frame."""
    window.open_file(path)
    wait_until(lambda: window.document is not None, 120)
    view, bar = window.view, window.view.verticalScrollBar()
    view.set_zoom(2.0)
    longest = []
    for run in range(RUNS):
        view.go_to_page(run * 18)
        wait_until(lambda: visible_sharp(window, sharp), 10)
        target = view.tops[min(run * 18 + 10, len(view.tops) - 1)] * view.pixels_per_point()
        step = QTimer(interval=FRAME_MS)
        step.timeout.connect(lambda: bar.setValue(bar.value() + 240))
        with Heartbeat() as beat:
            step.start()
            wait_until(lambda t=target: bar.value() >= min(t, bar.maximum()), 120)
            step.stop()
        longest.append(beat.longest_ms)
    report.add("scroll_heavy_200.longest_stall", longest)
    report.goal("scroll_heavy_200.longest_stall", 16, "scrolling a heavy PDF at 200 %")


def shown(window: MainWindow, path: Path) -> bool:
    """Whether the PDF at ``path`` is open, imported and its layer read and shown."""
    opened = window.opened
    return (
        opened is not None
        and opened.path == path
        and window.document is not None
        and not window.reading.pending()
    )


def import_stalls(report: Report, window: MainWindow, tmp: Path) -> None:
    """The longest UI-thread stall from opening a PDF of 10,000 annotations (never seen: new
    bytes each run) to its layer shown with them."""
    longest = []
    for run in range(RUNS):
        path = annotated_pdf(tmp / f"annotated {run}.pdf", 10_000, pages=100, tag=f"run {run}")
        with Heartbeat() as beat:
            window.open_file(path)
            wait_until(lambda p=path: shown(window, p), 300)  # (not the document before)
            wait_until(lambda: False, 0.5)  # its first page drawn, the lists filled
        longest.append(beat.longest_ms)
    report.add("import_10000_annotations.longest_stall", longest)
    report.goal("import_10000_annotations.longest_stall", 16, "opening a PDF of 10k annotations")


STEPS = ("scroll_memory", "opening", "scroll_to_sharp", "jumps", "scroll_stalls", "import_stalls")


def main() -> int:
    """Every step in turn; ``--only STEP`` runs one of ``STEPS`` and prints its figures
    without writing bench/results/viewer.json (which keeps the full run's)."""
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    if only and only not in STEPS:
        print(f"--only takes one of {', '.join(STEPS)}, not {only!r}")
        return 2
    app = QApplication.instance() or QApplication(sys.argv)
    report = Report("viewer")
    report.facts["platform"] = app.platformName()
    with tempfile.TemporaryDirectory() as folder, LayerEngine(Path(folder) / "data") as engine:
        tmp = Path(folder)
        big, heavy = text_pdf(tmp / "big.pdf", 1000), heavy_pdf(tmp / "heavy.pdf", 100)
        settings = ViewerSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(engine, settings)
        window.resize(1200, 900)
        window.show()
        sharp = SharpPages(window)
        steps = {  # memory first: later steps leave caches (10,000-annotation layers) behind
            "scroll_memory": lambda: scroll_memory(report, big),  # in a process of its own
            "opening": lambda: opening(report, window, sharp, tmp),
            "scroll_to_sharp": lambda: scroll_to_sharp(report, window, sharp, big),
            "jumps": lambda: jumps(report, window, sharp, big, heavy),
            "scroll_stalls": lambda: scroll_stalls(report, window, sharp, heavy),
            "import_stalls": lambda: import_stalls(report, window, tmp),
        }
        try:
            for name in STEPS:
                if not only or name == only:
                    steps[name]()
        finally:
            window.close()
    if only:
        print(report.table())
    else:
        report.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
