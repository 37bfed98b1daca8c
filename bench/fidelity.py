"""Fidelity figures (issue 17), over every PDF of ../shared/corpus and every PDF the tests
build (tests/pdf/cases.py and the others of tests/pdf/test_fidelity.py):

1. The fidelity table (tests/pdf/fidelity.py): each file exported through an empty layer
   (editable, flattened) and through a layer that wrote every base annotation again from its
   record, drawn by poppler and by PyMuPDF at 72 dpi; the worst page's share of differing
   pixels; totals: files checked, files over 0.5 % per export, those a reader draws wrongly
   (named).
2. Where the viewer draws each base annotation it shows, against the box its PDF appearance
   covers (MuPDF draws it alone, as the render worker does for the viewer): how many it draws
   from that appearance (placed as the worker's image says), and how many of those it would
   draw from their record (a layer's change that needs a new appearance) stay inside that box
   (painted by Qt alone at 2 pixels per point, 1.5 points of slack for anti-aliasing).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/fidelity.py [--no-table]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pymupdf
from figures import Report  # bench/, on the path when run as a script
from PySide6.QtCore import QRectF
from PySide6.QtGui import QGuiApplication, QImage, QPainter

from reviewer_app.instant.records import Record
from reviewer_app.pdf import extract_base_layer
from reviewer_app.pdf.render_worker import annotation_pixels
from reviewer_app.ui.annotations.marks import paint_marks
from reviewer_app.ui.annotations.shapes import DRAWERS, mark_of
from reviewer_app.ui.annotations.sorting import (
    appearance_object,
    never_shown,
    shown_from_pdf,
)
from tests.conftest import corpus_file
from tests.pdf.fidelity import EXPORTS, LIMIT, READERS, Row, check, table
from tests.pdf.test_fidelity import (
    BUILT,
    CORPUS_FILES,
    PASSWORDS,
    READER_WRONG,
    UNREADABLE,
)

SCALE = 2.0  # pixels per point the appearances and the record drawings are compared at
SLACK = 1.5  # points a drawing may pass its appearance's box by (anti-aliasing, pens' ends)


@dataclass
class Boxes:
    """One file's count of the viewer's drawings against their appearance's box."""

    shown: int = 0  # base annotations the viewer shows (not Hidden or NoView), links apart
    links: int = 0  # drawn from their record: MuPDF draws no link (and no border)
    no_appearance: int = 0  # MuPDF draws nothing for them: drawn from the record
    from_pdf: int = 0  # drawn from their PDF appearance
    placed: int = 0  # ... where the appearance covers, to the pixel
    own: int = 0  # of a type Qt draws (the drawing a changed record gets)
    own_inside: int = 0  # ... inside the appearance's box
    notes: int = 0  # notes drawn from their record: MuPDF draws a note's icon 16 pt wide
    notes_inside: int = 0  # ... whatever its /Rect says: ours fills its bbox, up to 24 pt
    outside: list[str] = field(default_factory=list)


def sources() -> list[tuple[str, bytes, str | None]]:
    found = [(name, make(), None) for name, make in sorted(BUILT.items())]
    for name in CORPUS_FILES:
        if name not in UNREADABLE:
            found.append((name, corpus_file(name).read_bytes(), PASSWORDS.get(name)))
    return found


def painted_box(record: Record) -> QRectF | None:
    """The box of what Qt paints of ``record`` drawn from itself, in page points."""
    drawn = mark_of(record)
    if drawn is None or drawn.hover_only:
        return None
    area = drawn.bounds.adjusted(-4, -4, 4, 4)  # (a turned drawing may pass its bounds)
    image = QImage(
        int(area.width() * SCALE) + 1, int(area.height() * SCALE) + 1, QImage.Format.Format_ARGB32
    )
    image.fill(0)
    painter = QPainter(image)
    painter.scale(SCALE, SCALE)
    painter.translate(-area.left(), -area.top())
    paint_marks(painter, [drawn], area)
    painter.end()
    alpha = image.convertToFormat(QImage.Format.Format_Alpha8)
    stride, data = alpha.bytesPerLine(), bytes(alpha.constBits())  # type: ignore[call-overload]
    width = alpha.width()
    rows = [y for y in range(alpha.height()) if any(data[y * stride : y * stride + width])]
    if not rows:
        return None
    columns = [
        x for x in range(width) if any(data[y * stride + x] for y in range(rows[0], rows[-1] + 1))
    ]
    return QRectF(
        area.left() + columns[0] / SCALE,
        area.top() + rows[0] / SCALE,
        (columns[-1] + 1 - columns[0]) / SCALE,
        (rows[-1] + 1 - rows[0]) / SCALE,
    )


