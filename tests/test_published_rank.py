"""Published ranks (PCRI): stored and shown exactly as entered, never recomputed.

The schema, the checks, replacing a round, who may enter one (on the server), the
text on the ranking page in both languages, and the command line; every database
test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from data import audit, db, migrate, published, users
from data.db import Busy, lock, make_engine, transaction
from data.models import AdminUnit, PublishedRank
from data.periods import today_vn
from data.scope import Scope
from data.units import load_legacy_tree
from layouts import ids
from layouts.i18n import published_error
from tests.conftest import TEST_USERS, sign_in
from tests.test_ranking_page import rank as ranking_response

SOURCE = "Bộ LĐ-TB&XH, 17/6/2014"


def _id(conn, code: str, tree: str = "legacy") -> int:
    found = published.unit_id_of(conn, tree=tree, code=code)
    assert found is not None, code
    return found


def enter(engine: Engine, code: str = "64", **values):
    """Enter a rank for legacy unit ``code`` (defaults: PCRI 2016–2017, 45/63)."""
    entry = {
        "round_label": "2016–2017",
        "rank": 45,
        "out_of": 63,
        "source": SOURCE,
        "user_id": None,
        **values,
    }
    with transaction(engine) as session:
        return published.enter_rank(session, unit_id=_id(session, code), **entry)


def stored(engine: Engine) -> list[tuple]:
    table = PublishedRank.__table__
    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                select(
                    table.c.unit_id, table.c.round_label, table.c.rank, table.c.out_of
                ).order_by(table.c.id)
            )
        ]


# --- the table ------------------------------------------------------------------------


@pytest.fixture(params=["models", "migrations"])
def schema(request, backend_url: str):
    """An empty database on each backend, its schema from the models or from the
    migrations (the CHECKs must be in both), with one province and one district."""
    engine = make_engine(backend_url)
    if request.param == "models":
        from data.models import Base

        Base.metadata.create_all(engine)
    else:
        migrate.upgrade(engine)
    unit = {"tree": "legacy", "kind": "tỉnh", "source": "test", "short_name": "x"}
    with engine.begin() as conn:
        conn.execute(
            insert(AdminUnit.__table__),
            [
                {**unit, "id": 1, "code": "64", "level": "province", "name": "Gia Lai"},
                {**unit, "id": 2, "code": "633", "level": "district", "name": "Chư Sê"},
            ],
        )
    yield engine
    engine.dispose()


ROW = {
    "unit_id": 1,
    "index_code": "pcri",
    "round_label": "2016–2017",
    "rank": 45,
    "out_of": 63,
    "source": SOURCE,
    "entered_at": dt.datetime(2026, 3, 5, tzinfo=dt.UTC),
}


@pytest.mark.parametrize(
    "bad",
    [
        {"rank": 0},
        {"rank": 64},  # more than out_of
        {"index_code": "other"},
        {"source": ""},
        {"round_label": ""},
        {"unit_id": 99},
    ],
)
def test_the_table_refuses_what_cannot_be_a_published_rank(schema, bad) -> None:
    with pytest.raises(IntegrityError), schema.begin() as conn:
        conn.execute(insert(PublishedRank.__table__), [{**ROW, **bad}])


def test_one_row_per_unit_index_and_round(schema) -> None:
    with schema.begin() as conn:
        conn.execute(insert(PublishedRank.__table__), [ROW])
        # another round, another unit: both fine
        conn.execute(
            insert(PublishedRank.__table__),
            [{**ROW, "round_label": "2012–2013"}, {**ROW, "unit_id": 2}],
        )
    with pytest.raises(IntegrityError), schema.begin() as conn:
        conn.execute(insert(PublishedRank.__table__), [{**ROW, "rank": 1}])


def test_the_migration_adds_and_removes_the_table(backend_url: str) -> None:
    from sqlalchemy import inspect

    engine = make_engine(backend_url)
    try:
        migrate.upgrade(engine, "0004")
        assert "published_rank" not in inspect(engine).get_table_names()
        migrate.upgrade(engine)
        assert "published_rank" in inspect(engine).get_table_names()
        migrate.downgrade(engine, "0004")
        assert "published_rank" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()


# --- entering a rank ------------------------------------------------------------------


def test_entered_as_given_and_audited(gia_lai: Engine) -> None:
    done = enter(gia_lai)
    assert (done.unit_name, done.round_label, done.rank, done.out_of) == (
        "Tỉnh Gia Lai",
        "2016–2017",
        45,
        63,
    )
    assert done.replaced is None
    with gia_lai.connect() as conn:
        rows = published.published_ranks(conn, [_id(conn, "64")])
        audited = audit.rows(conn, action="published_rank")
    assert len(rows) == 1
    row = rows[0]
    assert (row["rank"], row["out_of"], row["source"]) == (45, 63, SOURCE)
    assert row["entered_at"].tzinfo is not None and row["entered_on"] == today_vn()
    detail = json.loads(audited[0]["detail"])
    assert detail == {
        "index": "pcri",
        "unit": "64",
        "tree": "legacy",
        "round": "2016–2017",
        "rank": 45,
        "out_of": 63,
        "source": SOURCE,
    }


def test_entering_the_same_round_again_replaces_it(gia_lai: Engine) -> None:
    enter(gia_lai)
    again = enter(gia_lai, round_label="2016-2017", rank=40, source="sửa lại")
    assert again.replaced == {"rank": 45, "out_of": 63, "source": SOURCE}
    assert [r[1:] for r in stored(gia_lai)] == [("2016–2017", 40, 63)]
    with gia_lai.connect() as conn:
        audited = audit.rows(conn, action="published_rank")
    assert json.loads(audited[0]["detail"])["replaced"]["rank"] == 45
    assert len(audited) == 2


def test_saves_at_once_audit_what_each_really_replaced(gia_lai: Engine) -> None:
    """Eight saves of one round at once: none fails, and the audit log chains
    them: each replaced exactly what the one before it wrote."""
    enter(gia_lai, rank=1)
    written = list(range(2, 10))
    start = threading.Barrier(len(written))
    done: list = []
    errors: list = []

    def save(rank: int) -> None:
        try:
            start.wait()
            done.append(enter(gia_lai, rank=rank))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(r,)) for r in written]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with gia_lai.connect() as conn:
        audited = audit.rows(conn, action="published_rank")
    details = [json.loads(r["detail"]) for r in sorted(audited, key=lambda r: r["id"])]
    assert len(details) == 1 + len(written)
    chain = [d["rank"] for d in details]
    assert [d["replaced"]["rank"] for d in details[1:]] == chain[:-1]
    replaced = {d.replaced["rank"] for d in done}
    assert replaced | {1} == ({1} | set(written)) - {chain[-1]}
    assert [r[2] for r in stored(gia_lai)] == [chain[-1]]


def test_first_saves_of_a_round_at_once(gia_lai: Engine) -> None:
    """No row yet: one save inserts it, the others replace it; none fails on the
    one-row-per-round key."""
    written = list(range(1, 7))
    start = threading.Barrier(len(written))
    done: list = []
    errors: list = []

    def save(rank: int) -> None:
        try:
            start.wait()
            done.append(enter(gia_lai, rank=rank))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(r,)) for r in written]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(d.replaced is None for d in done) == 1
    assert len(stored(gia_lai)) == 1


def test_newest_round_first_and_districts_by_code(gia_lai: Engine) -> None:
    for label in ("2012–2013", "2020", "2016–2017"):
        enter(gia_lai, round_label=label)
    enter(gia_lai, "633", round_label="2020", rank=3, out_of=17)
    with gia_lai.connect() as conn:
        rows = published.published_ranks(conn, [_id(conn, "64")])
        under = published.published_under(conn, tree="legacy", parent_code="64")
    assert [r["round_label"] for r in rows] == ["2020", "2016–2017", "2012–2013"]
    assert list(under) == ["633"] and under["633"][0]["rank"] == 3


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("2016–2017", "2016–2017"),
        ("2016-2017", "2016–2017"),
        (" 2016 / 2017 ", "2016–2017"),
        ("2020", "2020"),
    ],
)
def test_a_round_is_kept_in_one_form(typed: str, kept: str) -> None:
    assert published.normal_round(typed) == kept


@pytest.mark.parametrize(
    ("values", "field", "problem", "vi", "en"),
    [
        ({"rank": 0}, "rank", "too_small", "Hạng", "Rank"),
        ({"rank": "-3"}, "rank", "too_small", "Hạng", "Rank"),
        ({"rank": 4.5}, "rank", "not_whole", "số nguyên", "whole number"),
        ({"rank": True}, "rank", "not_whole", "Hạng", "Rank"),
        ({"rank": None}, "rank", "missing", "Hạng", "Rank"),
        ({"out_of": 40}, "out_of", "below_rank", "Trên tổng số", "Out of"),
        ({"out_of": 10_001}, "out_of", "too_large", "10.000", "10,000"),
        ({"out_of": ""}, "out_of", "missing", "Trên tổng số", "Out of"),
        ({"round_label": ""}, "round", "missing", "Kỳ", "Round"),
        ({"round_label": "kỳ 2"}, "round", "format", "Kỳ", "Round"),
        ({"round_label": "2017–2016"}, "round", "format", "Kỳ", "Round"),
        ({"round_label": "2010–2020"}, "round", "format", "Kỳ", "Round"),
        ({"round_label": "2026"}, "round", "outside_unit", "1/7/2025", "1 July 2025"),
        ({"source": "  "}, "source", "missing", "Nguồn", "Source"),
        ({"source": "x" * 256}, "source", "too_long", "Nguồn", "Source"),
        ({"user_id": 999_999}, "user", "unknown", "Tài khoản", "account"),
        ({"index_code": "hdi"}, "index", "unknown", "PCRI", "PCRI"),
    ],
)
def test_every_field_is_checked_and_named(
    gia_lai: Engine, values, field, problem, vi, en
) -> None:
    with pytest.raises(published.PublishedRankError) as caught:
        enter(gia_lai, **values)
    assert (caught.value.field, caught.value.problem) == (field, problem)
    assert str(caught.value) == f"{field}: {problem}"  # codes, in no language
    assert vi in published_error(field, problem, "vi")
    assert en in published_error(field, problem, "en")
    assert stored(gia_lai) == []  # nothing written
    with gia_lai.connect() as conn:
        assert audit.rows(conn, action="published_rank") == []


def test_only_provinces_and_districts(gia_lai: Engine) -> None:
    with pytest.raises(published.PublishedRankError) as caught:
        enter(gia_lai, "23941")  # Thị trấn Chư Sê: a commune
    assert (caught.value.field, caught.value.problem) == ("unit", "level")
    with (
        pytest.raises(published.PublishedRankError) as caught,
        transaction(gia_lai) as session,
    ):
        published.enter_rank(
            session,
            unit_id=-1,
            round_label="2020",
            rank=1,
            out_of=2,
            source="s",
            user_id=None,
        )
    assert caught.value.field == "unit"


# --- who may enter --------------------------------------------------------------------


@pytest.fixture
def two_provinces(engine: Engine) -> Engine:
    """Gia Lai (64) and Bình Định (52) of the legacy tree, and one province account
    for each."""
    with transaction(engine) as session:
        load_legacy_tree(session, ["64", "52"])
        for code in ("64", "52"):
            users.create_user(
                session,
                username=f"tinh{code}",
                password="correct-horse-battery-2026",
                role="province",
                unit_code=code,
            )
    return engine


def _scope(conn, role: str, username: str | None = None) -> Scope:
    if username is None:
        return Scope(role)
    account = users.get_account(conn, username=username)
    return Scope(account.role, account.scope_unit_id)


def test_admins_and_province_accounts_in_their_province(two_provinces: Engine) -> None:
    with two_provinces.connect() as conn:
        gia_lai, binh_dinh = _id(conn, "64"), _id(conn, "52")
        chu_se = _id(conn, "633")
        own = _scope(conn, "province", "tinh64")
        other = _scope(conn, "province", "tinh52")
        assert published.may_enter(conn, Scope("admin"), binh_dinh)
        assert published.may_enter(conn, Scope("province"), binh_dinh)  # no unit
        assert published.may_enter(conn, own, gia_lai)
        assert published.may_enter(conn, own, chu_se)
        assert not published.may_enter(conn, own, binh_dinh)
        assert not published.may_enter(conn, other, chu_se)
        for role in ("district", "commune", "viewer"):
            assert not published.may_enter(conn, Scope(role, chu_se), chu_se)
            units = published.entry_units(conn, Scope(role), tree="legacy", code="64")
            assert units == []
        assert not published.may_enter(conn, None, gia_lai)
        units = published.entry_units(conn, own, tree="legacy", code="633")
        assert [u["code"] for u in units][:1] == ["64"] and len(units) == 18
        assert {u["level"] for u in units[1:]} == {"district"}
        assert published.entry_units(conn, other, tree="legacy", code="64") == []


# --- the ranking page -----------------------------------------------------------------


def _clear(conf: dict) -> None:
    engine = make_engine(conf["DATABASE_URL"])
    try:
        with engine.begin() as conn:
            conn.execute(delete(PublishedRank))
    finally:
        engine.dispose()


@pytest.fixture
def app(seeded, make_app):
    """The seeded app; the published ranks a test enters are removed afterwards
    (the seeded database is shared by the whole session)."""
    _clear(seeded)
    yield make_app(seeded)
    _clear(seeded)


def client_as(app, role: str):
    client = app.server.test_client()
    assert sign_in(client, role).status_code == 302
    return client


def _post(client, outputs, inputs, state):
    """POST a callback as the page does; its response (None: 204, no update)."""
    many = len(outputs) > 1
    specs = [{"id": c, "property": p} for c, p in outputs]
    payload = {
        "output": (
            ".." + "...".join(f"{c}.{p}" for c, p in outputs) + ".."
            if many
            else f"{outputs[0][0]}.{outputs[0][1]}"
        ),
        "outputs": specs if many else specs[0],
        "inputs": [{"id": c, "property": p, "value": v} for c, p, v in inputs],
        "state": [{"id": c, "property": p, "value": v} for c, p, v in state],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code in (200, 204), response.data[:300]
    if response.status_code == 204:
        return None
    return response.get_json()["response"]


def save(client, unit="legacy:64", lang="vi", **values):
    """Press Save on the form with these values (defaults: 2016–2017, 45/63)."""
    entry = {"round": "2016–2017", "rank": 45, "out_of": 63, "source": SOURCE}
    entry.update(values)
    return _post(
        client,
        [(ids.RANK_PR_MESSAGE, "children"), (ids.RANK_SAVED, "data")],
        [(ids.RANK_PR_SAVE, "n_clicks", 1)],
        [
            (ids.RANK_PR_UNIT, "value", unit),
            (ids.RANK_PR_ROUND, "value", entry["round"]),
            (ids.RANK_PR_RANK, "value", entry["rank"]),
            (ids.RANK_PR_OUT_OF, "value", entry["out_of"]),
            (ids.RANK_PR_SOURCE, "value", entry["source"]),
            (ids.RANK_SAVED, "data", 0),
            (ids.RANK_LANG, "data", lang),
        ],
    )


def shown(client, unit="64", period="2024", lang="vi") -> str:
    """The published ranks under the PCRI note, as text."""
    response = _post(
        client,
        [(ids.RANK_PUBLISHED, "children")],
        [(ids.RANK_PERIOD, "value", period), (ids.RANK_SAVED, "data", 1)],
        [(ids.RANK_UNIT, "data", unit), (ids.RANK_LANG, "data", lang)],
    )
    return json.dumps(response, ensure_ascii=False)


def _text(response) -> str:
    return json.dumps(response, ensure_ascii=False)


def _count(conf: dict) -> int:
    engine = make_engine(conf["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return conn.execute(
                select(func.count()).select_from(PublishedRank)
            ).scalar()
    finally:
        engine.dispose()


def test_a_province_user_enters_a_rank_and_the_page_shows_it_as_given(
    app, seeded
) -> None:
    client = client_as(app, "province")
    saved = _text(save(client))
    assert "Đã lưu: PCRI kỳ 2016–2017 của Tỉnh Gia Lai: hạng 45/63." in saved
    assert '"rank-saved": {"data": 1}' in saved
    day = today_vn()
    assert (
        "PCRI công bố, kỳ 2016–2017: hạng 45/63 (nguồn: Bộ LĐ-TB&XH, 17/6/2014; "
        f"nhập ngày {day:%d/%m/%Y})"
    ) in shown(client)
    assert (
        "Published PCRI, round 2016–2017: rank 45/63 (source: Bộ LĐ-TB&XH, "
        f"17/6/2014; entered {day.day} {day:%b} {day.year})"
    ) in shown(client, lang="en")
    # every role sees it (a published figure, no commune's detail)
    assert "hạng 45/63" in shown(client_as(app, "viewer"))

    again = _text(save(client, rank=44, lang="en"))
    assert "rank 44/63" in again
    assert "This replaces the rank 45/63 entered before for this round." in again
    assert "hạng 44/63" in shown(client) and "45/63" not in shown(client)
    assert _count(seeded) == 1


def test_a_save_kept_waiting_says_so_and_writes_nothing(
    app, seeded, monkeypatch
) -> None:
    def busy(*_args: object) -> None:
        raise Busy("published_rank")

    monkeypatch.setattr(published, "lock", busy)
    said = _text(save(client_as(app, "province")))
    assert "Hệ thống đang bận lưu một lần nhập khác của kỳ này; chưa lưu gì." in said
    assert '"rank-saved"' not in said
    assert _count(seeded) == 0


def test_a_refused_entry_says_why_and_writes_nothing(app, seeded) -> None:
    client = client_as(app, "admin")
    text = _text(save(client, out_of=40))
    assert "Trên tổng số: không được nhỏ hơn hạng." in text
    assert "rank-saved" not in text  # nothing to refresh
    assert "Out of: may not be less than the rank." in _text(
        save(client, out_of=40, lang="en")
    )
    assert "Đơn vị" in _text(save(client, unit="legacy:23941"))  # a commune
    assert "Đơn vị" in _text(save(client, unit="legacy:nothing"))
    # the new Gia Lai (1 July 2025) has no rank for 2016–2017: its predecessors do
    assert "1/7/2025" in _text(save(client, unit="2025:52"))
    assert _count(seeded) == 0


@pytest.mark.parametrize("role", ["district", "commune", "viewer"])
def test_other_roles_cannot_save(app, seeded, role) -> None:
    client = client_as(app, role)
    assert save(client) is None  # 204: nothing happens
    assert save(client, unit="legacy:633") is None
    assert _count(seeded) == 0


def test_district_ranks_in_the_ranking_table(app) -> None:
    admin = client_as(app, "admin")
    without = ranking_response(admin, "64", "2024")
    assert "PCRI công bố" not in without  # no district has one: no empty column
    assert "Đã lưu" in _text(
        save(admin, unit="legacy:633", round="2020", rank=3, out_of=17)
    )
    table = ranking_response(client_as(app, "district"), "64", "2024")
    assert "PCRI công bố" in table and "3/17 (2020)" in table
    assert table.count('"type": "rank-row"') == 17  # not a rank of the composite
    # the district's page shows its own rank as given
    assert "PCRI công bố, kỳ 2020: hạng 3/17" in shown(admin, unit="633")
    assert "3/17" not in shown(admin, unit="64")  # not the province's


def test_the_unit_list_follows_the_period(app) -> None:
    def choices(client, period):
        return _post(
            client,
            [(ids.RANK_PR_UNIT, "options"), (ids.RANK_PR_UNIT, "value")],
            [(ids.RANK_PERIOD, "value", period)],
            [(ids.RANK_UNIT, "data", "64")],
        )

    legacy = choices(client_as(app, "province"), "2024")[ids.RANK_PR_UNIT]
    assert legacy["value"] == "legacy:64"
    assert len(legacy["options"]) == 18  # Gia Lai and its 17 districts
    assert legacy["options"][0] == {"label": "Tỉnh Gia Lai", "value": "legacy:64"}
    new = choices(client_as(app, "admin"), "2026")[ids.RANK_PR_UNIT]
    assert [o["value"] for o in new["options"]] == ["2025:52"]  # no districts
    assert choices(client_as(app, "district"), "2024") is None


@pytest.mark.parametrize(
    ("role", "form"),
    [("admin", True), ("province", True), ("district", False), ("viewer", False)],
)
def test_the_form_only_for_admin_and_province(app, role, form) -> None:
    from flask_login import login_user

    from callbacks.context import SignedIn
    from callbacks.context import conn as get_conn
    from dashboard.pages import ranking_view

    with app.server.test_request_context("/ranking"):
        account = users.get_account(get_conn(), username=TEST_USERS[role][0])
        login_user(SignedIn(account))
        for lang in ("vi", "en"):
            page = json.dumps(
                ranking_view(period="2024", lang=lang),
                cls=PlotlyJSONEncoder,
                ensure_ascii=False,
            )
            assert f'"{ids.RANK_PUBLISHED}"' in page
            assert (f'"{ids.RANK_PR_FORM}"' in page) is form
            title = "Nhập hạng PCRI đã công bố" if lang == "vi" else "Enter a published"
            assert (title in page) is form


# --- the command line -----------------------------------------------------------------


@pytest.fixture
def run(gia_lai_cli):
    return lambda *args: gia_lai_cli("set-published-rank", *args)


ARGS = ("--unit", "64", "--round", "2016–2017", "--out-of", "63", "--source", SOURCE)


def test_the_command_enters_and_replaces(run, gia_lai: Engine) -> None:
    first = run(*ARGS, "--rank", "45")
    assert first.exit_code == 0, first.output
    assert "Saved: PCRI 2016–2017 of Tỉnh Gia Lai (legacy 64): 45/63." in first.output
    again = run(*ARGS, "--rank", "44", "--tree", "legacy")
    assert again.exit_code == 0, again.output
    assert f"replaced 45/63 ({SOURCE})" in again.output
    assert [r[1:] for r in stored(gia_lai)] == [("2016–2017", 44, 63)]
    with gia_lai.connect() as conn:
        audited = audit.rows(conn, action="published_rank")
    assert [r["remote_addr"] for r in audited] == ["cli", "cli"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--rank", "0"), "Hạng: phải từ 1 trở lên."),
        (("--rank", "bốn"), "Hạng: phải là số nguyên."),
        (("--rank", "64"), "Trên tổng số: không được nhỏ hơn hạng."),
    ],
)
def test_the_command_refuses_in_words(run, gia_lai: Engine, args, message) -> None:
    result = run(*ARGS, *args)
    assert result.exit_code != 0
    assert message in result.output and "Nothing was written" in result.output
    assert stored(gia_lai) == []


def test_the_command_kept_waiting_says_so(run, gia_lai: Engine, monkeypatch) -> None:
    """Another save of the round holds its lock: the command gives up in words."""
    monkeypatch.setattr(db, "LOCK_WAIT_MS", 200)
    with gia_lai.connect() as holder, holder.begin():
        lock(holder, "published_rank", _id(holder, "64"), "pcri", "2016–2017")
        result = run(*ARGS, "--rank", "45")
    assert result.exit_code != 0
    assert "Hệ thống đang bận" in result.output
    assert stored(gia_lai) == []


def test_the_command_names_an_unknown_unit(run, gia_lai: Engine, monkeypatch) -> None:
    monkeypatch.setenv("LANGUAGE", "en")
    result = run(
        "--unit", "64", "--tree", "2025", *ARGS[2:], "--rank", "1"
    )  # no 2025 tree loaded
    assert result.exit_code != 0
    assert "Unit: choose a province or district" in result.output
    assert stored(gia_lai) == []


# --- in the browser -------------------------------------------------------------------


def _type(duo, component_id: str, text: str) -> None:
    field = duo.find_element(f"#{component_id}")
    field.clear()
    field.send_keys(text)


def _save(duo) -> None:
    button = duo.find_element(f"#{ids.RANK_PR_SAVE}")
    # Bootstrap scrolls smoothly: jump, or the click lands mid-scroll
    duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button
    )
    button.click()


@pytest.mark.browser
def test_pcri001_a_province_user_enters_ranks_on_the_page(
    dash_duo, seeded_sqlite, make_app, tmp_path
) -> None:
    from tests.conftest import sign_in_browser

    _clear(seeded_sqlite)
    try:
        dash_duo.start_server(make_app(seeded_sqlite), navigate=False)
        sign_in_browser(dash_duo, "province")
        dash_duo.driver.get(dash_duo.server.url + "/ranking?period=2024")
        dash_duo.wait_for_contains_text(
            f"#{ids.RANK_PR_UNIT}", "Huyện Chư Sê", timeout=30
        )
        dash_duo.wait_for_contains_text(f"#{ids.RANK_TABLE}", "Huyện KBang", timeout=30)
        _type(dash_duo, ids.RANK_PR_ROUND, "2016-2017")
        _type(dash_duo, ids.RANK_PR_RANK, "45")
        _type(dash_duo, ids.RANK_PR_OUT_OF, "63")
        _type(dash_duo, ids.RANK_PR_SOURCE, SOURCE)
        _save(dash_duo)
        dash_duo.wait_for_contains_text(
            f"#{ids.RANK_PR_MESSAGE}", "Đã lưu: PCRI kỳ 2016–2017", timeout=20
        )
        dash_duo.wait_for_contains_text(
            f"#{ids.RANK_PUBLISHED}",
            "PCRI công bố, kỳ 2016–2017: hạng 45/63 (nguồn: Bộ LĐ-TB&XH, 17/6/2014;",
            timeout=20,
        )

        # a district-level rank goes to the district's row of the table
        dash_duo.driver.execute_script(
            "const s=document.getElementById(arguments[0]); s.value=arguments[1];"
            "s.dispatchEvent(new Event('change', {bubbles: true}));",
            ids.RANK_PR_UNIT,
            "legacy:633",
        )
        _type(dash_duo, ids.RANK_PR_ROUND, "2020")
        _type(dash_duo, ids.RANK_PR_RANK, "3")
        _type(dash_duo, ids.RANK_PR_OUT_OF, "17")
        _save(dash_duo)
        dash_duo.wait_for_contains_text(
            f"#{ids.RANK_PR_MESSAGE}", "của Huyện Chư Sê: hạng 3/17", timeout=20
        )
        dash_duo.wait_for_contains_text(f"#{ids.RANK_TABLE}", "3/17 (2020)", timeout=20)
        assert "PCRI công bố" in dash_duo.find_element(f"#{ids.RANK_TABLE}").text
        assert "3/17" not in dash_duo.find_element(f"#{ids.RANK_PUBLISHED}").text
        dash_duo.driver.save_screenshot(str(tmp_path / "published_rank.png"))
        assert dash_duo.get_logs() == []
    finally:
        _clear(seeded_sqlite)
