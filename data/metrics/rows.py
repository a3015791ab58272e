"""One unit's row from a listing: its own row, or the area's totals with their
shares computed by the same rules as every listed row (never a sum of shares)."""

from __future__ import annotations

from typing import Any, cast

import pandas as pd

from data.metrics.child_friendly import add_share
from data.metrics.report_timeliness import add_rates

SHARES = ("share", "on_time_share", "received_share")


def _plain(row: pd.Series) -> dict[str, Any]:
    """A row as a dict, a share without a denominator as None."""
    # the row's labels are the frame's column names: text
    values = cast("dict[str, Any]", row.to_dict())
    return {k: (None if k in SHARES and pd.isna(v) else v) for k, v in values.items()}


def own_row(frame: pd.DataFrame) -> dict[str, Any]:
    """The first (only) row of a listing computed for one unit."""
    return _plain(frame.iloc[0])


def totals(frame: pd.DataFrame) -> dict[str, Any]:
    """The listed units together: their counts summed, their shares recomputed
    from the sums (the recognised share, the on-time share, the reporting rate)."""
    counts = frame.drop(columns=["code", "name", *SHARES], errors="ignore")
    summed = pd.DataFrame([counts.sum(numeric_only=True)])
    if {"recognised", "communes"} <= set(summed):
        summed = add_share(summed)
    if {"on_time", "late", "expected"} <= set(summed):
        summed = add_rates(summed)
    return _plain(summed.iloc[0])
