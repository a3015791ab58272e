"""The demo generator on Gia Lai, on SQLite and PostgreSQL: determinism and guards.

The rules of each theme are checked in ``test_demo_rules.py``; pure helpers in
``test_demo_parts.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select

from data import demo
from data.db import make_engine, transaction
from data.metrics.dataset import FACTS_UPDATED_AT
from data.models import AdminUnit, Base, Incident, Meta
from data.reform import load_2025_tree
from data.units import load_legacy_tree

SEED = 20210318  # the date of the Gia Lai plan


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, ordered by primary key, in comparable form (the
    clock time the facts were written is left out: it is not generated)."""
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table).order_by(*table.primary_key.columns))
            out[table.name] = [
                tuple(_plain(v) for v in row)
                for row in rows
                if table.name != "meta" or row[0] != FACTS_UPDATED_AT
            ]
    return out


def _plain(value: object) -> object:
    """Aware datetimes as naive UTC (SQLite returns naive ones); the rest as is."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def generated(engine: Engine, seed: int = SEED, **options: object) -> demo.DemoReport:
    with transaction(engine) as session:
        return demo.generate(session, seed=seed, **options)


def gia_lai_sqlite(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with transaction(engine) as session:
        load_legacy_tree(session, ["64"])
    return engine


def test_same_seed_gives_the_same_rows_on_both_backends(
    gia_lai: Engine, tmp_path: Path
) -> None:
    steps: list[tuple[str, int, int]] = []
    report = generated(gia_lai, progress=lambda *step: steps.append(step))
    assert steps[0] == ("province 64", 0, 1) and steps[-1] == ("done", 1, 1)
    assert report.counts["incident"] > 5_000 and "incident" in report.format()
    first = dump(gia_lai)
    assert all(first[name] for name in report.counts), "a table stayed empty"

    other = gia_lai_sqlite(tmp_path / "same.db")
    generated(other)
    assert dump(other) == first
    other.dispose()

    different = gia_lai_sqlite(tmp_path / "different.db")
    generated(different, seed=SEED + 1)
    changed = dump(different)
    different.dispose()
    assert changed["admin_unit"] != first["admin_unit"]
    assert changed["incident"] != first["incident"]
    assert changed["report_submission"] != first["report_submission"]


def test_meta_rows_say_seed_and_years(gia_lai: Engine) -> None:
    generated(gia_lai, years=[2023, 2021, 2022])
    with gia_lai.connect() as conn:
        meta = dict(conn.execute(select(Meta.key, Meta.value)).all())
    written = dt.datetime.fromisoformat(meta.pop(FACTS_UPDATED_AT))
    assert abs(dt.datetime.now(dt.UTC) - written) < dt.timedelta(minutes=5)
    assert meta == {
        "demo_seed": str(SEED),
        "demo_years": "2021,2022,2023",
        "facts_version": "1",
    }


def test_refuses_to_overwrite_unless_replace(gia_lai: Engine) -> None:
    generated(gia_lai)
    before = dump(gia_lai)
    with pytest.raises(demo.DemoError, match="replace=True"):
        generated(gia_lai, seed=1)
    assert dump(gia_lai) == before

    generated(gia_lai, replace=True)  # deletes and regenerates: the very same rows
    after = dump(gia_lai)
    assert after.pop("meta") != before.pop("meta")  # facts_version moved on: 1 -> 2
    assert after == before

    with transaction(gia_lai) as session:  # the id sequences moved past the demo
        commune = session.scalar(
            select(AdminUnit.id).where(AdminUnit.level == "commune").limit(1)
        )
        session.execute(
            insert(Incident),
            [
                {
                    "unit_id": commune,
                    "occurred_on": dt.date(2024, 5, 1),
                    "category": "abuse",
                    "type_code": "AB_SEX",
                    "sex": "F",
                    "age_band": "11_15",
                    "environment": "FAMILY",
                }
            ],
        )
    with gia_lai.connect() as conn:
        top = conn.execute(select(func.max(Incident.id))).scalar_one()
    assert top == len(before["incident"]) + 1


def test_refuses_non_demo_children_counts(sqlite_engine: Engine) -> None:
    with transaction(sqlite_engine) as session:
        load_legacy_tree(session, ["64"])
        session.execute(
            AdminUnit.__table__.update()
            .where(AdminUnit.level == "province")
            .values(children_u16=1234, children_source="census")
        )
    with pytest.raises(demo.DemoError, match="non-demo children counts: 1"):
        generated(sqlite_engine)


def test_refuses_an_empty_tree_and_bad_arguments(sqlite_engine: Engine) -> None:
    with pytest.raises(demo.DemoError, match="load the units"):
        generated(sqlite_engine)
    with pytest.raises(demo.DemoError, match="seed"):
        generated(sqlite_engine, seed=-1)
    with pytest.raises(demo.DemoError, match="no years"):
        generated(sqlite_engine, years=[])


def test_nothing_is_dated_after_today(sqlite_engine: Engine) -> None:
    with transaction(sqlite_engine) as session:
        load_2025_tree(session, ["52"])  # the new Gia Lai and both legacy provinces
    today = dt.date(2026, 6, 15)
    generated(sqlite_engine, years=range(2025, 2028), today=today)
    data = dump(sqlite_engine)
    columns = {t.name: [c.name for c in t.columns] for t in Base.metadata.sorted_tables}

    def column(table: str, name: str) -> list:
        return [row[columns[table].index(name)] for row in data[table]]

    assert max(column("incident", "occurred_on")) < today
    assert max(column("fund_contribution", "contributed_on")) < today
    assert max(column("report_submission", "submitted_at")).date() < today
    # 2025 is cut by the reform and the new province has no districts: the plans'
    # indicators (set on districts) are not made up for 2025-2027
    assert data["indicator_value"] == [] and data["indicator_target"] == []
    # no round in 2025-2026; the 2027 round is decided in December 2027: not yet
    assert data["child_friendly_assessment"] == []


def test_years_after_the_legacy_tree_need_the_new_tree(sqlite_engine: Engine) -> None:
    with transaction(sqlite_engine) as session:
        load_legacy_tree(session, ["64"])
    with pytest.raises(demo.DemoError, match="2026, 2027.*load the July-2025 tree"):
        generated(sqlite_engine, years=range(2025, 2028))
    with sqlite_engine.connect() as conn:  # nothing half-written
        assert conn.execute(select(func.count(Incident.id))).scalar_one() == 0
