"""Commands of fact imports: the template of a kind of facts, the import of a
filled one (a dry run unless --apply), and the stored rows in the import's own
form (to edit and import back)."""

from __future__ import annotations

from pathlib import Path

import click

from dashboard.cli.base import main, user_engine
from data import audit, fact_import, users
from data.db import Busy, transaction
from data.fact_import import export
from data.fact_import.read import Source
from data.fact_import.spec import LARGE
from data.problems import ProblemError
from data.scope import FULL, Scope
from layouts import import_page
from layouts.formatting import dong, number
from layouts.i18n import t

PROGRESS_EVERY = 100_000  # rows between two progress lines
KIND = click.argument("kind", type=click.Choice(sorted(fact_import.KINDS)))


def _scope(conf: dict, username: str | None) -> tuple[Scope, users.Account | None]:
    if username is None:
        return FULL, None
    with user_engine(conf).connect() as conn:
        account = users.get_account(conn, username=username)
    if account is None or not account.active:
        raise click.ClickException(
            t("user_unknown", conf["LANGUAGE"], username=username)
        )
    return Scope(account.role, account.scope_unit_id), account


@main.command("fact-template")
@KIND
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write: .xlsx (with drop-down lists) or .csv.",
)
@click.option("--user", "username", default=None, help="List this user's units.")
@click.pass_obj
def fact_template(conf: dict, kind: str, out: Path, username: str | None) -> None:
    """Write the template of KIND (incidents, fund_targets, fund_bookings,
    children, cf_assessments, indicator_targets, indicator_values) to
    fill in: a workbook with an instructions sheet and drop-down lists, or a CSV
    file with the same columns."""
    lang = conf["LANGUAGE"]
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise click.BadParameter(
            "the file must end in .xlsx or .csv", param_hint="--out"
        )
    scope, _account = _scope(conf, username)
    spec = fact_import.KINDS[kind]
    try:
        with user_engine(conf).connect() as conn:
            offered = fact_import.units(conn, scope, spec)
            listed = fact_import.choices(conn, spec)
    except ProblemError as exc:
        raise click.ClickException(exc.message(lang)) from exc
    out.write_bytes(fact_import.template(spec, fmt, offered, listed))
    click.echo(t("fact_template_written", lang, path=str(out), n=len(offered)))


def _figure(value: float | None, measure: str, lang: str) -> str:
    if value is None:
        return "–"
    if measure == "dong":
        return dong(int(value), lang)
    return number(value, lang, 0 if float(value).is_integer() else 2)


def _report(summary: fact_import.Summary, lang: str) -> None:
    click.echo(t("fact_summary", lang, file=summary.file_name, **summary.counts()))
    spec = fact_import.KINDS[summary.kind]
    label = spec.store.label
    for unit in summary.units:
        if summary.measure != "cases":
            when = " ".join(
                w
                for w in (unit.detail, "" if unit.year is None else str(unit.year))
                if w
            )
            line = t(
                "fact_summary_dong"
                if summary.measure == "dong"
                else "fact_summary_figure",
                lang,
                code=unit.code,
                name=unit.name,
                year=f" ({when})" if when else "",
                before=_figure(unit.before, summary.measure, lang),
                after=_figure(unit.after, summary.measure, lang)
                + (
                    f" – {spec.term(label, unit.label, lang)}"
                    if label and unit.label
                    else ""
                ),
            )
        else:
            line = t(
                "fact_summary_commune",
                lang,
                code=unit.code,
                name=unit.name,
                before=unit.before or 0,
                after=unit.after,
            )
        click.echo(line)


def _refuse(summary: fact_import.Summary, lang: str) -> click.ClickException:
    lines = [t("fact_problems", lang, n=summary.problem_count)]
    lines += [f"  {p.text(lang)}" for p in summary.problems]
    more = summary.problem_count - len(summary.problems)
    if more > 0:
        lines.append(t("fact_more_problems", lang, n=more))
    lines.append(t("fact_nothing_written", lang))
    return click.ClickException("\n".join(lines))


