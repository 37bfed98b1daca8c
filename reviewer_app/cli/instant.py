"""``instant export|import``: a layer as an Instant JSON file, and a file applied to a layer."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reviewer_app.cli.output import UserError, emit, layer_label
from reviewer_app.engine import LayerEngine


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``instant export`` and ``instant import``."""
    instant = sub.add_parser("instant", help="Instant JSON export and import")
    isub = instant.add_subparsers(dest="instant_command", metavar="ACTION", required=True)
    p = isub.add_parser("export", help="write a layer as an Instant JSON file")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--layer", default="", metavar="NAME", help="default: the default layer")
    p.add_argument("-o", "--output", required=True, metavar="FILE.json", help="- for stdout")
    p.set_defaults(run=cmd_instant_export)
    p = isub.add_parser("import", help="apply an Instant JSON file to a layer")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("file", metavar="FILE.json")
    p.add_argument("--layer", default="", metavar="NAME", help="default: the default layer")
    p.set_defaults(run=cmd_instant_import)


def cmd_instant_export(engine: LayerEngine, args: argparse.Namespace) -> None:
    document = engine.export_instant(args.doc, args.layer)
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if args.output == "-":
        print(text)
        return
    try:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    count = len(document.get("annotations", []))
    emit(
        args,
        {"output": args.output, "annotations": count},
        lambda: print(f"wrote {count} annotations to {args.output}"),
    )


def cmd_instant_import(engine: LayerEngine, args: argparse.Namespace) -> None:
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
    change, errors = engine.import_instant(args.doc, args.layer, data)
    result = {
        "revision": change.revision,
        "upserted": len(change.upserted),
        "deleted": len(change.deleted),
        "errors": errors,
    }

    def text() -> None:
        print(
            f"applied {len(change.upserted)} records, deleted {len(change.deleted)} "
            f"in layer {layer_label(args.layer)}"
        )
        for error in errors:
            print(f"warning: {error['reason']}", file=sys.stderr)

    emit(args, result, text)
