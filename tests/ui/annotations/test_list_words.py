"""What the Annotations list says of each annotation: its words, and a stamp by its name."""

from __future__ import annotations

from reviewer_app.instant.records import Record
from reviewer_app.ui.session.describing import describe


def stamp(**fields: object) -> Record:
    content = {"v": 2, "type": "pspdfkit/stamp", "pageIndex": 0, "bbox": [1, 1, 50, 20]}
    return Record("annotation", "s1", {**content, "creatorName": "Sam", **fields})


def test_a_stamp_is_listed_by_its_title_or_its_kind_and_a_note_wins() -> None:
    assert describe(stamp(stampType="Approved")) == "Stamp by Sam — “Approved”"
    assert describe(stamp(stampType="Custom", title="PAID 2024")) == "Stamp by Sam — “PAID 2024”"
    assert describe(stamp(stampType="Draft", note="see p. 2")) == "Stamp by Sam — “see p. 2”"
