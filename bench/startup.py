"""Start-up: from launching ``reviewer-app FILE.pdf`` to page 1 sharp on screen, against the
floor of a bare PySide6 window showing page 1 drawn by PyMuPDF at the same scale (both new
processes, runs alternated). Cold: a data folder the PDF was never imported into; warm: the
same folder again. Prints a table and writes ``bench/results/startup.json``; ``make bench``."""

from __future__ import annotations

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


def launch(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Milliseconds from starting the child to the clock it prints, and what it printed."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, check=True
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("sharp "))
    return (float(line.split()[1]) - started) * 1000, line


def main() -> int:
    report = Report("startup")
    pdf = str(sample_document())
    app, floor, cold = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        if env.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":  # a desktop-sized screen
            screen = Path(tmp) / "screen.json"  # (offscreen's default 800 x 800 squeezes the
            screen.write_text(SCREEN)  # window and its pages to 174 px)
            env["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
        env["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # the app's settings: a new user
        probe = [str(HERE / "startup_probe.py")]
        scale = 1.0
        for run in range(RUNS):
            data = ["--data-dir", str(Path(tmp) / f"data {run}")]
            ms, line = launch([*probe, pdf, *data], env)
            cold.append(ms)
            scale = float(line.split()[3])
            app.append(launch([*probe, pdf, *data], env)[0])
            floor.append(launch([str(HERE / "startup_floor.py"), pdf, str(scale)], env)[0])
    report.add("start_to_sharp.cold", cold, note="a PDF never imported into the data folder")
    report.add("start_to_sharp.warm", app, note="the same data folder again")
    report.add("start_to_sharp.floor", floor, note="bare PySide6 + PyMuPDF, same page and scale")
    report.ratio(
        "start_to_sharp.warm_vs_floor",
        "start_to_sharp.warm",
        "start_to_sharp.floor",
        "a bare PySide6 window showing page 1 drawn by PyMuPDF",
    )
    report.ratio(
        "start_to_sharp.cold_vs_floor",
        "start_to_sharp.cold",
        "start_to_sharp.floor",
        "a bare PySide6 window showing page 1 drawn by PyMuPDF",
    )
    report.facts["render_scale"] = scale
    report.goal("start_to_sharp.warm_vs_floor", 1.5, "start-up to first sharp page")
    report.goal("start_to_sharp.cold_vs_floor", 1.5, "start-up to first sharp page, first time")
    report.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
