"""The benchmarks' reporting (bench/figures.py, bench/summary.py): medians with min and max,
cold runs after the caches are emptied, ratios of medians, goals met or not, the summary."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from figures import Report
from summary import main as summary
from summary import rows


def test_a_sample_reports_median_min_max_and_runs() -> None:
    report = Report("t")
    sample = report.add("read", [5, 1, 9, 3, 7])
    assert sample.as_json() == {"median": 5, "min": 1, "max": 9, "runs": 5, "unit": "ms"}
    with pytest.raises(ValueError, match="no measurement"):
        report.add("empty", [])


def test_cold_runs_follow_forget_and_warm_runs_follow_a_cold_one() -> None:
    cache: dict[str, int] = {}
    order: list[str] = []

    def work() -> None:
        order.append("hit" if "x" in cache else "miss")
        cache["x"] = 1

    report = Report("t")
    cold, warm = report.cold_warm("read", work, cache.clear, runs=5)
    assert order == ["miss", "hit"] * 5
    assert len(cold.values) == len(warm.values) == 5
    assert set(report.samples) == {"read.cold", "read.warm"}


def test_ratios_and_goals_go_to_the_results_and_the_summary(tmp_path: Path) -> None:
    report = Report("t")
    report.add("viewer", [30, 40, 50])
    report.add("floor", [10, 20, 30])
    assert report.ratio("viewer_vs_floor", "viewer", "floor", "PyMuPDF alone") == 2.0
    report.goal("viewer_vs_floor", 1.25)
    report.goal("viewer", 50)
    data = report.as_json()
    assert [(g["figure"], g["met"], g["unit"]) for g in data["goals"]] == [
        ("viewer_vs_floor", False, "x"),
        ("viewer", True, "ms"),
    ]
    (tmp_path / "t.json").write_text(__import__("json").dumps(data))
    (tmp_path / "old.json").write_text('{"figure_without_goals": 1}')
    assert rows(tmp_path) == [
        ("t", "viewer_vs_floor", "<= 1.25 x", "2.00 x", "NOT MET"),
        ("t", "viewer", "<= 50 ms", "40.00 ms", "met"),
    ]
    assert summary(tmp_path) == 0
