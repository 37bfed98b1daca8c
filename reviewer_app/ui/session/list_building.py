"""The Annotations list's build a step at a time: the filters' choices counted, the records
filtered, grouped and sorted (pure work on records, which the review room's dock does a slice
per turn, next to describing.py's words for each entry)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Generator, Sequence

from reviewer_app.engine import RecordKey
from reviewer_app.instant.records import Record
from reviewer_app.ui.session import describing
from reviewer_app.ui.session.describing import Group

Counted = tuple[Counter[str], Counter[str]]
Grouped = list[tuple[Group, list[Record]]]


def sorting_out(
    records: Sequence[Record], step: int
) -> Generator[None, None, tuple[dict[RecordKey, Record], dict[str, str]]]:
    """The annotations among ``records`` by key, and each comment's root id by its id;
    pausing (yield) every ``step`` records."""
    annotations: dict[RecordKey, Record] = {}
    roots: dict[str, str] = {}
    for start in range(0, len(records), step):
        for record in records[start : start + step]:
            if record.kind == "annotation":
                annotations[record.key] = record
            elif record.kind == "comment":
                roots[record.id] = str(record.content.get("rootId"))
        yield
    return annotations, roots


def counting(records: Sequence[Record], step: int) -> Generator[None, None, Counted]:
    """The records' types and colours with their use (the filters' choices), pausing (yield)
    every ``step`` records."""
    types, colours = Counter[str](), Counter[str]()
    for start in range(0, len(records), step):
        part = records[start : start + step]
        types.update(map(describing.type_name, part))
        colours.update(map(describing.colour_of, part))
        yield
    return types, colours


def grouping(
    records: Sequence[Record],
    passes: Callable[[Record], bool],
    group_of: Callable[[Record], Group],
    step: int,
) -> Generator[None, None, Grouped]:
    """The records that ``passes`` lets through, by group in the list's order, each group's
    in entry order; pausing (yield) every ``step`` records."""
    groups: dict[Group, list[Record]] = defaultdict(list)
    for start in range(0, len(records), step):
        for record in filter(passes, records[start : start + step]):
            groups[group_of(record)].append(record)
        yield
    ordered: Grouped = []
    for group in sorted(groups, key=describing.group_order):
        members = groups[group]
        keys: list[tuple[int, str]] = []
        for start in range(0, len(members), step):
            keys += map(describing.entry_order, members[start : start + step])
            yield
        order = sorted(range(len(members)), key=keys.__getitem__)  # (stable, as sorted(members))
        ordered.append((group, [members[i] for i in order]))
        yield
    return ordered
