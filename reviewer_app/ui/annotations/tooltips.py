"""What hovering a mark shows: its record's author, date and a note's text."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale

from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.marks import text_of


def short_date(value: object) -> str:
    """An ISO 8601 time (``2026-11-23T10:00:00.123Z``) in local time, short; "" if unreadable."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        seconds = int(moment.timestamp())  # a time without zone is taken as local
    except (ValueError, OverflowError, OSError):
        return ""
    return QLocale().toString(QDateTime.fromSecsSinceEpoch(seconds), QLocale.FormatType.ShortFormat)


def tooltip_of(record: Record, named: Callable[[str], str] = str) -> str:
    """What hovering a record's mark shows: its author (as ``named`` names them) and date,
    and a note's text."""
    content = record.content
    author = named(str(content.get("creatorName") or record.created_by or ""))
    date = short_date(content.get("updatedAt") or content.get("createdAt") or "")
    lines = [html.escape(" · ".join(part for part in (author, date) if part))]
    if content.get("type") in ("pspdfkit/note", "pspdfkit/comment-marker"):
        lines.append(html.escape(text_of(content)).replace("\n", "<br>"))
    shown = [line for line in lines if line]
    return f"<qt>{'<br>'.join(shown)}</qt>" if shown else ""
