"""``import`` and ``documents``: bring a PDF into the layer database, list what is there."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from reviewer_app.cli.output import emit, print_table
from reviewer_app.engine import BASE, LayerEngine
from reviewer_app.importing import import_pdf


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``import FILE.pdf [--password P]`` and ``documents``."""
    p = sub.add_parser("import", help="import a PDF; prints its document id")
    p.add_argument("file", metavar="FILE.pdf")
    p.add_argument("--password", help="password of an encrypted PDF")
    p.set_defaults(run=cmd_import)

    sub.add_parser("documents", help="list imported documents").set_defaults(run=cmd_documents)


def cmd_import(engine: LayerEngine, args: argparse.Namespace) -> None:
    doc, new = import_pdf(engine, Path(args.file), args.password)
    counts = Counter(r.content.get("type", r.kind) for r in engine.records(doc.id, BASE))
    data = {
        "id": doc.id,
        "new": new,
        "title": doc.title,
        "pages": doc.page_count,
        "sha256": doc.sha256,
        "records": dict(sorted(counts.items())),
        "skipped": doc.skipped,
    }
    emit(args, data, lambda: print(doc.id))


def cmd_documents(engine: LayerEngine, args: argparse.Namespace) -> None:
    docs = engine.documents()
    data = [
        {
            "id": d.id,
            "title": d.title,
            "file_name": d.file_name,
            "pages": d.page_count,
            "sha256": d.sha256,
            "created_at": d.created_at,
        }
        for d in docs
    ]
    emit(
        args,
        data,
        lambda: print_table(
            [(d.id, d.page_count, d.file_name or "", d.title or "") for d in docs],
            ("ID", "PAGES", "FILE", "TITLE"),
        ),
    )
