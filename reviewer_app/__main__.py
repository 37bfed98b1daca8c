"""``python -m reviewer_app``: the same as the ``reviewer-app`` command."""

import multiprocessing
import sys

from reviewer_app.cli import main

if __name__ == "__main__":
    # The frozen app's PDF workers and export process (spawned) start as this program: the
    # PyInstaller hook behind freeze_support runs them instead of the app.
    multiprocessing.freeze_support()
    sys.exit(main())
