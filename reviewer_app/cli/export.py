"""``export``: a layer (or every layer) written as a PDF made from the stored document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reviewer_app.cli.output import UserError, emit, layer_label
from reviewer_app.engine import LayerEngine


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``export DOC [--layer NAME | --all-layers] [--flatten] [--password PW] -o PATH``."""
    p = sub.add_parser("export", help="write a layer (or every layer) as a PDF")
    p.add_argument("doc", metavar="DOC")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--layer", default="", metavar="NAME", help="default: the default layer")
    which.add_argument(
        "--all-layers", action="store_true", help="one PDF per layer, into the folder -o names"
    )
    p.add_argument("--flatten", action="store_true", help="burn annotations and form values in")
    p.add_argument("--password", help="password of an encrypted PDF")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        help="a file, or a folder with --all-layers",
    )
    p.set_defaults(run=cmd_export)


def cmd_export(engine: LayerEngine, args: argparse.Namespace) -> None:
    # imported here: the PDF writer is loaded only by the command that writes PDFs
    from reviewer_app.pdf.export import Skipped, export_layer_pdf
    from reviewer_app.pdf.export_folder import export_layers
    from reviewer_app.pdf.write_files import write_atomically

    names = engine.layer_names(args.doc) if args.all_layers else [args.layer]
    for name in names:
        if not engine.has_layer(args.doc, name) and name != "":
            raise UserError(f"no layer {name!r} in document {args.doc}")
    source = engine.pdf_path(args.doc).read_bytes()
    output = Path(args.output)
    skipped: list[Skipped] = []
    try:
        if args.all_layers:
            layers = {name: engine.layer_export(args.doc, name) for name in names}

            def progress(done: int, total: int, name: str) -> None:
                print(f"[{done}/{total}] {layer_label(name)}", file=sys.stderr)

            files = export_layers(
                source,
                layers,
                output,
                flatten=args.flatten,
                password=args.password,
                progress=progress,
                skipped=skipped,
            )
        else:
            data = export_layer_pdf(
                source,
                engine.layer_export(args.doc, args.layer),
                flatten=args.flatten,
                password=args.password,
                skipped=skipped,
            )
            write_atomically(output, data)
            files = [output]
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from exc
    result = {
        "files": [str(f) for f in files],
        "flattened": args.flatten,
        "skipped": [
            {"layer": s.layer, "id": s.record_id, "kind": s.kind, "reason": s.reason}
            for s in skipped
        ],
    }

    def text() -> None:
        for file in files:
            print(file)
        for s in skipped:
            print(f"warning: left out {s.record_id}: {s.reason}", file=sys.stderr)

    emit(args, result, text)
