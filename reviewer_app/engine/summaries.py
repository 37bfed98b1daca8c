"""Layer summaries for the reviewer panel: how many annotations each layer shows, who wrote
them, when it last changed — without reading every layer's records, and without counting a
layer again that did not change since it was last counted (a new layer lists in the time of
its own rows, whatever the number of others)."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from reviewer_app.engine.base_cache import BaseLayer
from reviewer_app.engine.db import Connection
from reviewer_app.engine.model import BASE


@dataclass(frozen=True)
class LayerSummary:
    """One line of the layer list: the name (``BASE`` for the base layer), the number of
    annotations it shows, the authors of the annotations it added or changed, its revision
    and when it last changed (None for the base layer)."""

    name: str
    annotations: int
    authors: tuple[str, ...]
    revision: int
    updated_at: str | None


Counted = tuple[int, int, tuple[str, ...]]  # own annotations, base ones hidden, authors

_LAYERS = """
SELECT id, name, uid, revision, updated_at FROM layers WHERE document_id = ? ORDER BY name
"""

_OWN = """
SELECT l.uid, count(CASE WHEN r.kind = 'annotation' AND r.shown_by IS NOT NULL THEN 1 END),
       json_group_array(DISTINCT r.shown_by)
  FROM layers l LEFT JOIN layer_records r ON r.layer_id = l.id
 WHERE {where}
 GROUP BY l.id
"""

_HIDDEN = """
SELECT l.uid, r.id FROM layers l JOIN layer_records r ON r.layer_id = l.id
  JOIN base_records b ON b.document_id = l.document_id AND b.kind = r.kind AND b.id = r.id
 WHERE {where} AND r.kind = 'annotation'
"""  # a layer's own rows of the base's annotations: rarely all of its rows


CHUNK = 500  # layers counted by one statement when they are named (SQLite's ? limit: 32,766)


class SummaryCounts:
    """What each layer's own rows count, kept by the layer's uid and revision (every write
    gives the layer a new revision), and each base layer's authors; shared by threads."""

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self._counted: dict[tuple[str, int], Counted] = {}
        self._base: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def summaries(self, conn: Connection, document_id: str, base: BaseLayer) -> list[LayerSummary]:
        """The base layer first, then every layer by name."""
        base_ids = base.annotation_ids()
        layers = conn.execute(_LAYERS, (document_id,)).fetchall()
        with self._lock:
            counted = {(uid, rev): self._counted.get((uid, rev)) for _, _, uid, rev, _ in layers}
            authors = self._base.get(document_id)
        new = [(lid, uid, rev) for lid, _, uid, rev, _ in layers if counted[(uid, rev)] is None]
        if new:
            # most of the layers new (a first listing): all of the document's at once; else
            # only the new ones (a sync's 30 new layers among 120 counted before)
            named = None if 2 * len(new) > len(layers) else new
            fresh = _count(conn, document_id, named, base_ids)
            for _, uid, rev in new:
                counted[(uid, rev)] = fresh.get(uid, (0, 0, ()))
        if authors is None:  # once per document: it reads every base annotation's content
            start, end = base.span("annotation")
            found = (r.content.get("creatorName") for r in base.records[start:end])
            authors = tuple(sorted({str(name) for name in found if name}))
        with self._lock:
            if len(self._counted) > self.limit:
                self._counted.clear()
            self._counted.update((k, v) for k, v in counted.items() if v is not None)
            self._base[document_id] = authors
        out = [LayerSummary(BASE, len(base_ids), authors, 0, None)]
        for _, name, uid, revision, updated_at in layers:
            own, hidden, names = counted[(uid, revision)] or (0, 0, ())
            out.append(
                LayerSummary(name, len(base_ids) - hidden + own, names, revision, updated_at)
            )
        return out

    def forget(self, document_id: str) -> None:
        with self._lock:
            self._base.pop(document_id, None)


def _count(
    conn: Connection,
    document_id: str,
    layers: list[tuple[int, str, int]] | None,
    base_ids: frozenset[str],
) -> dict[str, Counted]:
    """Count the own rows of ``layers`` (None: of every layer of the document), by uid."""
    if layers is None:
        return _counted(conn, "l.document_id = ?", [document_id], base_ids)
    found: dict[str, Counted] = {}
    for at in range(0, len(layers), CHUNK):
        chunk = layers[at : at + CHUNK]
        where = f"l.id IN ({','.join('?' * len(chunk))})"
        found.update(_counted(conn, where, [lid for lid, _, _ in chunk], base_ids))
    return found


def _counted(
    conn: Connection, where: str, args: Sequence[object], base_ids: frozenset[str]
) -> dict[str, Counted]:
    hidden: dict[str, int] = {}
    for uid, rid in conn.execute(_HIDDEN.format(where=where), args):
        if rid in base_ids:
            hidden[uid] = hidden.get(uid, 0) + 1
    found: dict[str, Counted] = {}
    for uid, own, authors in conn.execute(_OWN.format(where=where), args):
        names = tuple(sorted({str(a) for a in json.loads(authors) if a}))
        found[uid] = (int(own or 0), hidden.get(uid, 0), names)
    return found
