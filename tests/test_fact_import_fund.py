"""Importing the fund's own figures: yearly targets (per unit and year) and
bookings (per booking, a transfer naming the giving fund), their templates, the
checks of every row, the dry run, the import and what the fund figures then say
(``data.metrics.fund_progress``), the importer's area, the command line and the
import page."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import Engine, select

from data import fact_import, metrics
from data.fact_import import FUND_BOOKINGS, FUND_TARGETS, ImportRefused
from data.fact_import.spec import BOOKING_SHEET, HELP_SHEET, LIST_SHEET, TARGET_SHEET
from data.metrics.dataset import facts_version
from data.models import AdminUnit, FundContribution, FundTarget
from data.periods import Period
from data.scope import Scope
from tests import test_import_page
from tests.conftest import TEST_USERS, create_test_users, signed_client
from tests.test_fact_import import audits, import_file, texts

own_db = test_import_page.own_db  # its database, Gia Lai's demo data cleared
TODAY = dt.date(2025, 5, 1)
ADMIN = Scope("admin")
MILLION = 1_000_000
TARGET_HEADERS = [c.header for c in FUND_TARGETS.columns]
BOOKING_HEADERS = [c.header for c in FUND_BOOKINGS.columns]
# unit, year, target
TARGETS = [
    ["64", 2024, 4_000 * MILLION],
    ["633 – Huyện Chư Sê", "2024", "350.000.000"],
    ["23941", 2024.0, 0],
]
# ref, day, unit, kind, source, đồng, giving unit
BOOKINGS = [
    ["QBT-001", "15/03/2024", "64", "Tiền mặt", "Doanh nghiệp", 1_000 * MILLION, None],
    ["QBT-002", dt.date(2024, 5, 20), "633", "Hiện vật", "Cá nhân", "800.000.000",
     None],
    ["QBT-003", "2024-01-25", "23941", "cash", "individual", 370 * MILLION, None],
    ["QBT-004", "15/12/2024", "64", "Tiền mặt", "Chuyển từ quỹ cấp dưới/cấp khác",
     150 * MILLION, "633 – Huyện Chư Sê"],
    ["QBT-005", "01/06/2024", "64", "Chương trình hỗ trợ", "transfer",
     50 * MILLION, "VN"],
]  # fmt: skip


def workbook(kind, rows, headers=None) -> bytes:
    """A filled template of ``kind``: the real one with ``rows`` written in."""
    book = openpyxl.load_workbook(io.BytesIO(fact_import.template(kind, "xlsx", [])))
    ws = book[kind.sheet]
    for col, header in enumerate(headers or [c.header for c in kind.columns], 1):
        ws.cell(1, col, header)
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            ws.cell(r, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_file(kind, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(c.header for c in kind.columns)
    for row in rows:
        writer.writerow(
            [
                v.strftime("%d/%m/%Y")
                if isinstance(v, dt.date)
                else int(v)
                if isinstance(v, float)
                else v
                for v in row
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def run(engine, kind, data, scope=ADMIN, write=False, name="quy.xlsx", today=TODAY):
    return import_file(engine, kind, data, scope, write, name, today)


def _codes(engine: Engine) -> dict[int, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(AdminUnit.id, AdminUnit.code)).all())


def targets(engine: Engine) -> dict[tuple[str, int], int]:
    codes = _codes(engine)
    with engine.connect() as conn:
        rows = conn.execute(select(FundTarget.__table__)).all()
    return {(codes[r.unit_id], r.year): r.amount_dong for r in rows}


def bookings(engine: Engine) -> dict[str, tuple]:
    codes = _codes(engine)
    with engine.connect() as conn:
        rows = conn.execute(select(FundContribution.__table__)).all()
    return {
        r.booking_ref: (
            codes[r.unit_id],
            r.contributed_on,
            r.kind,
            r.source_type,
            r.amount_dong,
            codes.get(r.transfer_from_unit_id),
        )
        for r in rows
    }


def province_2024(engine: Engine) -> dict:
    """The fund figures of Gia Lai in 2024, as the map shows them."""
    with engine.connect() as conn:
        frame = metrics.fund_progress(
            conn,
            tree="legacy",
            level="province",
            parent_code="VN",
            period=Period(2024),
            today=TODAY,
        )
    (row,) = frame[frame["code"] == "64"].to_dict("records")
    return row


def _scope(conn, role: str) -> Scope:
    from data import users

    account = users.get_account(conn, username=TEST_USERS[role][0])
    return Scope(account.role, account.scope_unit_id)


def district(engine: Engine) -> Scope:
    create_test_users(engine)
    with engine.connect() as conn:
        return _scope(conn, "district")


# --- the templates --------------------------------------------------------------------


def _lists(book) -> dict[str, list]:
    return {
        col[0].value: [c.value for c in col[1:] if c.value]
        for col in book[LIST_SHEET].iter_cols()
    }


def _rules(ws) -> set[str]:
    return {str(r.sqref)[0] for r in ws.data_validations.dataValidation}


def test_templates_have_headers_instructions_and_drop_downs(gia_lai: Engine) -> None:
    with gia_lai.connect() as conn:
        offered = fact_import.units(conn, ADMIN, FUND_BOOKINGS)
    codes = [u.code for u in offered]
    assert codes[:2] == ["64", "622"] and "23941" in codes and "VN" not in codes
    book = openpyxl.load_workbook(
        io.BytesIO(fact_import.template(FUND_BOOKINGS, "xlsx", offered))
    )
    assert book.sheetnames == [BOOKING_SHEET, LIST_SHEET, HELP_SHEET]
    ws = book[BOOKING_SHEET]
    assert [c.value for c in ws[1]] == BOOKING_HEADERS
    assert BOOKING_HEADERS[:3] == ["Mã khoản", "Ngày", "Mã đơn vị"]
    # units (C and the giver, G, share one list), kind (D), source (E)
    assert _rules(ws) == set("CDEG")
    lists = _lists(book)
    assert "64 – Tỉnh Gia Lai" in lists["Mã đơn vị"]
    assert "633 – Huyện Chư Sê" in lists["Mã đơn vị"]
    assert lists["Hình thức"] == ["Tiền mặt", "Hiện vật", "Chương trình hỗ trợ"]
    assert "Chuyển từ quỹ cấp dưới/cấp khác" in lists["Nguồn"]
    help_text = " ".join(
        str(c.value) for row in book[HELP_SHEET].iter_rows() for c in row if c.value
    )
    assert "một khoản vận động" in help_text and "người đóng góp" in help_text
    assert "Tiền mặt (cash)" in help_text and "(transfer)" in help_text
    assert "đơn vị trong phạm vi" in help_text
    # what the drop-downs offer is what the reader takes
    first = {header: values[0] for header, values in lists.items()}
    row = [first.get(h) for h in BOOKING_HEADERS]
    row[0], row[1], row[5], row[6] = "Q-1", "01/02/2024", 5 * MILLION, None
    summary = run(gia_lai, FUND_BOOKINGS, workbook(FUND_BOOKINGS, [row]))
    assert summary.ok, texts(summary)

    book = openpyxl.load_workbook(
        io.BytesIO(fact_import.template(FUND_TARGETS, "xlsx", offered))
    )
    assert book.sheetnames[0] == TARGET_SHEET
    assert [c.value for c in book[TARGET_SHEET][1]] == TARGET_HEADERS
    assert TARGET_HEADERS == ["Mã đơn vị", "Năm", "Chỉ tiêu (đồng)"]
    assert _rules(book[TARGET_SHEET]) == {"A"}
    for kind, headers in (
        (FUND_TARGETS, TARGET_HEADERS),
        (FUND_BOOKINGS, BOOKING_HEADERS),
    ):
        data = fact_import.template(kind, "csv", [])
        assert data.startswith(b"\xef\xbb\xbf")
        assert next(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == headers


def test_a_district_lists_itself_and_its_communes(gia_lai: Engine) -> None:
    scope = district(gia_lai)
    with gia_lai.connect() as conn:
        codes = [u.code for u in fact_import.units(conn, scope, FUND_TARGETS)]
        with pytest.raises(ImportRefused):
            fact_import.units(conn, _scope(conn, "commune"), FUND_TARGETS)
    assert codes[0] == "633" and "23941" in codes
    assert not {"64", "622", "23590"} & set(codes)


# --- targets --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_targets_dry_run_then_apply_and_the_map_follows(
    gia_lai: Engine, fmt: str
) -> None:
    data = (
        workbook(FUND_TARGETS, TARGETS)
        if fmt == "xlsx"
        else csv_file(FUND_TARGETS, TARGETS)
    )
    assert pd.isna(province_2024(gia_lai)["target"])
    summary = run(gia_lai, FUND_TARGETS, data, name=f"chi-tieu.{fmt}")
    assert summary.ok, texts(summary)
    assert (summary.rows, summary.new, summary.updated) == (3, 3, 0)
    assert summary.measure == "dong"
    assert [(u.code, u.year, u.before, u.after) for u in summary.units] == [
        ("64", 2024, None, 4_000 * MILLION),
        ("633", 2024, None, 350 * MILLION),
        ("23941", 2024, None, 0),
    ]
    assert targets(gia_lai) == {}  # a dry run writes nothing
    done = run(gia_lai, FUND_TARGETS, data, write=True, name=f"chi-tieu.{fmt}")
    assert done.written
    assert targets(gia_lai) == {
        ("64", 2024): 4_000 * MILLION,
        ("633", 2024): 350 * MILLION,
        ("23941", 2024): 0,
    }
    assert province_2024(gia_lai)["target"] == 4_000 * MILLION
    (entry,) = audits(gia_lai)
    assert (entry["kind"], entry["new"]) == ("fund_targets", 3)


def test_targets_twice_change_nothing_and_a_correction_updates(gia_lai: Engine) -> None:
    run(gia_lai, FUND_TARGETS, workbook(FUND_TARGETS, TARGETS), write=True)
    with gia_lai.connect() as conn:
        version = facts_version(conn)
    again = run(gia_lai, FUND_TARGETS, workbook(FUND_TARGETS, TARGETS), write=True)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    with gia_lai.connect() as conn:
        assert facts_version(conn) == version
    fixed = [["64", 2024, "4.200.000.000"], ["64", 2025, 4_500 * MILLION]]
    summary = run(gia_lai, FUND_TARGETS, workbook(FUND_TARGETS, fixed), write=True)
    assert (summary.new, summary.updated, summary.unchanged) == (1, 1, 0)
    assert [(u.year, u.before, u.after) for u in summary.units] == [
        (2024, 4_000 * MILLION, 4_200 * MILLION),
        (2025, None, 4_500 * MILLION),
    ]
    assert targets(gia_lai)[("64", 2024)] == 4_200 * MILLION
    assert province_2024(gia_lai)["target"] == 4_200 * MILLION
    assert audits(gia_lai)[-1]["changes"] == [
        {
            "row": 2,
            "year": "2024",
            "unit": "64",
            "before": {"amount_dong": 4_000 * MILLION},
            "after": {"amount_dong": 4_200 * MILLION},
        }
    ]


BAD_TARGETS = [
    ((2, -5), ["ô C2", "không được âm"]),
    ((2, "1,5"), ["ô C2", "không phải số đồng nguyên"]),
    ((2, 2 * 10**13), ["ô C2", "quá lớn"]),
    ((1, 2009), ["ô B2", "từ 2010 đến 2026"]),
    ((1, "năm ngoái"), ["ô B2", "không phải năm"]),
    ((0, "99999"), ["ô A2", "không có đơn vị mã '99999'"]),
    ((0, "VN"), ["ô A2", "cấp country", "cấp tỉnh, huyện hoặc xã"]),
]


@pytest.mark.parametrize(("change", "pieces"), BAD_TARGETS)
def test_each_bad_target_is_refused_naming_row_and_column(
    gia_lai: Engine, change, pieces
) -> None:
    col, value = change
    bad = list(TARGETS[0])
    bad[col] = value
    rows = [bad, TARGETS[1]]
    summary = run(gia_lai, FUND_TARGETS, workbook(FUND_TARGETS, rows), write=True)
    assert not summary.written and (summary.refused, summary.problem_count) == (1, 1)
    (text,) = texts(summary)
    assert "Trang 'Chỉ tiêu quỹ'" in text and "dòng 2" in text
    for piece in pieces:
        assert piece in text
    assert targets(gia_lai) == {} and audits(gia_lai) == []


def test_a_unit_and_year_twice_and_a_unit_gone_that_year(gia_lai: Engine) -> None:
    rows = [TARGETS[0], ["64", 2024, 1], ["64", 2026, 1]]
    summary = run(gia_lai, FUND_TARGETS, workbook(FUND_TARGETS, rows))
    joined = "\n".join(texts(summary))
    assert "năm 2024 đã có ở dòng 2" in joined
    assert "không tồn tại trong năm 2026" in joined


def test_a_district_sets_its_own_and_its_communes_targets_only(gia_lai: Engine) -> None:
    scope = district(gia_lai)
    rows = [*TARGETS, ["622", 2024, 1]]
    summary = run(gia_lai, FUND_TARGETS, workbook(FUND_TARGETS, rows), scope=scope)
    assert summary.refused == 2
    joined = "\n".join(texts(summary))
    assert "ô A2" in joined and "đơn vị '64'" in joined and "ngoài phạm vi" in joined
    assert "ô A5" in joined and "'622'" in joined
    ok = run(
        gia_lai,
        FUND_TARGETS,
        workbook(FUND_TARGETS, TARGETS[1:]),
        scope=scope,
        write=True,
    )
    assert ok.written and ok.new == 2
    assert set(targets(gia_lai)) == {("633", 2024), ("23941", 2024)}


# --- bookings -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_bookings_dry_run_then_apply_and_the_map_follows(
    gia_lai: Engine, fmt: str
) -> None:
    data = (
        workbook(FUND_BOOKINGS, BOOKINGS)
        if fmt == "xlsx"
        else csv_file(FUND_BOOKINGS, BOOKINGS)
    )
    summary = run(gia_lai, FUND_BOOKINGS, data, name=f"quy.{fmt}")
    assert summary.ok, texts(summary)
    assert (summary.rows, summary.new) == (5, 5)
    assert [(u.code, u.before, u.after) for u in summary.units] == [
        ("64", 0, 1_200 * MILLION),
        ("633", 0, 800 * MILLION),
        ("23941", 0, 370 * MILLION),
    ]
    assert bookings(gia_lai) == {}
    assert run(gia_lai, FUND_BOOKINGS, data, write=True, name=f"quy.{fmt}").written
    stored = bookings(gia_lai)
    assert stored["QBT-002"] == (
        "633", dt.date(2024, 5, 20), "in_kind", "individual", 800 * MILLION, None
    )  # fmt: skip
    assert stored["QBT-004"][3:] == ("transfer", 150 * MILLION, "633")
    assert stored["QBT-005"][2:] == ("programme", "transfer", 50 * MILLION, "VN")
    # the district's 150 million handed to the province is counted once; the 50
    # million from the national fund is money brought in
    figures = province_2024(gia_lai)
    assert figures["total"] == 2_220 * MILLION  # 1,000 + 800 + 370 + 50
    assert (figures["transfer_in"], figures["transfer_within"]) == (
        50 * MILLION,
        150 * MILLION,
    )
    assert figures["in_kind"] == 800 * MILLION


def test_bookings_twice_change_nothing_and_a_correction_updates(
    gia_lai: Engine,
) -> None:
    run(gia_lai, FUND_BOOKINGS, workbook(FUND_BOOKINGS, BOOKINGS), write=True)
    again = run(gia_lai, FUND_BOOKINGS, workbook(FUND_BOOKINGS, BOOKINGS), write=True)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
    assert len(bookings(gia_lai)) == 5
    fixed = [list(BOOKINGS[3])]
    fixed[0][5] = 100 * MILLION  # the district handed 100 million, not 150
    summary = run(
        gia_lai, FUND_BOOKINGS, csv_file(FUND_BOOKINGS, fixed), write=True, name="x.csv"
    )
    assert (summary.new, summary.updated) == (0, 1)
    assert [(u.code, u.before, u.after) for u in summary.units] == [
        ("64", 1_200 * MILLION, 1_150 * MILLION)
    ]
    (change,) = summary.changes
    assert (change.ref, change.unit, change.before, change.after) == (
        "QBT-004",
        "64",
        {"amount_dong": 150 * MILLION},
        {"amount_dong": 100 * MILLION},
    )
    assert bookings(gia_lai)["QBT-004"][4] == 100 * MILLION
    assert province_2024(gia_lai)["transfer_within"] == 100 * MILLION


TRANSFER = BOOKINGS[3]
BAD_BOOKINGS = [
    # (row changed: column index -> value), expected text pieces
    (BOOKINGS[0], {5: -1_000}, ["ô F2", "phải lớn hơn 0"]),
    (BOOKINGS[0], {5: 0}, ["ô F2", "phải lớn hơn 0"]),
    (BOOKINGS[0], {5: 12.5}, ["ô F2", "không phải số đồng nguyên"]),
    (TRANSFER, {6: None}, ["ô G2", "phải ghi mã đơn vị đã chuyển"]),
    (BOOKINGS[0], {6: "633"}, ["ô G2", "chỉ ghi đơn vị chuyển khi nguồn là"]),
    (TRANSFER, {6: "64"}, ["ô G2", "phải khác đơn vị nhận"]),
    (TRANSFER, {6: "99999"}, ["ô G2", "không có đơn vị mã '99999'"]),
    (BOOKINGS[0], {3: "Vàng"}, ["ô D2", "'Vàng' không có trong danh mục"]),
    (BOOKINGS[0], {4: "Xổ số"}, ["ô E2", "'Xổ số'"]),
    (BOOKINGS[0], {1: "01/06/2025"}, ["ô B2", "hôm nay"]),
    (BOOKINGS[0], {1: "31/12/2009"}, ["ô B2", "01/01/2010"]),
    (BOOKINGS[0], {0: None}, ["ô A2", "chưa nhập"]),
    (BOOKINGS[0], {2: "VN"}, ["ô C2", "cấp country"]),
]


@pytest.mark.parametrize(("row", "change", "pieces"), BAD_BOOKINGS)
def test_each_bad_booking_is_refused_naming_row_and_column(
    gia_lai: Engine, row, change, pieces
) -> None:
    bad = list(row)
    for col, value in change.items():
        bad[col] = value
    summary = run(
        gia_lai, FUND_BOOKINGS, workbook(FUND_BOOKINGS, [bad, BOOKINGS[1]]), write=True
    )
    assert not summary.written and (summary.refused, summary.problem_count) == (1, 1)
    (text,) = texts(summary)
    assert "Trang 'Khoản vận động'" in text and "dòng 2" in text
    for piece in pieces:
        assert piece in text, text
    assert bookings(gia_lai) == {} and audits(gia_lai) == []
    assert "row 2" in summary.problems[0].text("en")


def test_a_district_books_in_its_area_only(gia_lai: Engine) -> None:
    """The district may book on itself and its communes, and receive a transfer
    from the province fund (a giver outside its area); not book on the
    province or another district's commune."""
    scope = district(gia_lai)
    rows = [
        BOOKINGS[1],
        BOOKINGS[2],
        ["QBT-010", "01/03/2024", "633", "Tiền mặt", "transfer", 20 * MILLION, "64"],
        BOOKINGS[0],
        ["QBT-011", "01/03/2024", "23590", "Tiền mặt", "Cá nhân", MILLION, None],
    ]
    summary = run(gia_lai, FUND_BOOKINGS, workbook(FUND_BOOKINGS, rows), scope=scope)
    assert summary.refused == 2
    joined = "\n".join(texts(summary))
    assert "ô C5" in joined and "ô C6" in joined and "ngoài phạm vi" in joined
    ok = run(
        gia_lai,
        FUND_BOOKINGS,
        workbook(FUND_BOOKINGS, rows[:3]),
        scope=scope,
        write=True,
    )
    assert ok.written and ok.new == 3
    assert bookings(gia_lai)["QBT-010"][5] == "64"


