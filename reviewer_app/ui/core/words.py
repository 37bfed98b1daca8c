"""Words the window says about a number of things: "1 annotation", "3 annotations"."""

from __future__ import annotations

from reviewer_app.engine.grading_scheme import format_points


def plural(count: float, word: str, words: str = "") -> str:
    """``count`` (as a person writes it: "2", "2.5") and ``word``, or its plural (``words``,
    else ``word`` + "s") unless one."""
    return f"{format_points(count)} {word if count == 1 else words or word + 's'}"
