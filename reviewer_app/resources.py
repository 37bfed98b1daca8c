"""Where the app's bundled files are (icons, the sample worksheet), installed or in a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(name: str) -> Path:
    """The bundled file ``name``: inside the installed package, else in the checkout."""
    packaged = resources.files("reviewer_app") / "resources" / name
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[1] / "resources" / name


def sample_document() -> Path:
    """The sample worksheet `make run` opens."""
    return resource_path("sample-worksheet.pdf")
