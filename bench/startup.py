"""Start-up: from launching ``reviewer-app FILE.pdf`` to page 1 sharp on screen, against the
floor of a bare PySide6 window showing page 1 drawn by PyMuPDF at the same scale (both new
processes, runs alternated). Cold: a data folder the PDF was never imported into; warm: the
same folder again. Prints a table and writes ``bench/results/startup.json``; ``make bench``.

Besides the clock, each run reports the processor time its processes spent until then (the
app's and its workers'; the floor's own): on a machine shared with other work the clock
mostly measures the others, the processor time what start-up costs.

``--before DIR`` adds a third arm, alternated with the others: the app from an older copy of
the code in DIR (``git archive COMMIT | tar -x -C DIR``), warm, for a before/after in one run."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import RUNS, Report  # bench/, on the path when run as a script

from reviewer_app.resources import sample_document

HERE = Path(__file__).resolve().parent
SCREEN = '{"screens": [{"name": "bench", "width": 1600, "height": 1000, "logicalDpi": 96}]}'
FLOOR = "a bare PySide6 window showing page 1 drawn by PyMuPDF"


def launch(args: list[str], env: dict[str, str], where: str) -> tuple[float, float, str]:
    """Milliseconds from starting the child (in folder ``where``: not the checkout, whose
    code ``python -m`` would find before PYTHONPATH's) to the clock it prints, the processor
    time it reports, and what it printed (with ``built CLOCK`` for a window built in stages,
    made milliseconds from the start too)."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=where,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("sharp "))
    words = line.split()
    if "built" in words:
        at = words.index("built") + 1
        words[at] = f"{(float(words[at]) - started) * 1000:.1f}"
    return (float(words[1]) - started) * 1000, float(words[words.index("cpu") + 1]), " ".join(words)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="an older copy of the code, for an A/B")
    before = parser.parse_args().before
    report = Report("startup")
    pdf = str(sample_document())
    clock: dict[str, list[float]] = {"cold": [], "warm": [], "floor": [], "before": []}
    cpu: dict[str, list[float]] = {name: [] for name in clock}
    whole: dict[str, list[float]] = {name: [] for name in clock}  # the rest built, ms
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        if env.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":  # a desktop-sized screen
            screen = Path(tmp) / "screen.json"  # (offscreen's default 800 x 800 squeezes the
            screen.write_text(SCREEN)  # window and its pages to 174 px)
            env["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # the app's settings: a new user
        old = env | {"PYTHONPATH": os.pathsep.join([str(before), env.get("PYTHONPATH", "")])}
        probe = [str(HERE / "startup_probe.py")]
        scale = 1.0

        def measure(arm: str, args: list[str], env: dict[str, str]) -> str:
            ms, spent, line = launch(args, env, tmp)
            clock[arm].append(ms)
            cpu[arm].append(spent)
            words = line.split()
            if "built" in words:
                whole[arm].append(float(words[words.index("built") + 1]))
            return line

        for run in range(RUNS):
            data = ["--data-dir", str(Path(tmp) / f"data {run}")]
            scale = float(measure("cold", [*probe, pdf, *data], env).split()[3])
            measure("warm", [*probe, pdf, *data], env)
            measure("floor", [str(HERE / "startup_floor.py"), pdf, str(scale)], env)
            if before is not None:
                measure("before", [*probe, pdf, "--data-dir", str(Path(tmp) / "old")], old)
    notes = {
        "cold": "a PDF never imported into the data folder",
        "warm": "the same data folder again",
        "floor": "bare PySide6 + PyMuPDF, same page and scale",
        "before": f"warm, the code in {before}",
    }
    for arm, note in notes.items():
        if clock[arm]:
            report.add(f"start_to_sharp.{arm}", clock[arm], note=note)
            report.add(f"start_to_sharp.{arm}_cpu", cpu[arm], note="processor time, workers too")
        if whole[arm]:
            report.add(f"start_to_whole_window.{arm}", whole[arm], note="menus, docks, tools built")
    for arm in ("warm", "cold", "before"):
        if clock[arm]:
            report.ratio(
                f"start_to_sharp.{arm}_vs_floor",
                f"start_to_sharp.{arm}",
                "start_to_sharp.floor",
                FLOOR,
            )
            report.ratio(
                f"start_to_sharp.{arm}_cpu_vs_floor",
                f"start_to_sharp.{arm}_cpu",
                "start_to_sharp.floor_cpu",
                f"{FLOOR}, processor time",
            )
    report.facts["render_scale"] = scale
    report.facts["load_average"] = round(os.getloadavg()[0], 1)
    report.goal("start_to_sharp.warm_vs_floor", 1.5, "start-up to first sharp page")
    report.goal("start_to_sharp.cold_vs_floor", 1.5, "start-up to first sharp page, first time")
    report.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
