"""PyMuPDF loaded when first used, for the app's window process.

The window never opens a PDF itself (its render worker and PDF workers do), yet its modules
import PyMuPDF at their top: the jobs it hands to workers, the geometry and writers it shares
with them. Loading PyMuPDF costs about 200 ms of processor time and 48 MB of memory (half of
it heap) before the first page. :func:`import_when_used` makes ``import pymupdf`` bind a
module whose code runs when one of its attributes is first asked for; :func:`load_now` runs
it. (So the pdf modules use PyMuPDF's names inside functions, never at their top.)

Not importlib's LazyLoader: in Python 3.11 an ``import pymupdf`` statement asks the module for
its ``__spec__``, which loads it, and two threads touching it first at once may see it half
made. Here what the import system (and PySide6's import hook) asks for is answered without
loading, and the loading holds a lock: another thread asking meanwhile waits for it."""

from __future__ import annotations

import importlib.util
import sys
import threading
import types
from typing import Any

NAME = "pymupdf"
_lock = threading.RLock()
_loading: set[int] = set()  # the threads running the module's code now
_NOT_LOADING = frozenset(
    {"__spec__", "__name__", "__path__", "__loader__", "__file__", "__package__", "__dict__"}
    | {"__class__", "__wrapped__"}  # PySide6 looks at each module imported (inspect.getsource)
)


class _Deferred(types.ModuleType):
    """A module whose code has not run yet: the first attribute asked for (but those the
    import system asks for) runs it."""

    def __getattribute__(self, attr: str) -> Any:
        if attr not in _NOT_LOADING:
            _load(self)
        return types.ModuleType.__getattribute__(self, attr)


def _load(module: types.ModuleType) -> None:
    with _lock:
        if type(module) is not _Deferred or threading.get_ident() in _loading:
            return  # loaded, or its own code asks for what it has made so far (as on import)
        _loading.add(threading.get_ident())
        try:
            spec = types.ModuleType.__getattribute__(module, "__spec__")
            spec.loader.exec_module(module)
            module.__class__ = types.ModuleType  # type: ignore[assignment]  # loaded: plain again
        except BaseException:
            sys.modules.pop(NAME, None)  # the next import tries again, and says why it fails
            raise
        finally:
            _loading.discard(threading.get_ident())


def import_when_used() -> None:
    """From now on ``import pymupdf`` in this process binds it unloaded, loaded on first use
    (nothing happens when it was imported already)."""
    with _lock:
        if NAME in sys.modules:
            return
        spec = importlib.util.find_spec(NAME)
        if spec is None or spec.loader is None:
            return
        module = importlib.util.module_from_spec(spec)
        module.__class__ = _Deferred
        sys.modules[NAME] = module


def loaded() -> bool:
    """Whether PyMuPDF's code has run in this process (not just been named)."""
    module = sys.modules.get(NAME)
    return module is not None and type(module) is not _Deferred


def load_now() -> None:
    """Run PyMuPDF's code now, on this thread, if it has not run yet."""
    module = sys.modules.get(NAME)
    if module is None:
        importlib.import_module(NAME)
    elif type(module) is _Deferred:
        _load(module)
