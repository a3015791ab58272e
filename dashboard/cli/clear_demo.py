"""The command that clears one province's demo data (``data.demo.clear``): the
counts of what it removes, and with --yes the removal."""

from __future__ import annotations

import click

from dashboard.cli.base import TREE_OPTION, main, user_engine
from data import audit
from data.db import Busy, transaction
from data.demo import clear
from data.problems import ProblemError
from layouts.i18n import t


def _counts(found: clear.Clearing, lang: str) -> list[str]:
    return [
        t("demo_count_row", lang, table=t(f"demo_table_{name}", lang), n=n)
        for name, n in found.counts.items()
    ]


@main.command("clear-demo")
@click.option("--province", "code", required=True, help="The province's code.")
@TREE_OPTION
@click.option("--yes", "confirmed", is_flag=True, help="Remove (default: count).")
@click.pass_obj
def clear_demo(conf: dict, code: str, tree: str, confirmed: bool) -> None:
    """Clear the demo data of one province so that it can import its own: say
    how many rows each table would lose; with --yes, remove them in one
    transaction (audited).  Imported cases and submitted reports are kept."""
    lang = conf["LANGUAGE"]
    engine = user_engine(conf)
    try:
        if not confirmed:
            with engine.connect() as conn:
                found = clear.count_province(conn, code, tree)
            values = {"province": found.name, "code": found.code, "tree": tree}
            click.echo(t("demo_clear_will", lang, total=found.total, **values))
            for line in _counts(found, lang):
                click.echo(line)
            click.echo(t("demo_clear_dry", lang))
            return
        with transaction(engine) as session:
            done = clear.clear_province(session, code, tree, remote_addr=audit.CLI)
    except ProblemError as exc:
        raise click.ClickException(exc.message(lang)) from exc
    except Busy as exc:
        raise click.ClickException(t("db_busy", lang)) from exc
    for line in _counts(done, lang):
        click.echo(line)
    values = {"province": done.name, "code": done.code, "tree": tree}
    click.echo(t("demo_cleared", lang, total=done.total, **values))
