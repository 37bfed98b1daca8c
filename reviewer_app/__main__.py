"""``python -m reviewer_app``: the same as the ``reviewer-app`` command."""

import sys

from reviewer_app.cli import main

sys.exit(main())
