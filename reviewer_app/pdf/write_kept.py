"""Changed base annotations that keep their PDF appearance.

A layer that moved a base annotation, resized a stamp, made one more or less opaque, or changed
only what its appearance does not show (a note's words, the author, the dates, the flags) keeps
the PDF's own object: only those keys change, and the appearance (a picture, a signature, an
icon of its own) goes with it. Any other change needs a new appearance, drawn from the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reviewer_app.instant.kept import keeps_appearance
from reviewer_app.instant.records import Json, LayerExport, Record
from reviewer_app.instant.transform import bbox_of
from reviewer_app.pdf.annotations import convert
from reviewer_app.pdf.geometry import PageBox, page_box
from reviewer_app.pdf.links import LinkTargets
from reviewer_app.pdf.objects import parse_object
from reviewer_app.pdf.properties import name_of
from reviewer_app.pdf.source import AnnotationSource
from reviewer_app.pdf.write_common import flag_bits, pdf_date, pdf_string, plain


def kept_changes(doc: Any, layer: LayerExport) -> dict[int, tuple[Record, Json]]:
    """The base annotations ``layer`` changed in a way their appearance survives, by object
    number: the layer's record and the base record (read from the PDF object)."""
    removed = layer.remove_object_ids
    targets = LinkTargets(doc)
    boxes: dict[int, PageBox] = {}
    listed: dict[int, set[int]] = {}
    kept = {}
    for record in layer.write:
        xref, page = record.content.get("pdfObjectId"), record.content.get("pageIndex")
        if record.kind != "annotation" or not isinstance(xref, int) or xref not in removed:
            continue
        if not isinstance(page, int) or not 0 <= page < doc.page_count:
            continue
        if page not in listed:
            listed[page] = {x for x, _, _ in doc[page].annot_xrefs()}
            boxes[page] = page_box(doc, page)
        if xref not in listed[page]:
            continue
        base = _base_content(doc, xref, page, boxes[page], targets)
        if base is not None and keeps_appearance(base, record.content):
            kept[xref] = (record, base)
    return kept


def _base_content(
    doc: Any, xref: int, page: int, box: PageBox, targets: LinkTargets
) -> Json | None:
    """The Instant JSON of annotation object ``xref`` as extraction reads it."""
    obj = parse_object(doc.xref_object(xref, compressed=True))
    subtype = name_of(obj.get("Subtype")) if isinstance(obj, dict) else None
    if subtype is None:
        return None
    return convert(subtype, AnnotationSource(doc, xref, obj, page, box, targets))


def keep(doc: Any, xref: int, record: Record, base: Json, box: PageBox) -> None:
    """Change object ``xref`` (the base annotation ``base``) into ``record``: its place, its
    opacity and the keys no appearance shows; its appearance stays."""
    content = record.content
    old, new = bbox_of(base), bbox_of(content)
    if old is not None and new is not None and old != new:
        _move(doc, xref, box, old, new)
    if content.get("opacity", 1) != base.get("opacity", 1):
        _set_opacity(doc, xref, content.get("opacity"))
    words_key = "text" if content.get("type") == "pspdfkit/note" else "note"
    if content.get(words_key) != base.get(words_key):
        doc.xref_set_key(xref, "Contents", pdf_string(plain(content.get(words_key))))
    if content.get("creatorName") != base.get("creatorName"):
        doc.xref_set_key(xref, "T", pdf_string(str(content.get("creatorName") or "")))
    for key, field in (("CreationDate", "createdAt"), ("M", "updatedAt")):
        if content.get(field) != base.get(field):
            date = pdf_date(content.get(field))
            doc.xref_set_key(xref, key, pdf_string(date) if date else "null")
    if content.get("flags") != base.get("flags"):
        doc.xref_set_key(xref, "F", str(flag_bits(content.get("flags"))))


