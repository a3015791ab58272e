"""Text that a spreadsheet never takes for a formula.

Every writer of ``.xlsx`` and ``.csv`` files (``data.export`` for the tables,
``data.report_forms`` for the report templates) passes its text through
``safe_text``: a unit called ``=HYPERLINK(...)`` would otherwise become a live
formula in Excel or LibreOffice when the file is opened (CSV or formula
injection).  Following OWASP, text beginning with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return gets a leading single quote; the ``.xlsx`` writers also
store such a cell explicitly as a string.  Numbers are not text and are left
alone: ``-5`` stays the number -5.
"""

from __future__ import annotations

from typing import Any, TypeAlias, cast

import pandas as pd

# One value of a frame's cell or of a database row, as the converters to
# spreadsheet, JSON or day numbers receive it: None, NaN, NaT, a number, text, a
# date or a timestamp.  pandas-stubs types a cell as the union of every scalar,
# which ``pd.isna``, ``int()``, ``float()`` and ``pd.Timestamp()`` do not each
# accept; those converters check the kind of the value themselves.
CellValue: TypeAlias = Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def safe_text(value: object) -> object:
    """``value`` with a leading single quote when it is text beginning with a
    formula character; anything else (numbers, dates, None, other text) as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict("records")``: one dict per row, keyed by the column names
    (text; pandas-stubs types the keys as any hashable)."""
    return cast("list[dict[str, Any]]", frame.to_dict("records"))
