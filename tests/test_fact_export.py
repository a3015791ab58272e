"""The stored rows of each kind of facts in the import's own form: exported,
then imported back unchanged (every row "unchanged", nothing written); the
template's sheet and headers; the rows of the user's area only; incident cases
and indicator values refused to a role without exact counts; the command line,
the import page's download links and their audit."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
from sqlalchemy import Engine, func, insert, select

from data import fact_import, recognition
from data.db import make_engine, transaction
from data.fact_import import (
    CF_ASSESSMENTS,
    CHILDREN,
    FUND_BOOKINGS,
    FUND_TARGETS,
    INCIDENTS,
    INDICATOR_TARGETS,
    INDICATOR_VALUES,
    ImportRefused,
    export,
)
from data.fact_import.template import offered
from data.metrics.dataset import facts_version
from data.models import (
    AdminUnit,
    AuditLog,
    ChildFriendlyScore,
    FundTarget,
    Incident,
    new_record_key,
)
from data.scope import Scope
from layouts import ids
from tests import (
    test_fact_import,
    test_fact_import_cf,
    test_fact_import_children,
    test_fact_import_fund,
    test_fact_import_indicators,
    test_import_page,
)
from tests.conftest import create_test_users, post_callback, signed_client
from tests.test_fact_import import import_file
from tests.test_fact_import_fund import ADMIN, TODAY, district, workbook
from tests.test_import_page import _page, _text

plan = test_fact_import_indicators.plan  # the indicators defined
# the rows each kind is seeded with (the tests of its import); a reference and a
# comparison ("=") a spreadsheet would take for a formula
SEEDS = {
    INCIDENTS.name: [
        *test_fact_import.GOOD,
        [
            "-005",
            "02/02/2025",
            "23944",
            "Tai nạn thương tích",
            "Ngã",
            "Nam",
            "0-5 tuổi",
            None,
            "Cố ý",
            "Không tử vong",
            "Có",
        ],
    ],  # fmt: skip
    FUND_TARGETS.name: test_fact_import_fund.TARGETS,
    FUND_BOOKINGS.name: test_fact_import_fund.BOOKINGS,
    CHILDREN.name: test_fact_import_children.ROWS,
    CF_ASSESSMENTS.name: test_fact_import_cf.ROWS,
    INDICATOR_TARGETS.name: test_fact_import_indicators.TARGETS,
    INDICATOR_VALUES.name: test_fact_import_indicators.VALUES,
}
KIND_NAMES = sorted(SEEDS)


def run(engine, kind, data, scope=ADMIN, write=False, name="du-lieu.xlsx"):
    return import_file(engine, kind, data, scope, write, name, TODAY)


def seed(engine: Engine, kind) -> int:
    """The kind's seed rows imported; how many."""
    rows = SEEDS[kind.name]
    summary = run(engine, kind, workbook(kind, rows), write=True, name="seed.xlsx")
    assert summary.written, [p.text() for p in summary.problems]
    assert summary.new == len(rows)
    return len(rows)


def table_rows(engine: Engine, kind) -> list[tuple]:
    """Every stored row of the kind (and, for assessments, every score)."""
    with engine.connect() as conn:
        found = sorted(tuple(r) for r in conn.execute(select(kind.store.table)))
        if kind is CF_ASSESSMENTS:
            scores = conn.execute(select(ChildFriendlyScore.__table__))
            found += sorted(tuple(r) for r in scores)
    return found


def exported(engine: Engine, kind, scope=ADMIN, fmt="xlsx", year=None):
    with engine.connect() as conn:
        found = export.rows(conn, scope, kind, year)
        units = fact_import.units(conn, scope, kind)
    return found, export.file(found, fmt, units)


@pytest.fixture
def defined(plan: Engine) -> Engine:
    """Gia Lai with the plan's indicators defined."""
    return plan


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("name", KIND_NAMES)
def test_each_kind_exported_imports_back_unchanged(
    defined: Engine, name: str, fmt: str
) -> None:
    kind = fact_import.KINDS[name]
    n = seed(defined, kind)
    before, version = table_rows(defined, kind), _version(defined)
    found, data = exported(defined, kind, fmt=fmt)
    assert (len(found.rows), found.left_out) == (n, 0)
    dry = run(defined, kind, data, name=f"du-lieu.{fmt}")
    assert dry.ok, [p.text() for p in dry.problems]
    assert (dry.rows, dry.new, dry.updated, dry.unchanged) == (n, 0, 0, n)
    done = run(defined, kind, data, write=True, name=f"du-lieu.{fmt}")
    assert done.written and (done.new, done.updated, done.unchanged) == (0, 0, n)
    assert table_rows(defined, kind) == before
    assert _version(defined) == version
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data))
        ws = book[kind.sheet]
        headers = [c.value for c in ws[1]]
        assert headers == [c.header for c in offered(kind)]
        filled = [r for r in ws.iter_rows(min_row=2, values_only=True) if any(r)]
        assert len(filled) == n
    else:
        text = data.decode("utf-8-sig")
        assert data.startswith(b"\xef\xbb\xbf")
        assert text.splitlines()[0] == ",".join(c.header for c in offered(kind))


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(facts_version(conn))


