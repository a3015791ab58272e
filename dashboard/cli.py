"""The command line: ``python -m dashboard COMMAND``.  Commands stay thin: they read
the settings, open the engine and call data/ or geo/."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard import settings
from dashboard import setup as first_run
from data import (
    calendar,
    demo,
    migrate,
    published,
    report_forms,
    state,
    submissions,
    users,
)
from data.db import has_schema, make_engine, transaction
from data.metrics.dataset import record_facts_changed
from data.periods import today_vn
from data.vocabulary import ROLES
from geo import pipeline
from layouts.i18n import published_error


def _engine(conf: dict) -> Engine:
    return make_engine(conf["DATABASE_URL"], statement_timeout_ms=None)


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Child protection and care dashboard."""
    ctx.obj = settings.load()
    Path(ctx.obj["INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)


@main.command()
@click.option("--host", default=None, help="Address to listen on (default: HOST).")
@click.option("--port", type=int, default=None, help="Port (default: PORT).")
@click.option("--no-setup", is_flag=True, help="Do not run first-run setup.")
@click.pass_obj
def serve(conf: dict, host: str | None, port: int | None, no_setup: bool) -> None:
    """Run first-run setup if needed, then serve the app (development server)."""
    if not no_setup:
        first_run.run(_engine(conf), conf, click.echo)
    from dashboard import create_app

    app = create_app()
    host, port = host or conf["HOST"], port or conf["PORT"]
    click.echo(f"Dashboard at http://{host}:{port}/")
    app.run(host=host, port=port, debug=False)


@main.command()
@click.pass_obj
def setup(conf: dict) -> None:
    """Create or upgrade the schema and fill whatever is still empty."""
    first_run.run(_engine(conf), conf, click.echo)


@main.command("init-db")
@click.pass_obj
def init_db(conf: dict) -> None:
    """Create the schema, or upgrade it to the newest migration."""
    migrate.upgrade(_engine(conf))
    click.echo(f"Schema at revision {migrate.head()}.")


@main.command()
@click.argument("revision")
@click.pass_obj
def downgrade(conf: dict, revision: str) -> None:
    """Downgrade the schema to REVISION ('base' drops everything)."""
    migrate.downgrade(_engine(conf), revision)
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
        first_run.load_units(_engine(conf), conf, click.echo)
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
        report = first_run.load_reform_units(_engine(conf), conf, codes, click.echo)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(report.format())


TREE_OPTION = click.option(
    "--tree",
    type=click.Choice(["legacy", "2025"]),
    default="legacy",
    help="Units before (legacy) or since the July-2025 reform.",
)


@main.command("build-boundaries")
@TREE_OPTION
@click.option("--all-anomalies", is_flag=True, help="List every anomaly found.")
@click.pass_obj
def build_boundaries(conf: dict, tree: str, all_anomalies: bool) -> None:
    """(Re)build approximate boundaries from the commune centroids (for the 2025
    tree: clipped to the outlines of the legacy provinces it replaced)."""
    report = pipeline.build_approximate(
        _engine(conf), tree=tree, progress=first_run.progress_printer(click.echo)
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
@click.pass_obj
def import_boundaries(conf: dict, files: tuple[Path, ...], **options: object) -> None:
    """Import real boundaries (GeoJSON, Shapefile, GeoPackage; any CRS)."""
    try:
        report = pipeline.import_boundaries(_engine(conf), list(files), **options)
    except pipeline.BoundaryImportError as exc:
        raise click.ClickException(f"{exc}\nNothing was written.") from exc
    if not report.dry_run:
        with transaction(_engine(conf)) as session:
            users.audit(
                session,
                "import",
                detail={
                    "what": "boundaries",
                    "files": [f.name for f in files],
                    "tree": options.get("tree"),
                    "matched": report.matched_count(),
                    "written": report.written,
                },
                remote_addr="cli",
            )
    click.echo(report.format())


@main.command("seed-demo")
@click.option("--seed", type=int, default=None, help="Seed (default: DEMO_SEED).")
@click.option("--replace", is_flag=True, help="Delete existing facts first.")
@click.pass_obj
def seed_demo(conf: dict, seed: int | None, replace: bool) -> None:
    """Generate deterministic demo facts for every loaded unit."""
    try:
        with transaction(_engine(conf)) as session:
            report = demo.generate(
                session,
                seed=seed if seed is not None else conf["DEMO_SEED"],
                replace=replace,
                progress=first_run.progress_printer(click.echo),
            )
    except demo.DemoError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(report.format())


@main.command()
@click.pass_obj
def status(conf: dict) -> None:
    """Show the database URL, the schema revision and the rows in each table."""
    engine = _engine(conf)
    click.echo(f"Database: {engine.url.render_as_string(hide_password=True)}")
    click.echo(f"Revision: {migrate.current(engine)} (newest: {migrate.head()})")
    if not has_schema(engine):
        return
    with engine.connect() as conn:
        for table, rows in state.row_counts(conn).items():
            click.echo(f"  {table:<28} {rows:>10,}")


# --- published ranks ------------------------------------------------------------------


@main.command("set-published-rank")
@click.option("--unit", "unit_code", required=True, help="Code of the unit.")
@TREE_OPTION
@click.option("--round", "round_label", required=True, help="Round, e.g. 2016–2017.")
@click.option("--rank", required=True, help="The rank as published.")
@click.option("--out-of", required=True, help="Out of how many units (e.g. 63).")
@click.option(
    "--source", required=True, help='Who published it, when ("Bộ LĐ-TB&XH, 17/6/2014").'
)
@click.pass_obj
def set_published_rank(conf: dict, unit_code: str, tree: str, **entry: str) -> None:
    """Enter the provincial child-rights index (PCRI) rank of a province (or of a
    district, where one was published) as published; it is shown as given, never
    recomputed.  Entering the same round again replaces it."""
    try:
        with transaction(_user_engine(conf)) as session:
            unit_id = published.unit_id_of(session, tree=tree, code=unit_code)
            if unit_id is None:
                raise published.PublishedRankError("unit", "unknown")
            done = published.enter_rank(
                session, unit_id=unit_id, user_id=None, remote_addr="cli", **entry
            )
    except published.PublishedRankError as exc:
        message = published_error(exc.field, exc.problem, conf["LANGUAGE"])
        raise click.ClickException(f"{message} Nothing was written.") from exc
    click.echo(
        f"Saved: PCRI {done.round_label} of {done.unit_name} "
        f"({done.unit_tree} {done.unit_code}): {done.rank}/{done.out_of}."
    )
    if done.replaced is not None:
        old = done.replaced
        click.echo(f"  replaced {old['rank']}/{old['out_of']} ({old['source']}).")


# --- reporting calendar ---------------------------------------------------------------


def _years(text: str | None) -> list[int]:
    """ "2024" or "2021-2026"; default: this year and the next (Viet Nam time)."""
    if not text:
        this = today_vn().year
        return [this, this + 1]
    first, _, last = text.partition("-")
    try:
        span = (int(first), int(last or first))
    except ValueError as exc:
        raise click.BadParameter(f"{text!r}: a year or a span like 2021-2026") from exc
    if not 1990 <= span[0] <= span[1] <= 2100:
        raise click.BadParameter(f"{text!r}: years from 1990 to 2100, first to last")
    return list(range(span[0], span[1] + 1))


@main.command("load-calendar")
@click.argument(
    "file",
    required=False,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--years", default=None, help="2024 or 2021-2026 (default: this year and next)."
)
@click.pass_obj
def load_calendar(conf: dict, file: Path | None, years: str | None) -> None:
    """Load the reporting calendar (who reports what to whom by when) from FILE
    (TOML; default: the built-in calendar, data/calendars/default.toml) for every
    province loaded.  Every entry is checked first; on any problem nothing is
    written."""
    wanted = _years(years)
    try:
        entries = calendar.read(file or calendar.DEFAULT)
    except calendar.CalendarError as exc:
        lines = "\n".join(f"  {p}" for p in exc.problems)
        raise click.ClickException(
            f"the calendar has problems:\n{lines}\nNothing was written."
        ) from exc
    with transaction(_user_engine(conf)) as session:
        counts = calendar.load(session, entries, wanted)
        if counts["added"] or counts["updated"]:
            record_facts_changed(session)
        users.audit(
            session,
            "import",
            detail={
                "what": "calendar",
                "file": (file or calendar.DEFAULT).name,
                "years": f"{wanted[0]}-{wanted[-1]}",
                **counts,
            },
            remote_addr="cli",
        )
    click.echo(
        f"Calendar {wanted[0]}-{wanted[-1]}: {counts['added']} schedules added, "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged."
    )


# --- report templates and submissions ----------------------------------------------


def _owed(conf: dict, unit: str, tree: str, report: str, year: int):  # type: ignore[no-untyped-def]
    engine = _user_engine(conf)
    with engine.connect() as conn:
        try:
            return engine, submissions.find_owed(
                conn, unit_code=unit, tree=tree, report_type=report, year=year
            )
        except submissions.NotOwed as exc:
            raise click.ClickException(str(exc)) from exc


REPORT_OPTIONS = [
    click.option("--unit", required=True, help="Code of the unit that reports."),
    click.option(
        "--report", required=True, help="Q1, H1, M9, ANNUAL, ADHOC, THEMATIC."
    ),
    click.option("--year", type=int, required=True, help="Year the report is due."),
]


def _report_options(command):  # type: ignore[no-untyped-def]
    for option in reversed(REPORT_OPTIONS):
        command = option(command)
    return TREE_OPTION(command)


@main.command("report-template")
@_report_options
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_obj
def report_template(
    conf: dict, unit: str, report: str, year: int, tree: str, out: Path
) -> None:
    """Write the template (biểu mẫu) of a report for one unit, ready to fill in."""
    _engine_, due = _owed(conf, unit, tree, report, year)
    out.write_bytes(report_forms.template(due.form))
    click.echo(f"Template for {due.form.unit_name}, {report} {year}: {out}")


@main.command("submit-report")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_report_options
@click.pass_obj
def submit_report(
    conf: dict, file: Path, unit: str, report: str, year: int, tree: str
) -> None:
    """Submit a filled template: every cell is checked; on any problem nothing is
    stored and every problem is listed (sheet, row, column)."""
    engine, due = _owed(conf, unit, tree, report, year)
    try:
        receipt = submissions.submit(
            engine,
            schedule_id=due.schedule_id,
            unit_id=due.unit_id,
            data=file.read_bytes(),
            file_name=file.name,
            user_id=None,
            remote_addr="cli",
        )
    except report_forms.FormError as exc:
        lines = "\n".join(f"  {p}" for p in exc.problems)
        raise click.ClickException(
            f"Chưa nhận báo cáo:\n{lines}\nNothing was stored."
        ) from exc
    timing = "on time" if receipt.on_time else f"{receipt.days_late} days late"
    click.echo(f"Received as version {receipt.version} ({timing}).")


# --- user accounts --------------------------------------------------------------------


def _user_engine(conf: dict) -> Engine:
    engine = _engine(conf)
    if not has_schema(engine):
        raise click.ClickException("No schema yet: run `init-db` (or `setup`) first.")
    return engine


def _new_password() -> str:
    """The new password: NEW_PASSWORD when set (for scripts), else asked twice."""
    from_env = os.environ.get("NEW_PASSWORD")
    if from_env:
        return from_env

    def acceptable(value: str) -> str:
        try:
            users.validate_password(value)
        except users.UserError as exc:
            raise click.UsageError(str(exc)) from exc
        return value

    return click.prompt(
        "Password", hide_input=True, confirmation_prompt=True, value_proc=acceptable
    )


@main.command("create-user")
@click.argument("username")
@click.option(
    "--role",
    required=True,
    help=f"One of: {', '.join(ROLES)}.",
)
@click.option(
    "--unit",
    "unit_code",
    default=None,
    help="Code of the unit the account is limited to (district and commune "
    "roles: required; province: optional).",
)
@TREE_OPTION
@click.pass_obj
def create_user(
    conf: dict, username: str, role: str, unit_code: str | None, tree: str
) -> None:
    """Create an account; the password is asked twice (or read from NEW_PASSWORD)."""
    engine = _user_engine(conf)
    password = _new_password()
    try:
        with transaction(engine) as session:
            account = users.create_user(
                session,
                username=username,
                password=password,
                role=role,
                unit_code=unit_code,
                tree=tree,
            )
            users.audit(
                session,
                "user_created",
                detail={
                    "username": account.username,
                    "role": account.role,
                    "unit": account.scope_code,
                    "tree": account.scope_tree,
                },
                remote_addr="cli",
            )
    except users.UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {account.username}: {account.role}{_unit_label(account)}.")


@main.command("set-password")
@click.argument("username")
@click.pass_obj
def set_password(conf: dict, username: str) -> None:
    """Set a new password (asked twice, or read from NEW_PASSWORD); this also lifts
    a lockout."""
    engine = _user_engine(conf)
    password = _new_password()
    account = _changed(
        engine, "password_set", lambda s: users.set_password(s, username, password)
    )
    click.echo(f"Password of {account.username} set.")


@main.command("deactivate-user")
@click.argument("username")
@click.pass_obj
def deactivate_user(conf: dict, username: str) -> None:
    """Deactivate an account: it can no longer sign in."""
    account = _changed(
        _user_engine(conf),
        "user_deactivated",
        lambda s: users.deactivate_user(s, username),
    )
    click.echo(f"Deactivated {account.username}.")


def _changed(
    engine: Engine, action: str, change: Callable[[Session], users.Account]
) -> users.Account:
    """Apply ``change`` to an account and audit it, in one transaction; a
    ``UserError`` becomes the command's error and nothing is written."""
    try:
        with transaction(engine) as session:
            account = change(session)
            users.audit(
                session,
                action,
                detail={"username": account.username},
                remote_addr="cli",
            )
    except users.UserError as exc:
        raise click.ClickException(str(exc)) from exc
    return account


def _unit_label(account: users.Account) -> str:
    if account.scope_code is None:
        return ""
    return f", unit {account.scope_code} ({account.scope_tree})"


@main.command("list-users")
@click.pass_obj
def list_users(conf: dict) -> None:
    """List the accounts: username, role, unit, active, locked."""
    with _user_engine(conf).connect() as conn:
        accounts = users.list_accounts(conn)
    if not accounts:
        click.echo("No accounts.")
        return
    now = datetime.now(UTC)
    rows = [("username", "role", "unit", "active", "locked")]
    for a in accounts:
        unit = f"{a.scope_code} ({a.scope_tree})" if a.scope_code else "-"
        locked = (
            f"until {a.locked_until:%Y-%m-%d %H:%M} UTC"
            if a.locked_until is not None and users.is_locked(a, now)
            else "no"
        )
        rows.append((a.username, a.role, unit, "yes" if a.active else "no", locked))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(
                cell.ljust(w) for cell, w in zip(row, widths, strict=True)
            ).rstrip()
        )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