# --- the command line -----------------------------------------------------------------


def test_cli_templates_and_imports_of_the_fund(
    gia_lai: Engine, gia_lai_cli, tmp_path
) -> None:
    create_test_users(gia_lai)
    out = tmp_path / "mau.xlsx"
    result = gia_lai_cli(
        "fact-template", "fund_bookings", "--out", str(out), "--user", "t_district"
    )
    assert result.exit_code == 0, result.output
    lists = _lists(openpyxl.load_workbook(out))
    assert lists["Mã đơn vị"][0] == "633 – Huyện Chư Sê"
    good = tmp_path / "chi-tieu.xlsx"
    good.write_bytes(workbook(FUND_TARGETS, TARGETS))
    result = gia_lai_cli(
        "import-facts", "fund_targets", str(good), "--user", "t_province", "--apply"
    )
    assert result.exit_code == 0, result.output
    assert "64 Tỉnh Gia Lai (2024): – → 4.000.000.000 đ" in result.output
    assert "Đã ghi: 3 chỉ tiêu mới, 0 chỉ tiêu sửa" in result.output
    result = gia_lai_cli(
        "import-facts", "fund_targets", str(good), "--user", "t_province", "--apply"
    )
    assert "Không có gì thay đổi: mọi chỉ tiêu" in result.output


