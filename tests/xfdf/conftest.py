"""The command line's fixtures (a data folder with the sample worksheet imported)."""

from tests.test_cli import cli, doc  # noqa: F401
