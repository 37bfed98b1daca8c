"""A whole base layer read at once: SQLite joins each kind's ids, pages, places and contents
into four texts (one row a kind), so Python builds no row tuple and decodes no content to a
string; orjson reads each record's bytes, and the listing is put in order here (sorting in
SQLite would carry every content through its sorter: 8 of the 20 ms a 10,000-record read
took). Rows that are not plain (orjson refuses them, a number may be too long for it, a
value that is not an object or nests too deep) are read as row by row reading reads them
(:func:`~reviewer_app.engine.row_reading.parse_rows`); anything else unusual gives None, and
the caller reads the layer row by row."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from functools import partial
from itertools import compress, count, islice, repeat
from operator import is_not, itemgetter, le

import orjson

from reviewer_app import giving_way
from reviewer_app.engine.model import RecordKey
from reviewer_app.engine.row_reading import made_record, parse_rows
from reviewer_app.instant.frozen import TooDeep, frozen_object
from reviewer_app.instant.json_codec import read_exactly
from reviewer_app.instant.limits import MAX_DEPTH
from reviewer_app.instant.records import Record

SortKey = tuple[str, int, int, str]
Listing = tuple[list[Record], list[SortKey], list[int | None], dict[RecordKey, int]]
"""A base layer's records in listing order, their sort keys, pages, and the index by key."""

# Every aggregate of one query steps through the same rows in the same order, so the i-th
# id, page, place and content are one row's. Contents are joined by NUL, which valid JSON
# text never holds raw: a count that does not add up sends the read row by row.
_AT_ONCE = (
    "SELECT kind, count(*), json_group_array(id), json_group_array(page_index), "
    "json_group_array(ord), CAST(group_concat(content, char(0)) AS BLOB) "
    "FROM base_records WHERE document_id = ? GROUP BY kind"
)
_IS_SET = partial(is_not, None)
_KEY = itemgetter(0, 3)  # (kind, id) of a sort key


def read(conn: sqlite3.Connection, document_id: str) -> Listing | None:
    """The document's base layer, or None when it must be read row by row."""
    records: list[Record] = []
    keys: list[SortKey] = []
    pages: list[int | None] = []
    for kind, rows, ids, on_pages, places, contents in sorted(
        conn.execute(_AT_ONCE, (document_id,))
    ):
        part = _kind(str(kind), rows, ids, on_pages, places, contents)
        if part is None:
            return None
        records += part[0]
        keys += part[1]
        pages += part[2]
    return records, keys, pages, dict(zip(map(_KEY, keys), count()))


def _kind(
    kind: str, rows: int, ids_text: str, pages_text: str, places_text: str, contents: bytes
) -> tuple[list[Record], list[SortKey], list[int | None]] | None:
    """One kind's records, sort keys and pages in listing order (None: read row by row)."""
    texts = contents.split(b"\0")
    try:
        ids, pages, places = map(orjson.loads, (ids_text, pages_text, places_text))
    except orjson.JSONDecodeError:
        return None
    if not len(texts) == len(ids) == len(pages) == len(places) == rows:
        return None  # a content holding NUL
    if (
        not set(map(type, ids)) <= {str}
        or not set(map(type, places)) <= {int}
        or not set(map(type, pages)) <= {int, type(None)}
        or min(filter(_IS_SET, pages), default=0) < 0  # SQLite puts NULL before those
    ):
        return None
    on_page = pages if None not in pages else [-1 if p is None else p for p in pages]
    keys = list(zip(repeat(kind), on_page, places, ids))
    order = _listing_order(keys, on_page, places)  # records made in that order: read in it
    in_order = itemgetter(*order) if rows > 1 else lambda found: tuple(found)
    made = _records(kind, in_order(ids), in_order(texts), careful=not read_exactly(contents))
    if made is None:
        return None
    keys, pages = list(in_order(keys)), list(in_order(pages))
    if None in made:  # unreadable, reported
        return _readable(made), list(compress(keys, made)), list(compress(pages, made))
    return made, keys, pages  # type: ignore[return-value]


def _listing_order(keys: list[SortKey], pages: list[int], places: list[int]) -> list[int]:
    """The indexes of ``keys`` in sorted order. A base layer is stored page by page, each
    place used once: sorting by place alone (integers) then gives the same order, at a
    third of the cost of comparing keys, when the pages come out in order."""
    order = sorted(range(len(keys)), key=places.__getitem__)
    paged = list(map(pages.__getitem__, order))
    if len(set(places)) == len(places) and all(map(le, paged, islice(paged, 1, None))):
        return order
    return sorted(range(len(keys)), key=keys.__getitem__)


def _readable(made: list[Record | None]) -> list[Record]:
    return [record for record in made if record is not None]


def _records(
    kind: str, ids: Sequence[str], texts: Sequence[bytes], *, careful: bool
) -> list[Record | None] | None:
    """The record of each text (None for one that is unreadable, reported), read-only;
    None if a text is not UTF-8 (sqlite3 refuses to read such a row: row by row says so)."""
    made: list[Record | None] = []
    doubtful: list[int] = []
    parse = orjson.loads
    for at, text in enumerate(texts):
        if giving_way.busy:  # (on a task, the window's turn goes first)
            giving_way.give_way()
        content = None
        if not careful or read_exactly(text):
            try:
                value = parse(text)
                if type(value) is dict:
                    content = frozen_object(value, MAX_DEPTH)
            except (orjson.JSONDecodeError, TooDeep):
                pass
        if content is None:
            doubtful.append(at)
            made.append(None)
            continue
        made.append(made_record(kind, ids[at], content))
    for at in doubtful:
        try:
            decoded = texts[at].decode()
        except UnicodeDecodeError:
            return None
        found = parse_rows([(kind, ids[at], decoded, None, None, None)], shared=True)
        made[at] = found[0] if found else None
    return made
