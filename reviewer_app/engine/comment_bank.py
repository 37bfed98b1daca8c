"""The comment bank: a teacher's reusable feedback (text, optional points, colour and stamp look),
kept in the data folder for every document, most used first, and moved as JSON::

    {"format": "reviewer-comment-bank", "version": 1,
     "comments": [{"id": "units", "text": "Check the units", "points": -1,
                   "color": "#c8102e", "stamp": "Approved", "uses": 12}]}

``points``, ``color`` and ``stamp`` are optional; ``stamp`` is a look of the stamp tool (an
Instant ``stampType``: the comment is placed as that stamp with its text, not as a text);
``uses`` (how often it was placed) is kept when a file has it. Importing adds the file's
comments and replaces those with the same ``id``; a malformed file is refused whole, in
sentences."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from reviewer_app.engine.db import Connection, utc_now
from reviewer_app.engine.errors import BadRequest, NotFound
from reviewer_app.instant.ids import new_ulid
from reviewer_app.instant.validate import STAMP_TYPES

FORMAT = "reviewer-comment-bank"
MAX_TEXT = 2000
MAX_COMMENTS = 5000
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class BankComment:
    """One reusable comment: its id, text, points (None: feedback only), colour, and how
    often it was placed (``uses``, the palette's order), and its stamp look (``stamp``, an
    Instant stampType; None: placed as a text)."""

    id: str
    text: str
    points: float | None = None
    color: str | None = None
    uses: int = 0
    stamp: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "text": self.text}
        if self.points is not None:
            out["points"] = self.points
        if self.color is not None:
            out["color"] = self.color
        if self.stamp is not None:
            out["stamp"] = self.stamp
        out["uses"] = self.uses
        return out


def _number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def read_bank(data: bytes | str | Mapping[str, Any]) -> list[BankComment]:
    """The comments a bank file holds; BadRequest naming every problem when it is not one."""
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest(f"the comment bank file is not JSON: {exc}") from exc
    if not isinstance(data, Mapping) or not isinstance(data.get("comments"), list):
        raise BadRequest("the comment bank file must be a JSON object with a 'comments' list")
    problems: list[str] = []
    if data.get("format", FORMAT) != FORMAT:
        problems.append(f"'format' must be {FORMAT!r}, not {data.get('format')!r}")
    raw = data["comments"]
    if len(raw) > MAX_COMMENTS:
        problems.append(f"{len(raw)} comments is more than {MAX_COMMENTS}")
        raw = []
    comments: list[BankComment] = []
    seen: set[str] = set()
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            problems.append(f"comment {n} must be an object with a 'text'")
            continue
        text = item.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
            problems.append(f"comment {n} needs a 'text' of 1 to {MAX_TEXT} characters")
            continue
        cid = item.get("id", new_ulid())
        if not isinstance(cid, str) or not cid or cid in seen:
            problems.append(f"comment {n} has a missing or repeated 'id'")
            continue
        points, color, uses = item.get("points"), item.get("color"), item.get("uses", 0)
        if points is not None and not _number(points):
            problems.append(f"comment {n} ('{text[:30]}') has 'points' that are not a number")
            continue
        if color is not None and not (isinstance(color, str) and _COLOR.match(color)):
            problems.append(f"comment {n} ('{text[:30]}') has a 'color' that is not #rrggbb")
            continue
        stamp = item.get("stamp")
        if stamp is not None and stamp not in STAMP_TYPES:
            problems.append(f"comment {n} ('{text[:30]}') has a 'stamp' that is no stamp type "
                            f"(one of {', '.join(STAMP_TYPES[:4])} …)")  # fmt: skip
            continue
        if not isinstance(uses, int) or isinstance(uses, bool) or uses < 0:
            uses = 0
        seen.add(cid)
        comments.append(BankComment(cid, text.strip(), None if points is None else float(points),
                                    color, uses, stamp))  # fmt: skip
    if problems:
        raise BadRequest("the comment bank file cannot be used: " + "; ".join(problems))
    return comments


def bank_json(comments: Sequence[BankComment]) -> str:
    return json.dumps(
        {"format": FORMAT, "version": 1, "comments": [c.to_json() for c in comments]},
        ensure_ascii=False,
        indent=1,
    )


def all_comments(conn: Connection) -> list[BankComment]:
    """Every comment, most used first (then most recently used, then by text)."""
    rows = conn.execute(
        "SELECT id, text, points, color, uses, stamp FROM comment_bank "
        "ORDER BY uses DESC, last_used DESC, text COLLATE NOCASE"
    )
    return [BankComment(*row) for row in rows]


def get(conn: Connection, comment_id: str) -> BankComment:
    row = conn.execute(
        "SELECT id, text, points, color, uses, stamp FROM comment_bank WHERE id = ?",
        (comment_id,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no comment {comment_id!r} in the comment bank")
    return BankComment(*row)


def put(conn: Connection, comment: BankComment) -> None:
    """Insert or replace a comment (its uses as given)."""
    conn.execute(
        "INSERT INTO comment_bank (id, text, points, color, uses, last_used, created_at, stamp) "
        "VALUES (?, ?, ?, ?, ?, '', ?, ?) ON CONFLICT (id) DO UPDATE SET text = excluded.text, "
        "points = excluded.points, color = excluded.color, uses = excluded.uses, "
        "stamp = excluded.stamp",
        (
            comment.id,
            comment.text,
            comment.points,
            comment.color,
            comment.uses,
            utc_now(),
            comment.stamp,
        ),
    )


def check_stamp(stamp: str | None) -> str | None:
    if stamp is not None and stamp not in STAMP_TYPES:
        raise BadRequest(f"{stamp!r} is no stamp look (a stampType such as Approved)")
    return stamp


def check_text(text: str) -> str:
    if not text.strip() or len(text) > MAX_TEXT:
        raise BadRequest(f"a bank comment needs a text of 1 to {MAX_TEXT} characters")
    return text.strip()
