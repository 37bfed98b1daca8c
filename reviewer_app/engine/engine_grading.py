"""The engine's side of grading: a document's scheme (stored with it, versioned for sync),
its students (every layer but the default one) with their anonymous numbers, and their
scores derived from the marks in their layers (see :mod:`reviewer_app.engine.grades`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reviewer_app.engine import comment_bank, layers
from reviewer_app.engine.comment_bank import BankComment
from reviewer_app.engine.db import lock, utc_now
from reviewer_app.engine.engine_core import EngineCore
from reviewer_app.engine.errors import Conflict
from reviewer_app.engine.grades import (
    FEEDBACK_TYPES,
    Mark,
    StudentGrades,
    grades_from,
    make_mark,
    someone_else,
)
from reviewer_app.engine.grading_scheme import Scheme, read_scheme
from reviewer_app.engine.model import DEFAULT
from reviewer_app.instant.ids import new_ulid


@dataclass(frozen=True)
class StoredScheme:
    """A document's scheme as stored: the scheme, its revision (grows with every change),
    and, on a replica, the server revision it is based on and whether it has unpushed edits."""

    scheme: Scheme
    revision: int
    updated_at: str
    server_revision: int = 0
    unpushed: bool = False


class GradingOperations(EngineCore):
    """Grading schemes, students and their scores. Every write is one transaction."""

    # -- the scheme -----------------------------------------------------------------------

    def stored_scheme(self, document_id: str) -> StoredScheme:
        """The document's scheme with its revision (an empty scheme at revision 0 if none)."""
        self.document(document_id)
        row = self._conn.execute(
            "SELECT scheme, revision, updated_at, server_revision, unpushed "
            "FROM grading_schemes WHERE document_id = ?",
            (document_id,),
        ).fetchone()
        if row is None:
            return StoredScheme(Scheme(), 0, "")
        return StoredScheme(read_scheme(row[0]), row[1], row[2], row[3], bool(row[4]))

    def grading_scheme(self, document_id: str) -> Scheme:
        """The document's grading scheme (no questions if none was set)."""
        return self.stored_scheme(document_id).scheme

    def set_grading_scheme(
        self,
        document_id: str,
        scheme: Scheme,
        *,
        base_revision: int | None = None,
        server_revision: int | None = None,
    ) -> StoredScheme:
        """Store the document's scheme; returns it with its new revision. ``base_revision``:
        Conflict unless the stored scheme is still at that revision (someone else changed it).
        ``server_revision``: the scheme came from the server at that revision (sync), so it
        has nothing to push; else it is a local edit, to push."""
        doc = self.document(document_id)
        checked = read_scheme(scheme.to_json(), doc.page_count)  # pages exist in this document
        with self.db.atomic() as conn:
            lock(conn, "grading scheme", document_id)
            row = conn.execute(
                "SELECT revision, server_revision FROM grading_schemes WHERE document_id = ?",
                (document_id,),
            ).fetchone()
            revision, server = (0, 0) if row is None else (row[0], row[1])
            if base_revision is not None and base_revision != revision:
                raise Conflict(
                    f"the grading scheme changed meanwhile (revision {revision}, not "
                    f"{base_revision}): read it again"
                )
            now = utc_now()
            new_server = server if server_revision is None else server_revision
            unpushed = 0 if server_revision is not None else 1
            conn.execute(
                "INSERT INTO grading_schemes (document_id, scheme, revision, updated_at, "
                "server_revision, unpushed) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (document_id) DO UPDATE SET scheme = excluded.scheme, "
                "revision = excluded.revision, updated_at = excluded.updated_at, "
                "server_revision = excluded.server_revision, unpushed = excluded.unpushed",
                (document_id, checked.dumps(), revision + 1, now, new_server, unpushed),
            )
        return StoredScheme(checked, revision + 1, now, new_server, bool(unpushed))

    def scheme_pushed(self, document_id: str, revision: int, server_revision: int) -> None:
        """The scheme at local ``revision`` reached the server as ``server_revision`` (a later
        local edit stays unpushed)."""
        with self.db.atomic() as conn:
            conn.execute(
                "UPDATE grading_schemes SET server_revision = ?, "
                "unpushed = CASE WHEN revision = ? THEN 0 ELSE unpushed END "
                "WHERE document_id = ?",
                (server_revision, revision, document_id),
            )

    def import_grading_scheme(
        self, document_id: str, data: bytes | str | Mapping[str, Any]
    ) -> StoredScheme:
        """Replace the document's scheme with a JSON file's; BadRequest (in sentences) and
        nothing changed when the file is not a valid scheme for this document."""
        doc = self.document(document_id)
        return self.set_grading_scheme(document_id, read_scheme(data, doc.page_count))

    def export_grading_scheme(self, document_id: str) -> str:
        """The document's scheme as the JSON file :meth:`import_grading_scheme` reads."""
        return self.grading_scheme(document_id).dumps()

    # -- students -------------------------------------------------------------------------

    def student_layers(self, document_id: str) -> list[str]:
        """The students of a document: every layer but the default one, by name."""
        self.document(document_id)
        return [i.name for i in layers.infos(self._conn, document_id) if i.name != DEFAULT]

    def student_numbers(self, document_id: str) -> dict[str, int]:
        """Each student's anonymous number ("Student 3"), given once and kept: a new student
        gets the next free number, in an order that does not follow the names."""
        students = self.student_layers(document_id)
        known = self._numbers(document_id)
        new = [s for s in students if s not in known]
        if new:
            new.sort(key=lambda s: hashlib.sha256(f"{document_id}\0{s}".encode()).hexdigest())
            with self.db.atomic() as conn:
                known = self._numbers(document_id)
                next_number = max(known.values(), default=0) + 1
                for name in new:
                    if name in known:
                        continue
                    conn.execute(
                        "INSERT INTO grading_students (document_id, layer, number) "
                        "VALUES (?, ?, ?)",
                        (document_id, name, next_number),
                    )
                    known[name] = next_number
                    next_number += 1
        return {s: known[s] for s in students}

    def _numbers(self, document_id: str) -> dict[str, int]:
        rows = self._conn.execute(
            "SELECT layer, number FROM grading_students WHERE document_id = ?", (document_id,)
        )
        return {layer: number for layer, number in rows}

    # -- scores ---------------------------------------------------------------------------

    def grades(self, document_id: str, layer: str, scheme: Scheme | None = None) -> StudentGrades:
        """One student's scores, total, grade and status, from the marks in the layer."""
        scheme = self.grading_scheme(document_id) if scheme is None else scheme
        return self._grades_of(document_id, [layer], scheme)[0]

    def class_grades(self, document_id: str) -> list[StudentGrades]:
        """Every student's :meth:`grades`, by layer name."""
        scheme = self.grading_scheme(document_id)
        return self._grades_of(document_id, self.student_layers(document_id), scheme)

    def _grades_of(
        self, document_id: str, students: list[str], scheme: Scheme
    ) -> list[StudentGrades]:
        """The grades of ``students``, derived from each layer's marks and feedback (read
        once per layer revision, see :meth:`_marks_of`)."""
        self.document(document_id)
        grades = []
        for student in students:
            marks, feedback = self._marks_of(document_id, student)
            grades.append(grades_from(scheme, student, marks, feedback))
        return grades

    def _marks_of(self, document_id: str, layer: str) -> tuple[list[Mark], list[str]]:
        """A layer's marks and feedback texts. Both are always a layer's own records (the
        base layer has none: its notes are the PDF's), so only its own rows are read, and of
        those only the fields grading needs (SQLite's JSON functions pick them: no record is
        parsed whole). Kept per layer revision: a layer that did not change is not read
        again (a scheme edit or another student's change re-derives from memory)."""
        found = layers.find(self._conn, document_id, layer)
        if found is None:
            return [], []
        key = (document_id, found.uid, found.revision)
        cache: dict[tuple[str, str, int], tuple[list[Mark], list[str]]] = self.__dict__.setdefault(
            "_marks_cache", {}
        )
        kept = cache.get(key)
        if kept is not None:
            return kept
        base = self.base_layers.get(self._conn, document_id)
        marks: list[Mark] = []
        feedback: list[str] = []
        rows = self._conn.execute(_GRADING_ROWS, (found.id,))
        for rid, grading, kind, page, stamp, text, creator, author in rows:
            if ("annotation", rid) in base.index:
                continue  # a base note the layer edited: the PDF's, not feedback
            text = (text or "").strip()
            mark = make_mark(rid, json.loads(grading) if grading else None, page, stamp, text)
            if mark is not None:
                marks.append(mark)
                if mark.comment is not None and text:
                    feedback.append(text)
            elif kind in FEEDBACK_TYPES and someone_else(layer, creator, author) and text:
                feedback.append(text)
        if len(cache) > 4096:
            cache.clear()
        cache[key] = (marks, feedback)
        return marks, feedback


