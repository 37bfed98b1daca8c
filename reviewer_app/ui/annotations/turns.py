"""The shared budget per event-loop turn, by the name the rooms above used before it moved to
``core.turns`` (the session's layer display shares it too, and ``session`` imports only
``core``): the very same module, so a test's patch of ``BUDGET`` here is the budget."""

from __future__ import annotations

import sys

from reviewer_app.ui.core import turns as _shared
from reviewer_app.ui.core.turns import (
    BUDGET,
    DRAWINGS,
    LISTS,
    MARKS,
    SHOWING,
    Step,
    drop,
    end_turn,
    later,
    waiting,
)

__all__ = ["BUDGET", "DRAWINGS", "LISTS", "MARKS", "SHOWING", "Step", "drop", "end_turn"]
__all__ += ["later", "waiting"]

sys.modules[__name__] = _shared
