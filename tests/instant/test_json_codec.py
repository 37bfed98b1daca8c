"""The JSON codec gives exactly what the standard library's json gives (values, text and
errors), orjson's speed where it agrees and json's answer where orjson would differ."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

import pytest

from reviewer_app.instant.json_codec import canonical, dumps, loads, loads_many, readable, wire
from reviewer_app.instant.records import canonical_json

ODD_TEXTS = [
    '{"opacity": NaN}',
    "[Infinity, -Infinity]",
    "1e400",
    '{"big": 18446744073709551616, "small": -9223372036854775809}',
    "[123456789012345678901234567890]",
    '"\\ud800"',
    '{"k": "\\udc00 lone low"}',
    '{"a": 1, "a": 2}',
    '{"pair": "\\ud83d\\ude00", "ü": "ünïcode"}',
    '{"max": 18446744073709551615, "min": -9223372036854775808}',
]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_text_reads_as_json_reads_it(text: str) -> None:
    expected = json.loads(text)
    got = loads(text)
    assert repr(got) == repr(expected)  # repr: NaN != NaN, 1 == 1.0 would hide a float
    assert repr(loads(text.encode("utf-8", "surrogatepass"))) == repr(expected)


@pytest.mark.parametrize("text", ['{"v": 2, ', "[1, 2", "nope", "", '{"a": 1}x'])
def test_bad_text_gets_json_s_error(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as got:
        loads(text)
    assert str(got.value) == str(expected.value)


def test_many_texts_one_bad_loses_none_of_the_others() -> None:
    texts = ['{"a": 1}', '{"v": 2, ', '{"n": NaN}', "[" * 5000 + "]" * 5000, '{"b": [1.5]}']
    values, by_json = loads_many(texts)
    assert values[0] == {"a": 1} and values[4] == {"b": [1.5]}
    assert isinstance(values[1], ValueError) and "Expecting" in str(values[1])
    assert math.isnan(values[2]["n"])
    assert isinstance(values[3], list | RecursionError | ValueError)  # whatever json says
    assert by_json == {1, 2} | ({3} if not isinstance(values[3], list) else set())
    assert 0 not in by_json and 4 not in by_json


def test_a_long_number_anywhere_makes_every_text_exact() -> None:
    texts = ['{"a": 1}', '{"id": 99999999999999999999}']
    values, _ = loads_many(texts)
    assert values == [{"a": 1}, {"id": 99999999999999999999}]
    assert type(values[1]["id"]) is int


ODD_VALUES: list[Any] = [
    {"b": 1, "a": [1.0, 2, None, True]},
    {"tiny": 1e-7, "small": 0.00001, "neg": -2.5e-8, "big": 1e22, "zero": -0.0},
    {"nan": float("nan"), "inf": float("inf")},
    {"big": 2**64, "neg": -(2**63) - 1, "edge": 2**63},
    {"text": 'ünïcode \u2028 \x00 "quoted" \\'},
    {2: "int keys", 1: "written as strings"},
    {"t": (1, 2)},
]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_values_are_written_as_json_writes_them(value: Any) -> None:
    for sort in (False, True):
        expected = json.dumps(value, sort_keys=sort, separators=(",", ":"), ensure_ascii=False)
        assert dumps(value, sort_keys=sort) == expected
    assert (
        canonical(value)
        == canonical_json(value)
        == json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    )


@pytest.mark.parametrize(
    "value", [{"d": date(2026, 1, 1)}, {"s": {1, 2}}, {"lone": "\ud800", 2: "x", "a": 1}]
)
def test_values_json_refuses_are_refused_the_same_way(value: Any) -> None:
    try:
        expected: Any = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except TypeError as exc:
        expected = exc
    if isinstance(expected, str):
        assert canonical(value) == expected
    else:
        with pytest.raises(TypeError) as got:
            canonical(value)
        assert str(got.value) == str(expected)


@pytest.mark.parametrize(
    "value", [*ODD_VALUES, {"n": None, "list": [None, 1.5]}, {"deep": [[[1e-9]]]}]
)
def test_what_goes_over_the_wire_reads_back_as_json_would_send_it(value: Any) -> None:
    try:
        expected: Any = json.loads(json.dumps(value, allow_nan=False))
    except ValueError as exc:  # NaN and infinities: JSON cannot carry them
        with pytest.raises(ValueError) as got:
            wire(value)
        assert str(got.value) == str(exc)
        return
    sent = wire(value)
    assert isinstance(sent, bytes)
    assert repr(json.loads(sent)) == repr(expected)  # repr: 1 == 1.0 would hide a float


def test_a_lone_surrogate_goes_over_the_wire_escaped() -> None:
    assert json.loads(wire({"lone": "\ud800"})) == {"lone": "\ud800"}


@pytest.mark.parametrize("value", [*ODD_VALUES, {"n": None, "list": [None, 1.5]}, {"l": "\udc00"}])
def test_text_stored_to_be_read_reads_back_as_json_would_write_it(value: Any) -> None:
    expected = json.loads(json.dumps(value))
    text = readable(value)
    assert repr(loads(text)) == repr(expected) == repr(json.loads(text))
    text.encode()  # no lone surrogate left raw: SQLite stores it as UTF-8
