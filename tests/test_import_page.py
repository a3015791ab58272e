"""The import page "Nhập số liệu": who sees it, the templates it hands out, the
check of an uploaded file (nothing written), the confirmed import of that same
file, and what a district office may import."""

from __future__ import annotations

import base64
import io
import json

import openpyxl
import pytest
from sqlalchemy import func, select

from data.db import make_engine, transaction
from data.demo import clear
from data.fact_import.spec import DATA_SHEET
from data.metrics.dataset import facts_version
from data.models import AuditLog, Incident
from layouts import ids
from tests.conftest import post_callback, seeded_copy, signed_client
from tests.test_fact_import import GOOD, workbook

CHECK = [
    (ids.IMPORT_SUMMARY, "children"),
    (ids.IMPORT_PENDING, "data"),
    (ids.IMPORT_CONFIRM, "children"),
    (ids.IMPORT_CONFIRM, "className"),
    (ids.IMPORT_CONFIRM, "disabled"),
    (ids.IMPORT_RESULT, "children"),
    (ids.IMPORT_DEMO, "children"),
]
CONFIRM = [
    (ids.IMPORT_RESULT, "children"),
    (ids.IMPORT_PENDING, "data"),
    (ids.IMPORT_CONFIRM, "className"),
    (ids.IMPORT_CONFIRM, "disabled"),
]


@pytest.fixture(scope="module")
def own_db(pristine_sqlite, tmp_path_factory) -> dict:
    """A seeded database of its own, Gia Lai's demo data cleared: these tests
    import cases into it."""
    conf = seeded_copy(pristine_sqlite, tmp_path_factory.mktemp("imports"))
    engine = make_engine(conf["DATABASE_URL"])
    with transaction(engine) as session:
        clear.clear_province(session, "64", "legacy")
    engine.dispose()
    return conf


@pytest.fixture
def app(own_db, make_app):
    return make_app(own_db)


