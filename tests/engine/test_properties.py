"""Property: after any sequence of operations, every layer reads as base plus its own changes,
comment threads included (Document Engine's cascade rules kept in the model)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from reviewer_app.engine import BASE, Conflict, LayerEngine, NotFound
from reviewer_app.engine.trash import TRASH_LIMIT
from reviewer_app.instant import Record, derived_id
from reviewer_app.instant.comments import COMMENT_TYPE, MARKER_TYPE, ROOT_TYPES
from tests.engine.conftest import PDF_BYTES, base_records, note
from tests.engine.test_threads import highlight, marker

THREAD_ROOT = derived_id("s", "annotation", 90)
BASE_THREAD = [
    Record("annotation", THREAD_ROOT, highlight(pdfObjectId=90)),
    Record(
        "comment",
        derived_id("s", "annotation", 91),
        {
            "v": 2,
            "type": COMMENT_TYPE,
            "rootId": THREAD_ROOT,
            "pageIndex": 0,
            "text": {"format": "plain", "value": "in the PDF"},
            "pdfObjectId": 91,
        },
    ),
]

LAYERS = st.sampled_from(["", "alice", "bob", "fork1"])
Snapshot = dict[str, dict[str, Any]]


class LayerModel(RuleBasedStateMachine):
    """A reference model (plain dicts and snapshot stacks) run beside the real engine."""

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp())
        self.engine = LayerEngine(self.dir)
        base = base_records(6) + BASE_THREAD
        self.doc = self.engine.add_document(PDF_BYTES, records=base, page_count=3).id
        self.base: Snapshot = {r.id: r.content for r in base}
        self.layers: dict[str, Snapshot] = {"": dict(self.base)}
        self.undo: dict[str, list[Snapshot]] = {"": []}
        self.redo: dict[str, list[Snapshot]] = {"": []}
        self.trash: list[tuple[str, Snapshot, list[Snapshot], list[Snapshot]]] = []

    def teardown(self) -> None:
        self.engine.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _shown(self, layer: str) -> Snapshot:
        return self.layers.get(layer, self.base)

    def _commit(self, layer: str, after: Snapshot) -> None:
        self.undo.setdefault(layer, []).append(dict(self._shown(layer)))
        self.redo[layer] = []
        self.layers[layer] = after

    @rule(layer=LAYERS, page=st.integers(0, 2), text=st.text(max_size=8))
    def create(self, layer: str, page: int, text: str) -> None:
        change = self.engine.create_records(self.doc, layer, "annotation", [note(page, 1, text)])
        (rec,) = change.upserted
        self._commit(layer, {**self._shown(layer), rec.id: rec.content})

    @rule(layer=LAYERS, kind=st.sampled_from([highlight, marker]))
    def add_root(self, layer: str, kind: Any) -> None:
        change = self.engine.create_records(self.doc, layer, "annotation", [kind()])
        (rec,) = change.upserted
        self._commit(layer, {**self._shown(layer), rec.id: rec.content})

    @rule(layer=LAYERS, pick=st.integers(0, 1000), text=st.text(max_size=8))
    def reply(self, layer: str, pick: int, text: str) -> None:
        shown = self._shown(layer)
        roots = sorted(k for k, v in shown.items() if v["type"] in ROOT_TYPES)
        if not roots:
            return
        root = roots[pick % len(roots)]
        change = self.engine.add_comments(self.doc, layer, root, [{"text": text}])
        (rec,) = change.upserted
        self._commit(layer, {**shown, rec.id: rec.content})

    @rule(layer=LAYERS, pick=st.integers(0, 1000), state=st.sampled_from(["resolved", "open"]))
    def set_state(self, layer: str, pick: int, state: str) -> None:
        shown = self._shown(layer)
        roots = sorted(k for k, v in shown.items() if v["type"] in ROOT_TYPES)
        if not roots:
            return
        root = roots[pick % len(roots)]
        change = self.engine.set_thread_state(self.doc, layer, root, state, by="me")
        self._commit(layer, {**shown, root: change.upserted[0].content})

    @rule(layer=LAYERS, pick=st.integers(0, 1000), opacity=st.floats(0, 1))
    def update(self, layer: str, pick: int, opacity: float) -> None:
        shown = self._shown(layer)
        if not shown:
            return
        rid = sorted(shown)[pick % len(shown)]
        if shown[rid]["type"] == COMMENT_TYPE:
            return
        change = self.engine.update_records(
            self.doc, layer, "annotation", [{**shown[rid], "id": rid, "opacity": opacity}]
        )
        self._commit(layer, {**shown, rid: change.upserted[0].content})

    @rule(layer=LAYERS, pick=st.integers(0, 1000))
    def delete(self, layer: str, pick: int) -> None:
        shown = self._shown(layer)
        if not shown:
            return
        rid = sorted(shown)[pick % len(shown)]
        kind = "comment" if shown[rid]["type"] == COMMENT_TYPE else "annotation"
        self.engine.delete_records(self.doc, layer, [(kind, rid)])
        self._commit(layer, _cascaded(shown, rid))

    @rule(source=LAYERS, name=st.sampled_from(["fork1", "fork2"]))
    def fork(self, source: str, name: str) -> None:
        if name in self.layers:
            return
        if source in self.layers:
            self.engine.fork_layer(self.doc, source, name)
        else:
            self.engine.create_layer(self.doc, name, source=source)
        self.layers[name] = dict(self._shown(source))
        self.undo[name], self.redo[name] = [], []

    @precondition(lambda self: len(self.layers) > 1)
    @rule(pick=st.integers(0, 100))
    def delete_layer(self, pick: int) -> None:
        names = sorted(n for n in self.layers if n)
        name = names[pick % len(names)]
        self.engine.delete_layer(self.doc, name)
        self.trash.append(
            (name, self.layers.pop(name), self.undo.pop(name, []), self.redo.pop(name, []))
        )
        del self.trash[:-TRASH_LIMIT]

    @precondition(lambda self: bool(self.trash))
    @rule()
    def restore_layer(self) -> None:
        name, shown, undo, redo = self.trash[-1]
        if name in self.layers:  # written to (so created) again since
            try:
                self.engine.restore_layer(self.doc)
            except Conflict:
                return
            raise AssertionError("expected Conflict")
        assert self.engine.restore_layer(self.doc).name == name
        self.trash.pop()
        self.layers[name], self.undo[name], self.redo[name] = shown, undo, redo

    @rule(layer=LAYERS)
    def undo_step(self, layer: str) -> None:
        change = self.engine.undo(self.doc, layer)
        stack = self.undo.get(layer, [])
        assert (change is None) == (not stack)
        if stack:
            self.redo[layer].append(self.layers[layer])
            self.layers[layer] = stack.pop()

    @rule(layer=LAYERS)
    def redo_step(self, layer: str) -> None:
        change = self.engine.redo(self.doc, layer)
        stack = self.redo.get(layer, [])
        assert (change is None) == (not stack)
        if stack:
            self.undo[layer].append(self.layers[layer])
            self.layers[layer] = stack.pop()

    @invariant()
    def layers_read_as_the_model(self) -> None:
        assert sorted(self.engine.layer_names(self.doc)) == sorted(self.layers)
        for name in [*self.layers, "never-written", BASE]:
            records = self.engine.records(self.doc, name)
            got = {r.id: r.content for r in records if r.kind in ("annotation", "comment")}
            assert got == self._shown(name), name

    @invariant()
    def every_comment_has_its_root(self) -> None:
        for name in self.layers:
            shown = self._shown(name)
            for content in shown.values():
                if content["type"] == COMMENT_TYPE:
                    assert shown[content["rootId"]]["type"] in ROOT_TYPES
            counted = sum(len(t.comments) for t in self.engine.threads(self.doc, name))
            assert counted == sum(v["type"] == COMMENT_TYPE for v in shown.values())

    @invariant()
    def diff_agrees_with_the_model(self) -> None:
        a, b = self._shown("alice"), self._shown("bob")
        diff = self.engine.diff(self.doc, "alice", "bob")
        assert {r.id for r in diff.only_a} == a.keys() - b.keys()
        assert {r.id for r in diff.only_b} == b.keys() - a.keys()
        assert {x.id for x, _ in diff.changed} == {k for k in a.keys() & b.keys() if a[k] != b[k]}

    @invariant()
    def missing_record_is_not_found(self) -> None:
        try:
            self.engine.record(self.doc, "alice", "annotation", "no-such-id")
        except NotFound:
            return
        raise AssertionError("expected NotFound")


def _cascaded(shown: Snapshot, rid: str) -> Snapshot:
    """``shown`` less ``rid``, by Document Engine's rules: a root takes its comments along,
    and a comment marker goes with its last comment."""
    gone = shown[rid]
    after = {k: v for k, v in shown.items() if k != rid and v.get("rootId") != rid}
    root = gone.get("rootId") if gone["type"] == COMMENT_TYPE else None
    emptied = not any(v.get("rootId") == root for v in after.values())
    if root in after and after[root]["type"] == MARKER_TYPE and emptied:
        del after[root]
    return after


LayerModel.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLayerModel = LayerModel.TestCase
