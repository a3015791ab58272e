"""First-run setup: schema, official units of both trees (before and since the
July-2025 reform), boundaries (approximate, then the real ones shipped in
geo/boundaries/ for the provinces loaded, from which the July-2025 communes of their
new province are derived), demo data.

Each step runs only when its part of the database is still empty, so ``setup`` can
be run again at any time (and ``serve`` runs it before starting).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Engine

from dashboard.settings import province_codes
from data import demo, inventory, migrate, users
from data.boundaries import has_boundaries
from data.db import refresh_statistics, transaction
from data.metrics.dataset import record_facts_changed
from data.metrics.summary import refresh_all
from data.reform.load import LEGACY_TREE, NEW_TREE, ReformLoadReport, load_2025_tree
from data.reform.source import new_province_of_legacy
from data.units import load_legacy_tree, units_frame
from geo import pipeline
from geo.shipped import SHIPPED_COMMUNES

Echo = Callable[[str], None]


def progress_printer(echo: Echo) -> Callable[[str, int, int], None]:
    def report(step: str, done: int, total: int) -> None:
        echo(f"  … {step} ({done}/{total})")

    return report


def load_units(engine: Engine, conf: Mapping[str, Any], echo: Echo) -> None:
    codes = province_codes(conf)
    with transaction(engine) as session:
        report = load_legacy_tree(session, codes, progress=progress_printer(echo))
        refresh_all(session)  # records already stored roll up anew
        record_facts_changed(session)  # and every cached figure is of the old tree
    echo(f"Units loaded: {report.counts}")
    echo(f"  {report.inserted} new, {report.updated} updated")
    if report.stand_ins:
        echo(
            f"  island districts without communes, standing in as communes: "
            f"{', '.join(report.stand_ins)}"
        )


def load_reform_units(
    engine: Engine, conf: Mapping[str, Any], codes: list[str] | None, echo: Echo
) -> ReformLoadReport:
    """The 2025 tree for ``codes`` (default: the new provinces that the legacy
    provinces of PROVINCES became part of), with its predecessors and crosswalk."""
    configured = province_codes(conf)
    if codes is None and configured is not None:
        codes = sorted({new_province_of_legacy(c) for c in configured})
    with transaction(engine) as session:
        report = load_2025_tree(session, codes, progress=progress_printer(echo))
        refresh_all(session)  # records already stored roll up anew
        record_facts_changed(session)  # and every cached figure is of the old tree
        return report


def run(engine: Engine, conf: Mapping[str, Any], echo: Echo) -> None:
    """Bring an empty or partial database to a usable state."""
    migrate.upgrade(engine)
    with engine.begin() as conn:
        inventory.ensure_database_id(conn)
    echo("Schema is up to date.")
    with engine.connect() as conn:
        empty_units = inventory.units_in_tree(conn) == 0
    if empty_units:
        load_units(engine, conf, echo)
    with engine.connect() as conn:
        empty_new = inventory.units_in_tree(conn, NEW_TREE) == 0
    if empty_new:  # the provinces PROVINCES became part of, with their predecessors
        echo(load_reform_units(engine, conf, None, echo).format())
    built = []
    for tree in (LEGACY_TREE, NEW_TREE):  # the new tree is cut from the legacy one
        with engine.connect() as conn:
            needs_boundaries = not has_boundaries(conn, tree)
        if needs_boundaries:
            report = pipeline.build_approximate(
                engine, tree, progress=progress_printer(echo)
            )
            echo(report.format())
            built.append(tree)
    if LEGACY_TREE in built:  # then the July-2025 communes are derived from them
        import_shipped(engine, echo)
    with engine.connect() as conn:
        needs_demo = bool(conf["DEMO"]) and not inventory.has_facts(conn)
    if needs_demo:
        with transaction(engine) as session:
            result = demo.generate(
                session, seed=int(conf["DEMO_SEED"]), progress=progress_printer(echo)
            )
        echo(result.format())
    refresh_statistics(engine)  # after the bulk loads above
    if conf["DEMO"] and not conf.get("PRODUCTION"):
        codes = province_codes(conf)
        demo_users(engine, echo, codes[0] if codes else None)


def import_shipped(engine: Engine, echo: Echo) -> None:
    """Import the real commune boundaries shipped for the loaded legacy provinces
    (geo/shipped.py); their districts and provinces are dissolved from them."""
    with engine.connect() as conn:
        units = units_frame(conn, tree=LEGACY_TREE)
    loaded = set(units.loc[units["level"] == "province", "code"])
    files = [path for code, path in sorted(SHIPPED_COMMUNES.items()) if code in loaded]
    if not files:
        return
    echo(f"Real boundaries shipped for: {', '.join(f.name for f in files)}")
    report = pipeline.import_boundaries(engine, files, level="commune")
    echo(f"  {report.matched_count()} communes imported, {report.written} written")
    if report.derived is not None:
        echo(report.derived.format())


def demo_users(engine: Engine, echo: Echo, province_code: str | None = None) -> None:
    """One user per role, in demo mode only, in the first province of PROVINCES;
    the passwords are shown this once (only their hashes are stored)."""
    with transaction(engine) as session:
        created = users.create_demo_users(session, province_code)
    if created:
        echo("Demo users (passwords shown once, write them down):")
        for name, password in created.items():
            echo(f"  {name:<16} {password}")
