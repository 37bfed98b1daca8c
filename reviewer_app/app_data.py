"""Where the desktop app and the command line keep their layer database and PDFs."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "REVIEWER_DATA_DIR"


def default_data_dir() -> Path:
    """Where layers live unless ``--data-dir`` or ``$REVIEWER_DATA_DIR`` say otherwise."""
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV])
    import platformdirs

    return Path(platformdirs.user_data_dir("Reviewer", appauthor=False))