@main.command("import-facts")
@KIND
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "username", required=True, help="Who imports (their area).")
@click.option("--apply", "write", is_flag=True, help="Write (default: a dry run).")
@click.pass_obj
def import_facts(conf: dict, kind: str, file: Path, username: str, write: bool) -> None:
    """Check FILE (a filled template of KIND, .xlsx or .csv) and say what it
    would change; with --apply, write it in one transaction.  On any problem
    nothing is written and every problem is listed (sheet, row, column).  The
    file is read as it streams: up to 2,000,000 rows, with a progress line
    every 100,000 rows."""
    lang = conf["LANGUAGE"]
    scope, account = _scope(conf, username)
    engine = user_engine(conf)
    spec = fact_import.KINDS[kind]
    shown = [0]

    def progress(rows: int) -> None:  # a large file says how far it got
        if rows - shown[0] >= PROGRESS_EVERY:
            shown[0] = rows
            click.echo(t("fact_progress", lang, rows=rows), err=True)

    try:
        run = fact_import.apply if write else fact_import.dry_run
        summary = run(
            engine,
            spec,
            Source(file),  # read as it streams, as large as LARGE allows
            file_name=file.name,
            scope=scope,
            user_id=account.id if account else None,
            username=account.username if account else None,
            remote_addr=audit.CLI,
            limits=LARGE,
            progress=progress,
        )
    except ProblemError as exc:
        message = f"{exc.message(lang)}\n{t('fact_nothing_written', lang)}"
        raise click.ClickException(message) from exc
    except Busy as exc:
        raise click.ClickException(t("db_busy", lang)) from exc
    _report(summary, lang)
    if not summary.ok:
        raise _refuse(summary, lang)
    what = t(f"fact_rows_{kind}", lang)
    if not write:
        for line in import_page.restated(summary.restated, lang, done=False):
            click.echo(line)
        click.echo(t("fact_dry_run", lang))
    elif summary.new or summary.updated:
        counts = {"new": summary.new, "updated": summary.updated}
        click.echo(t("fact_written", lang, what=what, **counts))
        for line in import_page.restated(summary.restated, lang):
            click.echo(line)
    else:
        click.echo(t("fact_no_change", lang, what=what))


@main.command("export-facts")
@KIND
@click.option("--user", "username", required=True, help="Whose area (their rows).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(export.FORMATS),
    default=None,
    help="xlsx or csv (default: the file's ending).",
)
@click.option("--year", type=int, default=None, help="Only the rows of this year.")
@click.pass_obj
def export_facts(
    conf: dict,
    kind: str,
    username: str,
    out: Path,
    fmt: str | None,
    year: int | None,
) -> None:
    """Write the stored rows of KIND in USER's area in the import's own form
    (the template's sheet, headers, code spellings and dates), to edit and
    import back with import-facts; audited (facts_export).  Incident cases
    and indicator values only for admins and the province."""
    lang = conf["LANGUAGE"]
    fmt = fmt or out.suffix.lower().lstrip(".")
    if fmt not in export.FORMATS:
        raise click.BadParameter(
            "the file must end in .xlsx or .csv, or give --format", param_hint="--out"
        )
    scope, account = _scope(conf, username)
    spec = fact_import.KINDS[kind]
    engine = user_engine(conf)
    try:
        with engine.connect() as conn:
            found = export.rows(conn, scope, spec, year)
            offered = fact_import.units(conn, scope, spec) if fmt == "xlsx" else []
            listed = fact_import.choices(conn, spec)
    except ProblemError as exc:
        raise click.ClickException(exc.message(lang)) from exc
    out.write_bytes(export.file(found, fmt, offered, listed))
    with transaction(engine) as session:
        audit.record(
            session,
            export.AUDIT,
            user_id=account.id if account else None,
            username=account.username if account else None,
            detail=export.detail(found, fmt),
            remote_addr=audit.CLI,
        )
    what = t(f"fact_rows_{kind}", lang)
    click.echo(
        t("fact_export_written", lang, n=len(found.rows), what=what, path=str(out))
    )
    if found.left_out:
        click.echo(t("fact_export_left_out", lang, n=found.left_out))
