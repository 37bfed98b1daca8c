"""``annotations list``: the annotations a layer shows."""

from __future__ import annotations

import argparse

from reviewer_app.cli.output import emit, print_table, record_json, summary
from reviewer_app.engine import LayerEngine


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``annotations list DOC [--layer NAME]``."""
    annotations = sub.add_parser("annotations", help="list a layer's annotations")
    asub = annotations.add_subparsers(dest="annotations_command", metavar="ACTION", required=True)
    p = asub.add_parser("list", help="the annotations a layer shows")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--layer", default="", metavar="NAME", help="default: the default layer")
    p.set_defaults(run=cmd_annotations_list)


def cmd_annotations_list(engine: LayerEngine, args: argparse.Namespace) -> None:
    records = engine.annotations(args.doc, args.layer)
    emit(
        args,
        [record_json(r) for r in records],
        lambda: print_table(
            [
                (
                    r.id,
                    r.content.get("pageIndex", 0) + 1,
                    r.content.get("type", ""),
                    r.content.get("creatorName") or r.created_by or "",
                    summary(r),
                )
                for r in records
            ],
            ("ID", "PAGE", "TYPE", "AUTHOR", "TEXT"),
        ),
    )
