"""The comments of a layer, as a comments summary lists them: each note, free text, stamp and
every other annotation that carries words, in page order, with its kind, author and date; a
thread's root with its replies in order and its state."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reviewer_app.instant.comments import MARKER_TYPE, STATE_NAMES, comment_words
from reviewer_app.instant.records import Record
from reviewer_app.instant.threads import Thread, author_of, threads_of
from reviewer_app.pdf.write_stamps import stamp_words

KIND_NAMES = {
    "pspdfkit/note": "Note",
    "pspdfkit/text": "Free text",
    "pspdfkit/stamp": "Stamp",
    "pspdfkit/markup/highlight": "Highlight",
    "pspdfkit/markup/underline": "Underline",
    "pspdfkit/markup/squiggly": "Squiggly underline",
    "pspdfkit/markup/strikeout": "Strikeout",
    "pspdfkit/markup/redaction": "Redaction",
    "pspdfkit/shape/rectangle": "Rectangle",
    "pspdfkit/shape/ellipse": "Ellipse",
    "pspdfkit/shape/line": "Line",
    "pspdfkit/shape/polygon": "Polygon",
    "pspdfkit/shape/polyline": "Polyline",
    "pspdfkit/ink": "Drawing",
    "pspdfkit/image": "Image",
    MARKER_TYPE: "Comment",
}
NOT_COMMENTS = frozenset(("pspdfkit/link", "pspdfkit/widget"))
"""Annotations that are part of the document's working, not someone's remark."""

_BREAKS = re.compile(r"(?i)<br\s*/?>|</p\s*>|</div\s*>")
_TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Reply:
    """One reply in a thread: who wrote it, when (as shown) and its words."""

    author: str
    date: str
    text: str


@dataclass(frozen=True)
class Comment:
    """One entry of a comments summary: the page (from 0), what kind of annotation it is
    ("Note", "Stamp", ...), who wrote it, when (as shown, "" when unknown) and its words;
    for a thread's root, the text it marks (``quote``), its ``replies`` and its ``state``
    ("Resolved by Dana, 2024-05-03 14:02"; "" while open)."""

    page: int
    kind: str
    author: str
    date: str
    text: str
    quote: str = ""
    replies: tuple[Reply, ...] = ()
    state: str = ""


def layer_comments(
    records: Iterable[Record], page_count: int, quotes: Mapping[str, str] | None = None
) -> list[Comment]:
    """The comments among ``records`` (what a layer shows) on pages ``0..page_count-1``, by
    page, then from the top of the page down, then from left to right. ``quotes`` gives the
    text a markup annotation marks, by its id."""
    records = list(records)
    threads = {thread.root.id: thread for thread in threads_of(records)}
    found: list[tuple[tuple[int, float, float], Comment]] = []
    for record in records:
        comment = comment_of(record, threads.get(record.id), (quotes or {}).get(record.id, ""))
        if comment is None or not 0 <= comment.page < page_count:
            continue
        box: Any = record.content.get("bbox")
        top, left = (float(box[1]), float(box[0])) if _is_box(box) else (0.0, 0.0)
        found.append(((comment.page, round(top), left), comment))
    found.sort(key=lambda item: item[0])
    return [comment for _, comment in found]


def comment_of(record: Record, thread: Thread | None = None, quote: str = "") -> Comment | None:
    """``record`` as a comment, or None when it is not an annotation carrying words (or the
    root of ``thread``, its thread)."""
    content = record.content
    type_ = str(content.get("type") or "")
    page = content.get("pageIndex")
    if record.kind != "annotation" or type_ in NOT_COMMENTS or not isinstance(page, int):
        return None
    note = words_of(content.get("note"))
    if type_ == "pspdfkit/stamp":
        said = stamp_words(content)
        text = said if not note or note == said else f"{said}\n{note}"
    else:
        text = words_of(content.get("text")) or note
    comments = thread.comments if thread is not None else ()
    if type_ == MARKER_TYPE and comments:
        text, comments = comment_words(comments[0].content), comments[1:]
    if not text.strip() and thread is None:
        return None
    kind = KIND_NAMES.get(type_) or type_.rsplit("/", 1)[-1].replace("-", " ").capitalize()
    author = str(content.get("creatorName") or record.created_by or "")
    replies = tuple(
        Reply(author_of(c), _when(c.content), comment_words(c.content)) for c in comments
    )
    return Comment(
        page, kind, author, _when(content), text, quote.strip(), replies, _state_of(thread)
    )


def _when(content: Mapping[str, Any]) -> str:
    return shown_date(content.get("updatedAt") or content.get("createdAt"))


def _state_of(thread: Thread | None) -> str:
    """A settled thread's state as the summary says it: "Resolved by Dana, 2024-05-03 14:02"."""
    if thread is None or not thread.resolved:
        return ""
    state = thread.state
    said = STATE_NAMES[state.state]
    if state.by:
        said += f" by {state.by}"
    when = shown_date(state.at)
    return f"{said}, {when}" if when else said


def words_of(value: Any) -> str:
    """The plain words of an Instant text value: a string, or ``{"format", "value"}`` whose
    XHTML becomes text (paragraphs and breaks as new lines, entities decoded)."""
    if isinstance(value, dict):
        text = str(value.get("value") or "")
        if value.get("format") == "xhtml":
            text = html.unescape(_TAGS.sub("", _BREAKS.sub("\n", text))).strip("\n")
        return text
    return value if isinstance(value, str) else ""


def shown_date(value: Any) -> str:
    """An Instant date (ISO 8601) as this computer's local time, ``2024-05-03 14:02``; a
    value that is not a date is shown as it is."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return value
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%Y-%m-%d %H:%M")


def _is_box(box: Any) -> bool:
    return isinstance(box, list) and len(box) == 4 and all(isinstance(v, int | float) for v in box)
