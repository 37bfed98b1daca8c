"""Every layer PDF is checked: each record the layer writes must be on its page, and the
written file, opened again, must hold each annotation the page held before it was saved
(listed in /Annots, or burned into the page when flattened), or the export fails."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reviewer_app.instant.records import Record
from reviewer_app.pdf.errors import BrokenPdf
from reviewer_app.pdf.flatten import Flattening
from reviewer_app.pdf.open import mupdf_errors, open_pdf

ByPage = dict[int, frozenset[int]]


class ExportIncomplete(BrokenPdf):
    """A layer PDF lacks annotations the layer shows; the message says how many."""


@dataclass(frozen=True)
class PageAnnotations:
    """By page: the annotation objects a page lists in /Annots, and those burned into it
    (drawn by the form XObject ``/Annot<number>``, as MuPDF's bake names them)."""

    listed: ByPage
    burned: ByPage

    @classmethod
    def of(cls, doc: Any) -> PageAnnotations:
        listed, burned = {}, {}
        for index in range(doc.page_count):
            page = doc[index]
            listed[index] = frozenset(xref for xref, _, _ in page.annot_xrefs())
            names = (str(item[1]) for item in page.get_xobjects())
            burned[index] = frozenset(
                int(name[5:]) for name in names if name.startswith("Annot") and name[5:].isdigit()
            )
        return cls(listed, burned)

    def missing_from(self, other: PageAnnotations) -> int:
        """How many of these annotations ``other`` lacks."""
        return sum(
            len(xrefs - other.listed.get(page, frozenset())) for page, xrefs in self.listed.items()
        ) + sum(
            len(xrefs - other.burned.get(page, frozenset())) for page, xrefs in self.burned.items()
        )


def require_written(doc: Any, records: Iterable[Record], skipped: Iterable[str]) -> None:
    """Each annotation record (but those ``skipped``, by id) must be an annotation of its page:
    one whose /NM is its id, or its own PDF object kept (see write_kept). Raises
    ExportIncomplete otherwise."""
    left_out = set(skipped)
    wanted: dict[int, list[Record]] = {}
    for record in records:
        page = record.content.get("pageIndex")
        if record.kind == "annotation" and record.id not in left_out and isinstance(page, int):
            wanted.setdefault(page, []).append(record)
    lost = 0
    for page, some in wanted.items():
        names, listed = set(), set()
        for xref, _, _ in doc[page].annot_xrefs():
            listed.add(xref)
            kind, value = doc.xref_get_key(xref, "NM")
            if kind == "string":
                names.add(value)
        lost += sum(
            1 for r in some if r.id not in names and r.content.get("pdfObjectId") not in listed
        )
    if lost:
        raise ExportIncomplete(f"{lost} annotations of the layer could not be written")


def require_burned(doc: Any, flattening: Flattening) -> None:
    """Each annotation flattening meant to burn in must be drawn by the page (MuPDF names
    the form XObject it is drawn with ``/Annot<number>``). Raises ExportIncomplete."""
    burned = PageAnnotations.of(doc).burned
    lost = sum(
        len(xrefs - burned.get(page, frozenset())) for page, xrefs in flattening.burned.items()
    )
    if lost:
        raise ExportIncomplete(f"{lost} annotations were lost while the layer PDF was flattened")


def require_saved(data: bytes, password: str | None, before: PageAnnotations) -> None:
    """Open the written ``data`` again: it must hold every annotation of ``before`` (the
    document as it was saved). Raises ExportIncomplete otherwise."""
    doc = open_pdf(data, password, "the layer PDF")
    try:
        after = PageAnnotations.of(doc)
    except mupdf_errors() as exc:
        raise ExportIncomplete(f"the layer PDF cannot be read back ({exc})") from exc
    finally:
        doc.close()
    lost = before.missing_from(after)
    if lost:
        raise ExportIncomplete(
            f"{lost} annotations were lost while the layer PDF was saved (the source PDF "
            "may be damaged)"
        )
