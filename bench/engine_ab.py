"""bench/engine.py's figures for this tree and another git revision, paired in one process.

On a shared machine two runs of bench/engine.py minutes apart differ by 2x in either direction,
so a 10 % budget cannot be judged from them. Here the other revision's ``reviewer_app`` is
imported beside this one (extracted with ``git archive`` and renamed ``reviewer_app_other``),
both engines get the same data, and every sample runs the same operation on one engine and then
the other, alternating which goes first: each pair shares the machine's load of its moment.
Prints, per figure, both medians (over ``--runs`` pairs, cold reads with the caches emptied)
and the median of the paired ratios (this tree / the other). Usage::

    python bench/engine_ab.py main --runs 9
"""

from __future__ import annotations

import argparse
import importlib
import io
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine import BASE_ANNOTATIONS, PAGES, make_pdf, new_note  # bench/, on the path as a script

from reviewer_app.engine import LayerEngine
from reviewer_app.pdf import extract_base_layer

ROOT = Path(__file__).resolve().parents[1]


def other_package(revision: str, into: Path) -> Any:
    """``reviewer_app`` of ``revision``, importable as ``reviewer_app_other``; its engine
    package."""
    data = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "reviewer_app"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(into, filter="data")
    (into / "reviewer_app").rename(into / "reviewer_app_other")
    for path in (into / "reviewer_app_other").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\breviewer_app\b", "reviewer_app_other", text), encoding="utf-8")
    sys.path.insert(0, str(into))
    return importlib.import_module("reviewer_app_other.engine")


def forget(engine: Any, doc: str) -> None:
    engine.base_layers.forget(doc)
    engine.layer_reads.forget(doc)


def paired(
    runs: int, ours: Callable[[int], Any], theirs: Callable[[int], Any], setup: Callable[[], None]
) -> tuple[list[float], list[float]]:
    """ms of ``ours(i)`` and ``theirs(i)``, alternating which goes first."""
    a: list[float] = []
    b: list[float] = []
    for i in range(runs):
        order = [(ours, a), (theirs, b)] if i % 2 == 0 else [(theirs, b), (ours, a)]
        for work, out in order:
            setup()
            t0 = time.perf_counter()
            work(i)
            out.append((time.perf_counter() - t0) * 1000)
    return a, b


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="the git revision to compare with, e.g. main")
    parser.add_argument("--runs", type=int, default=9, help="pairs per figure (default 9)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        other = other_package(args.revision, work / "other")
        pdf = make_pdf(BASE_ANNOTATIONS, PAGES)
        extraction = extract_base_layer(pdf)
        engines = {"ours": LayerEngine(work / "ours"), "theirs": other.LayerEngine(work / "theirs")}
        docs = {
            side: e.add_document(
                pdf, records=extraction.records, page_count=extraction.page_count
            ).id
            for side, e in engines.items()
        }
        base = engines["ours"].annotations(docs["ours"], "")
        changes = [{**r.content, "id": r.id, "opacity": 0.5} for r in base[:1000]]
        for side, e in engines.items():
            e.update_records(docs[side], "changed", "annotation", changes)
            e.create_layer(docs[side], "student")

        def op(name: str) -> Callable[[str], Callable[[int], Any]]:
            def on(side: str) -> Callable[[int], Any]:
                e, d = engines[side], docs[side]
                return {
                    "import_10000": lambda i: type(e)(work / f"{side}-import-{i}").add_document(
                        pdf, records=extraction.records, page_count=extraction.page_count
                    ),
                    "create_layer_x20": lambda i: [
                        e.create_layer(d, f"s {i} {n}") for n in range(20)
                    ],
                    "update_1000": lambda i: e.update_records(d, f"u {i}", "annotation", changes),
                    "fork_1000_changes": lambda i: e.fork_layer(d, "changed", f"fork {i}"),
                    "read_10000.cold": lambda i: e.annotations(d, "changed"),
                    "read_page.cold": lambda i: e.records(
                        d, "changed", "annotation", page_index=50
                    ),
                    "diff_1000_changes.cold": lambda i: e.diff(d, "changed", "student"),
                    "create_records_x20": lambda i: [
                        e.create_records(d, f"c {i}", "annotation", [new_note(n % PAGES, "x")])
                        for n in range(20)
                    ],
                    "changes_since_0": lambda i: e.changes_since(d, "changed", 0),
                }[name]

            return on

        print(f"engine figures: this tree vs {args.revision}, {args.runs} paired runs, ms")
        print(f"  {'figure':26} {'this tree':>10} {args.revision:>10} {'ratio':>8}")
        ratios = []
        for name in (
            "import_10000",
            "create_layer_x20",
            "update_1000",
            "fork_1000_changes",
            "read_10000.cold",
            "read_page.cold",
            "diff_1000_changes.cold",
            "create_records_x20",
            "changes_since_0",
        ):
            make = op(name)

            def setup() -> None:
                for side, e in engines.items():
                    forget(e, docs[side])

            a, b = paired(args.runs, make("ours"), make("theirs"), setup)
            ratio = statistics.median(x / y for x, y in zip(a, b, strict=True))
            ratios.append(ratio)
            print(
                f"  {name:26} {statistics.median(a):10.2f} {statistics.median(b):10.2f} "
                f"{ratio:8.3f}"
            )
        print(f"  median of the ratios: {statistics.median(ratios):.3f} (goal: at most 1.10)")
        for e in engines.values():
            e.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
