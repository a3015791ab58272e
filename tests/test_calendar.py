"""The reporting calendar as configuration: the defaults, the file's checks, the
schedules it writes, and the command that loads it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select, text

from data import calendar
from data.calendar import CalendarError, Jurisdiction
from data.demo import reports
from data.models import ReportSchedule
from data.periods import VN_TZ

GOOD = """
[[report]]
plan = "ACTION_MONTH"
type = "THEMATIC"
from = "commune"
to = "district"
period = ["01/06", "30/06"]
due = "10/07"
rule = "trước ngày"
years = [2024, 2025]
provinces = ["91"]

[[report]]
plan = "ADHOC_2024"
type = "ADHOC"
from = "district"
to = "province"
period = ["01/01/2024", "15/08/2024"]
due = "20/08/2024"
rule = "vào ngày"
"""


def test_the_defaults_are_the_two_seed_plans() -> None:
    entries = calendar.read()
    by_key = {(e.plan, e.report_type): e for e in entries}
    q1 = by_key["000_TAM_DUONG_2018", "Q1"]  # "vào ngày 20 của tháng cuối quý"
    assert (q1.due, q1.inclusive, q1.from_level, q1.to_level) == (
        (3, 20),
        True,
        "commune",
        "district",
    )
    assert [by_key["000_TAM_DUONG_2018", t].due for t in ("H1", "M9", "ANNUAL")] == [
        (6, 15),
        (9, 15),
        (12, 10),
    ]
    h1 = by_key["004_GIA_LAI_2021", "H1"]  # "trước ngày 25/5"
    assert (h1.due, h1.inclusive, h1.from_level) == ((5, 25), False, "district")
    assert by_key["004_GIA_LAI_2021", "ANNUAL"].due == (11, 20)
    assert by_key["TWO_TIER_2025", "H1"].tree == "2025"
    # the demo owes exactly what the default calendar says: the six periodic
    # reports, the Action Month's two and the child-friendly dossiers' four (one
    # of them Lai Châu's own); after the reform two and the Action Month
    assert len(reports.REPORT_SPECS) == 12 and len(reports.SUCCESSOR_SPECS) == 3


def test_deadline_semantics_in_viet_nam_time() -> None:
    (adhoc,) = [e for e in calendar.parse(GOOD) if e.report_type == "ADHOC"]
    (row,) = calendar.schedule_rows([adhoc], {"91": Jurisdiction(1, "legacy")}, [2024])
    late = row["deadline_at"].astimezone(VN_TZ)  # "vào ngày 20/8": all of it counts
    assert late == dt.datetime(2024, 8, 21, 0, 0, tzinfo=VN_TZ)
    (month,) = [e for e in calendar.parse(GOOD) if e.report_type == "THEMATIC"]
    rows = calendar.schedule_rows([month], {"91": Jurisdiction(1, "legacy")}, [2024])
    late = rows[0]["deadline_at"].astimezone(VN_TZ)  # "trước ngày 10/7": 10/7 is late
    assert late == dt.datetime(2024, 7, 10, 0, 0, tzinfo=VN_TZ)


def test_years_provinces_trees_and_existence() -> None:
    entries = calendar.parse(GOOD)
    places = {
        "91": Jurisdiction(1, "legacy", None, dt.date(2025, 6, 30)),
        "92": Jurisdiction(2, "legacy"),
        "52": Jurisdiction(3, "2025", dt.date(2025, 7, 1)),
    }
    rows = calendar.schedule_rows(entries, places, [2023, 2024, 2025, 2026])
    found = sorted((r["plan_code"], r["jurisdiction_id"], r["due_date"]) for r in rows)
    assert found == [
        ("ACTION_MONTH", 1, dt.date(2024, 7, 10)),  # 2023 and 2026: not in years;
        # 2025: province 91 ended on 30/6, but June happened while it existed
        ("ACTION_MONTH", 1, dt.date(2025, 7, 10)),
        ("ADHOC_2024", 1, dt.date(2024, 8, 20)),
        ("ADHOC_2024", 2, dt.date(2024, 8, 20)),  # once, for every legacy province
    ]
    # a province that came into being after a period ended owes nothing for it
    late = {"53": Jurisdiction(4, "legacy", dt.date(2024, 7, 1))}
    rows = calendar.schedule_rows(entries[:1], late, [2024])
    assert rows == []


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('type = "Q5"', "report 1.type: 'Q5' is not one of"),
        ('from = "province"', "is not a reporting line"),
        ('rule = "sau ngày"', "report 1.rule"),
        ('due = "31/02"', "report 1.due: '31/02' is not a day"),
        ('period = ["01/07", "30/06"]', "the first day is after the last"),
        ('due = "01/01"\nperiod = ["01/02", "28/02"]', "before the period starts"),
        ('due = "20/08/2024"', "all dd/mm (yearly) or all dd/mm/yyyy"),
        ("years = [2030, 2020]", "report 1.years"),
        ('provinces = "64"', "report 1.provinces"),
        ('tree = "2030"', "report 1.tree"),
        ("colour = 1", "unknown field 'colour'"),
    ],
)
def test_every_problem_names_its_entry_and_field(entry: str, problem: str) -> None:
    fields = {
        "plan": '"P"',
        "type": '"H1"',
        "from": '"district"',
        "to": '"province"',
        "period": '["01/01", "30/06"]',
        "due": '"25/05"',
        "rule": '"trước ngày"',
    }
    given = dict(line.split(" = ", 1) for line in entry.splitlines())
    text_ = "[[report]]\n" + "\n".join(
        f"{k} = {v}" for k, v in {**fields, **given}.items()
    )
    with pytest.raises(CalendarError) as caught:
        calendar.parse(text_)
    assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_all_problems_at_once_and_broken_files() -> None:
    with pytest.raises(CalendarError) as caught:
        calendar.parse(
            '[[report]]\nplan = "A"\ntype = "Q9"\n\n[[report]]\nplan = "B"\n'
        )
    problems = caught.value.problems
    assert any(p.startswith("report 1:") for p in problems)
    assert any(p.startswith("report 2: field 'type' is missing") for p in problems)
    for broken in ("", "[[report]\nplan=", "title = 'x'"):
        with pytest.raises(CalendarError):
            calendar.parse(broken)
    with pytest.raises(CalendarError, match="appears twice"):
        calendar.parse(GOOD + GOOD)


def _schedules(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ReportSchedule)).scalar()


def test_loading_the_defaults_into_the_seeded_database_changes_nothing(
    seeded,
) -> None:
    from data.db import make_engine

    engine = make_engine(seeded["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            years = sorted(
                {
                    int(str(d)[:4])
                    for (d,) in conn.execute(select(ReportSchedule.due_date))
                }
            )
        with engine.connect() as conn, conn.begin() as outer:
            from sqlalchemy.orm import Session

            session = Session(bind=conn)
            counts = calendar.load(session, calendar.read(), years)
            outer.rollback()
    finally:
        engine.dispose()
    assert counts["added"] == 0 and counts["updated"] == 0
    assert counts["unchanged"] > 0


def test_the_command_loads_updates_and_refuses(
    gia_lai: Engine,
    tmp_path: Path,
    monkeypatch,
) -> None:
    from dashboard.cli import main

    url = gia_lai.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    runner = CliRunner()
    first = runner.invoke(main, ["load-calendar", "--years", "2024"])
    assert first.exit_code == 0, first.output
    # the legacy plans, one province: 6 periodic, 2 Action Month, 3 child-friendly
    # (Lai Châu's own commune results are not Gia Lai's)
    assert "11 schedules added" in first.output
    again = runner.invoke(main, ["load-calendar", "--years", "2024"])
    assert "0 schedules added, 0 updated, 11 unchanged" in again.output
    moved = tmp_path / "moved.toml"
    moved.write_text(
        calendar.DEFAULT.read_text(encoding="utf-8").replace(
            'due = "25/05"', 'due = "28/05"', 1
        ),
        encoding="utf-8",
    )
    changed = runner.invoke(main, ["load-calendar", str(moved), "--years", "2024"])
    assert "1 updated" in changed.output, changed.output
    with gia_lai.connect() as conn:
        due = conn.execute(
            text(
                "SELECT due_date FROM report_schedule WHERE plan_code = "
                "'004_GIA_LAI_2021' AND report_type = 'H1'"
            )
        ).scalar()
    assert str(due)[:10] == "2024-05-28"
    before = _schedules(gia_lai)
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('"THEMATIC"', '"Q7"'), encoding="utf-8")
    refused = runner.invoke(main, ["load-calendar", str(bad), "--years", "2024"])
    assert refused.exit_code != 0
    assert "report 1.type" in refused.output and "Nothing was written" in refused.output
    assert _schedules(gia_lai) == before
    assert runner.invoke(main, ["load-calendar", "--years", "24x"]).exit_code != 0
