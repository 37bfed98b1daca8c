"""Who may name a picture: an image record may only show a picture its writer could see.

Pictures are stored once per data folder, named by their SHA-256, and read through a layer
(a layer serves the pictures its own image records show). Without a rule, knowing a picture's
hash was enough to read it: a student could write an image record naming another student's
picture into their own layer, and their layer would then serve it. So a writer may name a
picture only when

- it was uploaded to the same document through a layer the writer can read, or the layer
  written to (an upload through a layer needs the right to write it), or
- the document's base layer, a layer the writer can read, or the layer written to already
  shows it (copying an image from a layer one can read reveals nothing new).

The server says who writes (a :class:`Writer`); the desktop's own writes pass none, as the data
folder is its user's: every picture in it is theirs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reviewer_app.engine.db import Connection, utc_now
from reviewer_app.engine.errors import BadRequest
from reviewer_app.engine.row_reading import parse_content
from reviewer_app.instant.attachments import IMAGE_TYPE, referenced_ids


class PictureNotAllowed(BadRequest):
    """An image record names a picture its writer may not name (see the module)."""


@dataclass(frozen=True)
class Writer:
    """Who writes records, as far as pictures go: the names of the document's layers they may
    read (None: every layer, as a teacher's token with ``layers: ["*"]``)."""

    readable: frozenset[str] | None = None


def record_uploads(conn: Connection, document_id: str, layer: str, sha256s: Iterable[str]) -> None:
    """Remember that ``sha256s`` were uploaded to the document through ``layer``."""
    now = utc_now()
    conn.executemany(
        "INSERT OR IGNORE INTO attachment_uploads (document_id, layer, sha256, created_at) "
        "VALUES (?, ?, ?, ?)",
        [(document_id, layer, sha256, now) for sha256 in dict.fromkeys(sha256s)],
    )


def forget_uploads(conn: Connection, document_id: str, layer: str) -> None:
    """Forget what was uploaded through ``layer`` (deleted: a new layer of that name starts
    with nothing)."""
    conn.execute(
        "DELETE FROM attachment_uploads WHERE document_id = ? AND layer = ?", (document_id, layer)
    )


def forbidden(
    conn: Connection,
    document_id: str,
    layer: str,
    ids: Iterable[str],
    writer: Writer | None,
) -> set[str]:
    """The pictures among ``ids`` that ``writer`` may not name in ``layer`` (none for None)."""
    wanted = set(ids)
    if writer is None or not wanted:
        return set()
    readable = None if writer.readable is None else writer.readable | {layer}
    wanted -= _uploaded(conn, document_id, wanted, readable)
    if wanted:
        wanted -= _shown(conn, document_id, wanted, readable)
    return wanted


def check(
    conn: Connection,
    document_id: str,
    layer: str,
    contents: Sequence[Mapping[str, Any]],
    writer: Writer | None,
) -> None:
    """PictureNotAllowed naming the first picture of ``contents`` (annotations) that
    ``writer`` may not name in ``layer``."""
    for index, problem in enumerate(problems(conn, document_id, layer, contents, writer)):
        if problem is not None:
            raise PictureNotAllowed(f"annotation {index}: {problem}")


def problems(
    conn: Connection,
    document_id: str,
    layer: str,
    contents: Sequence[Mapping[str, Any]],
    writer: Writer | None,
) -> list[str | None]:
    """For each annotation of ``contents``, why ``writer`` may not write it to ``layer`` for
    the picture it names, or None when it may."""
    refused = forbidden(conn, document_id, layer, referenced_ids(contents), writer)
    return [problem_of(content, refused) for content in contents]


def problem_of(content: Mapping[str, Any], refused: set[str]) -> str | None:
    """Why ``content`` may not be written, given the ``refused`` pictures; None if it may."""
    named = referenced_ids([content])
    if not named or named[0] not in refused:
        return None
    return (
        f"it names picture {named[0][:64]!r}, which was not uploaded through this layer (or one "
        "you can read) and no layer you can read shows: upload it first (…/attachments, or a "
        "multipart part named by its SHA-256)"
    )


def _layer_filter(readable: frozenset[str] | None) -> tuple[str, list[str]]:
    if readable is None:
        return "", []
    names = sorted(readable)
    return f" AND {{column}} IN ({', '.join('?' * len(names))})", names


def _uploaded(
    conn: Connection, document_id: str, ids: set[str], readable: frozenset[str] | None
) -> set[str]:
    where, names = _layer_filter(readable)
    marks = ", ".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT DISTINCT sha256 FROM attachment_uploads WHERE document_id = ? "
        f"AND sha256 IN ({marks}){where.format(column='layer')}",
        (document_id, *ids, *names),
    )
    return {row[0] for row in rows}


def _shown(
    conn: Connection, document_id: str, ids: set[str], readable: frozenset[str] | None
) -> set[str]:
    """The pictures among ``ids`` that the base layer or one of the ``readable`` layers shows
    (rows that name the id anywhere are parsed: those that show it as an image count)."""
    where, names = _layer_filter(readable)
    found: set[str] = set()
    for sha256 in ids:
        rows = conn.execute(
            "SELECT kind, id, content FROM base_records WHERE document_id = ? "
            "AND kind = 'annotation' AND instr(content, ?) > 0 "
            "UNION ALL SELECT r.kind, r.id, r.content FROM layer_records r "
            "JOIN layers l ON l.id = r.layer_id WHERE l.document_id = ? "
            "AND r.kind = 'annotation' AND r.content IS NOT NULL AND instr(r.content, ?) > 0"
            + where.format(column="l.name"),
            (document_id, sha256, document_id, sha256, *names),
        )
        for kind, rid, text in rows:
            content = parse_content(kind, rid, text)
            if content is not None and _shows(content, sha256):
                found.add(sha256)
                break
    return found


def _shows(content: Mapping[str, Any], sha256: str) -> bool:
    return content.get("type") == IMAGE_TYPE and content.get("imageAttachmentId") == sha256