def boxes(name: str, data: bytes, password: str | None) -> Boxes:
    extraction = extract_base_layer(data, password)
    doc = pymupdf.open(stream=data, filetype="pdf")
    if doc.needs_pass:
        doc.authenticate(password or "")
    out = Boxes()
    base = {r.key: r for r in extraction.records if r.kind == "annotation"}
    for record in base.values():
        page, xref = record.content.get("pageIndex"), appearance_object(record)
        if xref is None or not isinstance(page, int) or never_shown(record):
            continue
        if record.content.get("type") == "pspdfkit/link":
            out.links += 1
            continue
        out.shown += 1
        pixels = annotation_pixels(doc[page], xref, SCALE)
        if pixels is None:
            out.no_appearance += 1
            continue
        box = QRectF(
            pixels["x"] / SCALE,
            pixels["y"] / SCALE,
            pixels["width"] / SCALE,
            pixels["height"] / SCALE,
        )
        if shown_from_pdf(record, base):
            out.from_pdf += 1
            out.placed += 1  # the image is painted over exactly this box (overlay.appearance_rect)
        if record.content.get("type") not in DRAWERS:
            continue
        painted = painted_box(record)
        if painted is None:
            continue
        inside = box.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(painted)
        if record.content.get("type") == "pspdfkit/note":
            out.notes += 1
            out.notes_inside += inside
            continue
        out.own += 1
        if inside:
            out.own_inside += 1
        else:
            out.outside.append(f"{record.content['type']} #{xref}")
    doc.close()
    return out


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100.0 * part / whole:.1f} %)" if whole else "0/0"


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # fonts for the drawings
    rows: list[Row] = []
    counted: dict[str, Boxes] = {}
    for name, data, password in sources():
        if "--no-table" not in sys.argv:
            try:
                rows.append(check(name, data, password))
            except Exception as exc:  # a file the check cannot run on: its row says why
                rows.append(Row(name, error=str(exc)))
        counted[name] = boxes(name, data, password)
    if rows:
        print(table(rows))
        for export in EXPORTS:
            for reader in READERS:
                excused = [r.name for r in rows if (r.name, export, reader) in READER_WRONG]
                wrong = [r for r in excused if next(x for x in rows if x.name == r).over(export)]
                if wrong:
                    print(
                        f"  {export} {reader} over {LIMIT} % because the reader is wrong: ", end=""
                    )
                    print(", ".join(wrong))
    print()
    print(f"{'file':38} {'shown':>5} {'from PDF':>9} {'own':>5} {'inside':>7}  outside")
    for name, b in counted.items():
        print(
            f"{name:38} {b.shown:5} {b.from_pdf:9} {b.own:5} {b.own_inside:7}  "
            + " ".join(b.outside[:4])
            + (" ..." if len(b.outside) > 4 else "")
        )
    total = Boxes()
    for b in counted.values():
        for key in ("shown", "links", "no_appearance", "from_pdf", "placed", "own", "own_inside"):
            setattr(total, key, getattr(total, key) + getattr(b, key))
    for key in ("notes", "notes_inside"):
        setattr(total, key, sum(getattr(b, key) for b in counted.values()))
    print(f"files: {len(counted)}; base annotations shown: {total.shown} (and {total.links} links)")
    print(f"drawn from their PDF appearance, inside its box: {share(total.placed, total.shown)}")
    print(f"  (MuPDF draws nothing for {total.no_appearance}: drawn from their record)")
    print(
        "drawn from their record (after a change that needs a new appearance), inside the "
        f"appearance's box: {share(total.own_inside, total.own)}"
    )
    print(
        f"  notes: {share(total.notes_inside, total.notes)} (MuPDF draws a note's icon "
        "16 pt wide at its /Rect's corner, whatever the /Rect; the viewer fills the bbox)"
    )
    print(f"  links: {total.links}, drawn from their record (MuPDF draws no link)")
    print()
    save(rows, counted, total)
    del app


def save(rows: list[Row], counted: dict[str, Boxes], total: Boxes) -> None:
    """The figures as the other benches report them (bench/figures.py): counts, the same at
    every run, with goals for bench/summary.py."""
    report = Report("fidelity")
    report.facts["files"] = len(counted)
    if rows:
        checked = [r for r in rows if not r.error]
        report.facts["files checked by the table"] = len(checked)
        for export in EXPORTS:
            over = [
                r.name
                for r in checked
                if any(
                    r.over(export, reader) and (r.name, export, reader) not in READER_WRONG
                    for reader in READERS
                )
            ]
            excused = [r.name for r in checked if r.over(export) and r.name not in over]
            name = f"files over {LIMIT} % {export}"
            report.add(
                name,
                [len(over)],
                "files",
                "a count; the reader wrong: " + (", ".join(excused) or "none"),
            )
            report.goal(name, 0, "no file differs (but where a reader draws the PDF wrongly)")
    report.add("base annotations shown", [total.shown], "records", "links apart")
    report.add("drawn from their PDF appearance", [total.placed], "records")
    report.add("not drawn from it", [total.shown - total.placed], "records")
    report.goal("not drawn from it", 0, "every base annotation the layer kept, as the PDF draws it")
    report.add("own drawings outside the appearance box", [total.own - total.own_inside], "records")
    report.goal("own drawings outside the appearance box", 0, "notes and links apart")
    report.facts["notes' own drawings inside the appearance box"] = share(
        total.notes_inside, total.notes
    )
    report.save()


if __name__ == "__main__":
    main()
