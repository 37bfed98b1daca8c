"""Comment threads already in a PDF: reply annotations (/IRT, /RT /R) become comments of their
root, and state annotations (/State, /StateModel) the root's thread state, instead of loose
notes. A root that is a sticky note becomes a comment marker whose first comment is its text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reviewer_app.instant.comments import (
    COMMENT_TYPE,
    MARKER_TYPE,
    ROOT_TYPES,
    ThreadState,
    with_state,
)
from reviewer_app.instant.ids import derived_id
from reviewer_app.instant.records import Json, Record

MAX_DEPTH = 64  # replies to replies: a chain this long (or a loop) stops here
REVIEW_STATES = {
    "Accepted": "accepted",
    "Rejected": "rejected",
    "Cancelled": "cancelled",
    "Completed": "completed",
    "None": "open",
}
MARKED_STATES = {"Marked": "resolved", "Unmarked": "open"}


@dataclass(frozen=True)
class _Reply:
    """A /Text annotation that answers another (its record, its parent's object, its state)."""

    record: Record
    xref: int
    parent: int
    state: str | None
    reply_type: str


def thread_records(doc: Any, sha256: str, records: list[Record]) -> list[Record]:
    """``records`` (a page's annotations as extracted) with the PDF's threads made into
    comments and thread states. Replies to an annotation that cannot hold comments (a
    rectangle, a stamp) stay notes, as before."""
    by_object = {
        r.content["pdfObjectId"]: r
        for r in records
        if r.kind == "annotation" and isinstance(r.content.get("pdfObjectId"), int)
    }
    replies = list(_replies(doc, by_object.values()))
    if not replies:
        return records
    reply_of = {reply.xref: reply for reply in replies}
    changed: dict[str, Record] = {}
    gone: set[str] = set()
    states: dict[str, list[tuple[str, ThreadState]]] = {}
    comments: list[Record] = []
    for reply in replies:
        root = _root_of(reply, reply_of, by_object)
        if root is None or root.content.get("type") not in (*ROOT_TYPES, "pspdfkit/note"):
            continue
        if root.content.get("type") == "pspdfkit/note" and _is_caret(root):
            continue
        if reply.reply_type == "Group":
            continue  # grouped with its parent, not said to it: left as it is
        gone.add(reply.record.id)
        if reply.state is not None:
            when = str(reply.record.content.get("updatedAt") or "")
            author = reply.record.content.get("creatorName")
            state = ThreadState(reply.state, author if isinstance(author, str) else None, when)
            states.setdefault(root.id, []).append((when, state))
            continue
        comments.append(_comment(reply, root))
        changed.setdefault(root.id, root)
    for root_id in states:
        changed.setdefault(root_id, next(r for r in records if r.id == root_id))
    firsts: list[Record] = []
    for root_id, root in changed.items():
        new_root, first = _as_root(root, sha256, states.get(root_id, []))
        changed[root_id] = new_root
        if first is not None:
            firsts.append(first)
    kept = [changed.get(r.id, r) for r in records if r.id not in gone]
    return kept + firsts + comments


def _replies(doc: Any, annotations: Iterable[Record]) -> Iterable[_Reply]:
    """The notes among ``annotations`` that are replies (have an /IRT), with their state."""
    for record in annotations:
        if record.content.get("type") != "pspdfkit/note":
            continue
        xref = record.content["pdfObjectId"]
        kind, value = doc.xref_get_key(xref, "IRT")
        if kind != "xref":
            continue
        reply_type = doc.xref_get_key(xref, "RT")[1].lstrip("/") or "R"
        yield _Reply(record, xref, int(value.split()[0]), _state(doc, xref), reply_type)


def _state(doc: Any, xref: int) -> str | None:
    """A state annotation's state in our words (None when the annotation is a reply)."""
    kind, value = doc.xref_get_key(xref, "State")
    if kind == "null":
        return None
    model = doc.xref_get_key(xref, "StateModel")[1].strip("()/")
    name = value.strip("()/")
    if model == "Marked":
        return MARKED_STATES.get(name, "open")
    return REVIEW_STATES.get(name, "open")


def _root_of(
    reply: _Reply, reply_of: dict[int, _Reply], by_object: dict[int, Record]
) -> Record | None:
    """The annotation at the top of a reply's chain (a reply to a reply answers the root)."""
    parent = reply.parent
    for _ in range(MAX_DEPTH):
        above = reply_of.get(parent)
        if above is None:
            return by_object.get(parent)
        parent = above.parent
    return None


def _is_caret(record: Record) -> bool:
    custom = record.content.get("customData")
    return isinstance(custom, dict) and custom.get("pdfSubtype") == "Caret"


def _comment(reply: _Reply, root: Record) -> Record:
    """A reply annotation as a comment of ``root`` (same id the note would have had)."""
    content = reply.record.content
    body: Json = {
        "v": 2,
        "type": COMMENT_TYPE,
        "rootId": root.id,
        "pageIndex": root.content.get("pageIndex", content.get("pageIndex", 0)),
        "text": content.get("text") or {"format": "plain", "value": ""},
        "pdfObjectId": reply.xref,
    }
    for key in ("creatorName", "createdAt", "updatedAt"):
        if key in content:
            body[key] = content[key]
    return Record("comment", reply.record.id, body)


def _as_root(
    root: Record, sha256: str, states: list[tuple[str, ThreadState]]
) -> tuple[Record, Record | None]:
    """``root`` made a thread root with its latest state; a sticky note becomes a comment
    marker, and its own text the thread's first comment (returned beside it)."""
    content: Json = dict(root.content)
    first = None
    if content.get("type") == "pspdfkit/note":
        text = content.pop("text", None)
        content["type"] = MARKER_TYPE
        content["v"] = 2
        words = text.get("value") if isinstance(text, dict) else None
        if words:
            content["text"] = text
            first = _first_comment(root, content, sha256, text)
    content["isCommentThreadRoot"] = True
    if states:
        content = with_state(content, max(states, key=lambda item: item[0])[1])
    return Record("annotation", root.id, content), first


def _first_comment(root: Record, marker: Json, sha256: str, text: Json) -> Record:
    """The sticky note's own words as the first comment of its thread (no PDF object of its
    own: the note keeps them, as a comment marker's text mirrors its first comment)."""
    body: Json = {
        "v": 2,
        "type": COMMENT_TYPE,
        "rootId": root.id,
        "pageIndex": marker.get("pageIndex", 0),
        "text": text,
    }
    for key in ("creatorName", "createdAt", "updatedAt"):
        if key in marker:
            body[key] = marker[key]
    return Record("comment", derived_id(sha256, "comment", root.id), body)
