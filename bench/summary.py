"""The last step of ``make bench``: one table of every goal in ``bench/results/*.json`` (figure,
goal, value, met or not), and how many were met. Exits 0 either way: the figures are for
people to read, not a test (no test asserts a time)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).with_name("results")


def rows(results: Path) -> list[tuple[str, str, str, str, str]]:
    table = []
    for path in sorted(results.glob("*.json")):
        data = json.loads(path.read_text())
        for goal in data.get("goals", []) if isinstance(data, dict) else []:
            unit = goal["unit"]
            table.append(
                (
                    path.stem,
                    goal["figure"],
                    goal["goal"],
                    f"{goal['value']:.2f} {unit}",
                    "met" if goal["met"] else "NOT MET",
                )
            )
    return table


def main(results: Path = RESULTS) -> int:
    table = rows(results)
    if not table:
        print(f"no goals found in {results}/*.json: run `make bench` first")
        return 0
    head = ("bench", "figure", "goal", "value", "")
    widths = [max(len(r[i]) for r in (*table, head)) for i in range(5)]
    print()
    print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    met = sum(r[4] == "met" for r in table)
    print(f"{met} of {len(table)} goals met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
