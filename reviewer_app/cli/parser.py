"""The command line's grammar: the global options, then one command group per module."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from reviewer_app import __version__
from reviewer_app.app_data import DATA_DIR_ENV

COMMANDS = (
    "import",
    "documents",
    "layers",
    "annotations",
    "instant",
    "xfdf",
    "export",
    "grades",
)


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
    # the command groups (and the engine, PyMuPDF, ... they import) load only when a command
    # line is parsed: the app and its spawned PDF workers start without them
    from reviewer_app.cli import annotation_list, documents, export, grades, instant, layers, xfdf

    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in (documents, layers, annotation_list, instant, xfdf, export, grades):
        group.add_commands(sub)
    return parser


def wants_gui(argv: Sequence[str]) -> bool:
    """Whether ``argv`` names no command (nor ``--help``/``--version``): then the app opens."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--data-dir")
    pre.add_argument("--json", action="store_true")
    _, rest = pre.parse_known_args(argv)
    flags = {"-h", "--help", "--version"}
    return not (rest and (rest[0] in COMMANDS or rest[0] in flags))
