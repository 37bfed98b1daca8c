"""The teacher's comment bank in the engine: kept in the data folder for every document
(see :mod:`reviewer_app.engine.comment_bank`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reviewer_app.engine import comment_bank
from reviewer_app.engine.comment_bank import BankComment
from reviewer_app.engine.db import utc_now
from reviewer_app.engine.engine_core import EngineCore
from reviewer_app.instant.ids import new_ulid


class Missing:
    """The type of :data:`MISSING`: an argument that was not given (None means "none")."""


MISSING = Missing()


class CommentBankOperations(EngineCore):
    """The teacher's comment bank, kept in this data folder for every document."""

    def bank_comments(self) -> list[BankComment]:
        """Every bank comment, most used first."""
        return comment_bank.all_comments(self._conn)

    def bank_comment(self, comment_id: str) -> BankComment:
        return comment_bank.get(self._conn, comment_id)

    def add_bank_comment(
        self,
        text: str,
        points: float | None = None,
        color: str | None = None,
        stamp: str | None = None,
    ) -> BankComment:
        """A new comment (BadRequest for an empty or huge text); the same text twice gives
        the comment that has it."""
        text = comment_bank.check_text(text)
        with self.db.atomic() as conn:
            found = conn.execute("SELECT id FROM comment_bank WHERE text = ?", (text,)).fetchone()
            if found is not None:
                return comment_bank.get(conn, found[0])
            comment = BankComment(
                new_ulid(), text, points, color, 0, comment_bank.check_stamp(stamp)
            )
            comment_bank.put(conn, comment)
        return comment

    def update_bank_comment(
        self,
        comment_id: str,
        *,
        text: str | None = None,
        points: float | Missing | None = MISSING,
        stamp: str | Missing | None = MISSING,
    ) -> BankComment:
        """Change a comment's text, points (None: feedback only) or stamp look (None: a
        text); NotFound if missing, BadRequest for a stamp look that is no stamp type."""
        with self.db.atomic() as conn:
            old = comment_bank.get(conn, comment_id)
            new = BankComment(
                old.id,
                comment_bank.check_text(text) if text is not None else old.text,
                old.points if isinstance(points, Missing) else points,
                old.color,
                old.uses,
                old.stamp if isinstance(stamp, Missing) else comment_bank.check_stamp(stamp),
            )
            comment_bank.put(conn, new)
        return new

    def delete_bank_comment(self, comment_id: str) -> None:
        """Remove a comment from the bank (the marks placed from it stay)."""
        with self.db.atomic() as conn:
            comment_bank.get(conn, comment_id)
            conn.execute("DELETE FROM comment_bank WHERE id = ?", (comment_id,))

    def use_bank_comment(self, comment_id: str) -> None:
        """Count one more use (the palette lists the most used first)."""
        with self.db.atomic() as conn:
            conn.execute(
                "UPDATE comment_bank SET uses = uses + 1, last_used = ? WHERE id = ?",
                (utc_now(), comment_id),
            )

    def import_comment_bank(self, data: bytes | str | Mapping[str, Any]) -> int:
        """Add a bank file's comments (replacing those with the same id); returns how many.
        BadRequest and nothing changed when the file is malformed."""
        comments = comment_bank.read_bank(data)
        with self.db.atomic() as conn:
            for comment in comments:
                comment_bank.put(conn, comment)
        return len(comments)

    def export_comment_bank(self) -> str:
        return comment_bank.bank_json(self.bank_comments())
