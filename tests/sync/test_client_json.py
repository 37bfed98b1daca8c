"""The sync client writes and reads its JSON through json_codec: a body JSON cannot carry
(NaN, an infinity) is refused with a sentence before anything is sent."""

from __future__ import annotations

import pytest

from reviewer_app.sync import SyncClient
from reviewer_app.sync.client import Retry
from reviewer_app.sync.errors import OfflineError, SyncError


@pytest.mark.parametrize("number", [float("nan"), float("inf")])
def test_a_body_json_cannot_carry_is_refused_before_it_is_sent(number: float) -> None:
    client = SyncClient("http://127.0.0.1:9", "Token secret", retry=Retry(attempts=1))
    body = {"changes": [{"content": {"opacity": number}}]}
    with pytest.raises(SyncError) as refused:
        client.send_json("POST", "/api/documents/d/push", body)
    assert not isinstance(refused.value, OfflineError)  # nothing was sent to the closed port
    assert "not valid JSON" in str(refused.value)
    with pytest.raises(OfflineError):  # the same body without it is sent (and finds no one)
        client.send_json("POST", "/api/documents/d/push", {"changes": [{"content": None}]})
