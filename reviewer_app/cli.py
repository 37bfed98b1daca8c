"""The command line: the app when given no subcommand, layer operations otherwise."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reviewer_app import __version__
from reviewer_app.app_data import DATA_DIR_ENV, default_data_dir
from reviewer_app.engine import BASE, EngineError, LayerEngine, RecordKey
from reviewer_app.importing import UnreadableFile, import_pdf
from reviewer_app.instant.records import Record
from reviewer_app.pdf import PdfError
from reviewer_app.pdf.render_worker import RENDER_WORKER_FLAG


class UserError(Exception):
    """A mistake the user can fix (a missing file, a bad option): one line, exit code 1."""


def layer_label(name: str) -> str:
    """How a layer name reads on screen: the default layer and the base layer by role."""
    return {"": "(default)", BASE: "(base)"}.get(name, name)


def _summary(record: Record) -> str:
    content = record.content
    text = content.get("text")
    if isinstance(text, dict):
        text = text.get("value")
    value = text or content.get("note") or content.get("name") or content.get("value") or ""
    return " ".join(str(value).split())[:60]


def _print_table(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> None:
    table = [list(map(str, headers))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(headers))]
    for row in table:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _emit(args: argparse.Namespace, data: Any, text: Callable[[], None]) -> None:
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        text()


def _record_json(r: Record) -> dict[str, Any]:
    return {
        "kind": r.kind,
        "id": r.id,
        "content": r.content,
        "createdBy": r.created_by,
        "updatedBy": r.updated_by,
        "group": r.group,
    }


# -- commands ---------------------------------------------------------------------------------


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
    _emit(args, data, lambda: print(doc.id))


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
    _emit(
        args,
        data,
        lambda: _print_table(
            [(d.id, d.page_count, d.file_name or "", d.title or "") for d in docs],
            ("ID", "PAGES", "FILE", "TITLE"),
        ),
    )


def cmd_layers_list(engine: LayerEngine, args: argparse.Namespace) -> None:
    infos = engine.layers(args.doc)
    data = [
        {
            "name": i.name,
            "uid": i.uid,
            "revision": i.revision,
            "own_records": i.own_records,
            "updated_at": i.updated_at,
        }
        for i in infos
    ]
    _emit(
        args,
        data,
        lambda: _print_table(
            [(layer_label(i.name), i.revision, i.own_records, i.updated_at) for i in infos],
            ("LAYER", "REVISION", "CHANGED", "UPDATED"),
        ),
    )


def cmd_layers_create(engine: LayerEngine, args: argparse.Namespace) -> None:
    instant = None
    if args.instant_json:
        try:
            instant = Path(args.instant_json).read_bytes()
        except OSError as exc:
            raise UserError(f"cannot read {args.instant_json}: {exc.strerror or exc}") from exc
    created = engine.create_layer(args.doc, args.name, source=args.source, instant_json=instant)
    data = {"name": created.name, "errors": created.errors}

    def text() -> None:
        print(f"created layer {layer_label(created.name)}")
        for error in created.errors:
            print(f"warning: {error['reason']}", file=sys.stderr)

    _emit(args, data, text)


def cmd_layers_delete(engine: LayerEngine, args: argparse.Namespace) -> None:
    engine.delete_layer(args.doc, args.name)
    _emit(args, {"deleted": args.name}, lambda: print(f"deleted layer {layer_label(args.name)}"))


def cmd_layers_diff(engine: LayerEngine, args: argparse.Namespace) -> None:
    diff = engine.diff(args.doc, args.a, args.b)

    def line(sign: str, r: Record) -> str:
        page = r.content.get("pageIndex")
        where = f"p.{page + 1}" if isinstance(page, int) else r.kind
        return f"{sign} {r.id}  {where}  {r.content.get('type', r.kind)}  {_summary(r)}".rstrip()

    def text() -> None:
        a, b = layer_label(args.a), layer_label(args.b)
        print(
            f"only in {a}: {len(diff.only_a)}, only in {b}: {len(diff.only_b)}, "
            f"changed: {len(diff.changed)}"
        )
        for r in diff.only_a:
            print(line("-", r))
        for r in diff.only_b:
            print(line("+", r))
        for _, r in diff.changed:
            print(line("~", r))

    _emit(args, diff.to_json(), text)


def _parse_keys(ids: Sequence[str] | None) -> list[RecordKey] | None:
    if ids is None:
        return None
    keys: list[RecordKey] = []
    for item in ids:
        kind, sep, rid = item.partition(":")
        if sep and kind in ("annotation", "bookmark", "formFieldValue"):
            keys.append((kind, rid))  # type: ignore[arg-type]
        else:
            keys.append(("annotation", item))
    return keys


def cmd_layers_copy(engine: LayerEngine, args: argparse.Namespace) -> None:
    change = engine.copy_records(args.doc, args.source, args.target, _parse_keys(args.ids))
    data = {
        "revision": change.revision,
        "upserted": [r.id for r in change.upserted],
        "deleted": [rid for _, rid in change.deleted],
    }
    _emit(
        args,
        data,
        lambda: print(
            f"copied {len(change.upserted)} records, deleted {len(change.deleted)} "
            f"into layer {layer_label(args.target)}"
        ),
    )


def cmd_annotations_list(engine: LayerEngine, args: argparse.Namespace) -> None:
    records = engine.annotations(args.doc, args.layer)
    _emit(
        args,
        [_record_json(r) for r in records],
        lambda: _print_table(
            [
                (
                    r.id,
                    r.content.get("pageIndex", 0) + 1,
                    r.content.get("type", ""),
                    r.content.get("creatorName") or r.created_by or "",
                    _summary(r),
                )
                for r in records
            ],
            ("ID", "PAGE", "TYPE", "AUTHOR", "TEXT"),
        ),
    )


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
    _emit(
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

    _emit(args, result, text)


def cmd_export(engine: LayerEngine, args: argparse.Namespace) -> None:
    from reviewer_app.pdf.export import Skipped, export_layer_pdf, export_layers
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

    _emit(args, result, text)


# -- parsing ----------------------------------------------------------------------------------

COMMANDS = ("import", "documents", "layers", "annotations", "instant", "export")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line (``reviewer-app --help`` prints it)."""
    parser = argparse.ArgumentParser(
        prog="reviewer-app",
        description="Review PDFs in layers. With no command, opens the app (optionally on FILE).",
    )
    parser.add_argument("--version", action="version", version=f"reviewer-app {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help=f"where documents and layers live (default: ${DATA_DIR_ENV} or the "
        "platform's user data folder)",
    )
    parser.add_argument("--json", action="store_true", help="print data as JSON")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check headlessly that the app works (render, annotate, export), then exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import a PDF; prints its document id")
    p.add_argument("file", metavar="FILE.pdf")
    p.add_argument("--password", help="password of an encrypted PDF")
    p.set_defaults(run=cmd_import)

    sub.add_parser("documents", help="list imported documents").set_defaults(run=cmd_documents)

    layers = sub.add_parser("layers", help="list, create, delete, compare and copy layers")
    lsub = layers.add_subparsers(dest="layers_command", metavar="ACTION", required=True)
    p = lsub.add_parser("list", help="the document's layers")
    p.add_argument("doc", metavar="DOC")
    p.set_defaults(run=cmd_layers_list)
    p = lsub.add_parser("create", help="create a layer (a copy of base, of --from, or of a file)")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("name", metavar="NAME")
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--from",
        dest="source",
        metavar="SOURCE",
        help="copy this layer (the base layer if it does not exist)",
    )
    group.add_argument(
        "--instant-json", metavar="FILE", help="apply this Instant JSON file to the base layer"
    )
    p.set_defaults(run=cmd_layers_create)
    p = lsub.add_parser("delete", help="delete a layer")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(run=cmd_layers_delete)
    p = lsub.add_parser("diff", help=f"compare two layers ({BASE} is the base layer)")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.set_defaults(run=cmd_layers_diff)
    p = lsub.add_parser("copy", help="copy records from one layer into another")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("source", metavar="FROM")
    p.add_argument("target", metavar="TO")
    p.add_argument(
        "--ids",
        nargs="+",
        metavar="ID",
        help="only these records (ID, or KIND:ID for bookmarks and form values); "
        "a record FROM lacks is deleted from TO. Default: every record FROM has "
        "that TO lacks or has differently",
    )
    p.set_defaults(run=cmd_layers_copy)

    annotations = sub.add_parser("annotations", help="list a layer's annotations")
    asub = annotations.add_subparsers(dest="annotations_command", metavar="ACTION", required=True)
    p = asub.add_parser("list", help="the annotations a layer shows")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--layer", default="", metavar="NAME", help="default: the default layer")
    p.set_defaults(run=cmd_annotations_list)

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
    return parser


def _wants_gui(argv: Sequence[str]) -> bool:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--data-dir")
    pre.add_argument("--json", action="store_true")
    _, rest = pre.parse_known_args(argv)
    flags = {"-h", "--help", "--version"}
    return not (rest and (rest[0] in COMMANDS or rest[0] in flags))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (or the app); returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == [RENDER_WORKER_FLAG]:  # a frozen app's render worker (see render_client)
        from reviewer_app.pdf.render_worker import main as serve

        serve()
        return 0
    if "--self-test" in args_list:
        from reviewer_app.ui.self_test import run_self_test

        return run_self_test()
    if _wants_gui(args_list):
        from reviewer_app.ui.app import run_app

        return run_app(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_usage(sys.stderr)
        return 2
    try:
        with LayerEngine(args.data_dir or default_data_dir()) as engine:
            args.run(engine, args)
    except (EngineError, PdfError, UnreadableFile, UserError) as exc:
        print(f"reviewer-app: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
