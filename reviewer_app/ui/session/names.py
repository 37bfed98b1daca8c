"""LayerNames: how layers and their authors are named on screen, asked by every room.

One service per window (``DocumentContext.names``). By default a layer is named by
:func:`layer_title`. A room above may hide names: grading's anonymous mode gives it aliases
("Student 3") for the students' layers, and every room that names a layer or an author (the
Layers dock, the layer box, the window title, Compare, the Comments dock) shows the alias
until the aliases are taken back. Words that may hold a name the window did not choose
(a status bar message, an error, an undo step's label, a file name offered) go through
``shown(text)``. The lower rooms never import grading: they ask this service and follow its
``changed`` signal."""

from __future__ import annotations

import re
from collections.abc import Mapping

from PySide6.QtCore import QObject, Signal

from reviewer_app.engine import BASE, DEFAULT
from reviewer_app.ui.core.signals import emit


def layer_title(name: str) -> str:
    """How a layer is named on screen: base and default by their role."""
    return {BASE: "Base (from the PDF)", DEFAULT: "Default layer"}.get(name, name)


class LayerNames(QObject):
    """``title(layer)``, ``author(name)`` and ``shown(text)`` as shown now; ``hide(aliases)``
    names layers by their aliases (an empty mapping shows the real names); emits ``changed``
    when that changes."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.aliases: dict[str, str] = {}
        self._by_author: dict[str, str] = {}
        self._in_text: re.Pattern[str] | None = None

    @property
    def hiding(self) -> bool:
        return bool(self.aliases)

    def hide(self, aliases: Mapping[str, str]) -> None:
        """Show each layer of ``aliases`` by its alias (and an author of that name too)."""
        if dict(aliases) == self.aliases:
            return
        self.aliases = dict(aliases)
        self._by_author = {layer.casefold(): alias for layer, alias in self.aliases.items()}
        hidden = sorted((n for n in self.aliases if n.strip()), key=len, reverse=True)
        words = "|".join(re.escape(n) for n in hidden)  # the longest first: "amy b" before "amy"
        self._in_text = re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.I) if hidden else None
        emit(self.changed)

    def title(self, layer: str) -> str:
        """How layer ``layer`` is named on screen."""
        return self.aliases.get(layer) or layer_title(layer)

    def author(self, name: str) -> str:
        """How an author is named: a hidden student's name (their layer's) by the alias."""
        return self._by_author.get(name.casefold(), name) if self._by_author else name

    def shown(self, text: str) -> str:
        """``text`` as it may be shown: each hidden layer's name in it (a whole word, in any
        case) replaced by its alias. For words made elsewhere: a message, an error, a label."""
        if self._in_text is None or not text:
            return text
        return self._in_text.sub(
            lambda m: self._by_author.get(m.group(0).casefold(), "a student"), text
        )
