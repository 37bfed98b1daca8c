"""``reviewer-server``: serve the layer API, issue client tokens, make a signing key pair.

The entry point alone, light on purpose: the server's PDF workers are spawned processes, and
a spawned process first imports its parent's main module (this one, as ``-m`` or through the
``reviewer-server`` script). Importing the commands here would load the web framework and
the engine into every worker (0.6 s of CPU and 40 MB each); they are imported when run."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from reviewer_app.server.commands import main as run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
