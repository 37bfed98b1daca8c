"""The command line: the app when given no command, layer operations otherwise.

``main`` dispatches; ``parser`` declares the grammar; one module per command group
(``documents``: import and list, ``layers``, ``annotation_list``, ``instant``, ``export``) runs
it over a :class:`~reviewer_app.engine.LayerEngine`; ``output`` prints; ``gui`` starts the
app. Exit codes: 0 success, 1 a user error (one line on stderr), 2 bad usage."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from reviewer_app.cli.gui import run_gui, run_self_test
from reviewer_app.cli.parser import wants_gui
from reviewer_app.pdf.render_pipe import RENDER_WORKER_FLAG

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (or the app); returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == [RENDER_WORKER_FLAG]:  # a frozen app's render worker (see render_client)
        from reviewer_app.pdf.render_worker import main as serve

        serve()
        return 0
    if "--self-test" in args_list:
        return run_self_test()
    if wants_gui(args_list):
        return run_gui(args_list)
    return run_command(args_list)


def run_command(argv: Sequence[str]) -> int:
    """Run one layer command over the data folder; returns the exit code."""
    # Imported here, not above: the app's PDF workers start as this program (spawned, they
    # import the module that started it), and neither they nor the app need the commands.
    from reviewer_app.app_data import default_data_dir
    from reviewer_app.cli.output import UserError
    from reviewer_app.cli.parser import build_parser
    from reviewer_app.engine import EngineError, LayerEngine
    from reviewer_app.importing import UnreadableFile
    from reviewer_app.pdf import PdfError
    from reviewer_app.pdf.sandbox import REMEMBERED_FILE, shared_sandbox

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_usage(sys.stderr)
        return 2
    try:
        with LayerEngine(args.data_dir or default_data_dir()) as engine:
            # a PDF that crashed a PDF worker is refused at once, by later commands too
            shared_sandbox().remember_in(engine.data_dir / REMEMBERED_FILE)
            args.run(engine, args)
        sys.stdout.flush()
    except BrokenPipeError:
        return reader_gone()
    except (EngineError, PdfError, UnreadableFile, UserError) as exc:
        print(f"reviewer-app: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def reader_gone() -> int:
    """The exit code when whoever read the output stopped early (``| head``): quietly, 141 as
    for a program stopped by SIGPIPE. What is still buffered goes nowhere, so that leaving does
    not fail on it again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 141
