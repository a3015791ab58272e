"""Submitting a report: the template round trip, the deadline to the minute in
Viet Nam time, versions, broken uploads that store nothing, two at once."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading

import openpyxl
import pytest
from sqlalchemy import Engine, func, select, text

from data import audit, calendar, metrics, report_forms, submissions
from data.db import transaction
from data.metrics.summary import refresh_all
from data.models import AuditLog, ReportFigure, ReportFile, ReportSubmission
from data.periods import VN_TZ, Period
from data.report_forms import FormError
from data.submissions import NotOwed

Q1_DUE = dt.date(2024, 3, 20)  # Tam Đường: communes, "vào ngày 20/3"
H1_DUE = dt.date(2024, 5, 25)  # Gia Lai 2021: districts, "trước ngày 25/5"


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN_TZ)


@pytest.fixture
def reporting(gia_lai: Engine) -> Engine:
    with transaction(gia_lai) as session:
        calendar.load(session, calendar.read(), [2024])
    return gia_lai


def _ids(engine: Engine, report: str, from_level: str, unit: str) -> tuple[int, int]:
    with engine.connect() as conn:
        schedule = conn.execute(
            text(
                "SELECT id FROM report_schedule WHERE report_type = :r "
                "AND from_level = :l AND period_start = '2024-01-01'"
            ),
            {"r": report, "l": from_level},
        ).scalar_one()
        unit_id = conn.execute(
            text("SELECT id FROM admin_unit WHERE tree = 'legacy' AND code = :c"),
            {"c": unit},
        ).scalar_one()
    return schedule, unit_id


def _filled(engine: Engine, schedule: int, unit: int, orphans: int = 3) -> bytes:
    with engine.connect() as conn:
        form = submissions.owed(conn, schedule, unit).form
    book = openpyxl.load_workbook(io.BytesIO(report_forms.template(form)))
    groups = book[report_forms.GROUPS]
    groups["C4"], groups["C18"] = orphans, orphans
    cases = book[report_forms.CASES]
    cases["H11"], cases["I11"] = 2, 2  # drowning, boys 11-15
    book[report_forms.FUND]["C4"] = book[report_forms.FUND]["C7"] = 500_000
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count(engine: Engine, model) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar()


def test_round_trip_stores_the_file_and_exactly_the_figures(reporting: Engine) -> None:
    schedule, unit = _ids(reporting, "Q1", "commune", "23941")
    data = _filled(reporting, schedule, unit)
    receipt = submissions.submit(
        reporting,
        schedule_id=schedule,
        unit_id=unit,
        data=data,
        file_name="bao-cao-q1.xlsx",
        user_id=None,
        now=local(2024, 3, 19, 9, 0),
    )
    assert (receipt.version, receipt.on_time, receipt.days_late) == (1, True, None)
    with reporting.connect() as conn:
        figures = submissions.figures_of(conn, receipt.submission_id)
        stored = conn.execute(select(ReportFile.content, ReportFile.size)).one()
    assert stored == (data, len(data))
    picked = {
        (f["section"], f["code"], f["sex"], f["age_band"]): f["value"] for f in figures
    }
    assert picked[("group", "ORPHAN", None, None)] == 3
    assert picked[("case", "INJ_DROWN", "M", "11_15")] == 2
    assert picked[("fund", "cash", None, None)] == 500_000
    assert picked[("staff_trained", "STAFF", None, None)] == 0
    assert sum(1 for f in figures if f["section"] == "group") == 14


@pytest.mark.parametrize(
    ("report", "level", "unit", "at", "late"),
    [
        ("Q1", "commune", "23941", local(2024, 3, 20, 23, 59), None),  # vào ngày 20/3
        ("Q1", "commune", "23941", local(2024, 3, 21, 0, 1), 1),
        ("Q1", "commune", "23941", local(2024, 3, 1, 8, 0), None),  # before the end
        ("H1", "district", "633", local(2024, 5, 24, 23, 59), None),  # trước 25/5
        ("H1", "district", "633", local(2024, 5, 25, 0, 1), 1),
        ("H1", "district", "633", local(2024, 6, 3, 10, 0), 10),
    ],
)
def test_the_deadline_to_the_minute(
    reporting: Engine, report, level, unit, at, late
) -> None:
    schedule, unit_id = _ids(reporting, report, level, unit)
    receipt = submissions.submit(
        reporting,
        schedule_id=schedule,
        unit_id=unit_id,
        data=_filled(reporting, schedule, unit_id),
        file_name="x.xlsx",
        user_id=None,
        now=at,
    )
    assert receipt.days_late == late and receipt.on_time == (late is None)


def test_a_resubmission_after_the_deadline_is_a_version_and_does_not_count(
    reporting: Engine,
) -> None:
    schedule, unit = _ids(reporting, "Q1", "commune", "23941")
    for at in (local(2024, 3, 20, 16, 0), local(2024, 3, 28, 9, 0)):
        submissions.submit(
            reporting,
            schedule_id=schedule,
            unit_id=unit,
            data=_filled(reporting, schedule, unit),
            file_name="x.xlsx",
            user_id=None,
            now=at,
        )
    with reporting.connect() as conn:
        versions = submissions.history(conn, schedule, unit)
        shown = metrics.timeliness(
            conn,
            tree="legacy",
            level="commune",
            parent_code="633",
            period=Period.parse("2024-Q1"),
            now=dt.datetime(2024, 4, 1, tzinfo=dt.UTC),
            only="23941",
        ).iloc[0]
    assert [v["version"] for v in versions] == [1, 2]
    assert (shown["on_time"], shown["late"], shown["expected"]) == (1, 0, 1)


def test_a_broken_upload_stores_nothing(reporting: Engine) -> None:
    schedule, unit = _ids(reporting, "Q1", "commune", "23941")
    good = _filled(reporting, schedule, unit)
    book = openpyxl.load_workbook(io.BytesIO(good))
    book[report_forms.GROUPS]["C18"] = 99  # the total no longer adds up
    out = io.BytesIO()
    book.save(out)
    before = [_count(reporting, m) for m in (ReportSubmission, ReportFigure)]
    for bad in (out.getvalue(), b"", b"not excel"):
        with pytest.raises(FormError):
            submissions.submit(
                reporting,
                schedule_id=schedule,
                unit_id=unit,
                data=bad,
                file_name="x.xlsx",
                user_id=None,
                remote_addr="10.0.0.7",
            )
    after = [_count(reporting, m) for m in (ReportSubmission, ReportFigure)]
    assert after == before
    # only the refusals are written: which report, which file, why
    with reporting.connect() as conn:
        refusals = audit.rows(conn, action="report_refused")
        assert _count(reporting, AuditLog) == len(refusals) == 3
    details = [json.loads(r["detail"]) for r in reversed(refusals)]
    assert [d["size"] for d in details] == [len(out.getvalue()), 0, 9]
    assert "tổng 99 khác" in details[0]["reason"][0]
    assert "Tệp rỗng" in details[1]["reason"][0]
    assert "không phải tệp Excel" in details[2]["reason"][0]
    assert {(d["unit"], d["report"], d["file"]) for d in details} == {
        ("23941", "Q1", "x.xlsx")
    }
    assert {r["remote_addr"] for r in refusals} == {"10.0.0.7"}


def test_only_the_units_that_owe_it(reporting: Engine) -> None:
    schedule, _unit = _ids(reporting, "Q1", "commune", "23941")
    _h1, district = _ids(reporting, "H1", "district", "633")
    with reporting.connect() as conn:
        with pytest.raises(NotOwed):
            submissions.owed(conn, schedule, district)  # communes owe Q1
        with pytest.raises(NotOwed):
            submissions.owed(conn, 999_999, district)


def test_two_submissions_at_the_same_moment(reporting: Engine) -> None:
    schedule, unit = _ids(reporting, "Q1", "commune", "23941")
    files = [_filled(reporting, schedule, unit, orphans=n) for n in (4, 7)]
    receipts: list = []
    errors: list = []
    start = threading.Barrier(2)

    def send(data: bytes) -> None:
        try:
            start.wait()
            receipts.append(
                submissions.submit(
                    reporting,
                    schedule_id=schedule,
                    unit_id=unit,
                    data=data,
                    file_name="x.xlsx",
                    user_id=None,
                    now=local(2024, 3, 10, 9, 0),
                )
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.version for r in receipts) == [1, 2]
    with reporting.connect() as conn:
        for receipt in receipts:
            figures = submissions.figures_of(conn, receipt.submission_id)
            orphans = [f["value"] for f in figures if f["code"] == "ORPHAN"]
            content = conn.execute(
                select(ReportFile.content).where(
                    ReportFile.submission_id == receipt.submission_id
                )
            ).scalar_one()
            assert orphans == [4 if content == files[0] else 7]  # nothing mixed


def _at_once(n: int, work) -> tuple[list, list]:
    """Run ``work(i)`` in ``n`` threads released together; (results, errors)."""
    results: list = []
    errors: list = []
    start = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            start.wait()
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_eight_submissions_of_one_report_at_once_are_versions_1_to_8(
    reporting: Engine,
) -> None:
    """Each thread has its own connection (the pool's); none fails, none is lost,
    no version is taken twice, and each version holds its own file's figures."""
    schedule, unit = _ids(reporting, "Q1", "commune", "23941")
    files = [_filled(reporting, schedule, unit, orphans=n) for n in range(1, 9)]
    with reporting.connect() as conn:
        facts_before = int(metrics.facts_version(conn))

    def send(i: int):
        return submissions.submit(
            reporting,
            schedule_id=schedule,
            unit_id=unit,
            data=files[i],
            file_name=f"x{i}.xlsx",
            user_id=None,
            now=local(2024, 3, 10, 9, 0),
        )

    receipts, errors = _at_once(8, send)
    assert errors == []
    assert sorted(r.version for r in receipts) == list(range(1, 9))
    with reporting.connect() as conn:
        stored = submissions.history(conn, schedule, unit)
        assert [s["version"] for s in stored] == list(range(1, 9))
        for receipt in receipts:
            figures = submissions.figures_of(conn, receipt.submission_id)
            orphans = [f["value"] for f in figures if f["code"] == "ORPHAN"]
            name = conn.execute(
                select(ReportSubmission.file_name).where(
                    ReportSubmission.id == receipt.submission_id
                )
            ).scalar_one()
            assert orphans == [int(name[1]) + 1]  # x0.xlsx holds 1 orphan, ...
        audited = conn.execute(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "report_submitted")
        ).scalar_one()
        # every change of the facts moved their version on: no two share one
        facts_after = int(metrics.facts_version(conn))
    assert audited == 8
    assert facts_after == facts_before + 8


