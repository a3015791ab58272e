"""Several theme computations whose main statements are asked as one.

Every theme computes its figures with one statement (``rollup.per_target``) and
then finishes them in Python.  A trend asks the same theme for several years:
the same statement with other dates.  ``batched`` runs each computation once
without touching the database to capture that statement (the computation stops
there), asks the captured statements of the same shape as one ``UNION ALL``
(each one a subquery with its own common table expressions, so the years'
figures come from exactly the SQL a single year runs), and then runs each
computation again, its statement answered from those rows.  Statements a
computation asks after its first one run as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import (
    CTE,
    Connection,
    Select,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.sql import visitors

from data.db import read_columns as db_read_columns
from data.db import read_df, read_rows

T = TypeVar("T")
PART = "batch_part"  # the column saying which captured statement a row answers


class _Captured(BaseException):
    """A computation reached its main statement (BaseException: no ``except
    Exception`` of the computation may swallow it)."""

    def __init__(self, stmt: Select[Any]) -> None:
        super().__init__("captured")
        self.stmt = stmt


@dataclass
class _Answer:
    frame: pd.DataFrame | None


_STATE: ContextVar[_Answer | None | bool] = ContextVar("batch_state", default=None)


def read(conn: Connection, stmt: Select[Any]) -> pd.DataFrame:
    """The rows of a theme's main statement: asked now, captured (inside
    ``batched``'s first pass) or already answered (its second)."""
    frame = _answered(stmt)
    return read_df(conn, stmt) if frame is None else frame


def read_columns(conn: Connection, stmt: Select[Any]) -> dict[str, list[Any]]:
    """``read`` as lists by column name (``data.db.read_columns``)."""
    frame = _answered(stmt)
    if frame is None:
        return db_read_columns(conn, stmt)
    return {name: frame[name].tolist() for name in frame.columns}


def _answered(stmt: Select[Any]) -> pd.DataFrame | None:
    """The rows ``batched`` found for ``stmt`` (None: ask the database);
    raises ``_Captured`` in ``batched``'s first pass."""
    state = _STATE.get()
    if state is True:
        raise _Captured(stmt)
    if isinstance(state, _Answer) and state.frame is not None:
        frame, state.frame = state.frame, None
        return frame
    return None


def batched(conn: Connection, calls: Sequence[Callable[[], T]]) -> list[T]:
    """The results of ``calls``, their main statements asked together: one
    statement per shape (the same theme) instead of one per call."""
    statements: list[Select[Any] | None] = []
    for call in calls:
        token = _STATE.set(True)
        try:
            call()
            statements.append(None)  # it asked nothing through ``read``
        except _Captured as found:
            statements.append(found.stmt)
        finally:
            _STATE.reset(token)
    answers = _ask(conn, statements)
    results = []
    for call, frame in zip(calls, answers, strict=True):
        token = _STATE.set(_Answer(frame))
        try:
            results.append(call())
        finally:
            _STATE.reset(token)
    return results


def _shape(stmt: Select[Any]) -> tuple[str, ...]:
    return tuple(stmt.selected_columns.keys())


def _ask(
    conn: Connection, statements: Sequence[Select[Any] | None]
) -> list[pd.DataFrame | None]:
    """Each captured statement's rows, as ``read_df`` would give them."""
    answers: list[pd.DataFrame | None] = [None] * len(statements)
    shapes: dict[tuple[str, ...], list[int]] = {}
    for index, stmt in enumerate(statements):
        if stmt is not None:
            shapes.setdefault(_shape(stmt), []).append(index)
    for columns, indices in shapes.items():
        if len(indices) == 1:
            stmt = statements[indices[0]]
            assert stmt is not None
            answers[indices[0]] = read_df(conn, stmt)
            continue
        parts = [_part(index, statements[index]) for index in indices]
        ordered = union_all(*parts).order_by(
            literal_column(PART), literal_column(columns[0])
        )
        rows: dict[int, list[tuple[Any, ...]]] = {index: [] for index in indices}
        for row in read_rows(conn, ordered):
            values = tuple(row)
            rows[values[0]].append(values[1:])
        for index in indices:
            answers[index] = pd.DataFrame(rows[index], columns=list(columns))
    return answers


def _part(index: int, stmt: Select[Any] | None) -> Select[Any]:
    """One captured statement as a part of the union: its common table
    expressions kept inside it (each part has its own ``targets``)."""
    assert stmt is not None
    ctes = [el for el in visitors.iterate(stmt) if isinstance(el, CTE)]
    own = stmt.order_by(None).add_cte(*dict.fromkeys(ctes), nest_here=True)
    inner = own.subquery(f"part_{index}")
    return select(literal(index).label(PART), *inner.c)
