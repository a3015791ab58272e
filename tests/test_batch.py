"""Several years of a unit's trend asked as one statement per theme
(``data.metrics.batch``) give exactly the figures of the years asked one by one:
every tree, level and role, on both backends."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select

from data import metrics
from data.db import read_scalar
from data.metrics import detail
from data.models import AdminUnit
from tests.test_disclosure_regressions import TODAY
from tests.test_scope import scope_of

YEARS = range(2023, 2027)  # across the reform: both trees' figures


def _one_by_one(_conn, calls):
    return [call() for call in calls]


def _new_commune(db) -> str:
    u, parent = AdminUnit.__table__, AdminUnit.__table__.alias("parent")
    return read_scalar(
        db,
        select(u.c.code)
        .join(parent, parent.c.id == u.c.parent_id)
        .where(u.c.tree == "2025", parent.c.code == "52", u.c.level == "commune")
        .order_by(u.c.code)
        .limit(1),
    )


@pytest.mark.parametrize("role", ["admin", "district", "viewer"])
def test_a_batched_trend_equals_its_years_one_by_one(db, role, monkeypatch) -> None:
    scope = scope_of(db, role)
    units = [
        ("legacy", "64"),
        ("legacy", "633"),
        ("legacy", "23941"),
        ("2025", "52"),
        ("2025", _new_commune(db)),
    ]
    compared = 0
    for tree, code in units:
        args = {"tree": tree, "code": code, "years": YEARS, "today": TODAY}
        try:
            batched = metrics.unit_trend(db, **args, scope=scope)
        except PermissionError:  # a commune outside the role's area: refused alike
            with monkeypatch.context() as patch, pytest.raises(PermissionError):
                patch.setattr(detail, "batched", _one_by_one)
                metrics.unit_trend(db, **args, scope=scope)
            continue
        with monkeypatch.context() as patch:
            patch.setattr(detail, "batched", _one_by_one)
            alone = metrics.unit_trend(db, **args, scope=scope)
        pd.testing.assert_frame_equal(batched, alone)
        assert batched.attrs == alone.attrs
        compared += int(batched[["fund_total", "abuse", "injury"]].notna().any().any())
    assert compared >= 3  # the trends hold figures, not only gaps


def test_one_statement_per_theme_for_every_year(db, monkeypatch) -> None:
    """Four years of a commune's trend: the unit, then four statements (one per
    theme), not 16."""
    from sqlalchemy import event

    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        metrics.unit_trend(db, tree="legacy", code="23941", years=YEARS, today=TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(seen) <= 5, "\n".join(s[:200] for s in seen)
