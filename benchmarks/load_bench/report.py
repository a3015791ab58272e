"""Locust's statistics of one run, per interaction, and the table printed."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

ORDER = ("sign-in", "first visit", "theme", "period", "drill", "detail", "ranking")


@dataclass(frozen=True)
class Row:
    name: str
    count: int
    failures: int
    p50: float
    p95: float
    p99: float


def interactions(prefix: Path) -> list[Row]:
    """The ``interaction`` rows of ``<prefix>_stats.csv``, in ``ORDER``."""
    path = Path(f"{prefix}_stats.csv")
    with path.open(encoding="utf-8") as f:
        found = {
            r["Name"]: Row(
                r["Name"],
                int(r["Request Count"]),
                int(r["Failure Count"]),
                float(r["50%"] or 0),
                float(r["95%"] or 0),
                float(r["99%"] or 0),
            )
            for r in csv.DictReader(f)
            if r["Type"] == "interaction"
        }
    return [found[name] for name in ORDER if name in found]


def failures(prefix: Path) -> list[str]:
    """Locust's failures file, one line per kind of error."""
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return [
            f"{r['Occurrences']}× {r['Name']}: {r['Error']}"[:200]
            for r in csv.DictReader(f)
        ]


def table(results: list[dict]) -> str:
    """One line per (users, cache, interaction): p50/p95/p99 in ms, errors."""
    lines = [
        "users  cache  interaction    requests  errors     p50     p95     p99   CPU",
    ]
    for run in results:
        for row in run["rows"]:
            lines.append(
                f"{run['users']:>5}  {run['cache']:<5}  {row['name']:<13}"
                f"{row['count']:>10}{row['failures']:>8}"
                f"{row['p50']:>8.0f}{row['p95']:>8.0f}{row['p99']:>8.0f}"
                f"  {run['cpu']:>3.0f} %"
            )
    return "\n".join(lines)
