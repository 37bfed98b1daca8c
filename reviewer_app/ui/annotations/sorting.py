"""Which of a layer's records each page draws, and which are drawn from their PDF appearance
(or not at all): pure functions of the records, so that a big layer is sorted out on the task
that reads it."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from reviewer_app import giving_way
from reviewer_app.engine import RecordKey
from reviewer_app.instant.kept import keeps_appearance
from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.shapes import DRAWERS

NOT_FROM_APPEARANCE = frozenset({"pspdfkit/widget"})  # form fields: drawn by the forms
NOT_SHOWN = frozenset({"hidden", "noView", "invisible"})  # flags of what no viewer shows
OWN_DRAWING = frozenset({"pspdfkit/link"})  # MuPDF draws no link borders: drawn from the record


def appearance_object(record: Record) -> int | None:
    """The PDF object ``record`` came from, when its appearance may stand for it."""
    content = record.content
    object_id = content.get("pdfObjectId")
    if content.get("type") in NOT_FROM_APPEARANCE or isinstance(object_id, bool):
        return None
    return object_id if isinstance(object_id, int) and object_id > 0 else None


def never_shown(record: Record) -> bool:
    """Whether ``record`` is flagged Hidden or NoView (or Invisible): no viewer shows it."""
    flags = record.content.get("flags")
    return isinstance(flags, list) and any(flag in NOT_SHOWN for flag in flags)


def shown_from_pdf(record: Record, base: Mapping[RecordKey, Record]) -> bool:
    """Whether ``record`` is drawn from its PDF appearance: a base annotation the layer did
    not change, or changed in a way its appearance survives (moved, a stamp resized, another
    opacity: see instant.kept), as the export keeps it (the PDF draws it: a picture stamp, a
    signature, another tool's free text); or one of a type we do not draw. Links are drawn
    from their record (MuPDF, which draws the appearances, leaves link borders out)."""
    if appearance_object(record) is None:
        return False
    type_ = record.content.get("type")
    if type_ not in DRAWERS:
        return True
    if type_ in OWN_DRAWING:
        return False
    found = base.get(record.key)
    if found is None or found.content.get("pdfObjectId") != record.content.get("pdfObjectId"):
        return False
    return found is record or keeps_appearance(found.content, record.content)


def page_of(record: Record, pages: int) -> int | None:
    """The page ``record`` is drawn on, or None (not an annotation, or on none of ``pages``)."""
    page = record.content.get("pageIndex")
    if record.kind != "annotation" or not isinstance(page, int):
        return None
    return page if 0 <= page < pages else None


def from_pdf(record: Record, base: Mapping[RecordKey, Record], lacking: Collection[int]) -> bool:
    """Whether ``record`` is drawn from its PDF appearance (see :func:`shown_from_pdf`),
    which draws something (its object is not among ``lacking``)."""
    if not shown_from_pdf(record, base):
        return False
    return (
        record.content.get("type") not in DRAWERS or (appearance_object(record) or 0) not in lacking
    )


@dataclass
class Sorting:
    """A layer's records sorted out for the overlay (see :func:`sort_out`), with what that
    took as given: the base layer's records, the objects lacking an appearance, the pages."""

    base: Mapping[RecordKey, Record]
    lacking: frozenset[int]
    pages: int
    by_page: dict[int, list[Record]] = field(default_factory=dict)  # drawn by each page's item
    undrawn: list[Record] = field(default_factory=list)  # not drawn from the record
    from_appearance: dict[int, list[Record]] = field(default_factory=dict)  # by page
    off_pages: set[RecordKey] = field(default_factory=set)  # undrawn, on no page's item

    def fits(self, base: Mapping[RecordKey, Record], lacking: Collection[int], pages: int) -> bool:
        """Whether this sorting holds for the overlay as it is now."""
        return base is self.base and pages == self.pages and self.lacking == lacking

    def copy(self) -> Sorting:
        """A copy whose lists and sets can be changed (the overlay follows edits in them)
        without changing this one: a few hundred lists, not a thousand records sorted out."""
        return Sorting(
            self.base,
            self.lacking,
            self.pages,
            {page: list(records) for page, records in self.by_page.items()},
            list(self.undrawn),
            {page: list(records) for page, records in self.from_appearance.items()},
            set(self.off_pages),
        )


def sort_out(
    records: Sequence[Record],
    base: Mapping[RecordKey, Record],
    lacking: Collection[int],
    pages: int,
) -> Sorting:
    """Each page's records to draw, those drawn from their PDF appearance, those not drawn."""
    out = Sorting(base, frozenset(lacking), pages)
    by_page, undrawn, from_appearance, off_pages = (
        out.by_page,
        out.undrawn,
        out.from_appearance,
        out.off_pages,
    )
    for record in records:
        if giving_way.busy:  # (on a task, the window's turn goes first)
            giving_way.give_way()
        page = page_of(record, pages)
        if page is None:
            continue
        if never_shown(record):
            undrawn.append(record)
            off_pages.add(record.key)
        elif from_pdf(record, base, out.lacking):
            undrawn.append(record)
            from_appearance.setdefault(page, []).append(record)
            by_page.setdefault(page, []).append(record)
        elif record.content.get("type") not in DRAWERS:
            undrawn.append(record)
            off_pages.add(record.key)
        else:
            by_page.setdefault(page, []).append(record)
    return out
