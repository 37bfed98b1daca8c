"""Comment threads in XFDF: each comment a ``<text>`` reply (``inreplyto`` its root's name,
``replyType="reply"``), a thread's state a reply with ``state`` and ``statemodel``, as Acrobat
writes them and as our layer PDFs hold them (reviewer_app/pdf/write_replies.py). A comment
marker is a sticky note whose words are its first comment; a note that has replies comes back
as one."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from typing import Any

from reviewer_app.instant.comments import (
    COMMENT_TYPE,
    MARKER_TYPE,
    ThreadState,
    comment_words,
    with_state,
)
from reviewer_app.instant.ids import derived_id
from reviewer_app.instant.records import Json, Record
from reviewer_app.instant.threads import Thread, threads_of
from reviewer_app.pdf.geometry import PageBox, to_pdf_rect
from reviewer_app.pdf.properties import iso_date
from reviewer_app.pdf.read_replies import MARKED_STATES, REVIEW_STATES
from reviewer_app.pdf.write_common import pdf_date
from reviewer_app.pdf.write_replies import MARKED, REVIEW
from reviewer_app.xfdf.vocabulary import numbers_text

NS = "http://ns.adobe.com/xfdf/"
MOST_DEPTH = 64  # a chain of replies to replies this long (or a loop) stops here


def marker_words(records: Iterable[Record]) -> dict[str, tuple[str, str | None]]:
    """Each comment marker's first comment, in words, and its author: what its sticky note
    says in XFDF, and who says it."""
    return {
        t.root.id: (comment_words(t.comments[0].content), _author(t.comments[0]))
        for t in threads_of(records)
        if t.root.content.get("type") == MARKER_TYPE and t.comments
    }


def _author(record: Record) -> str | None:
    author = record.content.get("creatorName")
    return author if isinstance(author, str) and author else None


def thread_elements(records: Iterable[Record], boxes: Sequence[PageBox]) -> list[ET.Element]:
    """The reply and state elements of the threads among ``records``."""
    elements = []
    for thread in threads_of(records):
        page = thread.page
        if not 0 <= page < len(boxes):
            continue
        bbox = thread.root.content.get("bbox")
        left, top = (bbox[0], bbox[1]) if isinstance(bbox, list) and len(bbox) >= 2 else (0, 0)
        rect = numbers_text(to_pdf_rect(boxes[page], [float(left), float(top), 16.0, 16.0]))
        comments = thread.comments
        if thread.root.content.get("type") == MARKER_TYPE:
            comments = comments[1:]  # the first one is the marker's own words
        for comment in comments:
            elements.append(_reply(comment, thread.root.id, page, rect))
        if thread.state.state != "open":
            elements.append(_state(thread, page, rect))
    return elements


def _reply(comment: Record, root: str, page: int, rect: str) -> ET.Element:
    content = comment.content
    attrs = {"page": str(page), "rect": rect, "name": comment.id, "inreplyto": root}
    attrs |= {"replyType": "reply", "icon": "Comment", "flags": "print,nozoom,norotate"}
    author = content.get("creatorName")
    if isinstance(author, str) and author:
        attrs["title"] = author
    for key, attr in (("createdAt", "creationdate"), ("updatedAt", "date")):
        date = pdf_date(content.get(key))
        if date:
            attrs[attr] = date
    element = ET.Element(f"{{{NS}}}text", attrs)
    ET.SubElement(element, f"{{{NS}}}contents").text = comment_words(content)
    return element


def _state(thread: Thread, page: int, rect: str) -> ET.Element:
    state = thread.state
    model, name = ("Marked", MARKED[state.state]) if state.state in MARKED else ("Review", "")
    attrs = {"page": str(page), "rect": rect, "name": f"{thread.root.id}-state"}
    attrs |= {"inreplyto": thread.root.id, "replyType": "reply", "flags": "hidden,print"}
    attrs |= {"state": name or REVIEW.get(state.state, "None"), "statemodel": model}
    if state.by:
        attrs["title"] = state.by
    date = pdf_date(state.at)
    if date:
        attrs["date"] = attrs["creationdate"] = date
    return ET.Element(f"{{{NS}}}text", attrs)


def thread_records(
    annotations: list[Json], replies: list[ET.Element], errors: list[dict[str, Any]]
) -> list[Json]:
    """The comments of ``replies`` (reply elements read from the file); ``annotations`` gain
    their thread states, and a note with replies becomes a comment marker."""
    roots = {str(a.get("id")): a for a in annotations if a.get("id")}
    parent = {str(e.get("name")): str(e.get("inreplyto")) for e in replies if e.get("name")}
    comments: list[Json] = []
    states: dict[str, list[tuple[str, ThreadState]]] = {}
    for element in replies:
        root = _root_of(str(element.get("inreplyto")), parent)
        name = element.get("name") or ""
        where = {"element": "text", **({"name": name} if name else {})}
        if root is None:
            errors.append({**where, "reason": "a reply in a loop of replies"})
            continue
        author, when = element.get("title"), iso_date(element.get("date"))
        if element.get("state") is not None:
            state = _read_state(element.get("state") or "", element.get("statemodel") or "")
            states.setdefault(root, []).append((when or "", ThreadState(state, author, when)))
            continue
        body: Json = {"v": 2, "type": COMMENT_TYPE, "rootId": root}
        body["pageIndex"] = int(roots[root].get("pageIndex", 0)) if root in roots else 0
        words = "".join(c.text or "" for c in element if c.tag == f"{{{NS}}}contents")
        body["text"] = {"format": "plain", "value": words}
        if name:
            body["id"] = name
        for key, value in (
            ("creatorName", author),
            ("createdAt", iso_date(element.get("creationdate"))),
            ("updatedAt", when),
        ):
            if value:
                body[key] = value
        comments.append(body)
    replied = {c["rootId"] for c in comments} | set(states)
    for index, annotation in enumerate(annotations):
        root = str(annotation.get("id"))
        if root not in replied:
            continue
        if annotation.get("type") == "pspdfkit/note":
            annotation, first = _as_marker(annotation)
            if first is not None:
                comments.insert(0, first)
        annotation["isCommentThreadRoot"] = True
        if root in states:
            annotation = with_state(annotation, max(states[root], key=lambda s: s[0])[1])
        annotations[index] = annotation
    for root in set(states) - set(roots):
        errors.append(
            {"name": f"{root}-state", "reason": "a thread state whose root is not in the file"}
        )
    return comments


def _root_of(name: str, parent: dict[str, str]) -> str | None:
    for _ in range(MOST_DEPTH):
        if name not in parent:
            return name
        name = parent[name]
    return None


def _read_state(name: str, model: str) -> str:
    if model == "Marked":
        return MARKED_STATES.get(name, "open")
    return REVIEW_STATES.get(name, "open")


def _as_marker(note: Json) -> tuple[Json, Json | None]:
    """A sticky note with replies as a comment marker; its words its thread's first comment."""
    marker = {**note, "type": MARKER_TYPE}
    text = note.get("text")
    words = text.get("value") if isinstance(text, dict) else None
    if not words:
        return marker, None
    first: Json = {"v": 2, "type": COMMENT_TYPE, "rootId": note["id"], "text": text}
    first["id"] = derived_id("xfdf", "comment", str(note["id"]))
    first["pageIndex"] = note.get("pageIndex", 0)
    for key in ("creatorName", "createdAt", "updatedAt"):
        if key in note:
            first[key] = note[key]
    return marker, first
