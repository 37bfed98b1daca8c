"""Tests for record ids: new ULIDs and stable derived ids."""

from __future__ import annotations

from reviewer_app.instant import derived_id, is_ulid, new_ulid


def test_new_ulids_are_monotonic_and_unique() -> None:
    ids = [new_ulid() for _ in range(10_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(is_ulid(i) for i in ids)


def test_derived_id_is_stable_and_distinguishes_inputs() -> None:
    first = derived_id("doc.pdf", 12)
    assert first == derived_id("doc.pdf", 12)
    assert first == derived_id("doc.pdf", "12")  # parts are compared as text
    assert is_ulid(first)
    assert first != derived_id("doc.pdf", 13)
    assert derived_id("a", "bc") != derived_id("ab", "c")
    # A fixed value: a change to the derivation would silently re-key every base record.
    assert derived_id("base", 1) == "F17KV7GG1JWJS8QKWS3X846S1K"


def test_is_ulid() -> None:
    assert is_ulid("01DNEDPQQ22W49KDXRFPG4EPEQ")
    assert not is_ulid("01DNEDPQQ22W49KDXRFPG4EPE")  # 25 characters
    assert not is_ulid("01DNEDPQQ22W49KDXRFPG4EPEU")  # U is not Crockford base32
