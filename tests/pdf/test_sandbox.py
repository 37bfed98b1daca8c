"""The PDF sandbox: jobs run in worker processes under limits; a worker that crashes or
overruns is replaced, its caller gets a clear PdfRefused, and a crashing PDF is remembered."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer_app.pdf import BrokenPdf, PdfRefused, PdfWorkersBusy
from reviewer_app.pdf.sandbox import Limits, PdfSandbox
from reviewer_app.pdf.stopping import Stopped, stop_signal
from tests.pdf import sandbox_jobs

SMALL = Limits(cpu_seconds=1, memory_bytes=1 << 30, wall_seconds=60)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[PdfSandbox]:
    pool = PdfSandbox(workers=1, limits=SMALL, remembered=tmp_path / "refused.txt")
    yield pool
    pool.close()


def test_a_job_runs_in_another_process_and_its_errors_come_back_as_they_are(
    sandbox: PdfSandbox,
) -> None:
    assert sandbox.run(sandbox_jobs.size, b"12345", extra=2) == 7
    assert sandbox.run(sandbox_jobs.pid, b"") != os.getpid()
    with pytest.raises(BrokenPdf, match="3 bytes of nothing") as refused:
        sandbox.run(sandbox_jobs.refuse, b"abc")
    assert not isinstance(refused.value, PdfRefused)


def test_a_crash_is_refused_replaced_and_remembered(sandbox: PdfSandbox, tmp_path: Path) -> None:
    ran = tmp_path / "ran.txt"
    before = sandbox.run(sandbox_jobs.pid, b"")
    with pytest.raises(PdfRefused, match="could not be processed: it crashed the PDF reader"):
        sandbox.run(sandbox_jobs.crash, b"%PDF-hostile", str(ran))
    assert sandbox.run(sandbox_jobs.pid, b"") != before  # a new worker took the dead one's place
    with pytest.raises(PdfRefused, match="refused at once"):
        sandbox.run(sandbox_jobs.crash, b"%PDF-hostile", str(ran))
    assert ran.read_text() == "ran\n"  # the second time, no worker was asked
    assert sandbox.run(sandbox_jobs.size, b"%PDF-other") == 10  # other bytes are not refused
    again = PdfSandbox(workers=1, limits=SMALL, remembered=tmp_path / "refused.txt")
    try:  # remembered in the file, for the next start
        with pytest.raises(PdfRefused, match="segmentation fault"):
            again.run(sandbox_jobs.size, b"%PDF-hostile")
    finally:
        again.close()


def test_a_worker_stopped_from_outside_is_not_a_crash_the_pdf_is_not_remembered(
    sandbox: PdfSandbox, tmp_path: Path
) -> None:
    """A busy worker is sent SIGTERM when its program exits (or by a user): the PDF it was
    working on did nothing wrong, and is read as usual the next time."""
    with pytest.raises(PdfRefused, match="could not be processed: its worker was stopped"):
        sandbox.run(sandbox_jobs.terminated, b"%PDF-innocent")
    assert sandbox.refused == {}
    assert not (tmp_path / "refused.txt").exists()
    assert sandbox.run(sandbox_jobs.size, b"%PDF-innocent") == 13


def test_a_crash_in_one_process_is_refused_by_another_already_running(tmp_path: Path) -> None:
    """A server's workers share the remembered file: a PDF that crashed the reader under one
    worker is refused at once by the others, which started before it was remembered."""
    ran, shared = tmp_path / "ran.txt", tmp_path / "refused.txt"
    first = PdfSandbox(workers=1, limits=SMALL, remembered=shared)
    second = PdfSandbox(workers=1, limits=SMALL, remembered=shared)
    try:
        assert second.run(sandbox_jobs.size, b"%PDF-other") == 10  # started, file not there
        with pytest.raises(PdfRefused, match="crashed the PDF reader"):
            first.run(sandbox_jobs.crash, b"%PDF-hostile", str(ran))
        with pytest.raises(PdfRefused, match="refused at once"):
            second.run(sandbox_jobs.crash, b"%PDF-hostile", str(ran))
        assert ran.read_text() == "ran\n"  # the second process asked no worker
        assert second.run(sandbox_jobs.size, b"%PDF-other") == 10
    finally:
        first.close()
        second.close()


def test_processor_time_beyond_the_limit_stops_the_job_not_the_caller(
    sandbox: PdfSandbox,
) -> None:
    with pytest.raises(PdfRefused, match="more than 1 s of processor time"):
        sandbox.run(sandbox_jobs.spin, b"%PDF-loop")
    assert "%PDF-loop" not in str(sandbox.refused)  # an overrun is not remembered
    assert sandbox.run(sandbox_jobs.size, b"%PDF-loop") == 9


def test_memory_beyond_the_limit_is_refused(sandbox: PdfSandbox) -> None:
    with pytest.raises(PdfRefused, match="more than 1,024 MB of memory"):
        sandbox.run(sandbox_jobs.hog, b"%PDF-big")
    assert sandbox.run(sandbox_jobs.size, b"%PDF-big") == 8


def test_past_the_deadline_the_worker_is_killed_and_replaced(
    sandbox: PdfSandbox, tmp_path: Path
) -> None:
    before = sandbox.run(sandbox_jobs.pid, b"")
    never = Limits(cpu_seconds=600, memory_bytes=1 << 30, wall_seconds=0.5)
    with pytest.raises(PdfRefused, match=r"took longer than 0\.5 s"):
        sandbox.run(
            sandbox_jobs.wait_for, b"", str(tmp_path / "s"), str(tmp_path / "never"), limits=never
        )
    assert sandbox.run(sandbox_jobs.pid, b"") != before


def test_when_every_worker_is_busy_the_caller_hears_so(tmp_path: Path) -> None:
    pool = PdfSandbox(workers=1, limits=SMALL, wait_seconds=0.1)
    started, release = tmp_path / "started", tmp_path / "release"
    answers: list[str] = []
    first = threading.Thread(
        target=lambda: answers.append(
            pool.run(sandbox_jobs.wait_for, b"", str(started), str(release), limits=Limits())
        )
    )
    first.start()
    try:
        while not started.exists() and first.is_alive():
            os.sched_yield()
        with pytest.raises(PdfWorkersBusy, match="busy"):
            pool.run(sandbox_jobs.size, b"x")
    finally:
        release.touch()
        first.join()
        pool.close()
    assert answers == ["released"]


def test_a_job_whose_caller_stops_waiting_is_ended(sandbox: PdfSandbox, tmp_path: Path) -> None:
    started, never = tmp_path / "started", tmp_path / "never"
    gone = threading.Event()  # the server sets it when the client has gone away
    outcome: list[BaseException] = []

    def request() -> None:
        with stop_signal(gone):
            try:
                sandbox.run(sandbox_jobs.wait_for, b"", str(started), str(never))
            except Stopped as exc:
                outcome.append(exc)

    before = sandbox.run(sandbox_jobs.pid, b"")
    caller = threading.Thread(target=request)
    caller.start()
    while not started.exists() and caller.is_alive():
        os.sched_yield()
    gone.set()
    caller.join()
    assert len(outcome) == 1 and "nobody waits" in str(outcome[0])
    assert sandbox.run(sandbox_jobs.pid, b"") != before  # the stopped worker was replaced
    assert not sandbox.refused  # a stop says nothing about the PDF
