"""The annotating window (a two-page PDF, the user named) serves the comments pane too."""

from tests.ui.tools.conftest import annotating

__all__ = ["annotating"]
