"""Extract the base layer of a PDF: its annotations and form field values as Instant records."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer_app.instant.attachments import file_sha256
from reviewer_app.instant.ids import derived_id
from reviewer_app.instant.records import Record
from reviewer_app.pdf.annotations import CONVERTERS, convert
from reviewer_app.pdf.errors import BrokenPdf
from reviewer_app.pdf.forms import form_field_values
from reviewer_app.pdf.geometry import PageBox, page_box
from reviewer_app.pdf.links import LinkTargets
from reviewer_app.pdf.objects import parse_object
from reviewer_app.pdf.open import mupdf_errors, open_pdf
from reviewer_app.pdf.page_tree import check_page_tree
from reviewer_app.pdf.properties import name_of
from reviewer_app.pdf.read_replies import thread_records
from reviewer_app.pdf.source import AnnotationSource
from reviewer_app.pdf.stopping import stop_point

UNREADABLE = "unreadable"  # the key in ``skipped`` for annotation objects that fail to load


@dataclass(frozen=True)
class Extraction:
    """What a PDF holds for the base layer.

    ``records``: annotations (ids derived from the document hash and the PDF object number),
    comments (replies in the PDF's threads, see read_replies) then form field values (id =
    the field's fully qualified name).
    ``skipped``: annotations kept only in the PDF, by subtype — types Instant JSON cannot
    express (FileAttachment, 3D, ...), popups (owned by their parent), widgets (whose values
    are records) and links whose action has no Instant form.
    ``pages``: each page's visible width and height in points, unrotated, and its /Rotate.
    """

    sha256: str
    page_count: int
    title: str | None
    records: list[Record]
    skipped: dict[str, int]
    pages: list[tuple[float, float, int]]


def extract_base_layer(
    data: bytes | Path,
    password: str | None = None,
    name: str = "document",
    sha256: str | None = None,
) -> Extraction:
    """Read the base layer of the PDF ``data`` (bytes, or a file opened without reading it
    whole); raises a PdfError when it cannot be opened, or when its page tree is nested too
    deep for MuPDF to write it again (see page_tree). ``sha256``: the hash of its bytes, when
    the caller knows it (else computed here)."""
    if sha256 is None:
        sha256 = file_sha256(data) if isinstance(data, Path) else hashlib.sha256(data).hexdigest()
    doc = open_pdf(data, password, name)
    try:
        check_page_tree(doc, name)
        return _extract(doc, sha256)
    except mupdf_errors() as exc:  # damaged objects found past opening
        raise BrokenPdf(f"damaged PDF: {name} ({exc})") from exc
    finally:
        doc.close()


def _extract(doc: Any, sha256: str) -> Extraction:
    """The extraction of an open document whose bytes hash to ``sha256``."""
    records: list[Record] = []
    skipped: Counter[str] = Counter()
    pages: list[tuple[float, float, int]] = []
    targets = LinkTargets(doc)
    seen: set[int] = set()  # an annotation object listed on two pages is one record
    for index in range(doc.page_count):
        stop_point(f"at page {index + 1} of {doc.page_count}")
        box = page_box(doc, index)
        pages.append((box.width, box.height, box.rotation))
        records.extend(_page_annotations(doc, index, box, sha256, targets, skipped, seen))
    records = thread_records(doc, sha256, records)  # replies and states become threads
    records.extend(form_field_values(doc))
    title = str((doc.metadata or {}).get("title") or "").strip() or None
    return Extraction(sha256, doc.page_count, title, records, dict(skipped), pages)


def _page_annotations(
    doc: Any,
    index: int,
    box: PageBox,
    sha256: str,
    targets: LinkTargets,
    skipped: Counter[str],
    seen: set[int],
) -> list[Record]:
    """The annotation records of one page; what they cannot hold is counted in ``skipped``."""
    page = doc[index]  # annot_xrefs() lists the page's /Annots, whatever their subtype
    records = []
    for xref, _, _ in page.annot_xrefs():
        if xref in seen:
            continue
        seen.add(xref)
        try:
            obj = parse_object(doc.xref_object(xref, compressed=True))
        except mupdf_errors():
            skipped[UNREADABLE] += 1
            continue
        subtype = (name_of(obj.get("Subtype")) if isinstance(obj, dict) else None) or UNREADABLE
        content = None
        if subtype in CONVERTERS:
            source = AnnotationSource(doc, xref, obj, index, box, targets)
            content = convert(subtype, source)
        if content is None:
            skipped[subtype] += 1
            continue
        records.append(Record("annotation", derived_id(sha256, "annotation", xref), content))
    return records
