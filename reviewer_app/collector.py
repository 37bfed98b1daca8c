"""The cyclic garbage collector, kept out of the way of what lasts: pauses while thousands of
containers are made at once, and a frozen set (the shown document, its marks) it never walks.

Pure Python, no Qt and nothing of the engine, so the window's first stage can use it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

LASTING = 2_000
"""Containers made under one :func:`no_gc` pause past which they are taken as lasting (a
parsed base layer or layer listing, kept in a cache) and moved out of the young generation."""

_keeps_frozen = False  # whether the app keeps a frozen set (see keep_frozen)


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while thousands of containers are made at once
    (they hold no cycles; the collector would only walk them again and again).

    When the pause made more than :data:`LASTING` containers that are still alive, they are
    moved straight to the collector's oldest generation (or, when the app keeps a frozen set,
    such as the shown document's objects, into it; it unfreezes them with its own), instead
    of being walked by the young collection that would otherwise follow at once: a cache of
    10,000 records is 60,000 containers, 12-19 ms of walking for nothing (they hold no
    cycles), 1,000 records about 1 ms. Young objects of other threads move with them, as
    they would after surviving two collections; cyclic garbage among them waits for the next
    full collection."""
    enabled = gc.isenabled()
    made = gc.get_count()[0]
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_count()[0] - made > LASTING:
                _promote()
            gc.enable()


def keep_frozen() -> None:
    """``gc.freeze()``: every object alive now (a shown document, its marks) left out of the
    collector's passes until :func:`release_frozen`. Whether there is a frozen set is
    remembered here: asking the collector (``gc.get_freeze_count``) walks every frozen
    object, 17-48 ms once a document is shown."""
    global _keeps_frozen
    gc.freeze()
    _keeps_frozen = True


def release_frozen() -> None:
    """``gc.unfreeze()``: the frozen set may be collected again (its document is closed)."""
    global _keeps_frozen
    gc.unfreeze()
    _keeps_frozen = False


def _promote() -> None:
    """Every tracked object out of the young generations, without walking them (both calls
    move whole lists)."""
    gc.freeze()
    if not _keeps_frozen:
        gc.unfreeze()  # into the oldest generation
