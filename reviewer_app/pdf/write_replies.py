"""Comment threads written into a layer PDF: each comment a reply annotation (/Text with /IRT
to its root and /RT /R, author, dates, contents), each thread state a state annotation
(/State with /StateModel /Review, or /Marked for resolved), as Acrobat writes them.

Replies and states have an empty appearance: viewers list them in their comments, in the
root's thread, and draw nothing of their own on the page (so a flattened PDF shows none of
them; its comments summary does). A comment marker's first comment is the marker's own
text (/Contents), as Document Engine keeps it; the rest are its replies."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reviewer_app.instant.comments import MARKER_TYPE, STATE_NAMES, comment_words
from reviewer_app.instant.records import Kind, LayerExport, Record
from reviewer_app.instant.threads import Thread, author_of, threads_of
from reviewer_app.pdf.geometry import page_box
from reviewer_app.pdf.text import text_in_rect
from reviewer_app.pdf.write_common import PageSpace, is_rect, pdf_date, pdf_string

ICON = 20.0  # points: the size of a reply's (invisible) box at its root's top-left corner
PRINT_NOZOOM_NOROTATE = 4 + 8 + 16  # /F of a reply: printed like its root, never scaled
HIDDEN = 2  # /F bit of a state annotation, as Acrobat writes them
REVIEW = {"open": "None", "accepted": "Accepted", "rejected": "Rejected"}
REVIEW |= {"cancelled": "Cancelled", "completed": "Completed"}
MARKED = {"resolved": "Marked"}


@dataclass
class _Pages:
    """What is added to each page's /Annots, and what is taken off it."""

    added: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    dropped: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    spaces: dict[int, PageSpace] = field(default_factory=dict)  # read once per page

    def space(self, doc: Any, index: int) -> PageSpace:
        if index not in self.spaces:  # reading a page's box parses its objects: 2 ms
            self.spaces[index] = PageSpace(page_box(doc, index))
        return self.spaces[index]


def write_threads(doc: Any, layer: LayerExport) -> list[tuple[Record, str]]:
    """Write the threads of ``layer`` into the open document, after its annotations were
    written (a written root has /NM = its id); returns the comments it could not write."""
    written = {record.key for record in layer.write}
    threads = threads_of(layer.shown)
    rooted = {c.key for t in threads for c in t.comments}
    skipped = [
        (r, "its root annotation is not in the layer")
        for r in layer.write
        if r.kind == "comment" and r.key not in rooted
    ]
    busy = [
        t for t in threads if t.root.key in written or any(c.key in written for c in t.comments)
    ]
    if not busy and not layer.remove_object_ids:
        return skipped
    xrefs = _root_xrefs(doc, [t for t in busy if t.root.key in written])
    pages = _Pages()
    empty = _empty_appearance(doc)
    old_roots: set[int] = set(layer.remove_object_ids)
    for thread in busy:
        root_xref = xrefs.get(thread.root.id) if thread.root.key in written else _base(thread)
        if root_xref is None and thread.root.key in written:
            root_xref = _kept(doc, thread)
        if root_xref is None:
            skipped += [
                (c, "its root has no PDF object") for c in thread.comments if c.key in written
            ]
            continue
        if thread.root.key in written and isinstance(thread.root.content.get("pdfObjectId"), int):
            old_roots.add(thread.root.content["pdfObjectId"])
        _write_thread(doc, thread, root_xref, written, empty, pages)
    _drop_states_of(doc, old_roots, pages)
    for index in set(pages.added) | set(pages.dropped):
        _set_annots(doc, index, pages.added.get(index, []), pages.dropped.get(index, set()))
    return skipped


def _base(thread: Thread) -> int | None:
    """The PDF object of a root the layer did not change (it is kept as it is)."""
    object_id = thread.root.content.get("pdfObjectId")
    return object_id if isinstance(object_id, int) else None


def _kept(doc: Any, thread: Thread) -> int | None:
    """The PDF object of a changed base root that the export kept (see write_kept: a change
    of its thread's state leaves its appearance as it was), when it is still on its page."""
    xref = _base(thread)
    if xref is None or not 0 <= thread.page < doc.page_count:
        return None
    return xref if any(x == xref for x, _, _ in doc[thread.page].annot_xrefs()) else None


def _root_xrefs(doc: Any, threads: Iterable[Thread]) -> dict[str, int]:
    """The objects of the roots written by this export, found by their /NM on their page."""
    wanted: dict[int, set[str]] = defaultdict(set)
    for thread in threads:
        wanted[thread.page].add(thread.root.id)
    found: dict[str, int] = {}
    for index, ids in wanted.items():
        if not 0 <= index < doc.page_count:
            continue
        for xref, _, _ in doc[index].annot_xrefs():
            kind, name = doc.xref_get_key(xref, "NM")
            if kind == "string" and name in ids:
                found[name] = xref
    return found