def test_submissions_of_different_units_at_once(reporting: Engine) -> None:
    """Reports of different units do not wait for each other's version, and the
    version of the facts (one row for the whole database) takes every change."""
    schedule, first = _ids(reporting, "Q1", "commune", "23941")
    _same, second = _ids(reporting, "Q1", "commune", "23944")
    units = [first, second] * 3
    files = [_filled(reporting, schedule, u) for u in units]
    with reporting.connect() as conn:
        facts_before = int(metrics.facts_version(conn))

    def send(i: int):
        return submissions.submit(
            reporting,
            schedule_id=schedule,
            unit_id=units[i],
            data=files[i],
            file_name="x.xlsx",
            user_id=None,
            now=local(2024, 3, 10, 9, 0),
        )

    receipts, errors = _at_once(len(units), send)
    assert errors == []
    assert sorted(r.version for r in receipts) == [1, 1, 2, 2, 3, 3]
    with reporting.connect() as conn:
        assert int(metrics.facts_version(conn)) == facts_before + len(units)


def test_the_commands_write_the_template_and_submit_it(
    reporting: Engine,
    tmp_path,
    monkeypatch,
) -> None:
    from click.testing import CliRunner

    from dashboard.cli import main

    monkeypatch.setenv(
        "DATABASE_URL", reporting.url.render_as_string(hide_password=False)
    )
    runner = CliRunner()
    out = tmp_path / "q1.xlsx"
    args = ["--unit", "23941", "--report", "Q1", "--year", "2024"]
    made = runner.invoke(main, ["report-template", *args, "--out", str(out)])
    assert made.exit_code == 0, made.output
    book = openpyxl.load_workbook(out)
    book[report_forms.GROUPS]["C5"] = "x"
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    refused = runner.invoke(main, ["submit-report", str(broken), *args])
    assert refused.exit_code != 0 and "ô C5" in refused.output
    assert _count(reporting, ReportSubmission) == 0
    taken = runner.invoke(main, ["submit-report", str(out), *args])
    assert taken.exit_code == 0 and "version 1" in taken.output, taken.output
    wrong = runner.invoke(
        main,
        [
            "report-template",
            "--unit",
            "633",
            "--report",
            "Q1",
            "--year",
            "2024",
            "--out",
            str(out),
        ],
    )
    assert wrong.exit_code != 0 and "no Q1 report of 2024 owed by 633" in wrong.output


