"""Comment threads through the engine: list a layer's threads, reply, and set a thread's
state. Comments are ordinary records (copy-on-write, revisions, the changes feed, diff and
merge, undo, fork); these are conveniences over them, each one undoable step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reviewer_app.engine import history, layers, records
from reviewer_app.engine.db import utc_now
from reviewer_app.engine.engine_core import EngineCore
from reviewer_app.engine.errors import BadRequest, NotFound
from reviewer_app.engine.model import Change
from reviewer_app.engine.store import NO_LAYER, read_layer, read_records
from reviewer_app.instant.comments import (
    COMMENT_TYPE,
    MARKER_TYPE,
    STATES,
    ThreadState,
    can_root,
    with_state,
)
from reviewer_app.instant.records import Kind, Record
from reviewer_app.instant.threads import Thread, comment_order, threads_of


class ThreadOperations(EngineCore):
    """Threads of a layer: the comments on each root annotation, and their state."""

    def threads(self, document_id: str, layer: str) -> list[Thread]:
        """The layer's comment threads, roots in listing order, comments oldest first."""
        self.document(document_id)
        found = layers.find(self._conn, document_id, layer)
        base = self.base_layers.get(self._conn, document_id)
        shown = read_layer(self._conn, base, NO_LAYER if found is None else found.id)
        return threads_of(shown)

    def thread_comments(self, document_id: str, layer: str, root_id: str) -> list[Record]:
        """The comments on ``root_id`` in the layer, oldest first: NotFound without the root,
        BadRequest when it cannot hold comments (Document Engine's 400)."""
        self._root(document_id, layer, root_id)
        shown = self._layer_comments(document_id, layer)
        mine = [r for r in shown if r.content.get("rootId") == root_id]
        return sorted(mine, key=comment_order)

    def add_comments(
        self,
        document_id: str,
        layer: str,
        root_id: str,
        contents: Sequence[Mapping[str, Any]],
        *,
        user: str | None = None,
        group: str | None = None,
    ) -> Change:
        """Add comments to the thread of ``root_id`` (each a comment's content: ``text`` at
        least; type, version, root and page are filled in). Returns the :class:`Change`."""
        return self.add_comments_by(
            document_id, layer, root_id, [(content, user, group) for content in contents]
        )

    def add_comments_by(
        self,
        document_id: str,
        layer: str,
        root_id: str,
        items: Sequence[tuple[Mapping[str, Any], str | None, str | None]],
    ) -> Change:
        """As :meth:`add_comments`, each comment with its own user and group (one step)."""
        root = self._root(document_id, layer, root_id)
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = []
            for content, user, group in items:
                body = [self._comment(root, content)]
                edits += records.creations(conn, doc, layer, "comment", body, user, group)
            label = records.label("Add", "comment", edits)
            return history.apply(conn, document_id, layer, edits, label)

    def create_thread(
        self,
        document_id: str,
        layer: str,
        root: Mapping[str, Any],
        comments: Sequence[tuple[Mapping[str, Any], str | None, str | None]],
        *,
        user: str | None = None,
        group: str | None = None,
    ) -> Change:
        """Create a root annotation and its first comments together (each comment with its
        own user and group), as one step: BadRequest if the root cannot hold comments.
        Returns the :class:`Change` (the root first, then the comments in order)."""
        if not can_root(root):
            raise BadRequest(
                f"a {root.get('type')} cannot hold comments: only markup annotations and "
                "comment markers do"
            )
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.creations(conn, doc, layer, "annotation", [root], user, group)
            root_record = Record("annotation", edits[0][0][1], dict(root))
            for content, who, where in comments:
                body = [self._comment(root_record, content)]
                edits += records.creations(conn, doc, layer, "comment", body, who, where)
            return history.apply(conn, document_id, layer, edits, "Add comment thread")

    def set_thread_state(
        self, document_id: str, layer: str, root_id: str, state: str, *, by: str | None = None
    ) -> Change:
        """Set the thread's state (open, resolved, accepted, rejected, cancelled, completed)
        on its root, with who set it and when. Returns the :class:`Change` (one undo step)."""
        if state not in STATES:
            raise BadRequest(f"a thread state is one of {', '.join(STATES)}, not {state!r}")
        root = self._root(document_id, layer, root_id)
        body = with_state(root.content, ThreadState(state, by, utc_now()))
        body["id"] = root_id
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.updates(conn, doc, layer, "annotation", [body], root.updated_by)
            label = f"Mark thread {'open' if state == 'open' else state}"
            return history.apply(conn, document_id, layer, edits, label)

    def edit_comment(
        self, document_id: str, layer: str, comment_id: str, text: str, *, user: str | None = None
    ) -> Change:
        """Give comment ``comment_id`` the plain ``text`` (its author kept, ``user`` the
        editor), as one undo step. A comment marker's text is its first comment's, so the
        marker follows when that comment is edited. NotFound without the comment."""
        self.document(document_id)
        found = layers.find(self._conn, document_id, layer)
        layer_id = NO_LAYER if found is None else found.id
        key: tuple[Kind, str] = ("comment", comment_id)
        comment = read_records(self._conn, document_id, layer_id, [key]).get(key)
        if comment is None:
            raise NotFound(f"no comment {comment_id!r} in layer {layer!r}")
        root = self._root(document_id, layer, str(comment.content.get("rootId")))
        said = {"format": "plain", "value": text}
        body = {**comment.content, "id": comment_id, "text": said}
        first = self.thread_comments(document_id, layer, root.id)[0]
        doc = self.document(document_id)
        with self.db.atomic() as conn:
            edits = records.updates(conn, doc, layer, "comment", [body], user)
            if root.content.get("type") == MARKER_TYPE and first.id == comment_id:
                marker = {**root.content, "id": root.id, "text": said}
                edits += records.updates(conn, doc, layer, "annotation", [marker], user)
            return history.apply(conn, document_id, layer, edits, "Edit comment")

    def _root(self, document_id: str, layer: str, root_id: str) -> Record:
        self.document(document_id)
        found = layers.find(self._conn, document_id, layer)
        layer_id = NO_LAYER if found is None else found.id
        got = read_records(self._conn, document_id, layer_id, [("annotation", root_id)])
        root = got.get(("annotation", root_id))
        if root is None:
            raise NotFound(f"no annotation {root_id!r} in layer {layer!r}")
        if not can_root(root.content):
            raise BadRequest(
                f"annotation {root_id!r} is a {root.content.get('type')}: only markup "
                "annotations and comment markers hold comments"
            )
        return root

    def _layer_comments(self, document_id: str, layer: str) -> list[Record]:
        found = layers.find(self._conn, document_id, layer)
        base = self.base_layers.get(self._conn, document_id)
        layer_id = NO_LAYER if found is None else found.id
        return read_layer(self._conn, base, layer_id, "comment")

    @staticmethod
    def _comment(root: Record, content: Mapping[str, Any]) -> dict[str, Any]:
        """A full Instant comment on ``root`` from what a caller gives (``text`` a string is
        plain text)."""
        body = dict(content)
        text = body.get("text")
        if isinstance(text, str):
            body["text"] = {"format": "plain", "value": text}
        body.setdefault("v", 2)
        body["type"] = COMMENT_TYPE
        body["rootId"] = root.id
        body["pageIndex"] = root.content.get("pageIndex", 0)
        return body
