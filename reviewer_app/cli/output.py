"""What the command line prints: tables, ``--json`` data, layer labels, and the user's errors."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from typing import Any

from reviewer_app.engine import BASE
from reviewer_app.instant.records import Record


class UserError(Exception):
    """A mistake the user can fix (a missing file, a bad option): one line, exit code 1."""


def layer_label(name: str) -> str:
    """How a layer name reads on screen: the default layer and the base layer by role."""
    return {"": "(default)", BASE: "(base)"}.get(name, name)


def summary(record: Record) -> str:
    """A record's text (or name, or value) on one line of at most 60 characters."""
    content = record.content
    text = content.get("text")
    if isinstance(text, dict):
        text = text.get("value")
    value = text or content.get("note") or content.get("name") or content.get("value") or ""
    return " ".join(str(value).split())[:60]


def print_table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> None:
    """``rows`` under ``headers``, each column as wide as its widest cell."""
    table = [list(map(str, headers))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    for row in table:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def emit(args: argparse.Namespace, data: Any, text: Callable[[], None]) -> None:
    """Print ``data`` as JSON with ``--json``, else call ``text`` to print it for people."""
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        text()


def record_json(r: Record) -> dict[str, Any]:
    """A record as ``--json`` lists it."""
    return {
        "kind": r.kind,
        "id": r.id,
        "content": r.content,
        "createdBy": r.created_by,
        "updatedBy": r.updated_by,
        "group": r.group,
    }
