"""Importing a province's incident cases: the template, the checks of every row
before anything is written, the dry run, the import in one transaction, the
importer's area, the command line."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json

import openpyxl
import pytest
from sqlalchemy import Engine, func, select

from data import fact_import
from data.db import transaction
from data.fact_import import INCIDENTS, ImportRefused
from data.fact_import.spec import DATA_SHEET, HELP_SHEET, LIST_SHEET
from data.metrics.dataset import facts_version
from data.metrics.summary import check as summary_check
from data.models import AuditLog, Incident, IncidentMonth
from data.scope import Scope
from tests.conftest import TEST_USERS, create_test_users

TODAY = dt.date(2025, 5, 1)
HEADERS = [c.header for c in INCIDENTS.columns]
ADMIN = Scope("admin")
# ref, date, commune, category, type, sex, age, setting, intent, outcome, in time
GOOD = [
    ["VV-001", "15/03/2024", "23941", "Xâm hại", "Bạo lực", "Nữ", "6–10 tuổi",
     "Gia đình", None, None, "Có"],
    ["VV-002", dt.date(2024, 6, 2), "23941 – Thị trấn Chư Sê", "Tai nạn thương tích",
     "Đuối nước", "Nam", "11–15 tuổi", None, "Không cố ý", "Tử vong", None],
    ["VV-003", "2024-07-09", "23944", "abuse", "AB_SEX", "F", "11_15", "ONLINE",
     None, None, "không"],
    ["VV-004", "01/02/2025", "23590", "Tai nạn thương tích", "Ngã", "Nữ",
     "0-5 tuổi", None, None, None, None],
]  # fmt: skip


def workbook(rows, headers=HEADERS, sheet=DATA_SHEET) -> bytes:
    """A filled template: the real template with ``rows`` written into it."""
    data = fact_import.template(INCIDENTS, "xlsx", [])
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[DATA_SHEET]
    ws.title = sheet
    for col, header in enumerate(headers, start=1):
        ws.cell(1, col, header)
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            ws.cell(r, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_file(rows, headers=HEADERS, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in row]
        )
    return out.getvalue().encode("utf-8-sig")


def incidents(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(Incident.__table__).order_by(Incident.case_ref))
        return [dict(r._mapping) for r in rows]


def audits(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditLog.detail, AuditLog.username).where(
                AuditLog.action == "facts_import"
            )
        ).all()
    return [{**json.loads(r.detail), "username": r.username} for r in rows]


def import_file(engine, kind, data, scope, write, name, today):
    """The dry run of ``data`` as ``kind`` (or, ``write``, its import) as t_admin
    would run it with ``scope``."""
    if write:
        return fact_import.apply(
            engine,
            kind,
            data,
            file_name=name,
            scope=scope,
            user_id=None,
            username="t_admin",
            today=today,
        )
    return fact_import.dry_run(
        engine, kind, data, file_name=name, scope=scope, today=today, username="t_admin"
    )


def run(engine, data, scope=ADMIN, write=False, name="vu-viec.xlsx", today=TODAY):
    return import_file(engine, INCIDENTS, data, scope, write, name, today)


def texts(summary, lang="vi") -> list[str]:
    return [p.text(lang) for p in summary.problems]


# --- the template ---------------------------------------------------------------------


def test_template_has_headers_instructions_and_drop_downs(gia_lai: Engine) -> None:
    with gia_lai.connect() as conn:
        offered = fact_import.units(conn, ADMIN, INCIDENTS)
    assert {c.code for c in offered} >= {"23941", "23590"}
    book = openpyxl.load_workbook(
        io.BytesIO(fact_import.template(INCIDENTS, "xlsx", offered))
    )
    assert book.sheetnames == [DATA_SHEET, LIST_SHEET, HELP_SHEET]
    ws = book[DATA_SHEET]
    assert [c.value for c in ws[1]] == HEADERS
    assert "Mã vụ việc" in HEADERS and "Ngày xảy ra" in HEADERS
    help_text = " ".join(
        str(c.value) for row in book[HELP_SHEET].iter_rows() for c in row if c.value
    )
    assert "họ tên" in help_text and "Xâm hại (abuse)" in help_text
    assert "Đuối nước (INJ_DROWN)" in help_text
    assert book[LIST_SHEET].sheet_state == "hidden"
    rules = {
        str(rule.sqref).split(":")[0][0]: rule.formula1
        for rule in ws.data_validations.dataValidation
    }
    # every coded column and the commune column: C (commune) .. K (in time)
    assert set(rules) == set("CDEFGHIJK")
    lists = book[LIST_SHEET]
    offered_values = {
        col[0].value: [c.value for c in col[1:] if c.value] for col in lists.iter_cols()
    }
    assert "23941 – Thị trấn Chư Sê" in offered_values["Mã xã"]
    assert offered_values["Giới tính"] == ["Nữ", "Nam"]
    # what the drop-downs offer is what the reader takes
    first = {header: values[0] for header, values in offered_values.items()}
    row = [first.get(h) for h in HEADERS]
    row[0], row[1] = "VV-9", "01/01/2024"
    row[8] = row[9] = None  # the first category is abuse: no intent, no outcome
    summary = run(gia_lai, workbook([row]))
    assert summary.ok, texts(summary)
    assert summary.new == 1


def test_csv_template_is_utf8_with_bom_and_the_same_columns() -> None:
    data = fact_import.template(INCIDENTS, "csv", [])
    assert data.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == HEADERS


def test_district_template_lists_only_its_communes(gia_lai: Engine) -> None:
    create_test_users(gia_lai)
    with gia_lai.connect() as conn:
        district = _scope(conn, "district")
        codes = {c.code for c in fact_import.units(conn, district, INCIDENTS)}
        with pytest.raises(ImportRefused):
            fact_import.units(conn, _scope(conn, "commune"), INCIDENTS)
    assert "23941" in codes and "23590" not in codes


# --- a good file ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_good_file_dry_run_then_apply(gia_lai: Engine, fmt: str) -> None:
    data = workbook(GOOD) if fmt == "xlsx" else csv_file(GOOD, delimiter=";")
    with gia_lai.connect() as conn:
        version = facts_version(conn)
    summary = run(gia_lai, data, name=f"vu-viec.{fmt}")
    assert summary.ok, texts(summary)
    assert (summary.rows, summary.new, summary.updated, summary.unchanged) == (
        4,
        4,
        0,
        0,
    )
    by_code = {c.code: (c.before, c.after) for c in summary.units}
    assert by_code == {"23941": (0, 2), "23944": (0, 1), "23590": (0, 1)}
    assert incidents(gia_lai) == []  # a dry run writes nothing

    done = run(gia_lai, data, write=True, name=f"vu-viec.{fmt}")
    assert done.written and done.new == 4
    rows = incidents(gia_lai)
    assert [r["case_ref"] for r in rows] == ["VV-001", "VV-002", "VV-003", "VV-004"]
    first, second, third, fourth = rows
    assert (first["category"], first["type_code"], first["sex"]) == (
        "abuse",
        "AB_VIOL",
        "F",
    )
    assert (first["age_band"], first["environment"], first["supported_in_time"]) == (
        "6_10",
        "FAMILY",
        True,
    )
    assert first["occurred_on"] == dt.date(2024, 3, 15)
    assert (second["type_code"], second["intent"], second["outcome"]) == (
        "INJ_DROWN",
        "unintentional",
        "fatal",
    )
    assert second["supported_in_time"] is None
    assert third["supported_in_time"] is False and fourth["age_band"] == "0_5"
    assert all(r["record_key"] is not None for r in rows)
    with gia_lai.connect() as conn:
        assert int(facts_version(conn)) == int(version or 0) + 1
    (entry,) = audits(gia_lai)
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert (entry["kind"], entry["new"], entry["updated"]) == ("incidents", 4, 0)
    assert entry["file"] == f"vu-viec.{fmt}" and entry["username"] == "t_admin"


def test_the_same_file_twice_changes_nothing(gia_lai: Engine) -> None:
    data = workbook(GOOD)
    run(gia_lai, data, write=True)
    with gia_lai.connect() as conn:
        version = facts_version(conn)
    before = incidents(gia_lai)
    again = run(gia_lai, data, write=True)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)
    assert incidents(gia_lai) == before
    with gia_lai.connect() as conn:
        assert facts_version(conn) == version  # nothing for caches to refresh
    assert [(a["new"], a["updated"], a["changes"]) for a in audits(gia_lai)] == [
        (4, 0, []),
        (0, 0, []),
    ]


def test_correction_file_updates_the_rows_it_names(gia_lai: Engine) -> None:
    run(gia_lai, workbook(GOOD), write=True)
    fixed = [list(GOOD[0]), list(GOOD[2])]
    fixed[0][6] = "11–15 tuổi"  # VV-001 was older
    summary = run(gia_lai, csv_file(fixed), write=True, name="sua.csv")
    assert (summary.new, summary.updated, summary.unchanged) == (0, 1, 1)
    rows = {r["case_ref"]: r for r in incidents(gia_lai)}
    assert len(rows) == 4 and rows["VV-001"]["age_band"] == "11_15"
    change = audits(gia_lai)[-1]["changes"]
    assert change == [
        {
            "row": 2,
            "case_ref": "VV-001",
            "commune": "23941",
            "before": {"age_band": "6_10"},
            "after": {"age_band": "11_15"},
        }
    ]


def test_imports_keep_the_month_summary_current(gia_lai: Engine) -> None:
    """The map reads incident_month: an import and a correction (another month,
    another category) leave it equal to what the cases give."""
    run(gia_lai, workbook(GOOD), write=True)
    with gia_lai.connect() as conn:
        assert summary_check(conn) is None
        months = conn.execute(select(func.count()).select_from(IncidentMonth)).scalar()
    assert months
    moved = [list(GOOD[0])]
    moved[0][1] = "20/11/2024"
    moved[0][3:6] = ["Tai nạn thương tích", "Đuối nước", "Nam"]
    moved[0][7:10] = [None, "Không cố ý", "Tử vong"]
    assert run(gia_lai, workbook(moved), write=True).updated == 1
    with gia_lai.connect() as conn:
        assert summary_check(conn) is None


# --- bad rows and bad files -----------------------------------------------------------


BAD_ROWS = [
    # (what is changed in GOOD[0]: column index, value), expected text pieces
    ((1, "31/02/2024"), ["ô B2", "không phải ngày"]),
    ((1, "01/01/2009"), ["ô B2", "01/01/2010"]),
    ((1, "01/01/2026"), ["ô B2", "hôm nay"]),
    ((2, "99999"), ["ô C2", "không có đơn vị mã '99999'"]),
    ((2, "633"), ["ô C2", "cấp district"]),
    ((3, "Tai nạn"), ["ô D2", "không có trong danh mục"]),
    ((4, "Đuối nước"), ["ô E2", "không thuộc loại vụ việc"]),
    ((5, "X"), ["ô F2", "'X'"]),
    ((6, "16-18 tuổi"), ["ô G2", "Nhóm tuổi"]),
    ((8, "Cố ý"), ["ô I2", "chỉ ghi với tai nạn thương tích"]),
    ((10, "có lẽ"), ["ô K2", "'có lẽ'"]),
    ((0, None), ["ô A2", "chưa nhập"]),
    ((0, "X" * 33), ["ô A2", "tối đa 32"]),
]


@pytest.mark.parametrize(("change", "pieces"), BAD_ROWS)
def test_each_bad_row_is_refused_naming_row_and_column(
    gia_lai: Engine, change, pieces
) -> None:
    col, value = change
    bad = list(GOOD[0])
    bad[col] = value
    summary = run(gia_lai, workbook([bad, GOOD[1]]), write=True)
    assert not summary.ok and not summary.written
    assert (summary.refused, summary.problem_count) == (1, 1)
    (text,) = texts(summary)
    assert "Trang 'Vụ việc'" in text and "dòng 2" in text
    for piece in pieces:
        assert piece in text
    assert incidents(gia_lai) == [] and audits(gia_lai) == []
    assert "row 2" in summary.problems[0].text("en")


def test_injury_fields_on_abuse_and_setting_on_injury(gia_lai: Engine) -> None:
    abuse, injury = list(GOOD[0]), list(GOOD[1])
    abuse[9] = "Tử vong"
    injury[7] = "Gia đình"
    summary = run(gia_lai, workbook([abuse, injury]))
    assert summary.refused == 2
    joined = "\n".join(texts(summary, "en"))
    assert "J2" in joined and "for injuries only" in joined
    assert "H3" in joined and "for abuse cases only" in joined


def test_duplicate_reference_and_commune_valid_on_the_date(gia_lai: Engine) -> None:
    late = list(GOOD[1])
    late[0], late[1] = "VV-001", "01/07/2025"
    summary = run(gia_lai, workbook([GOOD[0], late]), today=dt.date(2025, 8, 1))
    joined = "\n".join(texts(summary))
    assert "đã có ở dòng 2" in joined
    assert "không tồn tại vào ngày 01/07/2025" in joined
    assert "… – 30/06/2025" in joined


@pytest.mark.parametrize(
    ("header", "what"),
    [
        ("Họ tên", "họ tên"),
        ("Tên trẻ", "họ tên"),
        ("Name", "họ tên"),
        ("Ngày sinh", "ngày sinh"),
        ("Năm sinh", "ngày sinh"),
        ("Số CCCD", "giấy tờ"),
        ("CMND", "giấy tờ"),
        ("Số định danh", "giấy tờ"),
        ("ID", "giấy tờ"),
        ("Địa chỉ", "địa chỉ"),
        ("Số điện thoại", "điện thoại"),
    ],
)
def test_personal_data_column_refuses_the_whole_file(
    gia_lai: Engine, header: str, what: str
) -> None:
    rows = [[*r, "x"] for r in GOOD]
    summary = run(gia_lai, workbook(rows, [*HEADERS, header]), write=True)
    assert summary.rows == 0 and not summary.written
    (text,) = texts(summary)
    assert f"'{header}'" in text and what in text and "ô L1" in text
    assert incidents(gia_lai) == []


def test_unknown_missing_and_doubled_columns(gia_lai: Engine) -> None:
    headers = [*HEADERS[:5], HEADERS[4], *HEADERS[6:], "Ghi chú"]
    summary = run(gia_lai, csv_file([], headers), name="x.csv")
    joined = "\n".join(texts(summary))
    assert "Thiếu cột bắt buộc 'Giới tính'" in joined
    assert "đã có ở cột E" in joined
    assert "Dòng 1, cột L ('Ghi chú')" in joined and "xóa cột" in joined


def test_broken_files_are_refused(gia_lai: Engine) -> None:
    assert texts(run(gia_lai, b"")) == ["Tệp rỗng: chưa có nội dung."]
    latin = "Mã;Ngày\n".encode("latin-1")
    assert "UTF-8" in texts(run(gia_lai, latin, name="x.csv"))[0]
    assert "hỏng" in texts(run(gia_lai, b"PK\x03\x04garbage", name="x.xlsx"))[0]


def test_problems_are_capped_and_counted(gia_lai: Engine) -> None:
    rows = [
        [f"R{i}", "bad", "23941", "Xâm hại", "Bạo lực", "Nữ", "0_5"] for i in range(250)
    ]
    summary = run(gia_lai, workbook(rows, HEADERS[:7]))
    assert summary.problem_count == 250 and len(summary.problems) == 200
    assert summary.refused == 250


# --- the importer's area --------------------------------------------------------------


def _scope(conn, role: str) -> Scope:
    from data import users

    account = users.get_account(conn, username=TEST_USERS[role][0])
    return Scope(account.role, account.scope_unit_id)


def test_district_imports_its_own_communes_only(gia_lai: Engine) -> None:
    create_test_users(gia_lai)
    with gia_lai.connect() as conn:
        district = _scope(conn, "district")
    summary = run(gia_lai, workbook(GOOD), scope=district, write=True)
    assert summary.refused == 1 and not summary.written
    (text,) = texts(summary)
    assert "ô C5" in text and "23590" in text and "ngoài phạm vi" in text
    assert incidents(gia_lai) == []
    ok = run(gia_lai, workbook(GOOD[:3]), scope=district, write=True)
    assert ok.written and ok.new == 3


@pytest.mark.parametrize("role", ["commune", "viewer"])
def test_commune_and_viewer_may_not_import(gia_lai: Engine, role: str) -> None:
    create_test_users(gia_lai)
    with gia_lai.connect() as conn:
        scope = _scope(conn, role)
    with pytest.raises(ImportRefused) as caught:
        run(gia_lai, workbook(GOOD), scope=scope, write=True)
    assert f"'{role}'" in caught.value.message("vi")
    assert incidents(gia_lai) == []


# --- the command line -----------------------------------------------------------------


def test_cli_template_dry_run_and_apply(gia_lai: Engine, gia_lai_cli, tmp_path) -> None:
    create_test_users(gia_lai)
    out = tmp_path / "mau.xlsx"
    result = gia_lai_cli("fact-template", "incidents", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames[0] == DATA_SHEET
    result = gia_lai_cli(
        "fact-template",
        "incidents",
        "--out",
        str(tmp_path / "m.csv"),
        "--user",
        "t_district",
    )
    assert (
        result.exit_code == 0
        and (tmp_path / "m.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    )
    assert (
        gia_lai_cli(
            "fact-template", "incidents", "--out", str(out), "--user", "t_viewer"
        ).exit_code
        != 0
    )

    good = tmp_path / "vu-viec.xlsx"
    good.write_bytes(workbook(GOOD))
    result = gia_lai_cli("import-facts", "incidents", str(good), "--user", "t_province")
    assert result.exit_code == 0, result.output
    assert "mới 4" in result.output and "chưa ghi gì" in result.output
    assert incidents(gia_lai) == []
    result = gia_lai_cli(
        "import-facts", "incidents", str(good), "--user", "t_province", "--apply"
    )
    assert result.exit_code == 0, result.output
    assert "Đã ghi: 4 vụ việc mới" in result.output
    assert len(incidents(gia_lai)) == 4
    result = gia_lai_cli(
        "import-facts", "incidents", str(good), "--user", "t_province", "--apply"
    )
    assert "Không có gì thay đổi" in result.output

    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(workbook([[*GOOD[0][:5], "X", *GOOD[0][6:]]]))
    result = gia_lai_cli(
        "import-facts", "incidents", str(bad), "--user", "t_province", "--apply"
    )
    assert result.exit_code != 0
    assert "ô F2" in result.output and "Chưa ghi gì" in result.output
    result = gia_lai_cli("import-facts", "incidents", str(good), "--user", "t_commune")
    assert result.exit_code != 0 and "'commune'" in result.output


def test_the_row_date_picks_the_tree_of_a_commune_code(gia_lai: Engine) -> None:
    """A code of both trees (as GSO codes may be) names the legacy commune until
    30/06/2025 and the new one from 01/07/2025."""
    from sqlalchemy import insert

    from data.models import AdminUnit

    base = {"kind": "xã", "short_name": "x", "source": "test"}
    with transaction(gia_lai) as session:
        province = session.execute(
            insert(AdminUnit)
            .values(tree="2025", code="64", level="province", name="Gia Lai", **base)
            .returning(AdminUnit.id)
        ).scalar_one()
        session.execute(
            insert(AdminUnit).values(
                tree="2025",
                code="23944",
                level="commune",
                name="Xã Mới",
                parent_id=province,
                valid_from=dt.date(2025, 7, 1),
                **base,
            )
        )
    before, after = list(GOOD[2]), list(GOOD[2])
    after[0], after[1] = "VV-NEW", "01/08/2025"
    summary = run(
        gia_lai, workbook([before, after]), write=True, today=dt.date(2025, 9, 1)
    )
    assert summary.ok, texts(summary)
    trees = {c.name: (c.before, c.after) for c in summary.units}
    assert trees == {"Xã Ia Tiêm": (0, 1), "Xã Mới": (0, 1)}


# --- a refused file is audited --------------------------------------------------------


def refused_audits(engine: Engine) -> list[tuple[dict, str | None, str | None, str]]:
    """(detail, username, remote address, the detail as stored) of each refusal."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditLog.detail, AuditLog.username, AuditLog.remote_addr)
            .where(AuditLog.action == "facts_import_refused")
            .order_by(AuditLog.id)
        ).all()
    return [(json.loads(r.detail), r.username, r.remote_addr, r.detail) for r in rows]


