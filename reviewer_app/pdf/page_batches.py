"""Writing many annotations on one page in linear time: the page's /Annots set aside, and the
page loaded afresh for each batch of records.

MuPDF walks every annotation loaded on a page each time one is updated, and PyMuPDF reads the
/NM of every entry of the page's /Annots for each annotation it adds: written one after the
other on one page, n annotations cost time in n² (1,000 notes took 5 s, 5,000 over 2 minutes).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any, TypeVar

from reviewer_app.pdf.objects import Ref, parse_object

BATCH = 32
"""Records written on the page between two reloads: MuPDF then holds at most this many new
annotations on it (besides those of the page's PDF the page was loaded with)."""

T = TypeVar("T")


class PageBatches:
    """Inside ``with PageBatches(doc, index) as batches``, page ``index``'s /Annots is set aside
    (its references kept here, in order). ``batches.split(records)`` yields the records a batch
    of BATCH at a time and, after each batch, sets aside what it added to /Annots; the caller
    loads the page for each batch (``doc[index]``) and lets go of it after, so MuPDF holds only
    that batch's annotations. On leaving, /Annots is whole again: what it held, then every
    annotation added, in the order they were added."""

    def __init__(self, doc: Any, index: int) -> None:
        self.doc = doc
        self.page_xref = int(doc.page_xref(index))
        self.held: list[Ref] = []
        self.enabled = True  # False for an /Annots holding more than references (malformed)

    def __enter__(self) -> PageBatches:
        refs = self._refs()
        self.enabled = refs is None or all(isinstance(ref, Ref) for ref in refs)
        self._set_aside()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._set_aside()
        if self.held:
            self._store(" ".join(f"{ref.num} {ref.gen} R" for ref in self.held))

    def split(self, records: Sequence[T]) -> Iterator[Sequence[T]]:
        """The records in batches of BATCH; what each batch added is set aside after it."""
        for start in range(0, len(records), BATCH):
            yield records[start : start + BATCH]
            self._set_aside()

    def _set_aside(self) -> None:
        """Move the references in /Annots to ``held``, leaving /Annots empty."""
        refs = self._refs() if self.enabled else None
        if refs:
            self.held.extend(ref for ref in refs if isinstance(ref, Ref))
            self._store("")

    def _refs(self) -> list[Any] | None:
        """What /Annots holds (None when the page has none, or no array)."""
        kind, value = self.doc.xref_get_key(self.page_xref, "Annots")
        if kind == "xref":
            value = self.doc.xref_object(int(value.split()[0]), compressed=True)
        elif kind != "array":
            return None
        refs = parse_object(value)
        return refs if isinstance(refs, list) else None

    def _store(self, refs: str) -> None:
        """Make /Annots ``[refs]`` (in its own object when it is one)."""
        kind, value = self.doc.xref_get_key(self.page_xref, "Annots")
        if kind == "xref":
            self.doc.update_object(int(value.split()[0]), f"[{refs}]")
        else:
            self.doc.xref_set_key(self.page_xref, "Annots", f"[{refs}]")
