"""Comment threads as a layer shows them: each root annotation with its comments in order and
its state (pure data, built from records; the engine, the PDF export and the app read them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .comments import ThreadState, can_root, thread_state
from .records import Record


@dataclass(frozen=True)
class Thread:
    """A root annotation (a markup annotation or a comment marker), its comments oldest
    first, and its state (see :mod:`reviewer_app.instant.comments`)."""

    root: Record
    comments: tuple[Record, ...]
    state: ThreadState

    @property
    def page(self) -> int:
        page = self.root.content.get("pageIndex")
        return page if isinstance(page, int) and not isinstance(page, bool) else 0

    @property
    def resolved(self) -> bool:
        """Whether the thread is settled: anything but open."""
        return self.state.state != "open"

    @property
    def authors(self) -> tuple[str, ...]:
        """Who wrote in the thread, in order of first appearance."""
        names = (author_of(c) for c in (self.root, *self.comments))
        return tuple(dict.fromkeys(n for n in names if n))


def author_of(record: Record) -> str:
    """Who wrote a record: its ``creatorName``, else the user that created it."""
    return str(record.content.get("creatorName") or record.created_by or "")


def comment_order(record: Record) -> tuple[str, str]:
    """Comments in the order they were written: by ``createdAt``, then by id (ULIDs sort in
    creation order, so comments written in the same millisecond keep theirs)."""
    created = record.content.get("createdAt")
    return (created if isinstance(created, str) else "", record.id)


def threads_of(records: Iterable[Record], *, with_empty: bool = False) -> list[Thread]:
    """The threads among ``records`` (what a layer shows), in the layer's listing order of
    their roots. A root is an annotation that can hold comments and has some, or says it is
    a thread root (``isCommentThreadRoot``: a new comment marker); with ``with_empty`` every
    annotation that can hold comments is one. Comments whose root is absent are left out."""
    records = list(records)
    by_root: dict[str, list[Record]] = {}
    for record in records:  # the comments first: an annotation without any is seldom a root
        if record.kind == "comment":
            by_root.setdefault(str(record.content.get("rootId")), []).append(record)
    found = []
    for root in records:
        if root.kind != "annotation":
            continue
        comments = by_root.get(root.id)
        listed = comments is not None or with_empty
        if not listed and root.content.get("isCommentThreadRoot") is not True:
            continue
        if can_root(root.content):
            ordered = tuple(sorted(comments or (), key=comment_order))
            found.append(Thread(root, ordered, thread_state(root.content)))
    return found


def reply_counts(records: Iterable[Record]) -> dict[str, int]:
    """How many comments each root id has among ``records``."""
    counts: dict[str, int] = {}
    for record in records:
        if record.kind == "comment":
            root = str(record.content.get("rootId"))
            counts[root] = counts.get(root, 0) + 1
    return counts
