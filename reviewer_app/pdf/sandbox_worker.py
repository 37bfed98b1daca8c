"""The PDF worker process of :mod:`reviewer_app.pdf.sandbox`: runs one job at a time under
limits, and answers each with an :class:`Outcome` over its connection."""

from __future__ import annotations

import pickle
import resource
import signal
import traceback
from dataclasses import dataclass, is_dataclass, replace
from typing import Any

from reviewer_app import giving_way
from reviewer_app.collector import no_gc
from reviewer_app.pdf.errors import PdfError

GIB = 1 << 30
PIECE = 500
"""Records per pickle in a long answer (see :class:`InPieces`): each unpickled in 1-5 ms."""


@dataclass(frozen=True)
class Limits:
    """What one job may spend: processor seconds (RLIMIT_CPU), address space in bytes
    (RLIMIT_AS: the worker's Python and PyMuPDF included) and seconds on the clock (None: no
    deadline, for a command-line export the user can interrupt)."""

    cpu_seconds: float = 120.0
    memory_bytes: int = 4 * GIB
    wall_seconds: float | None = 180.0


@dataclass(frozen=True)
class Outcome:
    """A job's answer. ``kind``: "ok" (``value`` is the result), "raised" (``value`` is the
    job's own exception, e.g. BrokenPdf), "overran" or "crashed" (``value`` says why, in the
    user's words). ``healthy``: the worker may take another job."""

    kind: str
    value: Any = None

    @property
    def healthy(self) -> bool:
        return self.kind in ("ok", "raised")


@dataclass(frozen=True)
class InPieces:
    """A result whose ``records`` list travels as pickles of :data:`PIECE` records each: the
    caller's thread unpickles them one by one (:meth:`whole`), so the GIL can pass to its UI
    thread between two. Unpickled in one call, the 10,000 annotations of an extraction held
    the GIL for 30-90 ms, a stall of the window that waited for it."""

    value: Any  # the result, its ``records`` empty
    pickles: tuple[bytes, ...]

    @classmethod
    def of(cls, value: Any) -> Any:
        """``value`` itself, or in pieces when it is a dataclass of many ``records``."""
        records = getattr(value, "records", None)
        if not is_dataclass(value) or not isinstance(records, list) or len(records) <= PIECE:
            return value
        pieces = (records[at : at + PIECE] for at in range(0, len(records), PIECE))
        pickles = tuple(pickle.dumps(piece, pickle.HIGHEST_PROTOCOL) for piece in pieces)
        return cls(replace(value, records=[]), pickles)  # type: ignore[type-var]

    def whole(self) -> Any:
        records: list[Any] = []
        with no_gc():  # (thousands of containers that last: not walked meanwhile)
            for piece in self.pickles:
                giving_way.give_way()  # (a window's turn goes first)
                records += pickle.loads(piece)
        return replace(self.value, records=records)


def limit(limits: Limits) -> None:
    """Put this process under ``limits`` (soft limits: the next job may set others). The CPU
    limit counts from the time already spent, so that it bounds this job alone."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    _soft(resource.RLIMIT_CPU, int(spent + limits.cpu_seconds) + 1)
    _soft(resource.RLIMIT_AS, limits.memory_bytes)
    _soft(resource.RLIMIT_CORE, 0)  # a crash leaves no core file behind


def limit_memory(size: int) -> None:
    """Bound this long-lived process's address space (e.g. the viewer's render worker, whose
    processor time is not bounded: it serves a document for as long as it is open)."""
    _soft(resource.RLIMIT_AS, size)
    _soft(resource.RLIMIT_CORE, 0)


def _soft(which: int, value: int) -> None:
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, hard))


def run_job(request: tuple[Any, ...]) -> Outcome:
    """Run one request ``(job, source, args, kwargs, limits)`` under its limits."""
    job, source, args, kwargs, limits = request
    limit(limits)
    try:  # a Path is the job's to open (MuPDF reads the file: no copy of it in memory)
        return Outcome("ok", InPieces.of(job(source, *args, **kwargs)))
    except MemoryError:
        size = limits.memory_bytes // (1 << 20)
        return Outcome("overran", f"it needs more than {size:,} MB of memory")
    except (PdfError, OSError) as exc:
        return Outcome("raised", exc)
    except Exception as exc:  # a bug of ours, or MuPDF failing past what the job expects
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return Outcome("raised", PdfError(f"this PDF could not be processed: {detail}"))


def serve(connection: Any) -> None:
    """Answer requests until the connection closes (the sandbox closed it, or its process
    ended). After an out-of-memory job the worker leaves: MuPDF may be left half-way."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    from reviewer_app.pdf.open import quiet_mupdf

    quiet_mupdf()
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        outcome = run_job(request)
        try:
            connection.send(outcome)
        except (OSError, ValueError):  # the caller has gone
            return
        except Exception as exc:  # an answer that cannot be pickled: a bug of ours
            outcome = Outcome("raised", PdfError(f"the PDF worker cannot answer: {exc}"))
            connection.send(outcome)
        if not outcome.healthy:
            return
