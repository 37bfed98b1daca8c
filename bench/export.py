"""Layer PDF figures: one layer of 1,000 and 2,000 annotations (editable, flattened, and PyMuPDF
adding the same annotations directly, the floor), "export all" of 30 layers against 30 separate
exports, file sizes, and the straight line: 1,000 to 10,000 notes on one page (the time at each
count against the time at 1,000: 10x the notes take about 10x the time when the export is
linear, 100x when it was quadratic), against PyMuPDF adding the same notes directly.

Prints the figures and writes ``bench/results/export.json`` and ``export_line.json`` (the
straight line, in bench/figures.py's shape). Run with ``make bench``; ``python
bench/export.py --line`` measures the straight line alone.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pymupdf
from figures import RUNS, Report  # bench/, on the path when run as a script

from reviewer_app.instant.records import LayerExport, Record
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.pdf.export_folder import export_layers

RESULTS = Path(__file__).with_name("results")
TYPES = ("rectangle", "ink", "highlight", "note", "text")


def make_pdf(pages: int) -> bytes:
    """A text PDF of ``pages`` pages and no annotations."""
    doc = pymupdf.open()
    for n in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), f"Benchmark page {n + 1}", fontsize=14)
    return bytes(doc.tobytes(garbage=1, deflate=True))


def records(count: int, pages: int, prefix: str = "r") -> list[Record]:
    """``count`` annotations of five types spread over ``pages`` pages."""
    out = []
    for i in range(count):
        x, y = 20 + (i % 10) * 55, 100 + (i // 10 % 10) * 60
        kind = TYPES[i % len(TYPES)]
        content: dict[str, Any] = {
            "v": 2,
            "pageIndex": i % pages,
            "bbox": [x, y, 40, 40],
            "opacity": 1,
            "creatorName": "bench",
            "createdAt": "2024-01-01T10:00:00Z",
        }
        if kind == "rectangle":
            content |= {"type": "pspdfkit/shape/rectangle", "strokeColor": "#ff0000"}
        elif kind == "ink":
            points = [[x + 2, y + 2], [x + 20, y + 30], [x + 38, y + 5]]
            content |= {
                "type": "pspdfkit/ink",
                "lineWidth": 2,
                "strokeColor": "#0000ff",
                "lines": {"points": [points], "intensities": [[0.5] * 3]},
            }
        elif kind == "highlight":
            content |= {
                "type": "pspdfkit/markup/highlight",
                "color": "#ffff00",
                "rects": [[x, y, 40, 12]],
            }
        elif kind == "note":
            content |= {
                "type": "pspdfkit/note",
                "icon": "comment",
                "text": {"format": "plain", "value": f"note {i}"},
            }
        else:
            content |= {
                "type": "pspdfkit/text",
                "fontSize": 10,
                "text": {"format": "plain", "value": f"text {i}"},
                "horizontalAlign": "left",
                "verticalAlign": "top",
            }
        out.append(Record("annotation", f"{prefix}{i}", content))
    return out


def layer(recs: list[Record]) -> LayerExport:
    return LayerExport(write=tuple(recs), remove_object_ids=frozenset(), shown=tuple(recs))


def floor(source: bytes, recs: list[Record]) -> bytes:
    """PyMuPDF adding the same annotations directly: no ids, dates, flags or pinning."""
    doc = pymupdf.open(stream=source, filetype="pdf")
    for r in recs:
        c = r.content
        page = doc[c["pageIndex"]]
        x, y, w, h = c["bbox"]
        rect = pymupdf.Rect(x, y, x + w, y + h)
        kind = c["type"]
        if kind.endswith("rectangle"):
            annot = page.add_rect_annot(rect)
        elif kind.endswith("ink"):
            annot = page.add_ink_annot([[tuple(p) for p in c["lines"]["points"][0]]])
        elif kind.endswith("highlight"):
            annot = page.add_highlight_annot(rect)
        elif kind.endswith("note"):
            annot = page.add_text_annot(rect.tl, c["text"]["value"], icon="Comment")
        else:
            annot = page.add_freetext_annot(rect, c["text"]["value"], fontsize=10)
        annot.set_info(title="bench")
        annot.update()
    return bytes(doc.tobytes(garbage=1))


def timed(run: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """The median wall time of ``run`` in milliseconds, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def notes_on_one_page(count: int) -> list[Record]:
    """``count`` sticky notes on page 1 (the case that was quadratic: 5,000 took 135 s)."""
    return [
        Record(
            "annotation",
            f"n{i}",
            {
                "v": 2,
                "type": "pspdfkit/note",
                "pageIndex": 0,
                "bbox": [20 + i % 20 * 25, 40 + i // 20 % 25 * 25, 24, 24],
                "opacity": 1,
                "creatorName": "bench",
                "createdAt": "2024-01-01T10:00:00Z",
                "icon": "comment",
                "text": {"format": "plain", "value": f"note {i}"},
            },
        )
        for i in range(count)
    ]


def straight_line(runs: int = RUNS) -> Report:
    """1,000 / 2,000 / 5,000 / 10,000 notes on one page: wall and processor time (what other
    programs on a shared machine change least) of ``runs`` warm runs, the first run (cold)
    kept as a fact; 10 times the notes should take 10 times the time (quadratic: 100)."""
    report = Report("export_line")
    source = make_pdf(1)
    for count in (1000, 2000, 5000, 10000):
        recs = notes_on_one_page(count)
        wall: list[float] = []
        cpu: list[float] = []
        for run in range(runs + 1):
            started, used = time.perf_counter(), time.process_time()
            export_layer_pdf(source, layer(recs))
            if run == 0:
                report.facts[f"notes_{count}.first_run_ms"] = round(
                    (time.perf_counter() - started) * 1000
                )
                continue
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        report.add(f"notes_{count}.wall", wall)
        report.add(f"notes_{count}.cpu", cpu, note="processor time")
    for count in (2000, 5000, 10000):
        report.ratio(
            f"line.notes_{count}_over_1000",
            f"notes_{count}.cpu",
            "notes_1000.cpu",
            f"1,000 notes ({count // 1000}x fewer): linear is {count // 1000}x",
        )
    recs = notes_on_one_page(1000)
    report.time("pymupdf_floor_1000", lambda: floor(source, recs), runs)
    report.ratio(
        "notes_1000_over_pymupdf",
        "notes_1000.wall",
        "pymupdf_floor_1000",
        "PyMuPDF adding the same 1,000 notes one by one",
    )
    report.goal("notes_10000.wall", 10000, "10,000 notes on one page in under 10 s")
    report.goal("line.notes_10000_over_1000", 12, "a straight line: 10x the notes, ~10x the time")
    return report


def main() -> None:
    if "--line" in sys.argv[1:]:
        straight_line().save()
        return
    figures: dict[str, float] = {}
    for count, pages in ((1000, 50), (2000, 200)):
        source = make_pdf(pages)
        recs = records(count, pages)
        ms, data = timed(lambda s=source, r=recs: export_layer_pdf(s, layer(r)))
        figures[f"editable_{count}_ms"] = ms
        figures[f"editable_{count}_bytes"] = len(data)
        ms, data = timed(lambda s=source, r=recs: export_layer_pdf(s, layer(r), flatten=True))
        figures[f"flattened_{count}_ms"] = ms
        figures[f"flattened_{count}_bytes"] = len(data)
        ms, _ = timed(lambda s=source, r=recs: floor(s, r))
        figures[f"pymupdf_floor_{count}_ms"] = ms
        figures[f"editable_over_floor_{count}"] = figures[f"editable_{count}_ms"] / ms
        figures[f"source_{pages}_pages_bytes"] = len(source)
    source = make_pdf(200)
    layers = {f"student {n}": layer(records(50, 200, f"s{n}-")) for n in range(30)}
    with tempfile.TemporaryDirectory() as folder:
        ms, files = timed(lambda: export_layers(source, layers, Path(folder) / "all"), repeat=1)
        figures["export_all_30x50_ms"] = ms
        figures["export_all_30x50_bytes"] = sum(f.stat().st_size for f in files)
    ms, _ = timed(lambda: [export_layer_pdf(source, lay) for lay in layers.values()], repeat=1)
    figures["separate_30x50_ms"] = ms
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "export.json").write_text(json.dumps(figures, indent=2) + "\n")
    for key, value in figures.items():
        print(f"{key:32} {value:14.2f}")


if __name__ == "__main__":
    main()
    if "--line" not in sys.argv[1:]:
        straight_line().save()
