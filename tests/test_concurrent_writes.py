"""Writes that could collide on a unique key run one at a time (data.db.lock):
the lock itself on both backends, and the writers that take it besides uploads
and published ranks (tests/test_submissions.py, tests/test_published_rank.py):
accounts, the reporting calendar and boundaries."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select

from data import calendar, db, inventory, published, users
from data.boundaries import load_boundaries, replace_boundaries
from data.db import Busy, lock, lock_key, transaction
from data.models import ReportSchedule, User


def at_once(n: int, work: Callable[[int], object]) -> tuple[list, list]:
    """Run ``work(i)`` in ``n`` threads released together; (results, errors)."""
    results: list = []
    errors: list = []
    start = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            start.wait()
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 - returned to the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _short_wait(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Give up on a held lock after a fifth of a second instead of ten (SQLite
    reads it when it connects: the engine's connections are made anew)."""
    monkeypatch.setattr(db, "LOCK_WAIT_MS", 200)
    engine.dispose()


def test_a_held_lock_keeps_the_same_key_waiting_then_busy(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _short_wait(engine, monkeypatch)
    with engine.connect() as holder, engine.connect() as waiter:
        held = holder.begin()
        lock(holder, "report_submission", 1, 2)
        with pytest.raises(Busy), waiter.begin():
            lock(waiter, "report_submission", 1, 2)
        held.commit()
        with waiter.begin():  # released at the commit
            lock(waiter, "report_submission", 1, 2)


def test_other_keys_do_not_wait_on_postgresql(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time, whatever is written")
    _short_wait(engine, monkeypatch)
    with engine.connect() as holder, engine.connect() as other:
        with holder.begin():
            lock(holder, "report_submission", 1, 2)
            with other.begin():
                lock(other, "report_submission", 1, 3)
                lock(other, "published_rank", 1, 2)


def test_lock_keys_are_fixed_numbers() -> None:
    assert lock_key("report_submission", 1, 2) == lock_key("report_submission", 1, 2)
    assert lock_key("report_submission", 1, 2) != lock_key("report_submission", 12)
    assert -(2**63) <= lock_key("meta", "facts_version") < 2**63


def test_one_name_created_twice_at_once(gia_lai: Engine) -> None:
    """One account is created, the other attempt is told the name is taken."""

    def create(i: int) -> users.Account:
        with transaction(gia_lai) as session:
            return users.create_user(
                session,
                username="canbo.xa",
                password="correct-horse-battery-2026",
                role="commune",
                unit_code="23941",
            )

    created, errors = at_once(4, create)
    assert len(created) == 1
    assert len(errors) == 3
    assert all(isinstance(e, users.UserError) for e in errors), errors
    with gia_lai.connect() as conn:
        count = select(func.count()).select_from(User)
        assert conn.execute(count).scalar_one() == 1


def test_the_calendar_loaded_twice_at_once(gia_lai: Engine) -> None:
    entries = calendar.read()

    def load(i: int) -> dict[str, int]:
        with transaction(gia_lai) as session:
            return calendar.load(session, entries, [2024])

    counts, errors = at_once(3, load)
    assert errors == []
    added = sorted(c["added"] for c in counts)
    assert added[:2] == [0, 0] and added[2] > 0
    with gia_lai.connect() as conn:
        stored = select(func.count()).select_from(ReportSchedule)
        assert conn.execute(stored).scalar_one() == added[2]


def test_boundaries_replaced_twice_at_once(gia_lai: Engine) -> None:
    """Both imports succeed; the unit keeps one boundary, the later one's."""
    from tests.test_geo_storage import _row

    with gia_lai.connect() as conn:
        unit = published.unit_id_of(conn, tree="legacy", code="622")
    with transaction(gia_lai) as session:
        replace_boundaries(session, [_row(unit, 0.1, "first")])

    def replace(i: int) -> int:
        with transaction(gia_lai) as session:
            return replace_boundaries(session, [_row(unit, 0.2, f"import {i}")])

    written, errors = at_once(4, replace)
    assert errors == [] and written == [1, 1, 1, 1]
    with gia_lai.connect() as conn:
        kept = load_boundaries(conn, tree="legacy", level=None)
    assert len(kept) == 1 and kept["source"].iloc[0].startswith("import ")


def test_the_database_id_made_twice_at_once(engine: Engine) -> None:
    def make(i: int) -> str:
        with engine.begin() as conn:
            return inventory.ensure_database_id(conn)

    made, errors = at_once(4, make)
    assert errors == [] and len(set(made)) == 1
    with engine.connect() as conn:
        assert inventory.database_id(conn) == made[0]