def test_the_codes_and_dates_are_spelled_as_the_template_spells_them(
    gia_lai: Engine,
) -> None:
    seed(gia_lai, INCIDENTS)
    found, data = exported(gia_lai, INCIDENTS)
    first = found.rows[0]  # the earliest case: VV-001 of 15/03/2024
    assert first == [
        "VV-001",
        dt.date(2024, 3, 15),
        "23941 – Thị trấn Chư Sê",
        "Xâm hại",
        "Bạo lực",
        "Nữ",
        "6–10 tuổi",
        "Gia đình",
        None,
        None,
        "Có",
    ]
    ws = openpyxl.load_workbook(io.BytesIO(data))[INCIDENTS.sheet]
    assert ws["B2"].number_format == "dd/mm/yyyy"
    assert ws["A2"].number_format == "@"
    _, text = exported(gia_lai, INCIDENTS, fmt="csv")
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("VV-001,15/03/2024,23941 – Thị trấn Chư Sê,Xâm hại")
    assert "'-005,02/02/2025" in text.decode("utf-8-sig")  # never a formula
    assert not any("personal" in h for h in lines[0].split(","))


def test_a_district_gets_the_rows_of_its_area(gia_lai: Engine) -> None:
    seed(gia_lai, FUND_TARGETS)
    scope = district(gia_lai)
    found, data = exported(gia_lai, FUND_TARGETS, scope)
    units = [row[0] for row in found.rows]
    assert units == ["633 – Huyện Chư Sê", "23941 – Thị trấn Chư Sê"]
    again = run(gia_lai, FUND_TARGETS, data, scope=scope)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("kind", [INCIDENTS, INDICATOR_VALUES])
def test_a_district_is_refused_case_rows_and_protected_values(
    gia_lai: Engine, kind
) -> None:
    scope = district(gia_lai)
    with gia_lai.connect() as conn, pytest.raises(export.ExportRefused) as refused:
        export.rows(conn, scope, kind)
    assert "không được tải từng dòng" in refused.value.message("vi")
    assert "<5" in refused.value.message("en")


@pytest.mark.parametrize("role", ["commune", "viewer"])
def test_roles_that_do_not_import_export_nothing(gia_lai: Engine, role) -> None:
    with gia_lai.connect() as conn, pytest.raises(ImportRefused):
        export.rows(conn, Scope(role, None), FUND_TARGETS)


def test_rows_the_import_cannot_hold_are_left_out_and_counted(
    gia_lai: Engine,
) -> None:
    seed(gia_lai, INCIDENTS)
    seed(gia_lai, CF_ASSESSMENTS)
    with transaction(gia_lai) as session:
        commune = recognition.unit_id_of(session, tree="legacy", code="23944")
        session.execute(  # a generated case: no reference
            insert(Incident),
            {
                "unit_id": commune,
                "occurred_on": dt.date(2024, 4, 4),
                "category": "injury",
                "type_code": "INJ_FALL",
                "sex": "M",
                "age_band": "0_5",
                "record_key": new_record_key(),
            },
        )
        recognition.record_assessment(  # a decision without its number
            session,
            unit_id=commune,
            round_date=dt.date(2022, 11, 1),
            scores={f"CF{n:02d}": p for n, p in enumerate(test_fact_import_cf.HIGH, 1)},
            decided_on=dt.date(2022, 12, 1),
            today=TODAY,
        )
        recognition.record_assessment(  # a stage the import never gives
            session,
            unit_id=recognition.unit_id_of(session, tree="legacy", code="23941"),
            round_date=dt.date(2021, 11, 1),
            scores={f"CF{n:02d}": p for n, p in enumerate(test_fact_import_cf.LOW, 1)},
            status="SELF_ASSESSED",
            today=TODAY,
        )
    seed(gia_lai, FUND_TARGETS)
    with transaction(gia_lai) as session:
        country = session.execute(
            select(AdminUnit.id).where(AdminUnit.code == "VN")
        ).scalar_one()
        session.execute(  # the national fund's: not a unit the import takes
            insert(FundTarget), {"unit_id": country, "year": 2024, "amount_dong": 9}
        )
    targets, _ = exported(gia_lai, FUND_TARGETS)
    assert (len(targets.rows), targets.left_out) == (3, 1)
    cases, _ = exported(gia_lai, INCIDENTS)
    assert (len(cases.rows), cases.left_out) == (5, 1)
    rounds, data = exported(gia_lai, CF_ASSESSMENTS)
    assert (len(rounds.rows), rounds.left_out) == (4, 2)
    again = run(gia_lai, CF_ASSESSMENTS, data)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)


