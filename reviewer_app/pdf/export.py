"""Layer PDFs: a layer's records written into a copy of the stored PDF, editable or flattened."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

from reviewer_app.instant.records import LayerExport, Record
from reviewer_app.pdf.comments import layer_comments
from reviewer_app.pdf.comments_summary import append_comments_summary
from reviewer_app.pdf.errors import BrokenPdf
from reviewer_app.pdf.export_check import (
    PageAnnotations,
    require_burned,
    require_saved,
    require_written,
)
from reviewer_app.pdf.flatten import Flattening, flatten_document
from reviewer_app.pdf.geometry import page_box
from reviewer_app.pdf.objects import Ref, parse_object
from reviewer_app.pdf.open import load_every_object, mupdf_errors, open_pdf
from reviewer_app.pdf.page_batches import PageBatches
from reviewer_app.pdf.score_box import draw_score_box
from reviewer_app.pdf.stopping import stop_point
from reviewer_app.pdf.write_annotations import write_annotation
from reviewer_app.pdf.write_common import PageSpace, Unsupported
from reviewer_app.pdf.write_forms import fill_form_values
from reviewer_app.pdf.write_kept import keep, kept_changes
from reviewer_app.pdf.write_replies import quotes, write_threads

_mupdf: Any = pymupdf
Progress = Callable[[int, int, str], None]
DROPPED_LINK = "a link: a flattened PDF keeps no links"


@dataclass(frozen=True)
class Skipped:
    """A record a layer PDF leaves out: which layer, which record, and why."""

    record_id: str
    kind: str
    reason: str
    layer: str = ""


def export_layer_pdf(
    source: bytes | Path,
    layer: LayerExport,
    *,
    flatten: bool = False,
    summary: bool = False,
    title: str = "",
    layer_name: str = "",
    password: str | None = None,
    skipped: list[Skipped] | None = None,
    score_box: Sequence[str] = (),
) -> bytes:
    """The PDF of one layer, made from a copy of ``source`` (which is never modified).

    Editable: the base annotations in ``layer.remove_object_ids`` are removed, the layer's own
    records are written as annotations (with appearances) and form values; every other PDF
    object is kept as it is. Flattened: all of that burned into the page content as it
    shows on screen (see flatten.py), with no annotations, links or form fields left (the
    links dropped are listed in ``skipped``). With ``summary``, pages listing every comment
    the layer shows follow the last page (none when it shows no comment), headed by
    ``title`` (default: the PDF's own title) and ``layer_name``. Records that cannot be
    written are appended to ``skipped`` (when given) instead of failing the export. Raises
    PdfError for bad sources, and ExportIncomplete when the PDF, opened again once written,
    lacks an annotation it should hold (see export_check). ``score_box``: lines drawn
    in a box at the top right of the first page (a returned paper's score).
    """
    doc = open_pdf(source, password)
    try:
        load_every_object(doc)  # a repair, when one is needed, before any change
        problems = write_layer(doc, layer)
        require_written(doc, layer.write, (p.record_id for p in problems))
        draw_score_box(doc, score_box)
        if summary:
            comments = layer_comments(layer.shown, doc.page_count, quotes(doc, layer.shown))
            heading = title or (doc.metadata or {}).get("title") or "Untitled document"
            append_comments_summary(doc, comments, title=heading, layer=layer_name)
        stop_point("before saving")
        if flatten:
            flattening = flatten_document(doc)
            problems.extend(dropped_links(flattening, layer))
            require_burned(doc, flattening)
        saved = PageAnnotations.of(doc)
        data = save(doc)
        require_saved(data, password, saved)
    except mupdf_errors() as exc:
        raise BrokenPdf(f"cannot write the layer PDF ({exc})") from exc
    finally:
        doc.close()
    if skipped is not None:
        skipped.extend(problems)
    return data


def write_layer(doc: Any, layer: LayerExport) -> list[Skipped]:
    """Apply ``layer`` to the open document: remove, then write; returns what was skipped.
    A changed base annotation whose appearance survives the change keeps its PDF object
    (see write_kept)."""
    kept = kept_changes(doc, layer)
    remove_annotations(doc, layer.remove_object_ids - kept.keys())
    for xref, (record, base) in kept.items():
        keep(doc, xref, record, base, page_box(doc, record.content["pageIndex"]))
    by_page: dict[int, list[Record]] = defaultdict(list)
    skipped: list[Skipped] = []
    values: list[Record] = []
    kept_ids = {record.id for record, _ in kept.values()}
    for record in (r for r in layer.write if r.id not in kept_ids or r.kind != "annotation"):
        page = record.content.get("pageIndex")
        if record.kind == "formFieldValue":
            values.append(record)
        elif record.kind == "comment":
            continue  # written with their threads, below
        elif record.kind != "annotation":
            skipped.append(Skipped(record.id, record.kind, f"{record.kind}s are not written"))
        elif isinstance(page, int) and 0 <= page < doc.page_count:
            by_page[page].append(record)
        else:
            skipped.append(Skipped(record.id, record.kind, f"no page {page}"))
    for index, records in sorted(by_page.items()):
        skipped.extend(_write_page(doc, index, records, layer.attachments))
    for record, reason in fill_form_values(doc, values):
        skipped.append(Skipped(record.id, record.kind, reason))
    for record, reason in write_threads(doc, layer):
        skipped.append(Skipped(record.id, record.kind, reason))
    return skipped


def _write_page(
    doc: Any, index: int, records: list[Record], attachments: Mapping[str, bytes]
) -> list[Skipped]:
    """Write one page's annotation records (links last: they are appended raw), a batch at a
    time on the page loaded afresh, its /Annots set aside meanwhile (see PageBatches)."""
    space = PageSpace(page_box(doc, index))
    ordered = sorted(records, key=lambda r: r.content.get("type") == "pspdfkit/link")
    skipped: list[Skipped] = []
    with PageBatches(doc, index) as batches:
        for batch in batches.split(ordered):
            page = doc[index]
            for record in batch:
                stop_point(f"on page {index + 1} of {doc.page_count}")
                try:
                    write_annotation(doc, page, space, record, attachments)
                except Unsupported as exc:
                    skipped.append(Skipped(record.id, record.kind, str(exc)))
                except mupdf_errors() as exc:  # values MuPDF refuses: this record is left out
                    reason = f"{record.content.get('type')}: {exc}"
                    skipped.append(Skipped(record.id, record.kind, reason))
            del page  # the next batch loads the page again, with only its own annotations
    return skipped


def remove_annotations(doc: Any, xrefs: Iterable[int]) -> None:
    """Take the annotation objects ``xrefs`` (and their popups) off every page's /Annots."""
    remove = set(xrefs)
    if not remove:
        return
    for index in range(doc.page_count):
        page_xref = doc.page_xref(index)
        kind, value = doc.xref_get_key(page_xref, "Annots")
        holder = int(value.split()[0]) if kind == "xref" else None
        text = doc.xref_object(holder, compressed=True) if holder else value
        refs = parse_object(text) if kind in ("xref", "array") else None
        if not isinstance(refs, list):
            continue
        listed = {ref.num for ref in refs if isinstance(ref, Ref)}
        gone = (remove & listed) | {p for x in remove & listed if (p := _popup(doc, x))}
        if not gone:
            continue
        kept = " ".join(
            f"{r.num} {r.gen} R" for r in refs if isinstance(r, Ref) and r.num not in gone
        )
        if holder:
            doc.update_object(holder, f"[{kept}]")
        else:
            doc.xref_set_key(page_xref, "Annots", f"[{kept}]")


def _popup(doc: Any, xref: int) -> int | None:
    """The object number of an annotation's /Popup, if it has one."""
    kind, value = doc.xref_get_key(xref, "Popup")
    return int(value.split()[0]) if kind == "xref" else None


def save(doc: Any) -> bytes:
    """The document's bytes: unused objects dropped, object numbers and encryption kept."""
    data: bytes = doc.tobytes(garbage=1, encryption=_mupdf.PDF_ENCRYPT_KEEP)
    return data


def dropped_links(flattening: Flattening, layer: LayerExport) -> list[Skipped]:
    """The links a flattened PDF lost, as skipped records (named by the layer's record ids,
    where they are records), so that the result says so."""
    by_object = {
        r.content.get("pdfObjectId"): r.id
        for r in layer.shown
        if r.kind == "annotation" and r.content.get("type") == "pspdfkit/link"
    }
    return [
        Skipped(name or str(by_object.get(xref) or ""), "annotation", DROPPED_LINK)
        for xref, name in flattening.links
    ]
