"""The drawing tools' tests use the tools' fixture: the window on a PDF to annotate."""

from tests.ui.tools.conftest import annotating

__all__ = ["annotating"]