def test_one_year_at_a_time(gia_lai: Engine) -> None:
    seed(gia_lai, INCIDENTS)
    found, _ = exported(gia_lai, INCIDENTS, year=2025)
    assert [row[0] for row in found.rows] == ["VV-004", "-005"]  # by date
    assert found.rows[1][1] == dt.date(2025, 2, 2)
    seed(gia_lai, CHILDREN)
    assert exported(gia_lai, CHILDREN, year=2023)[0].rows == []


# --- the command line ---------------------------------------------------------------


def test_cli_exports_and_the_file_imports_back(
    gia_lai: Engine, gia_lai_cli, tmp_path
) -> None:
    create_test_users(gia_lai)
    seed(gia_lai, INCIDENTS)
    out = tmp_path / "vu-viec.xlsx"
    result = gia_lai_cli(
        "export-facts", "incidents", "--user", "t_province", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert f"Đã ghi 5 vụ việc vào {out}" in result.output
    result = gia_lai_cli("import-facts", "incidents", str(out), "--user", "t_province")
    assert result.exit_code == 0, result.output
    assert "mới 0, sửa 0, không đổi 5" in result.output
    csv_out = tmp_path / "vu-viec.txt"
    result = gia_lai_cli(
        "export-facts",
        "incidents",
        "--user",
        "t_admin",
        "--out",
        str(csv_out),
        "--format",
        "csv",
        "--year",
        "2024",
    )
    assert result.exit_code == 0, result.output
    assert len(csv_out.read_bytes().decode("utf-8-sig").splitlines()) == 1 + 3
    with gia_lai.connect() as conn:
        rows = conn.execute(
            select(AuditLog.username, AuditLog.detail, AuditLog.remote_addr).where(
                AuditLog.action == "facts_export"
            )
        ).all()
    details = [(r.username, json.loads(r.detail)) for r in rows]
    assert [(user, d["format"], d["rows"], d["year"]) for user, d in details] == [
        ("t_province", "xlsx", 5, None),
        ("t_admin", "csv", 3, 2024),
    ]
    assert all(r.remote_addr == "cli" for r in rows)


def test_cli_refuses_a_district_the_cases(
    gia_lai: Engine, gia_lai_cli, tmp_path
) -> None:
    create_test_users(gia_lai)
    out = tmp_path / "vu-viec.xlsx"
    result = gia_lai_cli(
        "export-facts", "incidents", "--user", "t_district", "--out", str(out)
    )
    assert result.exit_code != 0
    assert "không được tải từng dòng vụ việc" in result.output
    assert not out.exists()
    result = gia_lai_cli(
        "export-facts", "children", "--user", "t_district", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    with gia_lai.connect() as conn:
        n = conn.execute(
            select(func.count()).where(AuditLog.action == "facts_export")
        ).scalar_one()
        assert n == 1
        assert conn.execute(select(func.count()).select_from(AdminUnit)).scalar_one()


# --- the import page ------------------------------------------------------------------

own_db = test_import_page.own_db  # its database, Gia Lai's demo data cleared
KIND_LINKS = [
    (ids.IMPORT_TEMPLATE_XLSX, "href"),
    (ids.IMPORT_TEMPLATE_CSV, "href"),
    (ids.IMPORT_EXPORT_XLSX, "href"),
    (ids.IMPORT_EXPORT_CSV, "href"),
    (ids.IMPORT_EXPORT, "className"),
    (ids.IMPORT_EXPORT_REFUSED, "children"),
    (ids.IMPORT_LARGE_LINK, "href"),
]


def _exports(conf: dict) -> int:
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        n = conn.execute(
            select(func.count()).where(AuditLog.action == "facts_export")
        ).scalar_one()
    engine.dispose()
    return n


def _choose(client, kind: str, lang: str = "vi", year: str = "") -> dict:
    return post_callback(
        client,
        KIND_LINKS,
        [(ids.IMPORT_KIND, "value", kind), (ids.IMPORT_EXPORT_YEAR, "value", year)],
        [(ids.IMPORT_LANG, "data", lang)],
    )


def test_the_page_offers_the_stored_rows_and_they_import_back(own_db, make_app) -> None:
    engine = make_engine(own_db["DATABASE_URL"])
    rows = [[f"P-{r[0]}", *r[1:]] for r in SEEDS[INCIDENTS.name]]
    summary = fact_import.apply(
        engine,
        INCIDENTS,
        workbook(INCIDENTS, rows),
        file_name="seed.xlsx",
        scope=ADMIN,
        user_id=None,
        username="t_admin",
    )
    engine.dispose()
    assert summary.written
    app = make_app(own_db)
    client = signed_client(app, "province")
    layout = _text(_page(app, client, "/import"))
    assert "Tải dữ liệu hiện có (Excel)" in layout
    assert "/import/export/incidents.xlsx?lang=vi" in layout
    links = _choose(client, "fund_bookings", "en")
    assert links[(ids.IMPORT_EXPORT_XLSX, "href")] == (
        "/import/export/fund_bookings.xlsx?lang=en"
    )
    assert links[(ids.IMPORT_EXPORT, "className")] == "mb-2"
    assert links[(ids.IMPORT_EXPORT_REFUSED, "children")] is None
    assert links[(ids.IMPORT_LARGE_LINK, "href")] == (
        "/import/large?kind=fund_bookings&lang=en"
    )
    one_year = _choose(client, "fund_bookings", "vi", "2024")
    assert one_year[(ids.IMPORT_EXPORT_CSV, "href")] == (
        "/import/export/fund_bookings.csv?lang=vi&year=2024"
    )
    assert "2024" in layout and "Mọi năm" in layout
    before = _exports(own_db)
    answer = client.get("/import/export/incidents.xlsx")
    assert answer.status_code == 200
    assert "du-lieu_incidents.xlsx" in answer.headers["Content-Disposition"]
    assert _exports(own_db) == before + 1
    book = openpyxl.load_workbook(io.BytesIO(answer.data))
    ws = book[INCIDENTS.sheet]
    assert [c.value for c in ws[1]] == [c.header for c in offered(INCIDENTS)]
    refs = {r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert refs >= {"P-VV-001", "P-VV-004"}
    check = test_import_page.check(
        client, answer.data, name="du-lieu_incidents.xlsx", kind="incidents"
    )
    assert "Không có gì thay đổi" in _text(check[(ids.IMPORT_RESULT, "children")])
    assert check[(ids.IMPORT_CONFIRM, "disabled")] is True
    year = client.get("/import/export/incidents.csv?year=2025")
    assert year.status_code == 200
    lines = year.data.decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["P-VV-004", "P--005"]


def test_a_district_is_told_why_it_gets_no_case_rows(own_db, make_app) -> None:
    app = make_app(own_db)
    client = signed_client(app, "district")
    layout = _text(_page(app, client, "/import"))  # the first kind: incidents
    assert "mb-2 d-none" in layout and "không được tải từng dòng vụ việc" in layout
    for kind in ("incidents", "indicator_values"):
        links = _choose(client, kind)
        assert links[(ids.IMPORT_EXPORT, "className")] == "mb-2 d-none"
        assert "không được tải từng dòng" in _text(
            links[(ids.IMPORT_EXPORT_REFUSED, "children")]
        )
    before = _exports(own_db)
    refused = client.get("/import/export/incidents.xlsx?lang=en")
    assert refused.status_code == 403
    assert "may not download cases row by row" in refused.get_data(as_text=True)
    assert client.get("/import/export/indicator_values.csv").status_code == 403
    assert _exports(own_db) == before
    links = _choose(client, "children")
    assert links[(ids.IMPORT_EXPORT, "className")] == "mb-2"
    children = client.get("/import/export/children.csv")
    assert children.status_code == 200
    assert children.data.decode("utf-8-sig").startswith("Năm,Mã đơn vị,Số trẻ em")
    assert _exports(own_db) == before + 1


@pytest.mark.parametrize("role", ["commune", "viewer"])
def test_other_roles_get_no_stored_rows(own_db, make_app, role) -> None:
    client = signed_client(make_app(own_db), role)
    assert client.get("/import/export/fund_targets.csv").status_code == 403


def test_the_check_lists_the_stored_rounds_a_file_restates(own_db, make_app) -> None:
    engine = make_engine(own_db["DATABASE_URL"])
    later = fact_import.apply(
        engine,
        CF_ASSESSMENTS,
        workbook(CF_ASSESSMENTS, [test_fact_import_cf.ROWS[2]]),
        file_name="xa-2024.xlsx",
        scope=ADMIN,
        user_id=None,
        username="t_admin",
    )
    engine.dispose()
    assert later.written
    client = signed_client(make_app(own_db), "district")
    data = workbook(CF_ASSESSMENTS, [test_fact_import_cf.ROWS[0]])
    check = test_import_page.check(
        client, data, name="xa-2023.xlsx", kind="cf_assessments"
    )
    assert (
        "Đợt 01/11/2024 của xã 23941 đã lưu sẽ được tính lại theo đợt trước nó "
        "trong tệp: Công nhận mới → Giữ vững công nhận."
    ) in _text(check[(ids.IMPORT_SUMMARY, "children")])