_COORDINATES = ("L", "Vertices", "QuadPoints", "CL")  # flat [x y x y ...] arrays
_LISTS = ("InkList",)  # arrays of such arrays


def _move(doc: Any, xref: int, box: PageBox, old: Any, new: Any) -> None:
    """Put the annotation's /Rect where ``new`` is: moved (its points with it), or stretched
    (a stamp), in user space."""
    sx = new[2] / old[2] if old[2] else 1.0
    sy = new[3] / old[3] if old[3] else 1.0
    unit = box.unit

    def to(x: float, y: float) -> tuple[float, float]:
        ix, iy = (x - box.left) * unit, (box.top - y) * unit  # Instant
        nx, ny = new[0] + (ix - old[0]) * sx, new[1] + (iy - old[1]) * sy
        return box.left + nx / unit, box.top - ny / unit

    rect = _numbers(doc, xref, "Rect")
    if len(rect) == 4:
        x0, y0 = to(min(rect[0], rect[2]), max(rect[1], rect[3]))
        x1, y1 = to(max(rect[0], rect[2]), min(rect[1], rect[3]))
        doc.xref_set_key(xref, "Rect", _array([x0, min(y0, y1), x1, max(y0, y1)]))
    for key in _COORDINATES:
        flat = _numbers(doc, xref, key)
        if flat:
            doc.xref_set_key(xref, key, _array(_mapped(flat, to)))
    for key in _LISTS:
        value = parse_object(doc.xref_get_key(xref, key)[1] or "null")
        if isinstance(value, list):
            paths = [_mapped([float(v) for v in p], to) for p in value if isinstance(p, list)]
            doc.xref_set_key(xref, key, "[" + " ".join(_array(p) for p in paths) + "]")


def _mapped(flat: list[float], to: Any) -> list[float]:
    out: list[float] = []
    for i in range(0, len(flat) - 1, 2):
        out.extend(to(flat[i], flat[i + 1]))
    return out


def _set_opacity(doc: Any, xref: int, opacity: Any) -> None:
    """Draw the appearance at ``opacity``: /CA, and (since readers draw appearances without
    it) a new appearance that paints the old one through an ExtGState of that opacity."""
    alpha = min(1.0, max(0.0, float(opacity))) if isinstance(opacity, int | float) else 1.0
    doc.xref_set_key(xref, "CA", f"{alpha:g}")
    kind, ref = doc.xref_get_key(xref, "AP/N")
    if kind != "xref":
        return
    inner = int(ref.split()[0])
    bbox = _numbers(doc, inner, "BBox") or [0.0, 0.0, 0.0, 0.0]
    matrix = _numbers(doc, inner, "Matrix") or [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    corners = [
        (
            bbox[x] * matrix[0] + bbox[y] * matrix[2] + matrix[4],
            bbox[x] * matrix[1] + bbox[y] * matrix[3] + matrix[5],
        )
        for x in (0, 2)
        for y in (1, 3)
    ]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    outer = int(doc.get_new_xref())
    doc.update_object(
        outer,
        f"<< /Type /XObject /Subtype /Form /BBox {_array([min(xs), min(ys), max(xs), max(ys)])} "
        f"/Resources << /ExtGState << /Op << /CA {alpha:g} /ca {alpha:g} >> >> "
        f"/XObject << /Kept {inner} 0 R >> >> >>",
    )
    doc.update_stream(outer, b"q /Op gs /Kept Do Q")
    doc.xref_set_key(xref, "AP", f"<< /N {outer} 0 R >>")


def _numbers(doc: Any, xref: int, key: str) -> list[float]:
    value = parse_object(doc.xref_get_key(xref, key)[1] or "null")
    if not isinstance(value, list) or not all(isinstance(v, int | float) for v in value):
        return []
    return [float(v) for v in value]


def _array(values: Iterable[float]) -> str:
    return "[" + " ".join(f"{v:.4f}".rstrip("0").rstrip(".") or "0" for v in values) + "]"
