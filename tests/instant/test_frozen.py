"""Read-only JSON values: mutators refuse, everything else behaves as dicts and lists do."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer_app.instant.frozen import FrozenDict, FrozenList, TooDeep, frozen_object, thawed

SOURCE = '{"bbox": [1, 2, 3, 4], "customData": {"x": 1, "list": [[1, 2], {"y": 3}]}, "v": 2}'


def _frozen() -> FrozenDict:
    return frozen_object(json.loads(SOURCE))


MUTATIONS: list[Callable[[Any], object]] = [
    lambda c: c.__setitem__("v", 3),
    lambda c: c.__delitem__("v"),
    lambda c: c.pop("v"),
    lambda c: c.popitem(),
    lambda c: c.setdefault("new", 1),
    lambda c: c.update(v=3),
    lambda c: c.clear(),
    lambda c: c.__ior__({"v": 3}),
    lambda c: c["bbox"].__setitem__(0, 9),
    lambda c: c["bbox"].__setitem__(slice(0, 2), [9]),
    lambda c: c["bbox"].append(5),
    lambda c: c["bbox"].extend([5]),
    lambda c: c["bbox"].insert(0, 5),
    lambda c: c["bbox"].pop(),
    lambda c: c["bbox"].remove(1),
    lambda c: c["bbox"].sort(reverse=True),
    lambda c: c["bbox"].reverse(),
    lambda c: c["bbox"].clear(),
    lambda c: c["bbox"].__delitem__(0),
    lambda c: c["bbox"].__iadd__([5]),
    lambda c: c["bbox"].__imul__(2),
    lambda c: c["customData"].__setitem__("x", 2),
    lambda c: c["customData"]["list"][0].append(3),
    lambda c: c["customData"]["list"][1].__setitem__("y", 4),
]


@pytest.mark.parametrize("mutate", MUTATIONS)
def test_every_mutation_refuses_and_changes_nothing(mutate: Callable[[Any], object]) -> None:
    content = _frozen()
    with pytest.raises(TypeError, match="read-only"):
        mutate(content)
    assert content == json.loads(SOURCE)


def test_it_is_json_and_compares_as_plain_data() -> None:
    content = _frozen()
    plain = json.loads(SOURCE)
    assert content == plain and plain == content
    assert content["bbox"] == [1, 2, 3, 4] and content["customData"]["list"][0] == [1, 2]
    assert json.dumps(content, sort_keys=True) == json.dumps(plain, sort_keys=True)
    assert isinstance(content, dict) and isinstance(content["bbox"], list)
    assert isinstance(content["customData"]["list"][1], FrozenDict)
    assert isinstance(content["customData"]["list"][0], FrozenList)


def test_copies_are_plain_and_changeable() -> None:
    content = _frozen()
    deep = copy.deepcopy(content)
    deep["bbox"][0] = 9
    deep["customData"]["list"][1]["y"] = 0
    assert type(deep) is dict and type(deep["bbox"]) is list
    thawed_copy = thawed(content)
    thawed_copy["customData"]["x"] = 2
    shallow = {**content, "v": 3}
    shallow2 = dict(content) | {"v": 4}
    assert (shallow["v"], shallow2["v"], copy.copy(content)["v"]) == (3, 4, 2)
    with pytest.raises(TypeError):
        shallow["bbox"][0] = 9  # a shallow copy still shares the read-only inside
    assert content == json.loads(SOURCE)


def test_it_pickles_read_only() -> None:
    again = pickle.loads(pickle.dumps(_frozen()))
    assert again == json.loads(SOURCE)
    with pytest.raises(TypeError):
        again["customData"]["list"][0].append(1)


def test_freezing_with_a_depth_refuses_deeper_values() -> None:
    def nested(levels: int) -> dict[str, Any]:
        value: dict[str, Any] = {"leaf": [1]}
        for _ in range(levels - 2):
            value = {"a": value}
        return value

    assert frozen_object(nested(64), 64) == nested(64)  # 63 objects and the array: 64 deep
    with pytest.raises(TooDeep):
        frozen_object(nested(65), 64)
    assert frozen_object(nested(65)) == nested(65)  # no depth given: no limit


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=20) | st.dictionaries(st.text(max_size=2), inner),
    max_leaves=40,
)


def depth_of(value: Any) -> int:
    """Containers nested in one another, the outermost one included."""
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    return 0


def all_frozen(value: Any) -> bool:
    if isinstance(value, dict):
        return type(value) is FrozenDict and all(map(all_frozen, value.values()))
    if isinstance(value, list):
        return type(value) is FrozenList and all(map(all_frozen, value))
    return True


@settings(max_examples=60)
@given(st.dictionaries(st.text(max_size=2), JSON_VALUES, max_size=4), st.integers(1, 8))
def test_every_container_is_frozen_and_the_depth_counted_whatever_the_shape(
    value: dict[str, Any], limit: int
) -> None:
    """Short arrays, long ones, arrays of plain arrays (an ink line's points: frozen in C)
    and mixed ones are each walked their own way; all give the same read-only value."""
    text = json.dumps(value)
    if depth_of(value) > limit:
        with pytest.raises(TooDeep):
            frozen_object(json.loads(text), limit)
        return
    made = frozen_object(json.loads(text), limit)
    assert made == value and all_frozen(made)


def test_an_ink_lines_points_are_frozen_and_counted() -> None:
    points = [[[float(i), float(i + 1)] for i in range(40)] for _ in range(3)]
    made = frozen_object({"lines": {"points": copy.deepcopy(points)}}, 5)
    assert made["lines"]["points"] == points and all_frozen(made)
    with pytest.raises(TooDeep):  # the object, lines, points, a line, a point: 5 deep
        frozen_object({"lines": {"points": copy.deepcopy(points)}}, 4)
