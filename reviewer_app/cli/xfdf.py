"""``xfdf export|import``: a layer as an XFDF file (Acrobat's Export Comments), and an XFDF file
applied to a layer (Import Comments), as a new layer or over an existing one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reviewer_app.cli.output import UserError, emit, layer_label
from reviewer_app.engine import LayerEngine
from reviewer_app.pdf.write_files import write_atomically
from reviewer_app.xfdf import XfdfError, layer_xfdf, page_boxes, read_xfdf


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``xfdf export`` and ``xfdf import``."""
    xfdf = sub.add_parser("xfdf", help="XFDF export and import (Acrobat's comment files)")
    xsub = xfdf.add_subparsers(dest="xfdf_command", metavar="ACTION", required=True)
    p = xsub.add_parser("export", help="write a layer's annotations and form values as XFDF")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--layer", default="", metavar="NAME", help="default: the default layer")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xfdf", help="- for stdout")
    p.set_defaults(run=cmd_xfdf_export)
    p = xsub.add_parser("import", help="apply an XFDF file to a layer (made if it is new)")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("file", metavar="FILE.xfdf")
    p.add_argument("--layer", default="", metavar="NAME", help="default: the default layer")
    p.set_defaults(run=cmd_xfdf_import)


def cmd_xfdf_export(engine: LayerEngine, args: argparse.Namespace) -> None:
    document = engine.document(args.doc)
    boxes = page_boxes(engine.pdf_path(args.doc))
    written = layer_xfdf(engine.records(args.doc, args.layer), boxes, document.file_name or "")
    if args.output == "-":
        sys.stdout.buffer.write(written.xml)
        sys.stdout.flush()
    else:
        try:
            write_atomically(Path(args.output), written.xml)
        except OSError as exc:
            raise UserError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    result = {
        "output": args.output,
        "annotations": written.annotations,
        "fields": written.fields,
        "errors": written.errors,
    }

    def text() -> None:
        if args.output != "-":
            print(
                f"wrote {written.annotations} annotations and {written.fields} form values "
                f"of layer {layer_label(args.layer)} to {args.output}"
            )
        for error in written.errors:
            print(f"warning: {error['id']}: {error['reason']}", file=sys.stderr)

    emit(args, result, text)


def cmd_xfdf_import(engine: LayerEngine, args: argparse.Namespace) -> None:
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
    engine.document(args.doc)
    try:
        read = read_xfdf(data, page_boxes(engine.pdf_path(args.doc)))
    except XfdfError as exc:
        raise UserError(f"{args.file}: {exc}") from exc
    change, problems = engine.import_instant(args.doc, args.layer, read.instant())
    errors = read.errors + problems
    result = {
        "revision": change.revision,
        "upserted": len(change.upserted),
        "errors": errors,
    }

    def text() -> None:
        print(f"applied {len(change.upserted)} records to layer {layer_label(args.layer)}")
        for error in errors:
            where = error.get("name") or error.get("element") or error.get("id") or ""
            print(f"warning: {where}: {error['reason']}".replace(": : ", ": "), file=sys.stderr)

    emit(args, result, text)
