"""The command group every command joins, and what commands share: the engine
of a command-line run and the tree option.  ``dashboard.cli`` and its modules
add the commands."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import Engine

from dashboard import settings
from data.approvals import COUNT_UNAPPROVED_OPTION
from data.db import has_schema, make_engine


def engine_for(conf: dict) -> Engine:
    engine = make_engine(conf["DATABASE_URL"], statement_timeout_ms=None)
    return counting(engine, conf)


def counting(engine: Engine, conf: dict) -> Engine:
    """``engine`` with the setting COUNT_UNAPPROVED: whether figures of reports
    not yet approved count (``data.approvals.counts_unapproved``)."""
    option = {COUNT_UNAPPROVED_OPTION: bool(conf.get("COUNT_UNAPPROVED", True))}
    return engine.execution_options(**option)


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Child protection and care dashboard."""
    ctx.obj = settings.load()
    Path(ctx.obj["INSTANCE_PATH"]).mkdir(parents=True, exist_ok=True)


def user_engine(conf: dict) -> Engine:
    engine = engine_for(conf)
    if not has_schema(engine):
        raise click.ClickException("No schema yet: run `init-db` (or `setup`) first.")
    return engine


TREE_OPTION = click.option(
    "--tree",
    type=click.Choice(["legacy", "2025"]),
    default="legacy",
    help="Units before (legacy) or since the July-2025 reform.",
)
