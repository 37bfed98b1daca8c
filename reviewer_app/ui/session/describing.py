"""How a record is described on screen (the Annotations list, Compare): its type, author, words
and page, and where its entry goes when listed by page or author."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from reviewer_app.instant.records import Record

RECORD_ROLE = Qt.ItemDataRole.UserRole + 20
Group = str | int  # an author, or a page index
Named = Callable[[str], str]  # how an author is named on screen (LayerNames.author)

MARKER = "pspdfkit/comment-marker"
STAMP = "pspdfkit/stamp"  # the sticky note tool's thread: its first comment its text


def type_name(record: Record) -> str:
    """``pspdfkit/shape/rectangle`` → ``Rectangle``; a comment marker is a ``Comment``."""
    kind = str(record.content.get("type") or "annotation")
    return "Comment" if kind == MARKER else kind.rsplit("/", 1)[-1].replace("-", " ").capitalize()


def colour_of(record: Record) -> str:
    content = record.content
    for key in ("color", "strokeColor", "fillColor", "fontColor", "backgroundColor"):
        value = content.get(key)
        if isinstance(value, str) and value.startswith("#"):
            return value.lower()
    return ""


def author_of(record: Record) -> str:
    return str(record.content.get("creatorName") or record.created_by or "(no author)")


def text_of(record: Record) -> str:
    """An annotation's words: its text, else its note, else a stamp's title or type."""
    content = record.content
    text = content.get("text")
    if isinstance(text, dict):
        text = text.get("value")
    stamp = content.get("title") or content.get("stampType") if content.get("type") == STAMP else ""
    return str(text or content.get("note") or stamp or "")


def page_of(record: Record) -> int:
    page = record.content.get("pageIndex")
    return page if isinstance(page, int) else -1


def groups_of(tree: QTreeWidget) -> list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]]:
    """A two-level tree's groups, each with its entries."""
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        if top is not None:
            children = [top.child(j) for j in range(top.childCount())]
            out.append((top, [c for c in children if c is not None]))
    return out


def describe(record: Record, quote: str = "", replies: int = 0, named: Named = str) -> str:
    """``Highlight by Ann · 2 replies — “the words it marks”``: a note's text, else what a
    highlight marks, and how many replies its thread has (a comment marker's first comment
    is its text, not a reply)."""
    if record.content.get("type") == MARKER:
        replies = max(0, replies - 1)
    words = text_of(record).replace("\n", " ").strip() or quote
    words = f" — “{words[:60]}”" if words else ""
    count = f" · {replies} repl{'ies' if replies != 1 else 'y'}" if replies else ""
    return f"{type_name(record)} by {named(author_of(record))}{count}{words}"  # count never cut


def entry_order(record: Record) -> tuple[int, str]:
    """Where an entry goes in its group: by page, then id."""
    return page_of(record), record.id


def group_order(group: Group) -> tuple[str, str]:
    """Where a group goes: authors by name, pages by number."""
    return (group.casefold(), group) if isinstance(group, str) else (f"{group:09}", "")
