"""Exporting every layer into a folder, one PDF each, on every core: PyMuPDF holds the GIL
while it writes, so layers are written in worker processes that each parse the source once."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer_app.instant.records import LayerExport
from reviewer_app.pdf import jobs
from reviewer_app.pdf.export import Skipped, export_layer_pdf
from reviewer_app.pdf.open import open_pdf
from reviewer_app.pdf.sandbox import Limits, PdfSandbox
from reviewer_app.pdf.write_files import layer_file_names, write_atomically

Progress = Callable[[int, int, str], None]

MIN_LAYERS = 4
"""Below this, starting worker processes costs more than it saves."""

_job: dict[str, Any] = {}


def worker_count(layers: int) -> int:
    """How many processes an export of ``layers`` layers should use (1: do it here).

    A daemonic process (e.g. the app's own export process) may not start children."""
    if layers < MIN_LAYERS or multiprocessing.current_process().daemon:
        return 1
    return max(1, min(os.cpu_count() or 1, 4, layers // 2))


def _start(source: bytes, options: PdfOptions) -> None:
    _job.update(source=source, options=options)


def _export(name: str, layer: LayerExport) -> tuple[bytes, list[Any]]:
    problems: list[Skipped] = []
    data = _job["options"].export(_job["source"], name, layer, problems)
    return data, problems


@dataclass(frozen=True)
class PdfOptions:
    """How every layer of a folder export is written (see :func:`export_layer_pdf`)."""

    flatten: bool = False
    summary: bool = False
    title: str = ""
    password: str | None = None
    score_boxes: Mapping[str, Sequence[str]] = field(default_factory=dict)  # by layer

    def export(self, source: bytes, name: str, layer: LayerExport, skipped: list[Skipped]) -> bytes:
        return export_layer_pdf(
            source,
            layer,
            flatten=self.flatten,
            summary=self.summary,
            title=self.title,
            layer_name=name,
            password=self.password,
            skipped=skipped,
            score_box=self.score_boxes.get(name, ()),
        )


def export_in_pool(
    source: bytes,
    layers: Mapping[str, LayerExport],
    *,
    workers: int,
    options: PdfOptions,
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
        initargs=(source, options),
    ) as pool:
        queued: deque[tuple[str, Future[tuple[bytes, list[Any]]]]] = deque()
        more = True
        while True:
            while more and len(queued) < 2 * workers:
                item = next(todo, None)
                if item is None or (cancelled is not None and cancelled()):
                    more = False
                    break
                queued.append((item[0], pool.submit(_export, *item)))
            if not queued:
                return
            name, future = queued.popleft()
            data, problems = future.result()
            if cancelled is not None and cancelled():
                pool.shutdown(wait=True, cancel_futures=True)
                return
            yield name, data, problems


def export_layers(
    source: bytes,
    layers: Mapping[str, LayerExport],
    out_dir: Path,
    *,
    flatten: bool = False,
    summary: bool = False,
    title: str = "",
    password: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    skipped: list[Skipped] | None = None,
    sandbox: PdfSandbox | None = None,
    limits: Limits | None = None,
    score_boxes: Mapping[str, Sequence[str]] | None = None,
) -> list[Path]:
    """Write one PDF per layer into ``out_dir`` (named after the layer, see layer_file_names);
    returns the files written, in order. ``flatten``, ``summary`` (a comments summary after
    the last page, headed by ``title`` and the layer's name) and ``password`` are
    :func:`export_layer_pdf`'s; ``score_boxes`` gives a layer's first-page score box.

    The source is checked (and decrypted) once; each layer then works on its own copy, in
    worker processes (one per core, up to 4) when there are enough layers.
    ``progress(done, total, layer)`` is called after each file; ``cancelled()`` is asked before
    each layer, and a cancelled export keeps the files already written (never a partial one).
    With ``sandbox``, each layer is written by one of its worker processes (under ``limits``),
    never here: a PDF that crashes one raises PdfRefused, and this process stays up.
    """
    if sandbox is None:
        open_pdf(source, password).close()  # fail early, once, on a bad source or password
    names = layer_file_names(layers)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    total = len(layers)
    options = PdfOptions(flatten, summary, title, password, dict(score_boxes or {}))
    made = (
        _exports(source, layers, options, cancelled)
        if sandbox is None
        else _sandboxed(source, layers, options, cancelled, sandbox, limits)
    )
    for name, data, problems in made:
        path = out_dir / names[name]
        write_atomically(path, data)
        written.append(path)
        if skipped is not None:
            skipped.extend(Skipped(p.record_id, p.kind, p.reason, name) for p in problems)
        if progress is not None:
            progress(len(written), total, name)
    return written


def _exports(
    source: bytes,
    layers: Mapping[str, LayerExport],
    options: PdfOptions,
    cancelled: Callable[[], bool] | None,
) -> Iterator[tuple[str, bytes, list[Skipped]]]:
    """Each layer's PDF as it is made: in worker processes when there are enough layers."""
    workers = worker_count(len(layers))
    if workers > 1:
        yield from export_in_pool(
            source,
            layers,
            workers=workers,
            options=options,
            cancelled=cancelled,
        )
        return
    for name, layer in layers.items():
        if cancelled is not None and cancelled():
            return
        problems: list[Skipped] = []
        yield name, options.export(source, name, layer, problems), problems


def _sandboxed(
    source: bytes,
    layers: Mapping[str, LayerExport],
    options: PdfOptions,
    cancelled: Callable[[], bool] | None,
    sandbox: PdfSandbox,
    limits: Limits | None,
) -> Iterator[tuple[str, bytes, list[Skipped]]]:
    """Each layer's PDF as it is made by the sandbox's workers (all of them at once)."""
    workers = max(1, sandbox.capacity)

    def export(name: str, layer: LayerExport) -> tuple[bytes, list[Skipped]]:
        return sandbox.run(
            jobs.export_layer,
            source,
            layer,
            limits=limits,
            flatten=options.flatten,
            summary=options.summary,
            title=options.title,
            layer_name=name,
            password=options.password,
            score_box=tuple(options.score_boxes.get(name, ())),
        )

    todo = iter(layers.items())
    with ThreadPoolExecutor(max_workers=workers) as threads:
        queued: deque[tuple[str, Future[tuple[bytes, list[Skipped]]]]] = deque()
        try:
            while True:
                while len(queued) < 2 * workers and not (cancelled is not None and cancelled()):
                    item = next(todo, None)
                    if item is None:
                        break
                    queued.append((item[0], threads.submit(export, *item)))
                if not queued:
                    return
                name, future = queued.popleft()
                data, problems = future.result()
                yield name, data, problems
        finally:
            threads.shutdown(wait=True, cancel_futures=True)
