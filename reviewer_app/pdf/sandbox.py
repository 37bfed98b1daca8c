"""PyMuPDF on bytes someone else chose, in worker processes that may die instead of us.

A crafted PDF can make MuPDF overflow its stack, loop, or eat all memory. The server, the
command line and the app's UI therefore never hand user-supplied PDF bytes to PyMuPDF
themselves: they ask a :class:`PdfSandbox`, a pool of worker processes, to run a job on them::

    sandbox = PdfSandbox(workers=2)
    extraction = sandbox.run(extract_base_layer, data, password, "upload.pdf")

The job gets the PDF as it was given (bytes, or a Path for it to open). Each job runs under a
processor-time limit and an address-space limit (``resource.setrlimit``
RLIMIT_CPU and RLIMIT_AS, set in the worker before the job) and a wall-clock deadline (the caller
stops waiting and kills the worker). A worker that crashes or overruns is replaced, and the
caller gets :class:`PdfRefused` ("this PDF could not be processed: ..."); a PDF that *crashed*
a worker is remembered by its SHA-256 (in memory, and in ``remembered`` when given) and refused
at once the next time, by every job — and by every process sharing ``remembered`` (a server's
workers), which reads it again when it changed. When every worker is busy for ``wait_seconds`` the
caller gets :class:`PdfWorkersBusy`. The jobs' own errors (BrokenPdf, PasswordRequired, ...)
reach the caller unchanged. Jobs are module-level functions taking the PDF first. When the
caller's work has a stop signal (see pdf/stopping.py: the server sets it when the client goes
away) and it is set, the worker is killed and the caller gets :class:`Stopped`.
"""

from __future__ import annotations

import atexit
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from reviewer_app.pdf.errors import PdfRefused, PdfWorkersBusy
from reviewer_app.pdf.sandbox_worker import InPieces, Limits, Outcome, serve
from reviewer_app.pdf.stopping import Stopped, current_signal

__all__ = [
    "REMEMBERED_FILE",
    "Limits",
    "PdfRefused",
    "PdfSandbox",
    "PdfWorkersBusy",
    "Source",
    "shared_sandbox",
    "why_it_stopped",
]

T = TypeVar("T")
Source = bytes | Path
"""The PDF a job works on: its bytes, or the path of a file holding them (opened by the job)."""
STOP_CHECK_SECONDS = 0.1  # how often a job's stop signal is looked at while it runs
REMEMBERED_FILE = "refused-pdfs.txt"
"""Where a program keeps, in its data folder, the PDFs that crashed its workers."""

CANNOT = "this PDF could not be processed"
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
"""A worker ended by one of these was stopped from outside: its PDF is not remembered."""
CRASH_SIGNALS = {
    signal.SIGSEGV: "it crashed the PDF reader (a segmentation fault)",
    signal.SIGBUS: "it crashed the PDF reader (a bus error)",
    signal.SIGABRT: "it crashed the PDF reader (it aborted)",
    signal.SIGILL: "it crashed the PDF reader (an illegal instruction)",
    signal.SIGFPE: "it crashed the PDF reader (an arithmetic fault)",
}


