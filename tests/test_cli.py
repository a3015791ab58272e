"""The command line, run as a newcomer would (click's runner, real files)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner
from sqlalchemy import Connection

from dashboard.cli import main
from data.audit import rows as audit_rows
from data.boundaries import load_boundaries
from data.db import make_engine
from data.inventory import row_counts
from data.metrics.dataset import facts_version
from data.users import get_account
from tests.conftest import boundary_file

T = TypeVar("T")


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def read(tmp_path: Path, query: Callable[[Connection], T]) -> T:
    """``query`` on the database the commands set up in ``tmp_path``."""
    engine = make_engine(f"sqlite:///{tmp_path / 'dashboard.db'}")
    try:
        with engine.connect() as conn:
            return query(conn)
    finally:
        engine.dispose()


def counts(tmp_path: Path) -> dict[str, int]:
    return read(tmp_path, row_counts)


def test_setup_then_import_real_boundaries(run, tmp_path: Path) -> None:
    result = run("setup")
    assert result.exit_code == 0, result.output
    assert "Demo data: seed" in result.output
    assert "Demo users (passwords shown once" in result.output  # demo mode only
    first = counts(tmp_path)
    # old Gia Lai 1 + 1 + 17 + 218, old Bình Định 1 + 11 + 155 (same country
    # row), the new Gia Lai's tree 1 + 1 + 135: every one with a boundary
    assert first["admin_unit"] == 237 + 167 + 137 == first["boundary"]

    again = run("setup")  # idempotent: nothing is loaded twice
    assert again.exit_code == 0 and "Demo data" not in again.output
    assert "Demo users" not in again.output  # created once, passwords shown once
    assert counts(tmp_path) == first

    imported = run("import-boundaries", str(boundary_file("gia_lai_communes.geojson")))
    assert imported.exit_code == 0, imported.output
    assert "matched units: 218" in imported.output
    assert "features not matched: 0" in imported.output
    assert "left without geometry: 0" in imported.output
    assert "dissolved from several features: 4" in imported.output
    engine = make_engine(f"sqlite:///{tmp_path / 'dashboard.db'}")
    with engine.connect() as conn:
        rows = audit_rows(conn, action="import")
        # the demo users work in Gia Lai (PROVINCES), not old Bình Định (52)
        district = get_account(conn, username="demo_district")
    engine.dispose()
    assert district is not None and district.scope_code == "622"
    assert len(rows) == 1 and '"matched":218' in rows[0]["detail"]
    assert rows[0]["remote_addr"] == "cli"
    assert '"os_user":' in rows[0]["detail"] and '"host":' in rows[0]["detail"]


def test_broken_file_gives_a_message_and_changes_nothing(run, tmp_path: Path) -> None:
    assert run("setup").exit_code == 0
    before = counts(tmp_path)
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    result = CliRunner().invoke(main, ["import-boundaries", str(broken)])
    assert result.exit_code != 0
    assert "broken.geojson" in result.output and "Nothing was written" in result.output
    assert counts(tmp_path) == before


def test_seed_demo_refuses_to_mix_with_existing_facts(run) -> None:
    assert run("setup").exit_code == 0
    result = CliRunner().invoke(main, ["seed-demo"])
    assert result.exit_code != 0 and "replace" in result.output


def test_unknown_province_is_a_clear_error(run) -> None:
    assert run("init-db").exit_code == 0
    result = CliRunner().invoke(main, ["load-units", "--province", "99"])
    assert result.exit_code != 0 and "unknown province code" in result.output


def _facts_version(tmp_path: Path) -> str:
    return read(tmp_path, facts_version)


def test_loading_units_moves_the_facts_version(run, tmp_path: Path) -> None:
    """Units loaded into a running deployment change what every figure rolls up
    (the kept sums are rebuilt): the cached figures, keyed by the facts version,
    must not outlive them."""
    assert run("init-db").exit_code == 0
    before = _facts_version(tmp_path)
    loaded = run("load-units", "--province", "64")
    assert loaded.exit_code == 0, loaded.output
    after_legacy = _facts_version(tmp_path)
    assert after_legacy != before
    reform = run("load-2025-units")
    assert reform.exit_code == 0, reform.output
    assert _facts_version(tmp_path) not in (before, after_legacy)


def _boundaries(tmp_path: Path) -> list:
    rows = read(tmp_path, lambda conn: load_boundaries(conn, tree="legacy", level=None))
    return rows.sort_values("unit_id")[
        ["unit_id", "geom_wkb", "source"]
    ].values.tolist()


def test_a_misplaced_file_is_refused_unless_forced(run, tmp_path: Path) -> None:
    assert run("setup").exit_code == 0
    before = _boundaries(tmp_path)
    communes = gpd.read_file(boundary_file("gia_lai_communes.geojson"))
    shifted = tmp_path / "shifted.geojson"
    moved = shapely.transform(communes.geometry.to_numpy(), lambda xy: xy + [-140, 0])
    communes.set_geometry(moved).to_file(shifted)
    result = CliRunner().invoke(main, ["import-boundaries", str(shifted)])
    assert result.exit_code != 0
    assert "read as EPSG:4326 (WGS 84)" in result.output
    assert "look shifted" in result.output and "Nothing was written" in result.output
    utm = tmp_path / "utm48n.gpkg"
    communes.to_crs(32648).to_file(utm)
    wrong = ["import-boundaries", str(utm), "--crs", "EPSG:32649"]
    result = CliRunner().invoke(main, wrong)
    assert result.exit_code != 0
    assert "EPSG:32649" in result.output and "--crs EPSG:32648" in result.output
    assert _boundaries(tmp_path) == before
    forced = run(*wrong, "--force")
    assert forced.exit_code == 0, forced.output
    assert "placement check overridden with --force: 218 of 218" in forced.output
    assert _boundaries(tmp_path) != before
    engine = make_engine(f"sqlite:///{tmp_path / 'dashboard.db'}")
    with engine.connect() as conn:
        rows = audit_rows(conn, action="import")
    engine.dispose()
    assert len(rows) == 1 and '"forced":true' in rows[0]["detail"]


def test_submit_report_refuses_a_broken_workbook_cleanly_and_audits_who_ran_it(
    gia_lai, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Broken sheet XML: a message naming the sheet, a non-zero exit and no
    traceback; the refusal and the calendar import carry the OS user and host."""
    import getpass
    import json
    import socket

    from tests.test_report_forms import rewritten

    monkeypatch.setenv("DATABASE_URL", gia_lai.url.render_as_string(False))
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    runner = CliRunner()
    assert runner.invoke(main, ["load-calendar", "--years", "2024"]).exit_code == 0
    report = ["--unit", "23941", "--report", "Q1", "--year", "2024"]
    template = tmp_path / "bieu-mau.xlsx"
    made = runner.invoke(main, ["report-template", *report, "--out", str(template)])
    assert made.exit_code == 0, made.output
    broken = tmp_path / "bao-cao.xlsx"
    broken.write_bytes(
        rewritten(
            template.read_bytes(),
            "xl/worksheets/sheet2.xml",
            lambda body: body.replace(b"</sheetData>", b"<row><c></sheetData>"),
        )
    )
    refused = runner.invoke(main, ["submit-report", str(broken), *report])
    assert refused.exit_code != 0
    assert isinstance(refused.exception, SystemExit)  # click's clean exit
    assert "Traceback" not in refused.output
    assert "Chưa nhận báo cáo" in refused.output
    assert "trang 'Trẻ em HCĐB'" in refused.output and "XML lỗi" in refused.output
    assert "Nothing was stored" in refused.output
    not_zip = tmp_path / "bao-cao.csv"
    not_zip.write_text("Mã đơn vị;23941\n", encoding="utf-8")
    refused = runner.invoke(main, ["submit-report", str(not_zip), *report])
    assert refused.exit_code != 0 and "Traceback" not in refused.output
    assert "không phải tệp Excel (.xlsx)" in refused.output

    origin = {"os_user": getpass.getuser(), "host": socket.gethostname()}
    with gia_lai.connect() as conn:
        imported = audit_rows(conn, action="import")
        refusals = audit_rows(conn, action="report_refused")
    (calendar_row,) = imported
    assert json.loads(calendar_row["detail"]).items() >= origin.items()
    assert len(refusals) == 2 and {r["remote_addr"] for r in refusals} == {"cli"}
    first = json.loads(refusals[-1]["detail"])
    assert first.items() >= {**origin, "file": "bao-cao.xlsx", "unit": "23941"}.items()
    assert "trang 'Trẻ em HCĐB'" in first["reason"][0]
