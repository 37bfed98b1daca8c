"""XFDF figures: a layer of 10,000 annotations written as XFDF and read back into a layer,
against the same layer written and read as Instant JSON in the same run (the floor: the
engine's own format). Prints a table and writes ``bench/results/xfdf.json``; ``make bench``."""

from __future__ import annotations

import json
import sys
import tempfile
from itertools import count
from pathlib import Path
from typing import Any

import pymupdf
from figures import Report  # bench/, on the path when run as a script

from reviewer_app.engine import LayerEngine
from reviewer_app.instant.document import FORMAT
from reviewer_app.xfdf import layer_xfdf, page_boxes, read_xfdf

ANNOTATIONS, PAGES = 10_000, 100


def pdf(path: Path) -> Path:
    doc = pymupdf.open()
    for index in range(PAGES):
        doc.new_page().insert_text((72, 72), f"Page {index + 1}")
    doc.save(path)
    return path


def notes() -> list[dict[str, Any]]:
    kinds = ["note", "rectangle", "ink", "highlight"]
    out: list[dict[str, Any]] = []
    for i in range(ANNOTATIONS):
        x, y, kind = 20 + (i * 13) % 500, 20 + (i * 29) % 700, kinds[i % 4]
        base = {"v": 2, "id": f"a{i}", "pageIndex": i % PAGES, "bbox": [x, y, 40, 14]}
        base |= {"creatorName": "Bench", "createdAt": "2026-12-06T08:00:00Z"}
        if kind == "note":
            base |= {"type": "pspdfkit/note", "text": {"format": "plain", "value": f"n{i}"}}
            base["icon"] = "comment"
        elif kind == "rectangle":
            base |= {"type": "pspdfkit/shape/rectangle", "strokeColor": "#ff0000"}
            base["strokeWidth"] = 1
        elif kind == "ink":
            points = [[x, y], [x + 20, y + 7], [x + 40, y]]
            base |= {"type": "pspdfkit/ink", "strokeColor": "#0000ff", "lineWidth": 2}
            base["lines"] = {"points": [points], "intensities": [[0.5] * 3]}
        else:
            base |= {"type": "pspdfkit/markup/highlight", "rects": [[x, y, 40, 14]]}
            base["color"] = "#ffff00"
        out.append(base)
    return out


def main() -> int:
    report = Report("xfdf")
    with tempfile.TemporaryDirectory() as tmp, LayerEngine(Path(tmp) / "data") as engine:
        document = engine.add_document(
            pdf(Path(tmp) / "doc.pdf").read_bytes(), records=[], page_count=PAGES
        )
        doc = document.id
        engine.create_records(doc, "big", "annotation", notes())
        boxes = page_boxes(engine.pdf_path(doc))
        records = engine.records(doc, "big")
        xml: list[bytes] = []
        text: list[str] = []
        report.time("export_10000", lambda: xml.append(layer_xfdf(records, boxes).xml))
        report.time(
            "export_10000.floor",
            lambda: text.append(json.dumps(engine.export_instant(doc, "big"))),
            note="the layer's Instant JSON",
        )
        layers = count()

        def read_in() -> None:
            read = read_xfdf(xml[-1], boxes)
            instant = {"format": FORMAT, "annotations": read.annotations}
            engine.import_instant(doc, f"xfdf {next(layers)}", instant)

        report.time("import_10000", read_in, note="parse, read, store in a new layer")
        report.time(
            "import_10000.floor",
            lambda: engine.import_instant(doc, f"json {next(layers)}", text[-1]),
            note="the same layer's Instant JSON into a new layer",
        )
        report.facts["xfdf_bytes"] = len(xml[-1])
        report.facts["instant_json_bytes"] = len(text[-1])
    report.ratio("export_vs_instant", "export_10000", "export_10000.floor", "writing Instant JSON")
    report.ratio("import_vs_instant", "import_10000", "import_10000.floor", "reading Instant JSON")
    report.goal("export_10000", 2000, "XFDF export of a 10,000-annotation layer")
    report.goal("import_10000", 2000, "XFDF import of a 10,000-annotation layer")
    report.goal("export_vs_instant", 2, "XFDF export against Instant JSON")
    report.goal("import_vs_instant", 2, "XFDF import against Instant JSON")
    report.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