def test_a_refused_file_is_audited_without_its_values(gia_lai: Engine) -> None:
    bad = list(GOOD[0])
    bad[5] = "Giới tính X"
    data = workbook([bad, GOOD[1]])
    assert not run(gia_lai, data).ok
    assert not run(gia_lai, data, write=True).written
    personal = workbook([[*GOOD[0], "Nguyễn Văn An"]], [*HEADERS, "Họ tên"])
    assert not run(gia_lai, personal, write=True, name="ho-ten.xlsx").written
    entries = refused_audits(gia_lai)
    assert [
        (d["kind"], d["file"], d["dry_run"], d["problems"], d["rows"], d["refused"])
        for d, *_ in entries
    ] == [
        ("incidents", "vu-viec.xlsx", True, 1, 2, 1),
        ("incidents", "vu-viec.xlsx", False, 1, 2, 1),
        ("incidents", "ho-ten.xlsx", False, 1, 0, 0),
    ]
    assert entries[0][0]["sha256"] == hashlib.sha256(data).hexdigest()
    for _detail, username, _addr, stored in entries:
        assert username == "t_admin"
        for value in ("Giới tính X", "VV-001", "23941", "Nguyễn Văn An", "Họ tên"):
            assert value not in stored
    run(gia_lai, workbook(GOOD))  # a good file: no refusal
    assert len(refused_audits(gia_lai)) == 3


def test_the_command_line_audits_a_refused_file(
    gia_lai: Engine, gia_lai_cli, tmp_path
) -> None:
    create_test_users(gia_lai)
    bad = tmp_path / "sai.csv"
    bad.write_bytes(csv_file([[*GOOD[0][:5], "X", *GOOD[0][6:]]]))
    for extra in ((), ("--apply",)):
        result = gia_lai_cli(
            "import-facts", "incidents", str(bad), "--user", "t_district", *extra
        )
        assert result.exit_code != 0
    entries = refused_audits(gia_lai)
    assert [(d["file"], d["dry_run"], u, a) for d, u, a, _ in entries] == [
        ("sai.csv", True, "t_district", "cli"),
        ("sai.csv", False, "t_district", "cli"),
    ]
