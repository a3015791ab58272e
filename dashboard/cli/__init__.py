"""The command line: ``python -m dashboard COMMAND``.  Commands stay thin: they read
the settings, open the engine and call data/ or geo/.  Here: running the app, the
schema, units, boundaries, demo data; accounts in ``dashboard.cli.accounts``,
reporting in ``dashboard.cli.reporting``, fact imports in
``dashboard.cli.facts``, clearing a province's demo data in
``dashboard.cli.clear_demo``, child-friendly assessments in
``dashboard.cli.assessments`` (all join the same group, ``main``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from dashboard import first_run, settings
from dashboard.cli import (  # noqa: F401 - their commands join main
    accounts,
    assessments,
    clear_demo,
    facts,
    reporting,
)
from dashboard.cli.base import TREE_OPTION, engine_for, main, user_engine
from data import (
    audit,
    demo,
    inventory,
    migrate,
)
from data.db import has_schema, refresh_statistics, transaction
from data.metrics import summary
from data.metrics.dataset import record_facts_changed
from geo import pipeline


@main.command()
@click.option("--host", default=None, help="Address to listen on (default: HOST).")
@click.option("--port", type=int, default=None, help="Port (default: PORT).")
@click.option("--no-setup", is_flag=True, help="Do not run first-run setup.")
@click.option(
    "--no-worker",
    is_flag=True,
    help="Start no job worker (one runs elsewhere: `python -m dashboard worker`).",
)
@click.pass_obj
def serve(
    conf: dict, host: str | None, port: int | None, no_setup: bool, no_worker: bool
) -> None:
    """Run first-run setup if needed, then serve the app (development server)
    with a job worker beside it (exports and decks), stopped with it."""
    if not no_setup:
        first_run.run(engine_for(conf), conf, click.echo)
    from dashboard import create_app, jobs, serving

    app = serving(create_app())
    host, port = host or conf["HOST"], port or conf["PORT"]
    worker = None
    # SIGTERM ends the server as Ctrl-C does: the worker is stopped with it.
    # Ctrl-C works even when whatever started this process ignores SIGINT (a
    # background job of a script: the ignoring is inherited).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if not no_worker:
            # a process group of its own: stopping it stops what it started
            # (its Chromium) too, and Ctrl-C reaches it through this process
            worker = subprocess.Popen(
                [sys.executable, "-m", "dashboard", "worker"],
                cwd=settings.PROJECT_ROOT,
                start_new_session=True,
            )
            click.echo(
                f"Job worker started (process {worker.pid}): exports and decks "
                f"wait in {jobs.describe(conf)} and run there."
            )
        click.echo(f"Dashboard at http://{host}:{port}/")
        app.run(host=host, port=port, debug=False)
    finally:
        if worker is not None:
            _stop_group(worker)


def _stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to ``process`` and everything it started; whatever is left after
    15 s, or once it has ended (a browser it started), is killed."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


@main.command()
@click.option(
    "--threads",
    type=int,
    default=None,
    help="Jobs run at once (default: JOB_WORKERS).",
)
@click.pass_obj
def worker(conf: dict, threads: int | None) -> None:
    """Run the background jobs (large exports, review decks) until stopped:
    Ctrl-C or SIGTERM; jobs it had not finished run again at the next start."""
    import logging

    from dashboard import jobs

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for chatty in ("choreographer", "kaleido"):  # every step of every picture
        logging.getLogger(chatty).setLevel(logging.WARNING)
    if threads is not None and threads < 1:
        raise click.BadParameter("at least 1", param_hint="--threads")
    jobs.work(conf, threads or conf["JOB_WORKERS"], click.echo)


@main.command()
@click.pass_obj
def setup(conf: dict) -> None:
    """Create or upgrade the schema and fill whatever is still empty."""
    first_run.run(engine_for(conf), conf, click.echo)


@main.command("init-db")
@click.pass_obj
def init_db(conf: dict) -> None:
    """Create the schema, or upgrade it to the newest migration."""
    migrate.upgrade(engine_for(conf))
    click.echo(f"Schema at revision {migrate.head()}.")


@main.command()
@click.argument("revision")
@click.pass_obj
def downgrade(conf: dict, revision: str) -> None:
    """Downgrade the schema to REVISION ('base' drops everything)."""
    migrate.downgrade(engine_for(conf), revision)
    click.echo(f"Schema downgraded to {revision}.")


@main.command("load-units")
@click.option(
    "--province",
    "provinces",
    multiple=True,
    help="GSO code of a legacy province (repeatable); default: PROVINCES.",
)
@click.option("--all", "whole_country", is_flag=True, help="Load the whole country.")
@click.pass_obj
def load_units(conf: dict, provinces: tuple[str, ...], whole_country: bool) -> None:
    """Load official units from vietnamadminunits (legacy tree)."""
    if whole_country:
        conf = {**conf, "PROVINCES": "all"}
    elif provinces:
        conf = {**conf, "PROVINCES": ",".join(provinces)}
    try:
        first_run.load_units(engine_for(conf), conf, click.echo)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("load-2025-units")
@click.option(
    "--province",
    "provinces",
    multiple=True,
    help="Code of a province of the 2025 tree (repeatable); "
    "default: the province(s) PROVINCES became part of.",
)
@click.option("--all", "whole_country", is_flag=True, help="All 34 provinces.")
@click.pass_obj
def load_2025_units(
    conf: dict, provinces: tuple[str, ...], whole_country: bool
) -> None:
    """Load the units of July 2025 with the legacy units they replaced and the
    old-to-new crosswalk."""
    try:
        codes = None if whole_country else (list(provinces) or None)
        report = first_run.load_reform_units(engine_for(conf), conf, codes, click.echo)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    refresh_statistics(engine_for(conf))
    click.echo(report.format())


@main.command("build-boundaries")
@TREE_OPTION
@click.option("--all-anomalies", is_flag=True, help="List every anomaly found.")
@click.pass_obj
def build_boundaries(conf: dict, tree: str, all_anomalies: bool) -> None:
    """(Re)build approximate boundaries from the commune centroids (for the 2025
    tree: clipped to the outlines of the legacy provinces it replaced)."""
    report = pipeline.build_approximate(
        engine_for(conf), tree=tree, progress=first_run.progress_printer(click.echo)
    )
    click.echo(report.format(limit=None if all_anomalies else 8))


@main.command("import-boundaries")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--level",
    type=click.Choice(["district", "commune"]),
    default=None,
    help="Level of the polygons (default: detected).",
)
@click.option("--code-field", default=None, help="Property holding the GSO code.")
@click.option("--name-field", default=None, help="Property holding the unit name.")
@click.option(
    "--district-field",
    default=None,
    help="Property naming the district (for matching by name).",
)
@click.option("--crs", default=None, help="CRS of files that do not declare one.")
@TREE_OPTION
@click.option("--dry-run", is_flag=True, help="Report the matches, write nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="Import even when most units lie outside their official boxes "
    "(a wrong CRS or shifted coordinates); the report and the audit log say so.",
)
@click.pass_obj
def import_boundaries(conf: dict, files: tuple[Path, ...], **options: Any) -> None:
    """Import real boundaries (GeoJSON, Shapefile, GeoPackage; any CRS)."""
    try:
        report = pipeline.import_boundaries(engine_for(conf), list(files), **options)
    except pipeline.BoundaryImportError as exc:
        raise click.ClickException(f"{exc}\nNothing was written.") from exc
    if not report.dry_run:
        with transaction(engine_for(conf)) as session:
            audit.record(
                session,
                "import",
                detail={
                    "what": "boundaries",
                    "files": [f.name for f in files],
                    "tree": options.get("tree"),
                    "matched": report.matched_count(),
                    "written": report.written,
                    "outside_boxes": len(report.misplaced),
                    "forced": report.placement_forced,
                },
                remote_addr=audit.CLI,
            )
        refresh_statistics(engine_for(conf))
    click.echo(report.format())


@main.command("extract-boundaries")
@click.option("--province", required=True, help="GSO code of the legacy province.")
@click.option(
    "--source",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="National commune file (e.g. vietnam_communes_2013.gpkg).",
)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--neighbour",
    "neighbours",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Real boundaries of an adjacent province to fit against (repeatable).",
)
def extract_boundaries(
    province: str, source: Path, out: Path, neighbours: tuple[Path, ...]
) -> None:
    """Cut one legacy province from a national commune file, match its units to
    the 2025-01 list, clean it to a valid coverage and write compact GeoJSON."""
    from geo.extract import extract_province, write_geojson

    try:
        frame, report = extract_province(source, province, neighbours=neighbours)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    size = write_geojson(frame, out, out.stem)
    click.echo(report.format())
    click.echo(f"Wrote {out} ({size:,} bytes).")


@main.command("seed-demo")
@click.option("--seed", type=int, default=None, help="Seed (default: DEMO_SEED).")
@click.option("--replace", is_flag=True, help="Delete existing facts first.")
@click.pass_obj
def seed_demo(conf: dict, seed: int | None, replace: bool) -> None:
    """Generate deterministic demo facts for every loaded unit."""
    try:
        with transaction(engine_for(conf)) as session:
            report = demo.generate(
                session,
                seed=seed if seed is not None else conf["DEMO_SEED"],
                replace=replace,
                progress=first_run.progress_printer(click.echo),
            )
    except demo.DemoError as exc:
        raise click.ClickException(str(exc)) from exc
    refresh_statistics(engine_for(conf))
    click.echo(report.format())


@main.command("rebuild-summaries")
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Only compare the summaries with the facts; exit 1 at a difference.",
)
@click.pass_obj
def rebuild_summaries(conf: dict, check_only: bool) -> None:
    """Rebuild the sums kept for the map (incident_month, fund_month,
    report_owed) from the cases, fund bookings and reports, or with --check
    compare them and name the first difference."""
    engine = user_engine(conf)
    names = ", ".join(kept.name for kept in summary.KEPT)
    if check_only:
        with engine.connect() as conn:
            difference = summary.check(conn)
        if difference is not None:
            raise click.ClickException(f"summary differs: {difference}")
        click.echo(f"{names} match the records.")
        return
    with transaction(engine) as session:
        summary.refresh_all(session)
        record_facts_changed(session)
    refresh_statistics(engine)
    click.echo(f"{names} rebuilt from the records.")


@main.command()
@click.pass_obj
def status(conf: dict) -> None:
    """Show the database URL, the schema revision and the rows in each table."""
    engine = engine_for(conf)
    click.echo(f"Database: {engine.url.render_as_string(hide_password=True)}")
    click.echo(f"Revision: {migrate.current(engine)} (newest: {migrate.head()})")
    if not has_schema(engine):
        return
    with engine.connect() as conn:
        for table, rows in inventory.row_counts(conn).items():
            click.echo(f"  {table:<28} {rows:>10,}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
