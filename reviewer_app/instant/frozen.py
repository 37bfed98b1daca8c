"""Read-only JSON values: what the engine hands out is shared (cached, read by every layer and
thread), so its records' content cannot be changed in place, only copied and then changed."""

from __future__ import annotations

from itertools import chain, compress, count
from typing import Any, NoReturn, SupportsIndex

READ_ONLY = (
    "a record's content handed out by the engine is read-only (it is shared): "
    "change a copy, e.g. thawed(record.content)"
)


def _refuse(*args: object, **kwargs: object) -> NoReturn:
    raise TypeError(READ_ONLY)


class FrozenDict(dict[str, Any]):
    """A JSON object whose items cannot be set, deleted or updated. It is a ``dict``: it
    compares equal to one, ``json.dumps`` writes it, ``dict(x)``, ``{**x}``, ``x | y`` and
    ``copy.copy(x)`` give plain (shallow) copies, ``copy.deepcopy(x)`` a plain deep one."""

    __slots__ = ()

    def __setitem__(self, key: str, value: Any) -> NoReturn:
        _refuse()

    def __delitem__(self, key: str) -> NoReturn:
        _refuse()

    def __ior__(self, other: object) -> NoReturn:  # type: ignore[misc]
        _refuse()

    clear = pop = popitem = setdefault = update = _refuse

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return thawed(self)  # type: ignore[no-any-return]

    def __reduce__(self) -> tuple[type[FrozenDict], tuple[dict[str, Any]]]:
        return (FrozenDict, (dict(self),))


class FrozenList(list[Any]):
    """A JSON array that cannot be changed in place; a ``list`` otherwise (see FrozenDict)."""

    __slots__ = ()

    def __setitem__(self, index: SupportsIndex | slice, value: Any) -> NoReturn:
        _refuse()

    def __delitem__(self, index: SupportsIndex | slice) -> NoReturn:
        _refuse()

    def __iadd__(self, other: object) -> NoReturn:  # type: ignore[misc]
        _refuse()

    def __imul__(self, other: object) -> NoReturn:
        _refuse()

    append = extend = insert = pop = remove = clear = sort = reverse = _refuse

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return thawed(self)  # type: ignore[no-any-return]

    def __reduce__(self) -> tuple[type[FrozenList], tuple[list[Any]]]:
        return (FrozenList, (list(self),))


_CONTAINER = {dict, list}.__contains__
_UNLIMITED = 1 << 30


class TooDeep(ValueError):
    """A value nested deeper than the ``depth`` :func:`frozen_object` was given."""


_SHORT = 4
"""Items up to which an array is looped over at once (a point, a box): finding its nested
containers in C costs more than the loop."""
_NO_CONTAINER = frozenset((dict, list)).isdisjoint
_ONLY_LISTS = frozenset((list,)).issuperset

_LONG = 16
"""Items past which a container's nested containers are found in C (``map``, ``compress``:
no Python step per item, but a few iterators made); a shorter one is looped over."""


def frozen_object(value: dict[str, Any], depth: int = _UNLIMITED) -> FrozenDict:
    """``value`` (fresh from ``json.loads``: plain dicts and lists) made read-only, nested
    objects and arrays included; ``value`` itself is used up. TooDeep if containers nest
    deeper than ``depth`` (``value`` counts as one), with ``value`` then partly frozen: a
    reader checking depth gets it from this walk."""
    if depth < 1:
        raise TooDeep(f"nested deeper than the {depth} levels allowed")
    if len(value) > _LONG:
        for key in compress(value, map(_CONTAINER, map(type, value.values()))):
            value[key] = _frozen(value[key], depth - 1)
    else:
        for key, item in value.items():  # a value replaced: the keys stay as they are
            kind = type(item)
            if kind is dict:
                value[key] = frozen_object(item, depth - 1)
            elif kind is list:
                value[key] = _frozen_array(item, depth - 1)
    return FrozenDict(value)


def _frozen(item: dict[str, Any] | list[Any], depth: int) -> FrozenDict | FrozenList:
    return frozen_object(item, depth) if type(item) is dict else _frozen_array(item, depth)  # type: ignore[arg-type]


def _frozen_array(value: list[Any], depth: int) -> FrozenList:
    if depth < 1:
        raise TooDeep(f"nested deeper than the {depth} levels allowed")
    if len(value) > _SHORT:  # (a short one, a point or a box, is looped over below)
        if _NO_CONTAINER(map(type, value)):  # numbers, a run of text...
            return FrozenList(value)
        if (
            depth > 1
            and _ONLY_LISTS(map(type, value))
            and _NO_CONTAINER(map(type, chain.from_iterable(value)))
        ):
            return FrozenList(map(FrozenList, value))  # an ink line's points: made in C
        if len(value) > _LONG:
            for index in compress(count(), map(_CONTAINER, map(type, value))):
                value[index] = _frozen(value[index], depth - 1)
            return FrozenList(value)
    for index, item in enumerate(value):
        kind = type(item)
        if kind is dict:
            value[index] = frozen_object(item, depth - 1)
        elif kind is list:
            value[index] = _frozen_array(item, depth - 1)
    return FrozenList(value)


def thawed(value: Any) -> Any:
    """A plain, changeable deep copy of a JSON value (read-only or not)."""
    if isinstance(value, dict):
        return {key: thawed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [thawed(item) for item in value]
    return value
