"""Whole months of a period: the part the kept monthly summaries answer
(``data.metrics.summary``), and the days outside them, which the fact records
answer; and ``from_facts``, within which no kept sum is read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import ColumnElement, Date, cast, func

_FROM_FACTS: ContextVar[bool] = ContextVar("from_facts", default=False)


@contextmanager
def from_facts() -> Iterator[None]:
    """Within it every aggregate is summed from the fact records (cases, fund
    bookings, submissions) and none of the kept sums of ``data.metrics.summary``
    is read: the same figures, the way they were computed before those sums
    existed (the checks compare the two; the map benchmark's naive way)."""
    token = _FROM_FACTS.set(True)
    try:
        yield
    finally:
        _FROM_FACTS.reset(token)


def kept_sums() -> bool:
    """Whether the kept sums may be read (not within ``from_facts``)."""
    return not _FROM_FACTS.get()


def month_start(dialect: str, day: ColumnElement[dt.date]) -> ColumnElement[dt.date]:
    """SQL: the first day of the month of ``day``."""
    if dialect == "sqlite":
        return func.date(day, "start of month")
    return cast(func.date_trunc("month", day), Date)


def whole_months(
    start: dt.date, end: dt.date
) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """The months lying wholly in [start, end] (first days of the first and the
    last, None when there is none) and the spans of days outside them."""
    first = start if start.day == 1 else _next_month(start)
    after = _next_month(end)
    stop = after if end == after - dt.timedelta(days=1) else end.replace(day=1)
    if first >= stop:
        return None, [(start, end)] if start <= end else []
    rest = [(start, first - dt.timedelta(days=1))] if start < first else []
    if stop <= end:
        rest.append((stop, end))
    last = (stop - dt.timedelta(days=1)).replace(day=1)
    return (first, last), rest


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
