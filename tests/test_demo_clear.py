"""Demo and real data never mix silently: the demo marks the provinces it fills,
clearing one province's demo removes exactly its demo rows (nothing of another
province, nothing imported), an import into a province still holding demo data
is refused until it is cleared, and only views of a province holding demo data
say so."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, insert, select

from data import audit, demo_marks, fact_import, metrics
from data.db import make_engine, transaction
from data.demo import clear
from data.demo.clear import TABLES
from data.metrics import summary
from data.metrics.dataset import facts_version
from data.models import AdminUnit, Base, Incident, Meta
from data.problems import ProblemError
from data.scope import FULL
from layouts import ids
from tests.conftest import (
    signed_client,
)
from tests.test_fact_import import GOOD, workbook
from tests.test_import_page import check

# the seeded database: legacy Gia Lai (64) and Bình Định (52), new Gia Lai (52)
MARKED = {("legacy", "64"), ("legacy", "52"), ("2025", "52")}


def _models() -> dict[str, type]:
    return {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}


def _totals(engine: Engine) -> dict[str, int]:
    models = _models()
    with engine.connect() as conn:
        return {
            name: conn.execute(
                select(func.count()).select_from(models[name])
            ).scalar_one()
            for name in TABLES
        }


def _marked(engine: Engine) -> set[tuple[str, str]]:
    with engine.connect() as conn:
        return {(p.tree, p.code) for p in demo_marks.marked(conn)}


def _commune_id(engine: Engine, code: str) -> int:
    with engine.connect() as conn:
        stmt = select(AdminUnit.id).where(
            AdminUnit.tree == "legacy", AdminUnit.code == code
        )
        return conn.execute(stmt).scalar_one()


def test_clearing_one_province_removes_exactly_its_demo_rows(engine_of) -> None:
    engine = engine_of
    assert _marked(engine) == MARKED
    with engine.connect() as conn:
        counts = {
            (tree, code): clear.count_province(conn, code, tree).counts
            for tree, code in MARKED
        }
        info = metrics.dataset_info(conn)
        assert info.is_demo and info.demo_provinces == ("52", "64")
        assert demo_marks.in_view(conn, "legacy", "633")  # Chư Sê, of Gia Lai
    totals = _totals(engine)
    # every demo row belongs to one marked province
    for name in TABLES:
        assert sum(c[name] for c in counts.values()) == totals[name], name
    assert counts["legacy", "64"]["incident"] > 0
    assert counts["legacy", "64"]["child_friendly_score"] > 0
    # a case imported earlier (it has a reference) is not the demo's
    with transaction(engine) as session:
        session.execute(
            insert(Incident),
            [
                {
                    "unit_id": _commune_id(engine, "23941"),
                    "occurred_on": dt.date(2024, 3, 15),
                    "category": "abuse",
                    "type_code": "AB_VIOL",
                    "sex": "F",
                    "age_band": "6_10",
                    "case_ref": "VV-1",
                    "record_key": 7,
                }
            ],
        )
    with engine.connect() as conn:
        version = int(facts_version(conn))
    with transaction(engine) as session:
        done = clear.clear_province(session, "64", "legacy", username="t")
    assert done.counts == counts["legacy", "64"]
    after = _totals(engine)
    assert after == {
        name: totals[name] - counts["legacy", "64"][name] + (name == "incident")
        for name in TABLES
    }
    assert _marked(engine) == MARKED - {("legacy", "64")}
    with engine.connect() as conn:
        assert int(facts_version(conn)) == version + 1
        assert summary.check(conn) is None  # the map's month summary followed
        (entry,) = audit.rows(conn, action="demo_cleared")
        detail = json.loads(entry["detail"])
        assert detail["province"] == "64" and detail["incident"] > 0
        assert conn.execute(
            select(Incident.case_ref).where(
                Incident.unit_id == _commune_id(engine, "23941")
            )
        ).scalars().all() == ["VV-1"]
        # the other provinces keep everything
        for key in MARKED - {("legacy", "64")}:
            tree, code = key
            assert clear.count_province(conn, code, tree).counts == counts[key]
        with pytest.raises(ProblemError) as refused:
            clear.count_province(conn, "64", "legacy")
        assert refused.value.code == "demo_not_held"
        # the label: gone for Gia Lai and its units, kept for Bình Định, the
        # country and the new Gia Lai (itself and Bình Định before July 2025)
        assert not demo_marks.in_view(conn, "legacy", "64")
        assert not demo_marks.in_view(conn, "legacy", "633")
        assert not demo_marks.in_view(conn, "legacy", "23941")
        assert demo_marks.in_view(conn, "legacy", "52")
        assert demo_marks.in_view(conn, "legacy", "VN")
        assert demo_marks.in_view(conn, "2025", "52")
        assert metrics.dataset_info(conn).demo_provinces == ("52",)
        assert conn.execute(select(Meta.value).where(Meta.key == "demo_seed")).scalar()
    with transaction(engine) as session:
        clear.clear_province(session, "52", "legacy")
        clear.clear_province(session, "52", "2025")
    with engine.connect() as conn:
        assert not metrics.dataset_info(conn).is_demo
        assert not demo_marks.in_view(conn, "2025", "VN")
        assert (
            conn.execute(select(Meta.value).where(Meta.key == "demo_seed")).scalar()
            is None
        )
    assert _totals(engine)["incident"] == 1


def _import(engine: Engine, write: bool) -> fact_import.Summary:
    kwargs = {"file_name": "vu-viec.xlsx", "scope": FULL}
    data = workbook(GOOD)
    if write:
        return fact_import.apply(
            engine, fact_import.INCIDENTS, data, user_id=None, username="t", **kwargs
        )
    return fact_import.dry_run(engine, fact_import.INCIDENTS, data, **kwargs)


def test_import_is_refused_while_the_province_holds_demo_data(engine_of) -> None:
    engine = engine_of
    before = _totals(engine)["incident"]
    for write in (False, True):
        summary = _import(engine, write)
        assert not summary.ok and not summary.written
        assert [p.code for p in summary.demo] == ["64"]
        first = summary.problems[0]
        assert first.code == "demo_held" and "Tỉnh Gia Lai" in first.text("vi")
        assert "clear-demo --province 64" in first.text("en")
    assert _totals(engine)["incident"] == before
    with transaction(engine) as session:
        cleared = clear.clear_province(session, "64", "legacy").counts["incident"]
    assert _import(engine, False).ok
    done = _import(engine, True)
    assert done.written and done.new == 4
    assert _totals(engine)["incident"] == before - cleared + 4
    with engine.connect() as conn:
        # the province's views no longer say "demo data"; Bình Định's still do
        assert not demo_marks.in_view(conn, "legacy", "64")
        assert demo_marks.in_view(conn, "legacy", "52")


def test_cli_counts_then_clears_with_yes(fresh, tmp_path: Path, monkeypatch) -> None:
    from dashboard.cli import main

    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", fresh["DATABASE_URL"])
    monkeypatch.setenv("LANGUAGE", "vi")
    engine = make_engine(fresh["DATABASE_URL"])
    try:
        totals = _totals(engine)
        run = CliRunner().invoke
        dry = run(main, ["clear-demo", "--province", "64"])
        assert dry.exit_code == 0, dry.output
        assert "Tỉnh Gia Lai" in dry.output and "Chưa xoá gì" in dry.output
        assert "Vụ việc xâm hại" in dry.output
        assert _totals(engine) == totals and ("legacy", "64") in _marked(engine)
        done = run(main, ["clear-demo", "--province", "64", "--yes"])
        assert done.exit_code == 0, done.output
        assert "Đã xoá dữ liệu mẫu của tỉnh Tỉnh Gia Lai" in done.output
        assert ("legacy", "64") not in _marked(engine)
        with engine.connect() as conn:
            (entry,) = audit.rows(conn, action="demo_cleared")
            assert entry["remote_addr"] == audit.CLI
        again = run(main, ["clear-demo", "--province", "64", "--yes"])
        assert again.exit_code != 0 and "không còn dữ liệu mẫu" in again.output
        unknown = run(main, ["clear-demo", "--province", "99"])
        assert unknown.exit_code != 0 and "Không có tỉnh mã 99" in unknown.output
    finally:
        engine.dispose()


CLEAR = [(ids.IMPORT_DEMO_RESULT, "children"), (ids.IMPORT_DEMO, "children")]


def _offer(client, data: bytes):
    """The offer shown after an upload (by the check of the file)."""
    return check(client, data)[(ids.IMPORT_DEMO, "children")]


def _clear(client, key: str = "legacy/64"):
    """Confirm the clear button of the province ``key`` (a pattern-matching
    input, which ``post_callback`` does not build)."""
    button = {"province": key, "type": ids.IMPORT_DEMO_CLEAR}
    names = [f"{c}.{p}" for c, p in CLEAR]
    output = next(
        k
        for k in client.dash_app.callback_map
        if [part.split("@")[0] for part in k.strip(".").split("...")] == names
    )
    payload = {
        "output": output,
        "outputs": [{"id": c, "property": p} for c, p in CLEAR],
        "inputs": [[{"id": button, "property": "submit_n_clicks", "value": 1}]],
        "state": [{"id": ids.IMPORT_LANG, "property": "data", "value": "vi"}],
        "changedPropIds": [
            json.dumps(button, separators=(",", ":")) + ".submit_n_clicks"
        ],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]


def test_the_import_page_offers_to_clear_to_admins_only(
    fresh, make_app, engine_of
) -> None:
    app = make_app(fresh)
    data = workbook(GOOD)
    district = signed_client(app, "district")
    told = json.dumps(_offer(district, data), ensure_ascii=False)
    assert "đề nghị cấp tỉnh" in told and "Xoá dữ liệu mẫu" not in told
    refused = _clear(district)
    assert "Chỉ quản trị viên" in json.dumps(refused, ensure_ascii=False)
    assert ("legacy", "64") in _marked(engine_of)
    admin = signed_client(app, "admin")
    offered = json.dumps(_offer(admin, data), ensure_ascii=False)
    assert "Xoá dữ liệu mẫu của tỉnh Tỉnh Gia Lai" in offered
    assert "Vụ việc xâm hại" in offered and "legacy/64" in offered
    done = _clear(admin)
    text = json.dumps(done, ensure_ascii=False)
    assert "Đã xoá" in text and "Tỉnh Gia Lai" in text
    assert ("legacy", "64") not in _marked(engine_of)
    assert _offer(admin, data) is None