def test_a_unit_abolished_in_the_middle_of_the_year(reporting: Engine) -> None:
    """Xã Ia Tiêm merged away on 30 June: it owes Q1, H1, the child-friendly
    registration (due 10/4) and the June Action Month (due 10/7: June ended while
    it existed); not M9, the year or the child-friendly results."""
    with transaction(reporting) as session:
        session.execute(
            text(
                "UPDATE admin_unit SET valid_to = '2024-06-30' "
                "WHERE tree = 'legacy' AND code = '23944'"
            )
        )
        refresh_all(session)  # as a load of the unit tree does
    schedule, unit = _ids(reporting, "M9", "commune", "23944")
    with reporting.connect() as conn:
        with pytest.raises(NotOwed):
            submissions.owed(conn, schedule, unit)
        owed = {
            c["report_type"]
            for c in submissions.choices(conn, submissions.Scope("admin"), 2024)
            if c["unit_code"] == "23944"
        }
        district = metrics.timeliness(
            conn,
            tree="legacy",
            level="district",
            parent_code="64",
            period=Period(2024),
            now=dt.datetime(2025, 1, 15, tzinfo=dt.UTC),
            only="633",
        ).iloc[0]
    assert owed == {"Q1", "H1", "CF_REGISTER", "ACTION_MONTH"}
    # 15 communes x 7 reports + the district's own 4 (H1, year, Action Month,
    # child-friendly results), less the 3 not owed
    assert district["owed"] == district["expected"] == 15 * 7 + 4 - 3
