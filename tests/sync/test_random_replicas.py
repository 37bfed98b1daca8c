"""A randomized test of three replicas of one layer against a real server: random edits, syncs,
disconnects and conflict resolutions; at the end every replica equals the server, and every edit
made is either present there or was shown to a user (a conflict, a notice, or seen and edited)."""

from __future__ import annotations

import json
import socket
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    rule,
    run_state_machine_as_test,
)

from reviewer_app.engine import LayerEngine
from reviewer_app.sync import OfflineError, Retry, SyncClient, SyncSession
from reviewer_app.sync.status import SyncReport
from tests.conftest import store_args
from tests.server.conftest import note
from tests.sync.conftest import LiveServer, _server, local_records

REPLICAS = 3
SETTLE_ROUNDS = 8
QUICK = Retry(attempts=2, backoff=0.01, max_delay=0.02)


def closed_port_url() -> str:
    """A URL where nothing listens (a port just released): every request is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def module_server(
    tmp_path_factory: pytest.TempPathFactory, store: str, request: pytest.FixtureRequest
) -> Iterator[LiveServer]:
    yield from _server(tmp_path_factory.mktemp("random-server"), *store_args(store, request))


@dataclass
class Machine:
    """One client: its engine, session, whether its network is down, what its user was shown."""

    engine: LayerEngine
    session: SyncSession
    online: bool = True


@dataclass
class Ledger:
    """Every edit made (``values``: text values written; ``deletes``: ids deleted) and what the
    users were shown: values seen in the layer when editing that record again, values and ids
    shown as conflicts, ids named in notices."""

    values: dict[str, str] = field(default_factory=dict)  # value -> record id
    deletes: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    conflict_values: set[str] = field(default_factory=set)
    conflict_ids: set[str] = field(default_factory=set)
    noticed: set[str] = field(default_factory=set)


def _text(content: dict[str, object]) -> str | None:
    text = content.get("text")
    value = text.get("value") if isinstance(text, dict) else None
    return value if isinstance(value, str) else None


def test_random_edits_syncs_and_disconnects_converge(
    module_server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    server = module_server
    doc = server.upload()
    root = tmp_path_factory.mktemp("random-replicas")

    class Replicas(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.layer = f"rnd-{uuid.uuid4().hex[:10]}"  # examples never share a layer
            token = server.token(doc, layer=self.layer, user_id="u")
            folder = Path(tempfile.mkdtemp(dir=root))
            self.machines: list[Machine] = []
            for index in range(REPLICAS):
                engine = LayerEngine(folder / f"r{index}")
                client = SyncClient(server.url, token, retry=QUICK, timeout=(2.0, 20.0))
                self.machines.append(Machine(engine, SyncSession.open(engine, client, doc)))
            self.ledger = Ledger()
            self.counter = 0

        # --- helpers ---------------------------------------------------------------------
        def _fresh(self) -> tuple[str, str]:
            self.counter += 1
            return f"r{self.counter}", f"{self.layer} edit {self.counter}"

        def _ours(self, machine: Machine) -> list[tuple[str, str | None]]:
            """(id, text) of the annotations this test made that the replica shows, sorted."""
            if not machine.engine.has_layer(doc, self.layer):
                return []
            return sorted(
                (r.id, _text(r.content))
                for r in machine.engine.annotations(doc, self.layer)
                if r.id.startswith("r") and r.id[1:].isdigit()
            )

        def _observe(self, machine: Machine, report: SyncReport | None = None) -> None:
            for conflict in machine.session.conflicts(self.layer):
                self.ledger.conflict_ids.add(conflict.key[1])
                for version in (conflict.mine, conflict.theirs):
                    value = None if version is None else _text(version.content)
                    if value is not None:
                        self.ledger.conflict_values.add(value)
            for notice in [] if report is None else report.notices:
                self.ledger.noticed |= {w.strip("'\":,") for w in notice.split()}

        def _sync(self, machine: Machine) -> SyncReport:
            report = machine.session.sync_all()
            self._observe(machine, report)
            return report

        # --- rules -----------------------------------------------------------------------
        @initialize(count=st.integers(1, 4))
        def shared(self, count: int) -> None:
            """A few records every replica holds, so edits on different replicas can collide."""
            for _ in range(count):
                self.create(0, 10 * self.counter)
            for machine in self.machines:
                self._sync(machine)

        @rule(r=st.integers(0, REPLICAS - 1), x=st.integers(0, 400))
        def create(self, r: int, x: int) -> None:
            rid, value = self._fresh()
            machine = self.machines[r]
            machine.engine.create_records(
                doc, self.layer, "annotation", [note(0, x, value, id=rid)]
            )
            self.ledger.values[value] = rid

        @rule(r=st.integers(0, REPLICAS - 1), pick=st.integers(0, 1000), x=st.integers(0, 400))
        def update(self, r: int, pick: int, x: int) -> None:
            machine = self.machines[r]
            ours = self._ours(machine)
            if not ours:
                return
            rid, shown = ours[pick % len(ours)]
            _, value = self._fresh()
            machine.engine.update_records(
                doc, self.layer, "annotation", [note(0, x, value, id=rid)]
            )
            if shown is not None:
                self.ledger.seen.add(shown)  # the user saw it and replaced it knowingly
            self.ledger.values[value] = rid

        @rule(r=st.integers(0, REPLICAS - 1), pick=st.integers(0, 1000))
        def delete(self, r: int, pick: int) -> None:
            machine = self.machines[r]
            ours = self._ours(machine)
            if not ours:
                return
            rid, shown = ours[pick % len(ours)]
            machine.engine.delete_records(doc, self.layer, [("annotation", rid)])
            if shown is not None:
                self.ledger.seen.add(shown)
            self.ledger.deletes.add(rid)

        @rule(r=st.integers(0, REPLICAS - 1))
        def sync(self, r: int) -> None:
            machine = self.machines[r]
            if machine.online:
                self._sync(machine)
                assert machine.session.status.state == "synced"
                return
            pending = machine.session.pending()
            with pytest.raises(OfflineError):
                machine.session.sync_all()
            assert machine.session.status.state == "offline"
            assert machine.session.status.pending == pending  # nothing lost while offline

        @rule(r=st.integers(0, REPLICAS - 1))
        def disconnect(self, r: int) -> None:
            machine = self.machines[r]
            machine.online = False
            machine.session.client.url = closed_port_url()

        @rule(r=st.integers(0, REPLICAS - 1))
        def reconnect(self, r: int) -> None:
            self._reconnect(self.machines[r])

        def _reconnect(self, machine: Machine) -> None:
            machine.online = True
            machine.session.client.url = server.url

        @rule(r=st.integers(0, REPLICAS - 1), choice=st.sampled_from(["mine", "theirs", "both"]))
        def resolve(self, r: int, choice: str) -> None:
            machine = self.machines[r]
            conflicts = machine.session.conflicts(self.layer)
            if not conflicts:
                return
            conflict = conflicts[0]
            if choice == "both" and conflict.mine is None:
                choice = "mine"
            self._observe(machine)
            machine.session.resolve(conflict, choice)

        # --- the end: converge and check -------------------------------------------------
        def _settle(self) -> None:
            for machine in self.machines:
                self._reconnect(machine)
            for _ in range(SETTLE_ROUNDS):
                busy = False
                for machine in self.machines:
                    report = self._sync(machine)
                    for conflict in machine.session.conflicts(self.layer):
                        machine.session.resolve(conflict, "mine")
                        busy = True
                    busy = busy or bool(report.pulled or report.pushed or report.conflicts)
                    busy = busy or machine.session.pending() > 0
                if not busy:
                    return
            raise AssertionError(f"the replicas did not settle in {SETTLE_ROUNDS} rounds")

        def teardown(self) -> None:
            try:
                self._settle()
                self._check()
            finally:
                for machine in self.machines:
                    machine.session.client.close()
                    machine.engine.close()

        def _check(self) -> None:
            on_server = self.layer in server.layers(doc)
            expected = server.records(doc, self.layer) if on_server else set()
            for index, machine in enumerate(self.machines):
                has = machine.engine.has_layer(doc, self.layer)
                shown = local_records(machine.engine, doc, self.layer) if has else set()
                assert shown == expected, f"replica {index} differs from the server"
                assert machine.session.conflicts() == []
                assert machine.session.pending() == 0
            present_ids = {rid for rid, _ in expected}
            present = {_text(json.loads(content)) for _, content in expected}
            ledger = self.ledger
            shown_values = ledger.seen | ledger.conflict_values
            lost = [
                (value, rid)
                for value, rid in sorted(ledger.values.items())
                if value not in present and value not in shown_values
            ]
            assert not lost, f"edits neither present nor shown to a user: {lost}"
            lost_deletes = sorted(
                rid
                for rid in ledger.deletes
                if rid in present_ids
                and rid not in ledger.conflict_ids
                and rid not in ledger.noticed
            )
            assert not lost_deletes, f"deletions neither done nor shown: {lost_deletes}"

    run_state_machine_as_test(
        Replicas,
        settings=settings(
            max_examples=15,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