@dataclass
class _Worker:
    process: Any
    connection: Any

    def stop(self) -> None:
        """Kill the process (it may be stuck in MuPDF) and collect it."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(10)
        self.connection.close()


class PdfSandbox:
    """A pool of up to ``workers`` PDF worker processes, started when first needed and kept
    for the next job. Thread-safe: ``run`` may be called from many threads at once."""

    def __init__(
        self,
        workers: int = 2,
        limits: Limits | None = None,
        *,
        wait_seconds: float = 30.0,
        remembered: Path | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self.wait_seconds = wait_seconds
        self.remembered_file = remembered
        self.refused: dict[str, str] = _read_remembered(remembered)
        self._seen = _stamp(remembered)
        self._context: Any = None  # multiprocessing's, when the first worker starts
        self.capacity = workers
        self._free = threading.BoundedSemaphore(workers)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False

    def remember_in(self, path: Path) -> None:
        """Keep the PDFs that crash workers in ``path`` from now on, and refuse those it
        already lists (a data folder's :data:`REMEMBERED_FILE`)."""
        with self._lock:
            self.remembered_file = path
            self.refused.update(_read_remembered(path))
            self._seen = _stamp(path)

    def refuses_any(self) -> bool:
        """Whether any PDF is refused at once (remembered here, or by another process in
        ``remembered`` since we last looked): while none is, a PDF read elsewhere (the app's
        render worker reads its first PDF) need not be hashed to know it is not refused."""
        if not self.refused and _stamp(self.remembered_file) != self._seen:
            with self._lock:
                self._seen = _stamp(self.remembered_file)
                self.refused.update(_read_remembered(self.remembered_file))
        return bool(self.refused)

    def run(
        self,
        job: Callable[..., T],
        source: Source,
        *args: Any,
        sha256: str | None = None,
        limits: Limits | None = None,
        **kwargs: Any,
    ) -> T:
        """``job(source, *args, **kwargs)`` in a worker; its result or its exception.

        ``sha256`` (the source's, when known) spares hashing it again. ``limits`` replace the
        sandbox's for this job. Raises PdfRefused when the PDF was remembered, or when the job
        crashed its worker, overran a limit or ran out of memory; PdfWorkersBusy when no worker
        came free within ``wait_seconds``."""
        digest = sha256 or _sha256(source)
        reason = self.refused.get(digest) or self._remembered_elsewhere(digest)
        if reason is not None:
            raise PdfRefused(f"{CANNOT}: {reason} (refused at once: this PDF was seen before)")
        limits = limits or self.limits
        if not self._free.acquire(timeout=self.wait_seconds):
            raise PdfWorkersBusy("every PDF worker is busy with other PDFs; try again in a moment")
        try:
            worker = self._take()
            outcome = self._ask(worker, (job, source, args, kwargs, limits), limits)
            if outcome.healthy:
                self._give_back(worker)
            else:
                worker.stop()
        finally:
            self._free.release()
        result: T = self._result(outcome, digest)
        return result

    def _ask(self, worker: _Worker, request: tuple[Any, ...], limits: Limits) -> Outcome:
        """Send the job and wait for its answer, the worker's death, the deadline or the stop
        signal of the caller's work."""
        stop = current_signal()
        started = time.monotonic()
        try:
            worker.connection.send(request)
            while True:
                wait = None if stop is None else STOP_CHECK_SECONDS
                if limits.wall_seconds is not None:
                    left = max(0.0, started + limits.wall_seconds - time.monotonic())
                    wait = left if wait is None else min(wait, left)
                if worker.connection.poll(wait):
                    break
                if stop is not None and stop.is_set():
                    return Outcome("stopped", "nobody waits for the result any more")
                if limits.wall_seconds is not None and wait == 0.0:
                    return Outcome("overran", f"it took longer than {limits.wall_seconds:g} s")
            answer: Outcome = worker.connection.recv()
            return answer
        except (EOFError, OSError):  # the worker died (a crash, or a limit's signal)
            worker.process.join(10)
            return _death(worker.process.exitcode, limits)

    def _result(self, outcome: Outcome, digest: str) -> Any:
        if outcome.kind == "ok":
            value = outcome.value
            return value.whole() if isinstance(value, InPieces) else value
        if outcome.kind == "raised":
            if isinstance(outcome.value, PdfRefused):  # the job found the PDF hostile
                self._remember(digest, str(outcome.value).removeprefix(f"{CANNOT}: "))
            raise outcome.value
        if outcome.kind == "stopped":
            raise Stopped(f"stopped: {outcome.value}")
        if outcome.kind == "crashed":
            self._remember(digest, str(outcome.value))
        raise PdfRefused(f"{CANNOT}: {outcome.value}")

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise PdfWorkersBusy("the PDF workers have been stopped")
            while self._idle:
                worker = self._idle.pop()
                if worker.process.is_alive():
                    return worker
                worker.stop()
        if self._context is None:  # (imported then: the app's first page needs no worker)
            import multiprocessing

            self._context = multiprocessing.get_context("spawn")  # forking threads is unsafe
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=serve, args=(theirs,), name="pdf-worker", daemon=True
        )
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(worker)
                return
        worker.stop()

    def _remembered_elsewhere(self, digest: str) -> str | None:
        """Why another process sharing ``remembered`` (a server's other workers) refused
        this PDF, if it did since we last looked: the file is read again when it changed."""
        stamp = _stamp(self.remembered_file)
        if stamp == self._seen:
            return None
        with self._lock:
            self._seen = stamp
            self.refused.update(_read_remembered(self.remembered_file))
            return self.refused.get(digest)

    def _remember(self, digest: str, reason: str) -> None:
        with self._lock:
            self.refused[digest] = reason
            if self.remembered_file is not None:
                try:
                    with self.remembered_file.open("a", encoding="utf-8") as file:
                        file.write(f"{digest} {reason}\n")
                except OSError:
                    pass  # remembered until the program stops, then

    def start(self, count: int = 1) -> None:
        """Start ``count`` workers now, so the first jobs do not wait for them to start."""
        workers = [self._take() for _ in range(count)]
        for worker in workers:
            self._give_back(worker)

    def close(self) -> None:
        """Stop every idle worker; workers busy now are stopped when their job ends."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.connection.close()  # the worker leaves when its connection closes
            worker.process.join(5)
            worker.stop()


def _death(exitcode: int | None, limits: Limits) -> Outcome:
    """What a worker's exit code says: a crash (remembered), or a limit (not)."""
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        if number == signal.SIGXCPU:
            spent = f"{limits.cpu_seconds:g} s of processor time"
            return Outcome("overran", f"it needed more than {spent}")
        if number in CRASH_SIGNALS:
            return Outcome("crashed", CRASH_SIGNALS[signal.Signals(number)])
        if number == signal.SIGKILL:  # the kernel's out-of-memory killer, or someone else
            return Outcome("overran", "its worker was killed (out of memory?)")
        if number in STOP_SIGNALS:  # the program ending (multiprocessing ends busy workers
            return Outcome("overran", "its worker was stopped")  # so at exit), or a user
        return Outcome("crashed", f"it stopped the PDF reader (signal {number})")
    return Outcome("crashed", f"it stopped the PDF reader (exit code {exitcode})")


