"""Comment threads in a layer: Document Engine's cascade rules and the check that a comment's
root is there and can hold comments, applied to a list of edits before they are written."""

from __future__ import annotations

import json
from collections.abc import Sequence

from reviewer_app.engine import layers
from reviewer_app.engine.db import Connection
from reviewer_app.engine.errors import BadRequest
from reviewer_app.engine.history import Edit
from reviewer_app.engine.model import RecordKey
from reviewer_app.engine.store import NO_LAYER, RowState, read_records
from reviewer_app.instant.comments import MARKER_TYPE, root_problem


def layer_id_of(conn: Connection, document_id: str, layer: str) -> int:
    found = layers.find(conn, document_id, layer)
    return NO_LAYER if found is None else found.id


def shown_comments(conn: Connection, document_id: str, layer_id: int) -> dict[str, str]:
    """Every comment the layer shows: its id → its root's id (read from the rows, unparsed)."""
    own = conn.execute(
        "SELECT id, json_extract(content, '$.rootId'), content IS NULL FROM layer_records "
        "WHERE layer_id = ? AND kind = 'comment'",
        (layer_id,),
    ).fetchall()
    hidden = {rid for rid, _, _ in own}
    found = {
        rid: str(root)
        for rid, root in conn.execute(
            "SELECT id, json_extract(content, '$.rootId') FROM base_records "
            "WHERE document_id = ? AND kind = 'comment'",
            (document_id,),
        )
        if rid not in hidden
    }
    found.update((rid, str(root)) for rid, root, gone in own if not gone)
    return found


def _final(edits: Sequence[Edit]) -> dict[RecordKey, RowState | None]:
    return dict(edits)  # the last edit of a key wins, as when they are written in order


def _root_of(state: RowState) -> str | None:
    if state.content is None:
        return None
    root = json.loads(state.content).get("rootId")
    return root if isinstance(root, str) else None


def cascade(conn: Connection, document_id: str, layer: str, edits: list[Edit]) -> list[Edit]:
    """``edits`` plus what Document Engine's rules make follow from them: deleting a root
    deletes its comments, and deleting the last comment of a comment marker's thread deletes
    the marker (a markup annotation stays: it is a mark in its own right)."""
    final = _final(edits)
    deleted = {key for key, state in final.items() if state is not None and state.content is None}
    gone_roots = {rid for kind, rid in deleted if kind == "annotation"}
    gone_comments = {rid for kind, rid in deleted if kind == "comment"}
    if not gone_roots and not gone_comments:
        return edits
    layer_id = layer_id_of(conn, document_id, layer)
    comments = shown_comments(conn, document_id, layer_id)
    emptied = {comments[rid] for rid in gone_comments if rid in comments}
    for (kind, rid), state in final.items():
        if kind == "comment" and state is not None:
            root = _root_of(state)
            if root is None:
                comments.pop(rid, None)
            else:
                comments[rid] = root
    extra: list[Edit] = []
    for rid, root in list(comments.items()):
        if root in gone_roots:
            extra.append((("comment", rid), RowState(content=None)))
            del comments[rid]
    still = set(comments.values())
    candidates: list[RecordKey] = [("annotation", r) for r in emptied - gone_roots - still]
    markers = read_records(conn, document_id, layer_id, candidates)
    for key, marker in markers.items():
        if marker.content.get("type") == MARKER_TYPE and key not in final:
            extra.append((key, RowState(content=None)))
    return edits + extra


def root_problems(
    conn: Connection, document_id: str, layer: str, edits: Sequence[Edit]
) -> dict[RecordKey, str]:
    """The comments ``edits`` would write whose root the layer would not show, or could not
    hold comments (a rectangle, a note), each with the reason."""
    final = _final(edits)
    wanted: dict[RecordKey, str] = {}
    for key, state in final.items():
        if key[0] == "comment" and state is not None and state.content is not None:
            wanted[key] = _root_of(state) or ""
    if not wanted:
        return {}
    roots: dict[str, dict[str, object] | None] = {}
    for (kind, rid), state in final.items():
        if kind == "annotation" and state is not None:
            roots[rid] = None if state.content is None else json.loads(state.content)
    missing: list[RecordKey] = [
        ("annotation", r) for r in set(wanted.values()) if r and r not in roots
    ]
    layer_id = layer_id_of(conn, document_id, layer)
    for key, record in read_records(conn, document_id, layer_id, missing).items():
        roots[key[1]] = dict(record.content)
    problems: dict[RecordKey, str] = {}
    for key, root in wanted.items():
        problem = root_problem(roots.get(root), root)
        if problem is not None:
            problems[key] = problem
    return problems


def check_roots(conn: Connection, document_id: str, layer: str, edits: list[Edit]) -> None:
    """BadRequest naming the first comment of ``edits`` whose root is missing or unfit."""
    problems = root_problems(conn, document_id, layer, edits)
    if problems:
        (_, rid), reason = next(iter(problems.items()))
        raise BadRequest(f"comment {rid!r} cannot be written: {reason}")


def without_orphans(
    conn: Connection, document_id: str, layer: str, edits: list[Edit]
) -> tuple[list[Edit], dict[RecordKey, str]]:
    """``edits`` less the comments whose root is missing or unfit, and those, with why."""
    problems = root_problems(conn, document_id, layer, edits)
    return [e for e in edits if e[0] not in problems], problems


def with_roots(
    conn: Connection,
    document_id: str,
    source: str,
    target: str,
    keys: Sequence[RecordKey],
) -> list[RecordKey]:
    """``keys`` plus the roots of the comments among them that ``target`` does not show, so
    copying a reply from another layer never leaves it without its annotation."""
    comments = [key for key in keys if key[0] == "comment"]
    if not comments:
        return list(keys)
    found = read_records(conn, document_id, layer_id_of(conn, document_id, source), comments)
    roots: list[RecordKey] = [("annotation", str(r.content.get("rootId"))) for r in found.values()]
    present = read_records(conn, document_id, layer_id_of(conn, document_id, target), roots)
    extra = [key for key in dict.fromkeys(roots) if key not in present and key not in keys]
    return [*keys, *extra]
