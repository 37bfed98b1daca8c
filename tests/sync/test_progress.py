"""A whole document's sync reports one progress that only moves forward: each layer's own
steps (changes received, sent in batches) are scaled into that layer's share of it."""

from __future__ import annotations

from collections.abc import Callable

from tests.server.conftest import note
from tests.sync.conftest import LiveServer, Replica


def test_a_sync_of_several_layers_is_one_count_that_only_moves_forward(
    server: LiveServer, replicas: Callable[..., Replica]
) -> None:
    doc = server.upload()
    student = replicas("student", server.url, server.token(doc, layers=["*"]), doc)
    for n in range(3):
        notes = [note(0, 10 + i, f"s{n}-{i}", id=f"s{n}-{i}") for i in range(5)]
        student.engine.create_records(doc, f"student {n}", "annotation", notes)
    steps: list[tuple[int, int, str]] = []
    student.session.progress = lambda done, total, said: steps.append((done, total, said))
    student.session.batch_size = 2  # three pushes a layer: steps within each layer
    student.session.sync_all()
    assert server.layers(doc) >= {"student 0", "student 1", "student 2"}
    (whole,) = {total for _, total, _ in steps}
    done = [d for d, _, _ in steps]
    assert done == sorted(done) and done[0] == 0 and done[-1] == whole
    within = [said for _, _, said in steps if said.startswith("layer 'student 1': sent")]
    assert len(within) == 3, steps  # the layer's own steps, named by its layer
