"""The server, run as the main program with PyMuPDF's documents trapped: opening a PDF in this
process (a file or bytes; a new empty document is allowed) writes where it happened to the file
named first on the command line and fails. The sandbox's workers are other processes (spawned:
they import this module under another name, so the trap is not set there) and read PDFs freely.

    python -m tests.server.trapped_server TRAP_LOG serve --port 0 --data-dir DIR
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any


def trap(log: Path) -> None:
    import pymupdf

    opening = pymupdf.Document.__init__

    def trapped(self: Any, *args: Any, **kwargs: Any) -> None:
        if any(a is not None for a in args) or kwargs.get("filename") or kwargs.get("stream"):
            with log.open("a", encoding="utf-8") as file:
                file.write("".join(traceback.format_stack()) + "----\n")
            raise RuntimeError("PyMuPDF opened a PDF in the server's own process")
        opening(self, *args, **kwargs)

    pymupdf.Document.__init__ = trapped  # type: ignore[method-assign]


if __name__ == "__main__":
    trap(Path(sys.argv.pop(1)))
    from reviewer_app.server.cli import main

    sys.exit(main())
