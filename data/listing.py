"""Plain-text listings for the command line's reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def anomaly_lines(label: str, found: Sequence[Any], limit: int | None) -> list[str]:
    """ "<label>: n" and the first ``limit`` anomalies (code, name, detail), one a
    line, then how many more there are; nothing when ``found`` is empty."""
    if not found:
        return []
    lines = [f"{label}: {len(found)}"]
    lines += [f"  {a.code} {a.name}: {a.detail}" for a in found[:limit]]
    if limit is not None and len(found) > limit:
        lines.append(f"  … and {len(found) - limit} more")
    return lines
