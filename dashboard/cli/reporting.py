"""Commands of reporting: the reporting calendar, report templates and
submissions, and published ranks (PCRI) entered as given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from dashboard.cli.base import TREE_OPTION, main, user_engine
from data import audit, calendar, published, report_forms, submissions, validation
from data.db import Busy, transaction
from data.metrics.dataset import record_facts_changed
from data.periods import today_vn
from layouts.i18n import published_error, t

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
def set_published_rank(conf: dict, unit_code: str, tree: str, **entry: Any) -> None:
    """Enter the provincial child-rights index (PCRI) rank of a province (or of a
    district, where one was published) as published; it is shown as given, never
    recomputed.  Entering the same round again replaces it."""
    try:
        with transaction(user_engine(conf)) as session:
            unit_id = published.unit_id_of(session, tree=tree, code=unit_code)
            if unit_id is None:
                raise published.PublishedRankError("unit", "unknown")
            done = published.enter_rank(
                session, unit_id=unit_id, user_id=None, remote_addr=audit.CLI, **entry
            )
    except published.PublishedRankError as exc:
        message = published_error(exc.field, exc.problem, conf["LANGUAGE"])
        raise click.ClickException(f"{message} Nothing was written.") from exc
    except Busy as exc:
        message = published_error("database", "busy", conf["LANGUAGE"])
        raise click.ClickException(message) from exc
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
    try:
        with transaction(user_engine(conf)) as session:
            counts = calendar.load(session, entries, wanted)
            if counts["added"] or counts["updated"]:
                record_facts_changed(session)
            audit.record(
                session,
                "import",
                detail={
                    "what": "calendar",
                    "file": (file or calendar.DEFAULT).name,
                    "years": f"{wanted[0]}-{wanted[-1]}",
                    **counts,
                },
                remote_addr=audit.CLI,
            )
    except Busy as exc:
        raise click.ClickException(t("db_busy", conf["LANGUAGE"])) from exc
    click.echo(
        f"Calendar {wanted[0]}-{wanted[-1]}: {counts['added']} schedules added, "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged."
    )


# --- validation rules of submitted reports ------------------------------------------


@main.command("load-rules")
@click.argument(
    "file",
    required=False,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--check", is_flag=True, help="Check the file only; write nothing.")
@click.pass_obj
def load_rules(conf: dict, file: Path | None, check: bool) -> None:
    """Load the validation rules of submitted reports from FILE (TOML; default:
    the built-in rules, data/calendars/rules.toml) and make them the active
    set.  Every rule is checked first (a cell the template does not have, an
    unknown operator or importance, a duplicate id); on any problem nothing is
    written."""
    path = file or validation.DEFAULT
    text = path.read_text(encoding="utf-8")
    try:
        rules = validation.parse(text)
    except validation.RulesError as exc:
        lines = "\n".join(f"  {p}" for p in exc.problems)
        raise click.ClickException(
            f"the rules have problems:\n{lines}\nNothing was written."
        ) from exc
    errors = sum(1 for r in rules if r.importance == validation.ERROR)
    summary = f"{len(rules)} rules ({errors} errors, {len(rules) - errors} warnings)"
    if check:
        click.echo(f"{path.name}: {summary}, all valid. Nothing was written.")
        return
    try:
        with transaction(user_engine(conf)) as session:
            done = validation.install(session, text, path.name, remote_addr=audit.CLI)
    except Busy as exc:
        raise click.ClickException(t("db_busy", conf["LANGUAGE"])) from exc
    if done["changed"]:
        click.echo(f"Validation rules from {path.name}: {summary}, now active.")
    else:
        click.echo(f"Validation rules from {path.name}: {summary}, already active.")


# --- report templates and submissions ----------------------------------------------


def _owed(conf: dict, unit: str, tree: str, report: str, year: int):
    engine = user_engine(conf)
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


def _report_options(command):
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
@click.option(
    "--explanation",
    default=None,
    help="The explanation of the warnings the report raises (required then).",
)
@click.pass_obj
def submit_report(
    conf: dict,
    file: Path,
    unit: str,
    report: str,
    year: int,
    tree: str,
    explanation: str | None,
) -> None:
    """Submit a filled template: every cell and every validation rule is
    checked; on any problem (an error rule broken included) nothing is stored
    and every problem is listed (sheet, row, column).  Warning rules broken
    need --explanation, stored with the report."""
    engine, due = _owed(conf, unit, tree, report, year)
    try:
        receipt = submissions.submit(
            engine,
            schedule_id=due.schedule_id,
            unit_id=due.unit_id,
            data=file.read_bytes(),
            file_name=file.name,
            user_id=None,
            remote_addr=audit.CLI,
            explanation=explanation,
        )
    except report_forms.FormError as exc:
        lines = "\n".join(f"  {p}" for p in exc.problems)
        raise click.ClickException(
            f"Chưa nhận báo cáo:\n{lines}\nNothing was stored."
        ) from exc
    except submissions.NeedsExplanation as exc:
        lang = conf["LANGUAGE"]
        lines = "\n".join(f"  {p}" for p in exc.messages(lang))
        raise click.ClickException(
            f"{exc.reason.text(lang)}\n{lines}\n"
            "Give --explanation to submit it. Nothing was stored."
        ) from exc
    except submissions.Locked as exc:
        raise click.ClickException(exc.message(conf["LANGUAGE"])) from exc
    except Busy as exc:
        raise click.ClickException(t("db_busy", conf["LANGUAGE"])) from exc
    timing = "on time" if receipt.on_time else f"{receipt.days_late} days late"
    click.echo(f"Received as version {receipt.version} ({timing}).")
    if receipt.warnings:
        click.echo(f"  stored with the explanation of {receipt.warnings} warnings.")
