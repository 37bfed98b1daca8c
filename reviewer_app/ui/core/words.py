"""Words the window says about a number of things: "1 annotation", "3 annotations"."""

from __future__ import annotations


def plural(count: int, word: str, words: str = "") -> str:
    """``count`` and ``word``, or its plural (``words``, else ``word`` + "s") unless one."""
    return f"{count} {word if count == 1 else words or word + 's'}"
