"""Exporting many layers at once on every core: PyMuPDF holds the GIL while it writes, so
layers are written in worker processes that each parse the source PDF once."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from reviewer_app.instant.records import LayerExport

MIN_LAYERS = 4
"""Below this, starting worker processes costs more than it saves."""

_job: dict[str, Any] = {}


def worker_count(layers: int) -> int:
    """How many processes an export of ``layers`` layers should use (1: do it here).

    A daemonic process (e.g. the app's own export process) may not start children."""
    if layers < MIN_LAYERS or multiprocessing.current_process().daemon:
        return 1
    return max(1, min(os.cpu_count() or 1, 4, layers // 2))


def _start(source: bytes, flatten: bool, password: str | None) -> None:
    _job.update(source=source, flatten=flatten, password=password)


def _export(layer: LayerExport) -> tuple[bytes, list[Any]]:
    from reviewer_app.pdf.export import Skipped, export_layer_pdf

    problems: list[Skipped] = []
    data = export_layer_pdf(
        _job["source"], layer, flatten=_job["flatten"], password=_job["password"], skipped=problems
    )
    return data, problems


def export_in_pool(
    source: bytes,
    layers: Mapping[str, LayerExport],
    *,
    workers: int,
    flatten: bool,
    password: str | None,
    cancelled: Callable[[], bool] | None,
) -> Iterator[tuple[str, bytes, list[Any]]]:
    """Yield (layer name, PDF bytes, skipped records) for each layer, in the given order.

    At most two layers per worker are queued; once ``cancelled()`` says so, nothing more is
    yielded (layers being written are waited for and dropped)."""
    context = multiprocessing.get_context("spawn")
    todo = iter(layers.items())
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start,
        initargs=(source, flatten, password),
    ) as pool:
        queued: deque[tuple[str, Future[tuple[bytes, list[Any]]]]] = deque()
        more = True
        while True:
            while more and len(queued) < 2 * workers:
                item = next(todo, None)
                if item is None or (cancelled is not None and cancelled()):
                    more = False
                    break
                queued.append((item[0], pool.submit(_export, item[1])))
            if not queued:
                return
            name, future = queued.popleft()
            data, problems = future.result()
            if cancelled is not None and cancelled():
                pool.shutdown(wait=True, cancel_futures=True)
                return
            yield name, data, problems
