"""emit(): emit a Qt signal from Python, working around PySide6 6.12's refcount bug in emit().

PySide6 6.12.0's ``SignalInstance.emit()`` returns ``True`` without taking a reference, so every
emit whose result is dropped takes one reference away from ``True``; after a few thousand
emits Python aborts ("bool_dealloc"). ``emit`` gives the reference back, but only when a probe
at import shows that the running PySide6 has the bug, so a fixed release needs no change here.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance


class _Probe(QObject):
    fired = Signal()


def _emit_drops_a_reference() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    probe.fired.emit()  # the result is dropped here, as in ordinary code
    return sys.getrefcount(True) < before


_LEAKS = _emit_drops_a_reference()
if _LEAKS:  # repair the probe's own damage
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))


def emit(signal: SignalInstance, *args: Any) -> None:
    """``signal.emit(*args)``, safe under PySide6 6.12.0."""
    result: object = signal.emit(*args)  # type: ignore[func-returns-value]
    if _LEAKS and result is True:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
