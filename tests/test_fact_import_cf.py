"""Importing child-friendly assessments (Quyết định 06/QĐ-TTg): the template,
the checks of every row, the status and threshold the recognition rule gives
(never the file's: a file stating another one is refused, naming both), the dry
run, the import with the 13 scores, a correction, the importer's area, the
command line and the import page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest
from sqlalchemy import Engine, select

from data import fact_import, recognition
from data.db import transaction
from data.fact_import import CF_ASSESSMENTS
from data.fact_import.spec import CF_SHEET, HELP_SHEET, LIST_SHEET
from data.metrics.dataset import facts_version
from data.models import (
    AdminUnit,
    AuditLog,
    ChildFriendlyAssessment,
    ChildFriendlyScore,
)
from tests import test_import_page
from tests.conftest import create_test_users, signed_client
from tests.test_fact_import import audits, import_file, texts
from tests.test_fact_import_fund import (
    ADMIN,
    TODAY,
    _lists,
    _rules,
    csv_file,
    district,
    workbook,
)

own_db = test_import_page.own_db  # its database, Gia Lai's demo data cleared
HEADERS = [c.header for c in CF_ASSESSMENTS.columns if c.offered]
HIGH = [95, 50, 90, 45, 90, 110, 45, 70, 45, 70, 65, 45, 90]  # 910, none at 0
LOW = [70, 40, 60, 30, 60, 90, 40, 50, 40, 50, 50, 40, 70]  # 690
ZERO = [100, 50, 100, 50, 100, 125, 0, 75, 50, 75, 75, 50, 100]  # 950, CF07 at 0
# round, commune, 13 scores, decision number, decision date
ROWS = [
    ["01/11/2023", "23941", *HIGH, "125/QĐ-UBND", "15/12/2023"],
    [dt.date(2023, 11, 1), "23944 – Xã Ia Tiêm", *LOW, "125/QĐ-UBND", "15/12/2023"],
    ["2024-11-01", "23941", *HIGH, "88/QĐ-UBND", dt.date(2024, 12, 20)],
    ["01/11/2024", "23944", *ZERO, None, None],
]


def run(engine, data, scope=ADMIN, write=False, name="xa-ptte.xlsx", today=TODAY):
    return import_file(engine, CF_ASSESSMENTS, data, scope, write, name, today)


def stored(engine: Engine) -> dict[tuple[str, str], dict]:
    with engine.connect() as conn:
        codes = dict(conn.execute(select(AdminUnit.id, AdminUnit.code)).all())
        rows = conn.execute(select(ChildFriendlyAssessment.__table__)).all()
        scores = conn.execute(select(ChildFriendlyScore.__table__)).all()
    points: dict[int, dict[str, int]] = {}
    for s in scores:
        points.setdefault(s.assessment_id, {})[s.criterion_code] = s.score
    return {
        (codes[r.unit_id], f"{r.round_date:%d/%m/%Y}"): {
            "status": r.status,
            "total": r.total_score,
            "threshold": r.threshold,
            "zero": r.has_zero_criterion,
            "decided": r.decided_on,
            "ref": r.decision_ref,
            "scores": [points[r.id][f"CF{n:02d}"] for n in range(1, 14)],
        }
        for r in rows
    }


# --- the template ---------------------------------------------------------------------


def test_template_has_the_13_criteria_and_no_status(gia_lai: Engine) -> None:
    with gia_lai.connect() as conn:
        offered = fact_import.units(conn, ADMIN, CF_ASSESSMENTS)
    assert {u.level for u in offered} == {"commune"}
    book = openpyxl.load_workbook(
        io.BytesIO(fact_import.template(CF_ASSESSMENTS, "xlsx", offered))
    )
    assert book.sheetnames == [CF_SHEET, LIST_SHEET, HELP_SHEET]
    ws = book[CF_SHEET]
    assert [c.value for c in ws[1]] == HEADERS
    assert HEADERS[:3] == ["Ngày đánh giá", "Mã xã", "Tiêu chí 1 (CF01)"]
    assert HEADERS[-2:] == ["Số quyết định", "Ngày quyết định"]
    assert len(HEADERS) == 17 and "Kết quả" not in HEADERS
    assert _rules(ws) == {"B"}
    assert "23941 – Thị trấn Chư Sê" in _lists(book)["Mã xã"]
    help_text = " ".join(
        str(c.value) for row in book[HELP_SHEET].iter_rows() for c in row if c.value
    )
    assert "do quy tắc" in help_text and "từ 0 đến 125" in help_text
    data = fact_import.template(CF_ASSESSMENTS, "csv", [])
    assert next(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == HEADERS


# --- the rule decides -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_rule_gives_status_and_threshold(gia_lai: Engine, fmt: str) -> None:
    data = (
        workbook(CF_ASSESSMENTS, ROWS)
        if fmt == "xlsx"
        else csv_file(CF_ASSESSMENTS, ROWS)
    )
    with gia_lai.connect() as conn:
        version = int(facts_version(conn) or 0)
    summary = run(gia_lai, data, name=f"xa.{fmt}")
    assert summary.ok, texts(summary)
    assert (summary.rows, summary.new) == (4, 4)
    assert [(u.code, u.detail, u.before, u.after, u.label) for u in summary.units] == [
        ("23941", "01/11/2023", None, 910, "RECOGNISED_NEW"),
        ("23941", "01/11/2024", None, 910, "RECOGNISED_MAINTAINED"),
        ("23944", "01/11/2023", None, 690, "NOT_RECOGNISED"),
        ("23944", "01/11/2024", None, 950, "SUBMITTED"),
    ]
    assert stored(gia_lai) == {}
    assert run(gia_lai, data, write=True, name=f"xa.{fmt}").written
    rows = stored(gia_lai)
    assert rows[("23941", "01/11/2023")] == {
        "status": "RECOGNISED_NEW",
        "total": 910,
        "threshold": 800,  # a township of a province
        "zero": False,
        "decided": dt.date(2023, 12, 15),
        "ref": "125/QĐ-UBND",
        "scores": HIGH,
    }
    assert rows[("23941", "01/11/2024")]["status"] == "RECOGNISED_MAINTAINED"
    assert rows[("23944", "01/11/2023")]["status"] == "NOT_RECOGNISED"
    later = rows[("23944", "01/11/2024")]
    assert (later["status"], later["zero"], later["decided"]) == (
        "SUBMITTED",
        True,
        None,
    )
    with gia_lai.connect() as conn:
        assert int(facts_version(conn)) == version + 1
    (entry,) = audits(gia_lai)
    assert (entry["kind"], entry["new"]) == ("cf_assessments", 4)


def test_a_round_after_a_stored_recognition_is_maintained(gia_lai: Engine) -> None:
    with transaction(gia_lai) as session:
        unit_id = recognition.unit_id_of(session, tree="legacy", code="23944")
        recognition.record_assessment(
            session,
            unit_id=unit_id,
            round_date=dt.date(2021, 11, 1),
            scores={f"CF{n:02d}": p for n, p in enumerate(HIGH, 1)},
            decided_on=dt.date(2021, 12, 1),
            today=TODAY,
        )
    rows = [["01/11/2023", "23944", *HIGH, "7/QĐ", "01/12/2023"]]
    summary = run(gia_lai, workbook(CF_ASSESSMENTS, rows), write=True)
    assert summary.written
    assert stored(gia_lai)[("23944", "01/11/2023")]["status"] == (
        "RECOGNISED_MAINTAINED"
    )


def _statuses(engine: Engine, code: str) -> dict[str, str]:
    return {day: row["status"] for (c, day), row in stored(engine).items() if c == code}


def test_an_earlier_round_restates_the_later_rounds_stored(gia_lai: Engine) -> None:
    later = [ROWS[2]]  # 23941, 01/11/2024, recognised
    assert run(gia_lai, workbook(CF_ASSESSMENTS, later), write=True).written
    assert _statuses(gia_lai, "23941") == {"01/11/2024": "RECOGNISED_NEW"}
    # the round of 2023 recognised it first: 2024 maintains the recognition;
    # the dry run says so, nothing written
    dry = run(gia_lai, workbook(CF_ASSESSMENTS, [ROWS[0]]))
    assert [(r.unit, r.round_date, r.after) for r in dry.restated] == [
        ("23941", dt.date(2024, 11, 1), "RECOGNISED_MAINTAINED")
    ]
    assert _statuses(gia_lai, "23941") == {"01/11/2024": "RECOGNISED_NEW"}
    earlier = run(gia_lai, workbook(CF_ASSESSMENTS, [ROWS[0]]), write=True)
    assert (earlier.new, earlier.updated) == (1, 0)
    assert _statuses(gia_lai, "23941") == {
        "01/11/2023": "RECOGNISED_NEW",
        "01/11/2024": "RECOGNISED_MAINTAINED",
    }
    (restated,) = earlier.restated
    assert (restated.unit, restated.round_date) == ("23941", dt.date(2024, 11, 1))
    assert (restated.before, restated.after) == (
        "RECOGNISED_NEW",
        "RECOGNISED_MAINTAINED",
    )
    assert audits(gia_lai)[-1]["restated"] == [
        {
            "commune": "23941",
            "round_date": "01/11/2024",
            "before": "RECOGNISED_NEW",
            "after": "RECOGNISED_MAINTAINED",
        }
    ]
    # the same files again: nothing changes, nothing restated
    again = run(gia_lai, workbook(CF_ASSESSMENTS, later), write=True)
    assert (again.new, again.updated, again.unchanged, again.restated) == (0, 0, 1, [])
    # 2023 corrected to not recognised: 2024 recognises it anew
    low = [list(ROWS[0])]
    low[0][2:15] = LOW
    fixed = run(gia_lai, workbook(CF_ASSESSMENTS, low), write=True)
    assert fixed.updated == 1
    assert _statuses(gia_lai, "23941") == {
        "01/11/2023": "NOT_RECOGNISED",
        "01/11/2024": "RECOGNISED_NEW",
    }
    assert [(r.before, r.after) for r in fixed.restated] == [
        ("RECOGNISED_MAINTAINED", "RECOGNISED_NEW")
    ]


def test_a_file_correcting_a_round_and_holding_the_next_one(gia_lai: Engine) -> None:
    """The round corrected in the file, not the one stored, decides the next."""
    assert run(gia_lai, workbook(CF_ASSESSMENTS, [ROWS[0]]), write=True).written
    low = list(ROWS[0])
    low[2:15] = LOW
    summary = run(gia_lai, workbook(CF_ASSESSMENTS, [low, ROWS[2]]), write=True)
    assert summary.written and summary.restated == []
    assert [(u.detail, u.label) for u in summary.units] == [
        ("01/11/2023", "NOT_RECOGNISED"),
        ("01/11/2024", "RECOGNISED_NEW"),
    ]
    assert _statuses(gia_lai, "23941")["01/11/2024"] == "RECOGNISED_NEW"


def test_cli_says_the_rounds_restated(gia_lai: Engine, gia_lai_cli, tmp_path) -> None:
    create_test_users(gia_lai)
    assert run(gia_lai, workbook(CF_ASSESSMENTS, [ROWS[2]]), write=True).written
    earlier = tmp_path / "xa-2023.xlsx"
    earlier.write_bytes(workbook(CF_ASSESSMENTS, [ROWS[0]]))
    args = ("import-facts", "cf_assessments", str(earlier), "--user", "t_province")
    result = gia_lai_cli(*args)
    assert result.exit_code == 0, result.output
    assert (
        "Đợt 01/11/2024 của xã 23941 đã lưu sẽ được tính lại theo đợt trước nó "
        "trong tệp: Công nhận mới → Giữ vững công nhận." in result.output
    )
    result = gia_lai_cli(*args, "--apply")
    assert result.exit_code == 0, result.output
    assert "Đợt 01/11/2024 của xã 23941 đã lưu được tính lại" in result.output


def test_recording_an_earlier_round_restates_the_later_ones(gia_lai: Engine) -> None:
    assert run(gia_lai, workbook(CF_ASSESSMENTS, [ROWS[2]]), write=True).written
    with transaction(gia_lai) as session:
        unit_id = recognition.unit_id_of(session, tree="legacy", code="23941")
        done = recognition.record_assessment(
            session,
            unit_id=unit_id,
            round_date=dt.date(2022, 11, 1),
            scores={f"CF{n:02d}": p for n, p in enumerate(HIGH, 1)},
            decided_on=dt.date(2022, 12, 1),
            today=TODAY,
        )
    assert [(r.round_date, r.after) for r in done.restated] == [
        (dt.date(2024, 11, 1), "RECOGNISED_MAINTAINED")
    ]
    assert _statuses(gia_lai, "23941") == {
        "01/11/2022": "RECOGNISED_NEW",
        "01/11/2024": "RECOGNISED_MAINTAINED",
    }
    with gia_lai.connect() as conn:
        detail = conn.execute(
            select(AuditLog.detail).where(
                AuditLog.action == "child_friendly_assessment"
            )
        ).scalar_one()
    assert json.loads(detail)["restated"] == [
        {
            "round": "2024-11-01",
            "before": "RECOGNISED_NEW",
            "after": "RECOGNISED_MAINTAINED",
        }
    ]


def test_restated_follows_the_round_just_before() -> None:
    day = dt.date
    rounds = [
        (day(2020, 1, 1), "RECOGNISED_NEW"),
        (day(2021, 1, 1), "RECOGNISED_NEW"),  # after a recognition: maintained
        (day(2022, 1, 1), "NOT_RECOGNISED"),
        (day(2023, 1, 1), "RECOGNISED_MAINTAINED"),  # after a refusal: new
        (day(2024, 1, 1), "SUBMITTED"),
        (day(2025, 1, 1), "RECOGNISED_NEW"),  # after a round not decided: new
    ]
    assert recognition.restated(rounds, day(2019, 1, 1)) == [
        (day(2021, 1, 1), "RECOGNISED_NEW", "RECOGNISED_MAINTAINED"),
        (day(2023, 1, 1), "RECOGNISED_MAINTAINED", "RECOGNISED_NEW"),
    ]
    assert recognition.restated(rounds, day(2021, 6, 1)) == [
        (day(2023, 1, 1), "RECOGNISED_MAINTAINED", "RECOGNISED_NEW")
    ]


def test_a_stated_status_or_threshold_against_the_rule_is_refused(
    gia_lai: Engine,
) -> None:
    headers = [*HEADERS, "Kết quả", "Ngưỡng điểm"]
    rows = [
        [*ROWS[0], "Công nhận mới", 800],  # as the rule says
        [*ROWS[1], "Công nhận mới", None],  # 690 points
        [*ROWS[3], None, 850],  # a township's threshold is 800
        ["01/11/2024", "23941", *ZERO, "9/QĐ", "01/12/2024", "RECOGNISED_NEW", None],
    ]
    summary = run(gia_lai, workbook(CF_ASSESSMENTS, rows, headers), write=True)
    assert not summary.written and summary.refused == 3
    first, second, third = texts(summary)
    assert "ô R3" in first and "'Công nhận mới'" in first
    assert "'Không công nhận'" in first and "tổng 690 điểm, ngưỡng 800" in first
    assert "ô S4" in second and "ngưỡng 850" in second and "ngưỡng 800" in second
    assert "ô R5" in third and "tiêu chí 0 điểm: CF07" in third
    assert "the recognition rule gives 'Not recognised'" in summary.problems[0].text(
        "en"
    )
    assert stored(gia_lai) == {}
    ok = run(gia_lai, workbook(CF_ASSESSMENTS, rows[:1], headers), write=True)
    assert ok.written


# --- twice, corrected -----------------------------------------------------------------


def test_twice_changes_nothing_and_a_correction_updates(gia_lai: Engine) -> None:
    run(gia_lai, workbook(CF_ASSESSMENTS, ROWS), write=True)
    with gia_lai.connect() as conn:
        version = facts_version(conn)
    again = run(gia_lai, workbook(CF_ASSESSMENTS, ROWS), write=True)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)
    with gia_lai.connect() as conn:
        assert facts_version(conn) == version
    fixed = [list(ROWS[1])]
    fixed[0][2:15] = HIGH  # 23944 scored 910 in 2023, not 690
    summary = run(gia_lai, workbook(CF_ASSESSMENTS, fixed), write=True)
    assert (summary.new, summary.updated) == (0, 1)
    assert [(u.before, u.after, u.label) for u in summary.units] == [
        (690, 910, "RECOGNISED_NEW")
    ]
    (change,) = summary.changes
    assert change.ref == "01/11/2023" and change.unit == "23944"
    assert change.before["status"] == "NOT_RECOGNISED"
    assert change.after["status"] == "RECOGNISED_NEW"
    assert change.after["scores"] == tuple(HIGH)
    assert stored(gia_lai)[("23944", "01/11/2023")]["scores"] == HIGH
    assert audits(gia_lai)[-1]["changes"][0]["round_date"] == "01/11/2023"


BAD = [
    ({0: "01/11/2018"}, ["ô A2", "trước 03/01/2019", "record-assessment"]),
    ({7: 126}, ["ô H2", "tối đa 125"]),
    ({2: -1}, ["ô C2", "không được âm"]),
    ({2: "nhiều"}, ["ô C2", "không phải số nguyên"]),
    ({16: None}, ["ô Q2", "ghi cùng nhau"]),
    ({15: None}, ["ô P2", "ghi cùng nhau"]),
    ({16: "01/10/2023"}, ["ô Q2", "trước ngày đánh giá 01/11/2023"]),
    ({1: "633"}, ["ô B2", "cấp district", "cấp xã"]),
    ({1: "99999"}, ["ô B2", "không có đơn vị mã '99999'"]),
    ({3: None}, ["ô D2", "chưa nhập"]),
]


@pytest.mark.parametrize(("change", "pieces"), BAD)
def test_each_bad_row_is_refused_naming_row_and_column(
    gia_lai: Engine, change, pieces
) -> None:
    bad = list(ROWS[0])
    for col, value in change.items():
        bad[col] = value
    summary = run(gia_lai, workbook(CF_ASSESSMENTS, [bad, ROWS[1]]), write=True)
    assert not summary.written and (summary.refused, summary.problem_count) == (1, 1)
    (text,) = texts(summary)
    assert f"Trang '{CF_SHEET}'" in text and "dòng 2" in text
    for piece in pieces:
        assert piece in text, text
    assert stored(gia_lai) == {}


def test_a_commune_gone_on_the_round_date_and_a_round_twice(gia_lai: Engine) -> None:
    late = ["01/08/2025", "23941", *HIGH, None, None]
    summary = run(
        gia_lai,
        workbook(CF_ASSESSMENTS, [ROWS[0], ROWS[0], late]),
        today=dt.date(2025, 9, 1),
    )
    joined = "\n".join(texts(summary))
    assert "đã có ở dòng 2" in joined
    assert "không tồn tại vào ngày 01/08/2025" in joined


def test_a_district_imports_its_communes_row_by_row(gia_lai: Engine) -> None:
    scope = district(gia_lai)
    rows = [*ROWS, ["01/11/2024", "23590", *HIGH, None, None]]
    summary = run(gia_lai, workbook(CF_ASSESSMENTS, rows), scope=scope)
    assert summary.refused == 1
    (text,) = texts(summary)
    assert "ô B6" in text and "'23590'" in text and "ngoài phạm vi" in text
    ok = run(gia_lai, workbook(CF_ASSESSMENTS, ROWS), scope=scope, write=True)
    assert ok.written and ok.new == 4


# --- the command line -----------------------------------------------------------------


def test_cli_template_and_import(gia_lai: Engine, gia_lai_cli, tmp_path) -> None:
    create_test_users(gia_lai)
    out = tmp_path / "mau.csv"
    result = gia_lai_cli("fact-template", "cf_assessments", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().decode("utf-8-sig").startswith("Ngày đánh giá,Mã xã")
    good = tmp_path / "xa.xlsx"
    good.write_bytes(workbook(CF_ASSESSMENTS, ROWS))
    result = gia_lai_cli(
        "import-facts", "cf_assessments", str(good), "--user", "t_province", "--apply"
    )
    assert result.exit_code == 0, result.output
    assert "23941 Thị trấn Chư Sê (01/11/2023): – → 910 – Công nhận mới" in (
        result.output
    )
    assert "Đã ghi: 4 kết quả đánh giá mới" in result.output
    result = gia_lai_cli(
        "import-facts", "cf_assessments", str(good), "--user", "t_province", "--apply"
    )
    assert "Không có gì thay đổi" in result.output


# --- the import page ------------------------------------------------------------------


def test_the_import_page_offers_and_imports_assessments(own_db, make_app) -> None:
    from layouts import ids
    from tests.test_import_page import _page, _text

    app = make_app(own_db)
    client = signed_client(app, "district")
    layout = _text(_page(app, client, "/import"))
    assert "Đánh giá xã, phường, thị trấn phù hợp với trẻ em" in layout
    xlsx = client.get("/import/template/cf_assessments.xlsx")
    assert xlsx.status_code == 200
    assert CF_SHEET in openpyxl.load_workbook(io.BytesIO(xlsx.data)).sheetnames
    data = workbook(CF_ASSESSMENTS, ROWS[:1])
    answer = test_import_page.check(client, data, name="xa.xlsx", kind="cf_assessments")
    shown = _text(answer[(ids.IMPORT_SUMMARY, "children")])
    assert "23941 Thị trấn Chư Sê (01/11/2023)" in shown
    assert "910 – Công nhận mới" in shown
    pending = answer[(ids.IMPORT_PENDING, "data")]
    done = test_import_page.confirm(client, pending, data)
    assert "Đã ghi: 1 kết quả đánh giá mới" in _text(
        done[(ids.IMPORT_RESULT, "children")]
    )