# --- the import page ------------------------------------------------------------------


def test_the_import_page_offers_and_imports_the_fund(own_db, make_app) -> None:
    """The page offers both fund kinds; a district office sees its units'
    figures in full (the fund's figures are not protected), in đồng, under
    "Đơn vị"; confirming writes."""
    from layouts import ids
    from tests.test_import_page import _page, _text

    app = make_app(own_db)
    client = signed_client(app, "district")
    layout = _text(_page(app, client, "/import"))
    assert "Chỉ tiêu vận động Quỹ bảo trợ trẻ em" in layout
    assert "Các khoản vận động Quỹ bảo trợ trẻ em" in layout
    xlsx = client.get("/import/template/fund_targets.xlsx")
    assert xlsx.status_code == 200
    assert TARGET_SHEET in openpyxl.load_workbook(io.BytesIO(xlsx.data)).sheetnames
    rows = [["633", 2024, "1.234.567.000"]]
    data = workbook(FUND_TARGETS, rows)
    answer = test_import_page.check(
        client, data, name="chi-tieu.xlsx", kind="fund_targets"
    )
    shown = _text(answer[(ids.IMPORT_SUMMARY, "children")])
    assert "Đơn vị" in shown and "633 Huyện Chư Sê (2024)" in shown
    assert "1.234.567.000 đ" in shown and "Hiện có" in shown
    pending = answer[(ids.IMPORT_PENDING, "data")]
    assert pending["kind"] == "fund_targets"
    done = test_import_page.confirm(client, pending, data)
    assert "Đã ghi: 1 chỉ tiêu mới, 0 chỉ tiêu sửa" in _text(
        done[(ids.IMPORT_RESULT, "children")]
    )
