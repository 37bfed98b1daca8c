"""The PDF worker process of :mod:`reviewer_app.pdf.sandbox`: runs one job at a time under
limits, and answers each with an :class:`Outcome` over its connection."""

from __future__ import annotations

import resource
import signal
import traceback
from dataclasses import dataclass
from typing import Any

from reviewer_app.pdf.errors import PdfError

GIB = 1 << 30


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
        return Outcome("ok", job(source, *args, **kwargs))
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