def _contents(data: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(data).decode()


def check(
    client,
    data: bytes,
    lang: str = "vi",
    name: str = "vu-viec.xlsx",
    kind: str = "incidents",
):
    """The page's check of an uploaded file of ``kind`` (its dry run)."""
    return post_callback(
        client,
        CHECK,
        [(ids.IMPORT_UPLOAD, "contents", _contents(data))],
        [
            (ids.IMPORT_UPLOAD, "filename", name),
            (ids.IMPORT_KIND, "value", kind),
            (ids.IMPORT_LANG, "data", lang),
        ],
    )


def confirm(client, pending, data: bytes, lang: str = "vi"):
    return post_callback(
        client,
        CONFIRM,
        [(ids.IMPORT_CONFIRM, "n_clicks", 1)],
        [
            (ids.IMPORT_PENDING, "data", pending),
            (ids.IMPORT_UPLOAD, "contents", _contents(data)),
            (ids.IMPORT_LANG, "data", lang),
        ],
        partial=True,
    )


def _text(component) -> str:
    """Every string inside a rendered component tree."""
    return json.dumps(component, ensure_ascii=False)


def _count(conf: dict, model, **where) -> int:
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        n = conn.execute(stmt).scalar_one()
    engine.dispose()
    return n


def _version(conf: dict) -> int:
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        version = int(facts_version(conn))
    engine.dispose()
    return version


@pytest.mark.parametrize("role", ["admin", "province", "district"])
def test_importing_roles_see_the_page_and_its_navbar_link(app, role) -> None:
    client = signed_client(app, role)
    layout = _text(_page(app, client, "/import"))
    assert "Nhập số liệu của tỉnh" in layout and ids.IMPORT_UPLOAD in layout
    assert "/import/template/incidents.xlsx" in layout
    assert ids.IMPORT_LINK in _text(_page(app, client, "/"))


def _page(app, client, path: str):
    """The page's layout as Dash pages render it for ``path``."""
    answer = post_callback(
        client,
        [("_pages_content", "children"), ("_pages_store", "data")],
        [("_pages_location", "pathname", path), ("_pages_location", "search", "")],
        partial=True,
    )
    return answer[("_pages_content", "children")]


@pytest.mark.parametrize("role", ["commune", "viewer"])
def test_other_roles_are_told_no_and_get_no_template(app, role) -> None:
    client = signed_client(app, role)
    layout = _text(_page(app, client, "/import"))
    assert "không nhập số liệu" in layout and ids.IMPORT_UPLOAD not in layout
    assert ids.IMPORT_LINK not in _text(_page(app, client, "/"))
    assert client.get("/import/template/incidents.xlsx").status_code == 403
    answer = check(client, workbook(GOOD))  # a crafted upload: refused, no file kept
    assert answer[(ids.IMPORT_PENDING, "data")] is None
    assert "không được nhập số liệu" in _text(answer[(ids.IMPORT_SUMMARY, "children")])


def test_templates_download_with_their_communes_and_are_audited(app, own_db) -> None:
    client = signed_client(app, "district")
    before = _count(own_db, AuditLog, action="facts_template")
    xlsx = client.get("/import/template/incidents.xlsx")
    assert (
        xlsx.status_code == 200
        and "bieu-mau_incidents.xlsx" in (xlsx.headers["Content-Disposition"])
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert DATA_SHEET in book.sheetnames
    csv = client.get("/import/template/incidents.csv")
    assert csv.status_code == 200 and csv.data.startswith(b"\xef\xbb\xbf")
    assert "Mã vụ việc" in csv.data.decode("utf-8-sig")
    assert client.get("/import/template/incidents.pdf").status_code == 404
    assert client.get("/import/template/nothing.xlsx").status_code == 404
    assert _count(own_db, AuditLog, action="facts_template") == before + 2


def test_a_checked_file_writes_nothing_until_confirmed(app, own_db) -> None:
    client = signed_client(app, "province")
    data = workbook(GOOD)
    cases, version = _count(own_db, Incident), _version(own_db)
    answer = check(client, data)
    shown = _text(answer[(ids.IMPORT_SUMMARY, "children")])
    assert "Đã kiểm tra tệp vu-viec.xlsx" in shown and "Sau khi nhập" in shown
    pending = answer[(ids.IMPORT_PENDING, "data")]
    assert pending["kind"] == "incidents" and len(pending["sha256"]) == 64
    assert answer[(ids.IMPORT_CONFIRM, "disabled")] is False
    assert answer[(ids.IMPORT_CONFIRM, "children")] == "Xác nhận nhập 4 dòng"
    assert (_count(own_db, Incident), _version(own_db)) == (cases, version)
    # another file than the one checked: refused, nothing written
    other = workbook(GOOD[:2])
    refused = confirm(client, pending, other)
    assert "Tệp đã khác tệp vừa kiểm tra" in _text(
        refused[(ids.IMPORT_RESULT, "children")]
    )
    assert _count(own_db, Incident) == cases
    done = confirm(client, pending, data)
    assert "Đã ghi: 4 vụ việc mới, 0 vụ việc sửa" in _text(
        done[(ids.IMPORT_RESULT, "children")]
    )
    assert done[(ids.IMPORT_CONFIRM, "disabled")] is True
    assert _count(own_db, Incident) == cases + 4
    assert _version(own_db) == version + 1
    # the same file again: nothing to confirm
    again = check(client, data, lang="en")
    assert again[(ids.IMPORT_CONFIRM, "disabled")] is True
    assert "Nothing to change" in _text(again[(ids.IMPORT_RESULT, "children")])


def test_problems_are_listed_and_a_district_is_refused_row_by_row(app, own_db) -> None:
    client = signed_client(app, "district")
    cases = _count(own_db, Incident)
    refusals = _count(own_db, AuditLog, action="facts_import_refused")
    outside = [["VV-900", "15/03/2024", "23590", "Xâm hại", "Bạo lực", "Nữ",
                "6–10 tuổi", None, None, None, None]]  # fmt: skip
    answer = check(client, workbook(GOOD[:1] + outside), name="sai.xlsx")
    shown = _text(answer[(ids.IMPORT_SUMMARY, "children")])
    assert "Có 1 lỗi" in shown and "ngoài phạm vi của tài khoản" in shown
    assert answer[(ids.IMPORT_PENDING, "data")] is None
    assert answer[(ids.IMPORT_CONFIRM, "disabled")] is True
    personal = check(client, workbook(GOOD, headers=["Họ tên", *GOOD[0][1:]]))
    assert "Họ tên" in _text(personal[(ids.IMPORT_SUMMARY, "children")])
    broken = check(client, b"PK\x03\x04 not really a workbook")
    assert broken[(ids.IMPORT_PENDING, "data")] is None
    assert _count(own_db, Incident) == cases
    # each refused file audited: who, the file's name and hash, not its values
    assert _count(own_db, AuditLog, action="facts_import_refused") == refusals + 3
    assert (
        _count(own_db, AuditLog, action="facts_import_refused", username="t_district")
        >= 3
    )


def test_a_district_learns_nothing_of_the_cases_already_stored(app, own_db) -> None:
    """A district office does not see exact abuse counts: checking a file must not
    tell it how many cases a commune holds, whether a case reference exists, or
    what a stored case says.  A file naming a stored case and one naming a new
    case read the same."""
    province = signed_client(app, "province")
    stored = [["VV-700", "15/03/2024", "23941", "Xâm hại", "Xâm hại tình dục",
               "Nữ", "11–15 tuổi", "Gia đình", None, None, "Có"]]  # fmt: skip
    data = workbook(stored)  # once: a workbook saved again carries a new time
    answer = check(province, data)
    confirm(province, answer[(ids.IMPORT_PENDING, "data")], data)
    district = signed_client(app, "district")
    probe = [["VV-700", "16/03/2024", "23941", "Tai nạn thương tích", "Đuối nước",
              "Nam", "6–10 tuổi", None, None, None, None]]  # fmt: skip
    fresh = [["VV-701", *probe[0][1:]]]
    shown = [
        _text(check(district, workbook(rows))[(ids.IMPORT_SUMMARY, "children")])
        for rows in (probe, fresh)
    ]
    assert shown[0] == shown[1]
    for word in ("Xâm hại tình dục", "Hiện có", "Sau khi nhập", "Sửa", "Không đổi"):
        assert word not in shown[0]
    assert "Hợp lệ" in shown[0] and "không xem số vụ việc đã có" in shown[0]
    answers = [check(district, workbook(rows)) for rows in (probe, fresh)]
    labels = [a[(ids.IMPORT_CONFIRM, "children")] for a in answers]
    assert labels == ["Xác nhận nhập 1 dòng"] * 2
    # the province sees what it replaces
    own = _text(check(province, workbook(probe))[(ids.IMPORT_SUMMARY, "children")])
    assert "VV-700" in own and "AB_SEX" in own
