"""How every benchmark reports: samples with median, min and max; cold and warm apart; ratios
against a floor measured in the same run; goals beside the figures.

A bench builds a ``Report``, measures into it and ends with ``report.save()``, which prints its
table and writes ``bench/results/<name>.json``; ``bench/summary.py`` (the last step of ``make
bench``) reads every results file and prints one table of figure, goal, value, met or not.

A figure that could be met by definition (a cache hit timed as a "first" display, a page
already drawn counted as 0) is not a figure: a cold sample starts with the caches emptied by
its ``setup``, a warm one repeats the same work with them full, and both are printed.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("results")
RUNS = 5  # the fewest runs behind a median


@dataclass
class Sample:
    """Several measurements of one figure."""

    name: str
    values: list[float]
    unit: str = "ms"
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def as_json(self) -> dict[str, Any]:
        return {
            "median": round(self.median, 3),
            "min": round(min(self.values), 3),
            "max": round(max(self.values), 3),
            "runs": len(self.values),
            "unit": self.unit,
            **({"note": self.note} if self.note else {}),
        }


@dataclass
class Goal:
    """A figure's goal: its median (or ratio) at most ``limit``."""

    figure: str
    limit: float
    unit: str
    text: str = ""

    def met(self, value: float) -> bool:
        return value <= self.limit


@dataclass
class Report:
    name: str
    samples: dict[str, Sample] = field(default_factory=dict)
    ratios: dict[str, dict[str, Any]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    goals: list[Goal] = field(default_factory=list)

    def add(self, name: str, values: Sequence[float], unit: str = "ms", note: str = "") -> Sample:
        if not values:
            raise ValueError(f"{name}: no measurement")
        sample = Sample(name, [float(v) for v in values], unit, note)
        self.samples[name] = sample
        return sample

    def time(
        self,
        name: str,
        work: Callable[[], Any],
        runs: int = RUNS,
        setup: Callable[[], Any] | None = None,
        note: str = "",
    ) -> Sample:
        """Time ``work`` ``runs`` times in milliseconds; ``setup`` runs untimed before each."""
        values = []
        for _ in range(runs):
            if setup is not None:
                setup()
            start = time.perf_counter()
            work()
            values.append((time.perf_counter() - start) * 1000)
        return self.add(name, values, "ms", note)

    def cold_warm(
        self,
        name: str,
        work: Callable[[], Any],
        forget: Callable[[], Any],
        runs: int = RUNS,
    ) -> tuple[Sample, Sample]:
        """``name.cold``: each run after ``forget()`` emptied the caches; ``name.warm``: the
        same work again right after, with them full."""
        cold, warm = [], []
        for _ in range(runs):
            forget()
            start = time.perf_counter()
            work()
            cold.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            work()
            warm.append((time.perf_counter() - start) * 1000)
        return self.add(f"{name}.cold", cold), self.add(f"{name}.warm", warm)

    def ratio(self, name: str, figure: str, floor: str, what: str) -> float:
        """The ratio of two medians measured in this run: ``figure`` over ``floor``, which
        does the same work (``what`` says how)."""
        value = self.samples[figure].median / self.samples[floor].median
        self.ratios[name] = {"figure": figure, "floor": floor, "ratio": round(value, 3)}
        self.ratios[name]["floor_does"] = what
        return value

    def goal(self, figure: str, limit: float, text: str = "") -> None:
        """A goal for a sample's median or a ratio (a name of either)."""
        unit = "x" if figure in self.ratios else self.samples[figure].unit
        self.goals.append(Goal(figure, limit, unit, text))

    def value(self, figure: str) -> float:
        if figure in self.ratios:
            return float(self.ratios[figure]["ratio"])
        return self.samples[figure].median

    def as_json(self) -> dict[str, Any]:
        return {
            "bench": self.name,
            "figures": {name: s.as_json() for name, s in self.samples.items()},
            "ratios": self.ratios,
            "facts": self.facts,
            "goals": [
                {
                    "figure": g.figure,
                    "goal": f"<= {g.limit:g} {g.unit}",
                    "limit": g.limit,
                    "unit": g.unit,
                    "value": round(self.value(g.figure), 3),
                    "met": g.met(self.value(g.figure)),
                    "text": g.text,
                }
                for g in self.goals
            ],
        }

    def table(self) -> str:
        width = max([len(n) for n in (*self.samples, *self.ratios)] + [10])
        lines = [f"{self.name}: median (min .. max) over runs"]
        for name, s in self.samples.items():
            lines.append(
                f"  {name.ljust(width)}  {s.median:10.2f} {s.unit:<3} "
                f"({min(s.values):.2f} .. {max(s.values):.2f}, {len(s.values)} runs)"
                + (f"  {s.note}" if s.note else "")
            )
        for name, r in self.ratios.items():
            lines.append(f"  {name.ljust(width)}  {r['ratio']:10.2f} x    vs {r['floor_does']}")
        for key, fact in self.facts.items():
            lines.append(f"  {key.ljust(width)}  {fact}")
        return "\n".join(lines)

    def save(self) -> Path:
        print(self.table(), flush=True)
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{self.name}.json"
        path.write_text(json.dumps(self.as_json(), indent=2) + "\n")
        return path
