"""The engine's side of grading: a document's scheme (stored with it, versioned for sync),
its students (every layer but the default one) with their anonymous numbers, and their
scores derived from the marks in their layers (see :mod:`reviewer_app.engine.grades`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reviewer_app.engine import layers
from reviewer_app.engine.db import lock, utc_now
from reviewer_app.engine.engine_roles import RoleOperations
from reviewer_app.engine.errors import Conflict, StorageError
from reviewer_app.engine.grades import (
    FEEDBACK_TYPES,
    Mark,
    StudentGrades,
    grades_from,
    someone_else,
)
from reviewer_app.engine.grading_scheme import Scheme, read_scheme
from reviewer_app.engine.model import DEFAULT


@dataclass(frozen=True)
class StoredScheme:
    """A document's scheme as stored: the scheme, its revision (grows with every change),
    and, on a replica, the server revision it is based on and whether it has unpushed edits."""

    scheme: Scheme
    revision: int
    updated_at: str
    server_revision: int = 0
    unpushed: bool = False


class GradingOperations(RoleOperations):
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
        """The students of a document, by name: every layer but the default one and those
        marked as not a student (:meth:`set_student`; the app marks the teacher's own)."""
        return [layer.name for layer in self._student_rows(document_id)]

    def _student_rows(self, document_id: str) -> list[layers.StoredLayer]:
        self.document(document_id)
        rows = self._conn.execute(
            "SELECT l.id, l.name, l.uid, l.revision FROM layers AS l "
            "LEFT JOIN grading_roles AS g ON g.document_id = l.document_id AND g.layer = l.name "
            "WHERE l.document_id = ? AND l.name != ? AND COALESCE(g.student, 1) != 0 "
            "ORDER BY l.name",
            (document_id, DEFAULT),
        )
        return [layers.StoredLayer(*row) for row in rows]

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
        self.document(document_id)
        found = layers.find(self._conn, document_id, layer)
        rows = [found] if found is not None else []
        marks, feedback = self._marks_of(document_id, rows).get(layer, ([], []))
        return grades_from(scheme, layer, marks, feedback)

    def class_grades(self, document_id: str) -> list[StudentGrades]:
        """Every student's :meth:`grades`, by layer name."""
        scheme = self.grading_scheme(document_id)
        students = self._student_rows(document_id)
        read = self._marks_of(document_id, students)
        return [grades_from(scheme, s.name, *read.get(s.name, ([], []))) for s in students]

    def _marks_of(
        self, document_id: str, rows: list[layers.StoredLayer]
    ) -> dict[str, tuple[list[Mark], list[str]]]:
        """The marks and feedback texts of the layers ``rows``, by name. Both are always a
        layer's own records (the base layer has none: its notes are the PDF's), so only its
        own rows are read, in one query for every layer not read yet, and of those only the
        fields grading needs, as columns (SQLite's JSON functions pick them: no record is
        parsed in Python). Kept per layer revision, in memory and in the database
        (``grading_marks``): a layer that did not change is not read again, not even by a
        fresh engine (a scheme edit or another student's change re-derives from them)."""
        cache: dict[tuple[str, str, int], tuple[list[Mark], list[str]]] = self.__dict__.setdefault(
            "_marks_cache", {}
        )
        out: dict[str, tuple[list[Mark], list[str]]] = {}
        missing: dict[int, layers.StoredLayer] = {}
        for row in rows:
            kept = cache.get((document_id, row.uid, row.revision))
            if kept is not None:
                out[row.name] = kept
            else:
                missing[row.id] = row
        stored = self._stored_marks(missing) if missing else {}
        for layer_id, got in stored.items():
            row = missing.pop(layer_id)
            cache[(document_id, row.uid, row.revision)] = out[row.name] = got
        if not missing:
            return out
        read = self._read_marks(document_id, missing)
        if len(cache) > 4096:
            cache.clear()
        for layer_id, got in read.items():
            row = missing[layer_id]
            cache[(document_id, row.uid, row.revision)] = out[row.name] = got
        self._store_marks(missing, read)
        return out

    def _stored_marks(
        self, rows: dict[int, layers.StoredLayer]
    ) -> dict[int, tuple[list[Mark], list[str]]]:
        """The marks kept in the database for these layers at their present revision (and
        name: feedback depends on it), by layer row id: a fresh engine reads no record."""
        by_uid = {row.uid: (layer_id, row) for layer_id, row in rows.items()}
        found: dict[int, tuple[list[Mark], list[str]]] = {}
        uids = list(by_uid)
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            for uid, revision, name, data in self._conn.execute(
                "SELECT layer_uid, revision, name, marks FROM grading_marks "
                f"WHERE layer_uid IN ({', '.join('?' * len(chunk))})",
                chunk,
            ):
                layer_id, row = by_uid[uid]
                if (revision, name) == (row.revision, row.name):
                    marks, feedback = json.loads(data)
                    found[layer_id] = ([Mark(*m) for m in marks], list(feedback))
        return found

    def _store_marks(
        self, rows: dict[int, layers.StoredLayer], read: dict[int, tuple[list[Mark], list[str]]]
    ) -> None:
        """Keep what was read per layer revision (a derived copy: a database that cannot be
        written to now, locked or read-only, only means it is read again next time)."""
        items = [
            (
                row.uid,
                row.revision,
                row.name,
                json.dumps([[_mark_fields(m) for m in marks], feedback]),
            )
            for layer_id, row in rows.items()
            for marks, feedback in [read[layer_id]]
        ]
        try:
            with self.db.atomic() as conn:
                conn.executemany(
                    "INSERT INTO grading_marks (layer_uid, revision, name, marks) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (layer_uid) DO UPDATE SET "
                    "revision = excluded.revision, name = excluded.name, marks = excluded.marks",
                    items,
                )
        except StorageError:
            pass

    def _read_marks(
        self, document_id: str, missing: dict[int, layers.StoredLayer]
    ) -> dict[int, tuple[list[Mark], list[str]]]:
        """The marks and feedback of layers ``missing`` read from their records at once."""
        base = self.base_layers.get(self._conn, document_id).index
        read: dict[int, tuple[list[Mark], list[str]]] = {i: ([], []) for i in missing}
        ids = list(missing)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            query = _GRADING_ROWS.format(", ".join("?" * len(chunk)))
            for (
                layer_id,
                rid,
                q,
                pts,
                score,
                comment,
                kind,
                page,
                stamp,
                text,
                creator,
                author,
            ) in self._conn.execute(query, chunk):
                if ("annotation", rid) in base:
                    continue  # a base note the layer edited: the PDF's, not feedback
                marks, feedback = read[layer_id]
                text = (text or "").strip()
                if q is not None and (pts is not None or score is not None):
                    mark = Mark(rid, q, None if score is not None else float(pts),
                                None if score is None else float(score), page or 0,
                                stamp or "", text, comment)  # fmt: skip
                    marks.append(mark)
                    if comment is not None and text:
                        feedback.append(text)
                elif text and (
                    comment is not None  # a bank comment without points (a stamp's too)
                    or (
                        kind in FEEDBACK_TYPES
                        and someone_else(missing[layer_id].name, creator, author)
                    )
                ):
                    feedback.append(text)
        return read


def _mark_fields(m: Mark) -> list[Any]:
    """A mark as stored in ``grading_marks`` (``Mark(*fields)`` reads it back)."""
    return list(m)


# Only the fields grading reads; a value of the wrong JSON type reads as missing (NULL), as
# make_mark would refuse it. SQLite keeps the last records' parsed JSON between the calls of
# one row, so each record is parsed once; instr() leaves the other records unparsed. CAST AS
# NUMERIC changes nothing on SQLite (an INTEGER or REAL stays one) and reads a number on
# PostgreSQL, whose json_extract gives text (pg_store loads it as SQLite gives it: int, float).
_GRADING_ROWS = """
SELECT r.layer_id, r.id,
    CASE WHEN json_type(r.content, '$.customData.grading.question') = 'text'
         THEN json_extract(r.content, '$.customData.grading.question') END,
    CASE WHEN json_type(r.content, '$.customData.grading.points') IN ('integer', 'real')
         THEN CAST(json_extract(r.content, '$.customData.grading.points') AS NUMERIC) END,
    CASE WHEN json_type(r.content, '$.customData.grading.score') IN ('integer', 'real')
         THEN CAST(json_extract(r.content, '$.customData.grading.score') AS NUMERIC) END,
    CASE WHEN json_type(r.content, '$.customData.grading.comment') = 'text'
         THEN json_extract(r.content, '$.customData.grading.comment') END,
    json_extract(r.content, '$.type'),
    CASE WHEN json_type(r.content, '$.pageIndex') = 'integer'
         THEN CAST(json_extract(r.content, '$.pageIndex') AS NUMERIC) END,
    json_extract(r.content, '$.updatedAt'),
    COALESCE(json_extract(r.content, '$.text.value'),
             CASE WHEN json_type(r.content, '$.text') = 'text'
                  THEN json_extract(r.content, '$.text') END,
             CASE WHEN json_extract(r.content, '$.type') = 'pspdfkit/stamp'
                  THEN json_extract(r.content, '$.note') END),
    json_extract(r.content, '$.creatorName'),
    r.created_by
FROM layer_records AS r
WHERE r.layer_id IN ({}) AND r.kind = 'annotation' AND r.content IS NOT NULL
    AND (instr(r.content, '"grading"') > 0 OR instr(r.content, 'pspdfkit/note') > 0
         OR instr(r.content, 'pspdfkit/text') > 0)
    AND (json_type(r.content, '$.customData.grading') = 'object'
         OR json_extract(r.content, '$.type') IN ('pspdfkit/note', 'pspdfkit/text'))
ORDER BY r.layer_id, r.page_index, r.ord, r.id
"""


def scheme_json(stored: StoredScheme) -> dict[str, Any]:
    """A stored scheme as the server sends it: ``{"scheme", "revision"}``."""
    return {"scheme": json.loads(stored.scheme.dumps()), "revision": stored.revision}
