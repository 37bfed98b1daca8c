"""Background work gives way to the UI thread's turns (reviewer_app.giving_way): it waits
while a turn lasts, never on the UI thread itself, and never past AT_MOST of one turn."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from reviewer_app import giving_way


@pytest.fixture(autouse=True)
def no_turn_left() -> Iterator[None]:
    yield
    giving_way.turn_ended()


def on_a_thread(work: object) -> threading.Event:
    """Run ``work`` on a new thread; the event is set once it returned."""
    done = threading.Event()

    def run() -> None:
        work()  # type: ignore[operator]
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done


def test_work_waits_while_a_turn_lasts_and_goes_on_when_it_ends(monkeypatch):
    monkeypatch.setattr(giving_way, "AT_MOST", 60.0)  # only the turn's end lets it go on
    giving_way.turn_began()
    passed = on_a_thread(giving_way.give_way)
    assert not passed.wait(0.05)
    giving_way.turn_ended()
    assert passed.wait(10)


def test_without_a_turn_work_goes_on():
    assert on_a_thread(giving_way.give_way).wait(10)


def test_the_thread_whose_turn_it_is_never_waits_for_itself(monkeypatch):
    monkeypatch.setattr(giving_way, "AT_MOST", 60.0)

    def ui_thread() -> None:
        giving_way.turn_began()
        giving_way.give_way()  # (an engine read made on the UI thread)

    assert on_a_thread(ui_thread).wait(10)
    assert giving_way.busy  # the turn still lasts: the thread did not wait for its end


def test_a_turn_past_at_most_is_not_waited_for(monkeypatch):
    monkeypatch.setattr(giving_way, "AT_MOST", 0.01)  # e.g. the UI waits for this work
    giving_way.turn_began()
    assert on_a_thread(giving_way.give_way).wait(10)
    assert giving_way.busy


class Freed:
    """Says on which thread it was freed."""

    def __init__(self) -> None:
        self.freed = threading.Event()
        self.on: list[int] = []

    def watch(self) -> object:
        on, freed = self.on, self.freed

        class Watched:
            def __del__(self) -> None:
                on.append(threading.get_ident())
                freed.set()

        return Watched()


def test_what_is_let_go_is_freed_on_another_thread_once_the_turn_is_over(monkeypatch):
    monkeypatch.setattr(giving_way, "AT_MOST", 60.0)
    giving_way.turn_began()  # (this thread is the UI thread)
    freed = Freed()
    giving_way.let_go([freed.watch()])  # the last reference: freed by let_go's thread
    assert not freed.freed.wait(0.05)  # not during the turn
    giving_way.turn_ended()
    assert freed.freed.wait(10)
    assert freed.on != [threading.get_ident()]


def test_without_a_window_what_is_let_go_is_freed_where_it_was(monkeypatch):
    monkeypatch.setattr(giving_way, "_ui_thread", None)  # no turn ever began
    freed = Freed()
    giving_way.let_go([freed.watch()])
    assert freed.freed.is_set() and freed.on == [threading.get_ident()]
