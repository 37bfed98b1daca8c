"""``layers list|create|delete|diff|copy``: a document's layers, compared and merged."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reviewer_app.cli.output import UserError, emit, layer_label, print_table, summary
from reviewer_app.engine import BASE, LayerEngine, RecordKey
from reviewer_app.instant.records import Record


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare ``layers ACTION`` and its actions."""
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
    emit(
        args,
        data,
        lambda: print_table(
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

    emit(args, data, text)


def cmd_layers_delete(engine: LayerEngine, args: argparse.Namespace) -> None:
    engine.delete_layer(args.doc, args.name, keep_for_undo=False)  # the CLI has no undo
    emit(args, {"deleted": args.name}, lambda: print(f"deleted layer {layer_label(args.name)}"))


def cmd_layers_diff(engine: LayerEngine, args: argparse.Namespace) -> None:
    diff = engine.diff(args.doc, args.a, args.b)

    def line(sign: str, r: Record) -> str:
        page = r.content.get("pageIndex")
        where = f"p.{page + 1}" if isinstance(page, int) else r.kind
        return f"{sign} {r.id}  {where}  {r.content.get('type', r.kind)}  {summary(r)}".rstrip()

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

    emit(args, diff.to_json(), text)


def parse_keys(ids: Sequence[str] | None) -> list[RecordKey] | None:
    """``--ids`` as record keys: ``KIND:ID`` for bookmarks and form values, else annotations."""
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
    change = engine.copy_records(args.doc, args.source, args.target, parse_keys(args.ids))
    data = {
        "revision": change.revision,
        "upserted": [r.id for r in change.upserted],
        "deleted": [rid for _, rid in change.deleted],
    }
    emit(
        args,
        data,
        lambda: print(
            f"copied {len(change.upserted)} records, deleted {len(change.deleted)} "
            f"into layer {layer_label(args.target)}"
        ),
    )