def why_it_stopped(exitcode: int | None, limits: Limits) -> str:
    """What to tell the user when a process working on a PDF under ``limits`` stopped with
    ``exitcode`` (for PDF processes of other kinds, e.g. the app's export process)."""
    return f"{CANNOT}: {_death(exitcode, limits).value}"


def _sha256(source: Source) -> str:
    import hashlib

    if isinstance(source, Path):
        digest = hashlib.sha256()
        with source.open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()
    return hashlib.sha256(source).hexdigest()


def _stamp(path: Path | None) -> tuple[int, int] | None:
    """When and how big ``path`` was last written (None: it is not there)."""
    try:
        info = path.stat() if path is not None else None
    except OSError:
        return None
    return None if info is None else (info.st_mtime_ns, info.st_size)


def _read_remembered(path: Path | None) -> dict[str, str]:
    """The PDFs remembered in ``path``: one ``sha256 reason`` a line."""
    if path is None:
        return {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    return {line[:64]: line[65:] for line in lines if len(line) > 65 and line[64] == " "}


_shared: PdfSandbox | None = None
_shared_lock = threading.Lock()


def shared_sandbox() -> PdfSandbox:
    """This program's sandbox (one worker), for the command line, the app and sync; stopped
    when the program ends. The server makes its own, sized by its configuration."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = PdfSandbox(workers=1)
            atexit.register(_shared.close)
        return _shared
