"""Flattening: a layer PDF's annotations and form fields burned into its pages as they show on
screen, with their print flags kept, and what cannot be burned in counted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pymupdf

from reviewer_app.pdf.note_icons import ICONS, give_icon
from reviewer_app.pdf.objects import Ref, dictionary_at, parse_object

_mupdf: Any = pymupdf
HIDDEN = 1 << 1
PRINT = 1 << 2
NO_VIEW = 1 << 5
SCREEN_ONLY = "Shown on screen only"
_USAGE = "<< /View << /ViewState /ON >> /Print << /PrintState /OFF >> >>"


@dataclass(frozen=True)
class Flattening:
    """What flattening did: the annotations burned into each page (by object number), the
    links dropped (a flattened PDF keeps none: object number and /NM, "" without one) and
    the annotations left out because they never show on screen (hidden, or not for viewing)."""

    burned: dict[int, frozenset[int]]
    links: tuple[tuple[int, str], ...]
    not_shown: tuple[int, ...]


def flatten_document(doc: Any) -> Flattening:
    """Burn annotations and widgets into the pages as a viewer shows them: those flagged
    Hidden or NoView are left out, a note without an appearance keeps its icon (drawn here
    where MuPDF would draw a star), and what shows on screen but is not printed (no Print
    flag) is burned in as optional content that is off when printing. Links, /Annots and
    the AcroForm are dropped."""
    burned: dict[int, frozenset[int]] = {}
    links: list[tuple[int, str]] = []
    not_shown: list[int] = []
    screen_only: dict[int, list[int]] = {}
    for index in range(doc.page_count):
        page_burned = []
        for xref, kind, _ in doc[index].annot_xrefs():
            flags = _flags(doc, xref)
            if kind == _mupdf.PDF_ANNOT_LINK:
                kind_nm, name = doc.xref_get_key(xref, "NM")
                links.append((xref, name if kind_nm == "string" else ""))
            elif kind in (_mupdf.PDF_ANNOT_LINK, _mupdf.PDF_ANNOT_POPUP):  # not baked
                continue
            elif flags & (HIDDEN | NO_VIEW):
                not_shown.append(xref)
            else:
                page_burned.append(xref)
                if not flags & PRINT:
                    screen_only.setdefault(index, []).append(xref)
                if kind == _mupdf.PDF_ANNOT_TEXT:
                    _keep_icon(doc, xref)
        burned[index] = frozenset(page_burned)
        _unlist(doc, index, set(not_shown))
    if doc.xref_get_key(doc.pdf_catalog(), "AcroForm/NeedAppearances")[0] != "null":
        doc.xref_set_key(doc.pdf_catalog(), "AcroForm/NeedAppearances", "false")
    doc.bake(annots=True, widgets=True)
    if screen_only:
        _not_printed(doc, screen_only)
    for index in range(doc.page_count):
        if doc.xref_get_key(doc.page_xref(index), "Annots")[0] != "null":
            doc.xref_set_key(doc.page_xref(index), "Annots", "null")
    doc.xref_set_key(doc.pdf_catalog(), "AcroForm", "null")
    return Flattening(burned, tuple(links), tuple(not_shown))


def _flags(doc: Any, xref: int) -> int:
    kind, value = doc.xref_get_key(xref, "F")
    try:
        return int(float(value)) if kind in ("int", "real") else 0
    except ValueError:
        return 0


def _keep_icon(doc: Any, xref: int) -> None:
    """Give a note with no appearance its own icon, when MuPDF would draw a star instead."""
    if doc.xref_get_key(xref, "AP/N")[0] != "null":
        return
    kind, name = doc.xref_get_key(xref, "Name")
    icon = name.lstrip("/") if kind == "name" else "Note"
    if icon in ICONS:
        color = parse_object(doc.xref_get_key(xref, "C")[1] or "null")
        give_icon(doc, xref, icon, color if isinstance(color, list) else None)


def _unlist(doc: Any, index: int, xrefs: set[int]) -> None:
    """Take the annotation objects ``xrefs`` off page ``index``'s /Annots."""
    page_xref = doc.page_xref(index)
    kind, value = doc.xref_get_key(page_xref, "Annots")
    if kind == "xref":
        value = doc.xref_object(int(value.split()[0]), compressed=True)
    elif kind != "array":
        return
    refs = parse_object(value)
    if not isinstance(refs, list) or not any(isinstance(r, Ref) and r.num in xrefs for r in refs):
        return
    kept = " ".join(f"{r.num} {r.gen} R" for r in refs if isinstance(r, Ref) and r.num not in xrefs)
    doc.xref_set_key(page_xref, "Annots", f"[{kept}]")


def _not_printed(doc: Any, by_page: dict[int, list[int]]) -> None:
    """Put the burned-in drawings of ``by_page``'s annotations (the form XObjects MuPDF's bake
    names ``/Annot<number>``) into an optional content group that is off when printing."""
    group = int(doc.add_ocg(SCREEN_ONLY, on=True))
    doc.xref_set_key(group, "Usage", _USAGE)
    found = dictionary_at(doc, doc.pdf_catalog(), ("OCProperties", "D"))
    if found is not None:
        holder, prefix = found
        events = (
            f"<< /Event /{event} /OCGs [{group} 0 R] /Category [/{event}] >>"
            for event in ("View", "Print")
        )
        kind, value = doc.xref_get_key(holder, prefix + "AS")
        before = value.strip()[1:-1] if kind == "array" else ""
        doc.xref_set_key(holder, prefix + "AS", f"[{before} {' '.join(events)}]")
    for index, xrefs in by_page.items():
        names = {f"Annot{xref}" for xref in xrefs}
        for item in doc[index].get_xobjects():
            if str(item[1]) in names:
                doc.xref_set_key(int(item[0]), "OC", f"{group} 0 R")