_GRADING_ROWS = """
SELECT r.id,
    json_extract(r.content, '$.customData.grading'),
    json_extract(r.content, '$.type'),
    CAST(json_extract(r.content, '$.pageIndex') AS INTEGER),
    json_extract(r.content, '$.updatedAt'),
    COALESCE(json_extract(r.content, '$.text.value'),
             CASE WHEN json_type(r.content, '$.text') = 'text'
                  THEN json_extract(r.content, '$.text') END),
    json_extract(r.content, '$.creatorName'),
    r.created_by
FROM layer_records AS r
WHERE r.layer_id = ? AND r.kind = 'annotation' AND r.content IS NOT NULL
    AND (json_type(r.content, '$.customData.grading') = 'object'
         OR json_extract(r.content, '$.type') IN ('pspdfkit/note', 'pspdfkit/text'))
ORDER BY r.page_index, r.ord, r.id
"""


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
        self, text: str, points: float | None = None, color: str | None = None
    ) -> BankComment:
        """A new comment (BadRequest for an empty or huge text); the same text twice gives
        the comment that has it."""
        text = comment_bank.check_text(text)
        with self.db.atomic() as conn:
            found = conn.execute("SELECT id FROM comment_bank WHERE text = ?", (text,)).fetchone()
            if found is not None:
                return comment_bank.get(conn, found[0])
            comment = BankComment(new_ulid(), text, points, color)
            comment_bank.put(conn, comment)
        return comment

    def update_bank_comment(
        self, comment_id: str, *, text: str | None = None, points: float | Missing | None = MISSING
    ) -> BankComment:
        """Change a comment's text or points (None: feedback only); NotFound if missing."""
        with self.db.atomic() as conn:
            old = comment_bank.get(conn, comment_id)
            new = BankComment(
                old.id,
                comment_bank.check_text(text) if text is not None else old.text,
                old.points if isinstance(points, Missing) else points,
                old.color,
                old.uses,
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


def scheme_json(stored: StoredScheme) -> dict[str, Any]:
    """A stored scheme as the server sends it: ``{"scheme", "revision"}``."""
    return {"scheme": json.loads(stored.scheme.dumps()), "revision": stored.revision}
