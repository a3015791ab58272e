"""Commands of user accounts: create, set a password, deactivate, list."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard.cli.base import TREE_OPTION, main, user_engine
from data import audit, users
from data.db import transaction
from data.vocabulary import ROLES

# --- user accounts --------------------------------------------------------------------


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
    engine = user_engine(conf)
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
            audit.record(
                session,
                "user_created",
                detail={
                    "username": account.username,
                    "role": account.role,
                    "unit": account.scope_code,
                    "tree": account.scope_tree,
                },
                remote_addr=audit.CLI,
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
    engine = user_engine(conf)
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
        user_engine(conf),
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
            audit.record(
                session,
                action,
                detail={"username": account.username},
                remote_addr=audit.CLI,
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
    with user_engine(conf).connect() as conn:
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
