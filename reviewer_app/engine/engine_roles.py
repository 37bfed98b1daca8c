"""Who is a student in a document's class: each layer's grading role (a student, or not: a
teacher's layer, an answer key), stored per document with a revision, so a teacher's
replicas and the server keep the same class (:mod:`reviewer_app.sync.roles_sync`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reviewer_app.engine.db import lock
from reviewer_app.engine.engine_core import EngineCore


@dataclass(frozen=True)
class RolesState:
    """Who is (not) a student, as stored: ``roles`` (layer: True a student), the ``unpushed``
    ones (changed here, not on the server yet), the roles' ``revision`` (grows with every
    change) and the ``server_revision`` they were last brought in step with."""

    roles: dict[str, bool]
    unpushed: dict[str, bool]
    revision: int
    server_revision: int


class RoleOperations(EngineCore):
    """The layers' grading roles. Every write is one transaction."""

    def layer_roles(self, document_id: str) -> dict[str, bool]:
        """The layers whose role was set: True a student, False not a student."""
        rows = self._conn.execute(
            "SELECT layer, student FROM grading_roles WHERE document_id = ?", (document_id,)
        )
        return {layer: bool(student) for layer, student in rows}

    def set_student(self, document_id: str, layer: str, student: bool) -> None:
        """Count layer ``layer`` as a student (True) or not (False: a teacher's layer, an
        answer key); the score sheet, grades as CSV, Next Ungraded and Return All follow.
        On a replica the role waits to be pushed (:mod:`reviewer_app.sync.roles_sync`)."""
        self.set_roles(document_id, {layer: student}, unpushed=True)

    def set_roles(
        self, document_id: str, roles: Mapping[str, bool], *, unpushed: bool = False
    ) -> int:
        """Set several layers' roles at once (the server taking a push: ``unpushed`` False);
        returns the roles' new revision."""
        self.document(document_id)
        with self.db.atomic() as conn:
            lock(conn, "grading roles", document_id)
            for layer, student in roles.items():
                conn.execute(
                    "INSERT INTO grading_roles (document_id, layer, student, unpushed) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (document_id, layer) DO UPDATE SET "
                    "student = excluded.student, unpushed = excluded.unpushed",
                    (document_id, layer, int(student), int(unpushed)),
                )
            return self._bump_roles(conn, document_id)

    def roles_state(self, document_id: str) -> RolesState:
        """The roles with their revision, the server revision last seen, and those unpushed."""
        self.document(document_id)
        rows = list(
            self._conn.execute(
                "SELECT layer, student, unpushed FROM grading_roles WHERE document_id = ?",
                (document_id,),
            )
        )
        found = self._conn.execute(
            "SELECT revision, server_revision FROM grading_role_revisions WHERE document_id = ?",
            (document_id,),
        ).fetchone()
        revision, server = found if found is not None else (0, 0)
        return RolesState(
            {layer: bool(student) for layer, student, _ in rows},
            {layer: bool(student) for layer, student, waits in rows if waits},
            revision,
            server,
        )

    def take_server_roles(
        self,
        document_id: str,
        roles: Mapping[str, bool],
        server_revision: int,
        sent: Mapping[str, bool],
    ) -> bool:
        """The server's roles at ``server_revision`` (after ``sent`` reached it): a role sent
        and not changed since is pushed; every role not waiting to be pushed takes the
        server's value (one changed here meanwhile waits for the next sync). Whether any
        role changed here."""
        self.document(document_id)
        with self.db.atomic() as conn:
            lock(conn, "grading roles", document_id)
            for layer, student in sent.items():
                conn.execute(
                    "UPDATE grading_roles SET unpushed = 0 WHERE document_id = ? AND layer = ? "
                    "AND student = ?",
                    (document_id, layer, int(student)),
                )
            waiting = {
                layer
                for (layer,) in conn.execute(
                    "SELECT layer FROM grading_roles WHERE document_id = ? AND unpushed = 1",
                    (document_id,),
                )
            }
            before = dict(
                conn.execute(
                    "SELECT layer, student FROM grading_roles WHERE document_id = ?",
                    (document_id,),
                ).fetchall()
            )
            changed = False
            for layer, student in roles.items():
                if layer in waiting or before.get(layer) == int(student):
                    continue
                changed = True
                conn.execute(
                    "INSERT INTO grading_roles (document_id, layer, student, unpushed) "
                    "VALUES (?, ?, ?, 0) ON CONFLICT (document_id, layer) DO UPDATE SET "
                    "student = excluded.student, unpushed = 0",
                    (document_id, layer, int(student)),
                )
            conn.execute(
                "INSERT INTO grading_role_revisions (document_id, revision, server_revision) "
                "VALUES (?, 0, ?) ON CONFLICT (document_id) DO UPDATE SET "
                "server_revision = excluded.server_revision",
                (document_id, server_revision),
            )
        return changed

    def _bump_roles(self, conn: Any, document_id: str) -> int:
        conn.execute(
            "INSERT INTO grading_role_revisions (document_id, revision) VALUES (?, 1) "
            "ON CONFLICT (document_id) DO UPDATE SET "
            "revision = grading_role_revisions.revision + 1",
            (document_id,),
        )
        row = conn.execute(
            "SELECT revision FROM grading_role_revisions WHERE document_id = ?", (document_id,)
        ).fetchone()
        return int(row[0])
