"""Layer summaries for the reviewer panel: how many annotations each layer shows, who wrote
them, when it last changed — without reading every layer's records."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from reviewer_app.engine.base_cache import BaseLayer
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


_OWN = """
SELECT l.name, l.revision, l.updated_at,
       sum(r.kind = 'annotation' AND r.content IS NOT NULL),
       json_group_array(DISTINCT CASE WHEN r.content IS NOT NULL
           THEN coalesce(json_extract(r.content, '$.creatorName'), r.created_by) END)
  FROM layers l LEFT JOIN layer_records r ON r.layer_id = l.id
 WHERE l.document_id = ?
 GROUP BY l.id ORDER BY l.name
"""

_HIDDEN = """
SELECT l.name, r.id FROM layers l JOIN layer_records r ON r.layer_id = l.id
 WHERE l.document_id = ? AND r.kind = 'annotation'
"""


_BASE_AUTHORS = """
SELECT DISTINCT json_extract(content, '$.creatorName') FROM base_records
 WHERE document_id = ? AND kind = 'annotation' AND json_valid(content)
"""


def summaries(conn: sqlite3.Connection, document_id: str, base: BaseLayer) -> list[LayerSummary]:
    """The base layer first, then every layer by name."""
    base_ids = {r.id for r in base.records if r.kind == "annotation"}
    hidden: dict[str, int] = {}
    for name, rid in conn.execute(_HIDDEN, (document_id,)):
        if rid in base_ids:
            hidden[name] = hidden.get(name, 0) + 1
    base_authors = sorted(
        str(name)
        for (name,) in conn.execute(_BASE_AUTHORS, (document_id,))
        if name  # the records' content is not parsed for this: SQLite reads the one key
    )
    out = [LayerSummary(BASE, len(base_ids), tuple(base_authors), 0, None)]
    for name, revision, updated_at, own, authors in conn.execute(_OWN, (document_id,)):
        shown = len(base_ids) - hidden.get(name, 0) + int(own or 0)
        names = tuple(sorted(a for a in json.loads(authors) if a))
        out.append(LayerSummary(name, shown, names, revision, updated_at))
    return out
