"""The map's hover rows (``callbacks.themes._custom``) are what pandas gives
for the same columns (an object copy with every missing value as None), built
row by row without it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from callbacks.themes import _custom


def _by_pandas(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    part = frame[columns].astype(object)
    return part.where(part.notna(), None).values.tolist()


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "share": [12.5, np.nan, 0.0, 100.0],
            "count": pd.array([3, None, 0, 7], dtype="Int64"),
            "whole": np.array([1, 2, 3, 4], dtype="int64"),
            "text": ["≥ 4,2", None, "<5", ""],
            "flag": [True, False, True, False],
            "mixed": [1.5, None, "–", float("nan")],
            "when": pd.to_datetime(["2025-01-02", None, "2024-12-31", None]),
        },
        index=pd.Index(["64", "633", "634", "635"], name="code"),
    )


def test_hover_rows_are_pandas_rows() -> None:
    frame = _frame()
    for columns in (
        ["share", "count", "whole"],
        ["text", "flag", "mixed"],
        list(frame.columns),
        ["share"],
    ):
        got, expected = _custom(frame, columns), _by_pandas(frame, columns)
        assert got == expected, columns
        # the same Python types (JSON has no NumPy scalars, no NaN)
        assert [[type(v) for v in row] for row in got] == [
            [type(v) for v in row] for row in expected
        ], columns


def test_missing_values_are_none_and_no_columns_give_empty_rows() -> None:
    frame = _frame()
    assert _custom(frame, ["share", "count", "text", "mixed", "when"])[1] == [None] * 5
    assert _custom(frame, []) == [[], [], [], []]
    assert _custom(frame.iloc[0:0], ["share"]) == []