def _write_thread(
    doc: Any,
    thread: Thread,
    root_xref: int,
    written: set[tuple[Kind, str]],
    empty: int,
    pages: _Pages,
) -> None:
    index = thread.page
    if not 0 <= index < doc.page_count:
        return
    space = pages.space(doc, index)
    bbox: Any = thread.root.content.get("bbox")
    left, top = (bbox[0], bbox[1]) if is_rect(bbox) else (0.0, 0.0)
    rect = space.pdf_rect([left, top, ICON, ICON])
    replies = list(thread.comments)
    root_written = thread.root.key in written
    if thread.root.content.get("type") == MARKER_TYPE and replies:
        first = replies.pop(0)
        if root_written or first.key in written:
            doc.xref_set_key(root_xref, "Contents", pdf_string(comment_words(first.content)))
    page_xref = doc.page_xref(index)
    for comment in replies:
        if comment.key in written:
            keys = _reply_keys(comment, root_xref, rect, page_xref, empty)
            pages.added[index].append(_new_object(doc, keys))
        elif root_written and isinstance(comment.content.get("pdfObjectId"), int):
            doc.xref_set_key(comment.content["pdfObjectId"], "IRT", f"{root_xref} 0 R")
    if root_written and thread.state.at is not None:
        keys = _state_keys(thread, root_xref, rect, page_xref, empty)
        pages.added[index].append(_new_object(doc, keys))


def _common(record_id: str, author: str, rect: tuple[float, ...], page: int, empty: int) -> str:
    x0, y0, x1, y1 = rect
    return (
        f"/Type /Annot /Subtype /Text /Rect [{x0:g} {y0:g} {x1:g} {y1:g}] /P {page} 0 R "
        f"/NM {pdf_string(record_id)} /T {pdf_string(author)} /Name /Comment /Open false "
        f"/AP << /N {empty} 0 R >>"
    )


def _reply_keys(comment: Record, root: int, rect: tuple[float, ...], page: int, empty: int) -> str:
    """The dictionary of a reply annotation answering object ``root``."""
    content = comment.content
    keys = [
        _common(comment.id, author_of(comment), rect, page, empty),
        f"/IRT {root} 0 R /RT /R /F {PRINT_NOZOOM_NOROTATE}",
        f"/Contents {pdf_string(comment_words(content))}",
    ]
    for key, name in (("CreationDate", "createdAt"), ("M", "updatedAt")):
        date = pdf_date(content.get(name))
        if date:
            keys.append(f"/{key} {pdf_string(date)}")
    return " ".join(keys)


def _state_keys(thread: Thread, root: int, rect: tuple[float, ...], page: int, empty: int) -> str:
    """The dictionary of a state annotation giving ``root`` the thread's state."""
    state = thread.state
    model, name = ("Marked", MARKED[state.state]) if state.state in MARKED else ("Review", "")
    name = name or REVIEW.get(state.state, "None")
    by = state.by or ""
    said = f"{STATE_NAMES[state.state]} set by {by}" if by else STATE_NAMES[state.state]
    keys = [
        _common(f"{thread.root.id}-state", by, rect, page, empty),
        f"/IRT {root} 0 R /RT /R /F {HIDDEN + PRINT_NOZOOM_NOROTATE}",
        f"/State {pdf_string(name)} /StateModel {pdf_string(model)}",
        f"/Contents {pdf_string(said)}",
    ]
    date = pdf_date(state.at)
    if date:
        keys.append(f"/CreationDate {pdf_string(date)} /M {pdf_string(date)}")
    return " ".join(keys)


def _new_object(doc: Any, keys: str) -> int:
    xref = int(doc.get_new_xref())
    doc.update_object(xref, f"<< {keys} >>")
    return xref


def _empty_appearance(doc: Any) -> int:
    """One empty form XObject, the appearance every reply and state annotation shares."""
    xref = int(doc.get_new_xref())
    doc.update_object(xref, "<< /Type /XObject /Subtype /Form /BBox [0 0 0 0] >>")
    doc.update_stream(xref, b"")
    return xref


def _drop_states_of(doc: Any, roots: set[int], pages: _Pages) -> None:
    """Take off the pages the state annotations of roots that this export removed or wrote
    anew (their thread's state is written again with the new root, or goes with it)."""
    if not roots:
        return
    for index in range(doc.page_count):
        for xref, kind, _ in doc[index].annot_xrefs():
            if kind != 0:  # PDF_ANNOT_TEXT: replies and states are text annotations
                continue
            irt, value = doc.xref_get_key(xref, "IRT")
            if irt != "xref" or int(value.split()[0]) not in roots:
                continue
            if doc.xref_get_key(xref, "State")[0] != "null":
                pages.dropped[index].add(xref)


def _set_annots(doc: Any, index: int, added: list[int], dropped: set[int]) -> None:
    """Append ``added`` to the page's /Annots and take ``dropped`` off it, in one write."""
    page_xref = doc.page_xref(index)
    kind, value = doc.xref_get_key(page_xref, "Annots")
    holder = int(value.split()[0]) if kind == "xref" else None
    text = doc.xref_object(holder, compressed=True) if holder else value
    text = text.strip() if kind in ("xref", "array") else "[]"
    for xref in dropped:
        text = re.sub(rf"(?<![0-9]){xref}\s+\d+\s+R", "", text)
    text = text.rstrip("] \n") + "".join(f" {x} 0 R" for x in added) + "]"
    if holder:
        doc.update_object(holder, text)
    else:
        doc.xref_set_key(page_xref, "Annots", text)


def quotes(doc: Any, shown: Iterable[Record]) -> dict[str, str]:
    """The text each thread's markup root marks (for the comments summary), by root id."""
    found: dict[str, str] = {}
    for thread in threads_of(shown):
        rects = thread.root.content.get("rects")
        if thread.root.content.get("type") == MARKER_TYPE or not isinstance(rects, list):
            continue
        if not 0 <= thread.page < doc.page_count:
            continue
        words = (text_in_rect(doc, thread.page, r) for r in rects if is_rect(r))
        found[thread.root.id] = " ".join(w.strip() for w in words if w.strip())
    return found
