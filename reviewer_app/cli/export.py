"""``export``: a layer (or several, or every layer) written as a PDF made from the stored
document, with a comments summary after the last page when asked (by default when flattened)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reviewer_app.cli.output import UserError, emit, layer_label
from reviewer_app.engine import BASE, DEFAULT, LayerEngine
from reviewer_app.engine.layers import check_name


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``export DOC [--layer NAME | --layers NAME ... | --all-layers
    [--include-default]] [--flatten] [--[no-]comments-summary] [--password PW] -o PATH``."""
    p = sub.add_parser(
        "export",
        help="write a layer (or several, or every layer) as a PDF",
        description="Write layers as PDFs made from the stored document (never modified). "
        "A layer that does not exist yet reads as the base layer, as everywhere.",
    )
    p.add_argument("doc", metavar="DOC")
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--layer",
        default=DEFAULT,
        metavar="NAME",
        help="one layer, to the file -o names (default: the default layer)",
    )
    which.add_argument(
        "--layers",
        nargs="+",
        metavar="NAME",
        help='these layers, one PDF each, into the folder -o names ("" is the default layer)',
    )
    which.add_argument(
        "--all-layers",
        action="store_true",
        help="every layer, one PDF each, into the folder -o names (the default layer only "
        "when it has changes of its own, or with --include-default)",
    )
    p.add_argument(
        "--include-default",
        action="store_true",
        help="with --all-layers: write the default layer even when it has no changes",
    )
    p.add_argument("--flatten", action="store_true", help="burn annotations and form values in")
    p.add_argument(
        "--comments-summary",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="append pages listing every note, free text, stamp and comment thread (its "
        "replies and state) with its page, author, date and text (default: on with --flatten, "
        "off otherwise)",
    )
    p.add_argument("--password", help="password of an encrypted PDF")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        help="a file, or a folder with --layers or --all-layers",
    )
    p.set_defaults(run=cmd_export)


def chosen_layers(engine: LayerEngine, args: argparse.Namespace) -> list[str]:
    """The layers to write: named ones (missing ones read as the base layer), or all that
    exist, the default layer only when it changed something (or ``--include-default``)."""
    if args.include_default and not args.all_layers:
        raise UserError("--include-default goes with --all-layers")
    if not args.all_layers:
        names = list(dict.fromkeys(args.layers if args.layers is not None else [args.layer]))
        for name in names:
            if name != BASE:
                check_name(name)
        return names
    infos = engine.layers(args.doc)
    names = [i.name for i in infos if i.name != DEFAULT or i.own_records]
    if args.include_default and DEFAULT not in names:
        names.insert(0, DEFAULT)
    return names


def summary_title(engine: LayerEngine, doc: str) -> str:
    """What the comments summary's heading calls the document: its title, else its file
    name (else the summary falls back to the PDF's own title)."""
    document = engine.document(doc)
    return document.title or document.file_name or ""


def cmd_export(engine: LayerEngine, args: argparse.Namespace) -> None:
    # imported here: the PDF writer is loaded only by the command that writes PDFs
    from reviewer_app.pdf import jobs
    from reviewer_app.pdf.export import Skipped
    from reviewer_app.pdf.export_folder import export_layers, worker_count
    from reviewer_app.pdf.sandbox import REMEMBERED_FILE, Limits, PdfSandbox
    from reviewer_app.pdf.write_files import write_atomically

    names = chosen_layers(engine, args)
    to_folder = args.all_layers or args.layers is not None
    summary = args.flatten if args.comments_summary is None else args.comments_summary
    title = summary_title(engine, args.doc)
    source = engine.pdf_path(args.doc).read_bytes()
    _say_which_read_as_base(engine, args.doc, names)
    output = Path(args.output)
    skipped: list[Skipped] = []
    options = {"flatten": args.flatten, "summary": summary, "title": title}
    # PyMuPDF writes in worker processes: a PDF that crashes one is an error message, not a
    # crash of the command. No deadline (Ctrl-C stops it); an hour of processor time a layer.
    limits = Limits(cpu_seconds=3600, wall_seconds=None)
    workers = worker_count(len(names)) if to_folder else 1
    remembered = engine.data_dir / REMEMBERED_FILE  # as every command's (see cli/__init__)
    sandbox = PdfSandbox(workers=workers, limits=limits, remembered=remembered)
    try:
        if to_folder:
            layers = {name: engine.layer_export(args.doc, name) for name in names}

            def progress(done: int, total: int, name: str) -> None:
                print(f"[{done}/{total}] {layer_label(name)}", file=sys.stderr)

            files = export_layers(
                source,
                layers,
                output,
                password=args.password,
                progress=progress,
                skipped=skipped,
                sandbox=sandbox,
                **options,
            )
            if not names:
                print("nothing to export: no layer has changes of its own", file=sys.stderr)
        else:
            data, skipped = sandbox.run(
                jobs.export_layer,
                source,
                engine.layer_export(args.doc, names[0]),
                layer_name=names[0],
                password=args.password,
                **options,
            )
            write_atomically(output, data)
            files = [output]
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from exc
    finally:
        sandbox.close()
    result = {
        "files": [str(f) for f in files],
        "flattened": args.flatten,
        "comments_summary": summary,
        "skipped": [
            {"layer": s.layer, "id": s.record_id, "kind": s.kind, "reason": s.reason}
            for s in skipped
        ],
    }

    def text() -> None:
        for file in files:
            print(file)
        for s in skipped:
            which = s.record_id or "an annotation that is no record"
            print(f"warning: left out {which}: {s.reason}", file=sys.stderr)

    emit(args, result, text)


def _say_which_read_as_base(engine: LayerEngine, doc: str, names: Sequence[str]) -> None:
    """A note on stderr for each named layer that does not exist yet (a typo shows here)."""
    for name in names:
        if name not in (DEFAULT, BASE) and not engine.has_layer(doc, name):
            print(
                f"note: layer {name!r} does not exist yet; written as the base layer "
                "(the PDF's own annotations)",
                file=sys.stderr,
            )
