"""The audit log: who did what, when, from where (sign-ins, accounts, imports,
exports, submissions and refused uploads, template downloads, requests refused
for lying outside the user's area).  Details are compact JSON and may not hold a
password.  ``record`` takes a Session and only flushes: the caller owns the
transaction.  A row from the command line (``remote_addr=CLI``) carries the
operating-system account and the host that ran the command in its detail."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import re
import socket
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from data.db import as_utc, read_rows
from data.models import AuditLog

# --- audit log ------------------------------------------------------------------------

# Actions the app writes; any other lower-case name of up to 32 characters is
# accepted too, so that a new kind of event needs no change here.
ACTIONS = (
    "login_ok",
    "login_remembered",
    "login_failed",
    "lockout",
    "logout",
    "session_expired",
    "user_created",
    "password_set",
    "user_deactivated",
    "import",
    "export",
    "published_rank",
    "report_submitted",
    "report_refused",
    "report_approved",
    "report_returned",
    "report_approval_withdrawn",
    "report_template",
    "scope_refused",
    "facts_import",
    "facts_template",
    "facts_export",
    "facts_import_refused",
    "facts_import_changes",
    "facts_import_upload",
    "demo_cleared",
    "children_set",
)
CLI = "cli"  # the remote address of a command-line run
_ACTION = re.compile(r"[a-z][a-z0-9_]{0,31}")


def _check_no_password(value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if "password" in str(key).lower():
                raise ValueError(f"audit detail must not hold a password ({key!r})")
            _check_no_password(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_no_password(item)


def cli_origin() -> dict[str, str]:
    """Who ran a command, and where: the OS account and the host name."""
    try:
        os_user = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no name for this uid
        os_user = "?"
    return {"os_user": os_user[:64], "host": socket.gethostname()[:128]}


def record(
    session: Session,
    action: str,
    *,
    user_id: int | None = None,
    username: str | None = None,
    detail: dict[str, Any] | str | None = None,
    remote_addr: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Write one audit row.  ``user_id``/``username`` name who acted; a dict
    ``detail`` is stored as compact JSON and may not have a key about passwords;
    from the command line (``remote_addr=CLI``) it gains ``os_user`` and
    ``host``."""
    if not isinstance(action, str) or not _ACTION.fullmatch(action):
        raise ValueError(f"bad audit action {action!r}")
    if remote_addr == CLI and (detail is None or isinstance(detail, dict)):
        detail = {**(detail or {}), **cli_origin()}
    text: str | None
    if isinstance(detail, dict):
        _check_no_password(detail)
        text = json.dumps(
            detail,
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
            default=str,
        )
    elif detail is None or isinstance(detail, str):
        text = detail
    else:
        raise TypeError("audit detail must be a dict, a string or None")
    session.add(
        AuditLog(
            at=as_utc(at) or dt.datetime.now(dt.UTC),
            user_id=user_id,
            username=username[:64] if username else username,
            action=action,
            detail=text,
            remote_addr=remote_addr[:64] if remote_addr else remote_addr,
        )
    )
    session.flush()


def rows(
    conn: Connection | Session, *, limit: int = 200, action: str | None = None
) -> list[dict[str, Any]]:
    """The newest audit rows first (of one action when given)."""
    stmt = select(
        AuditLog.id,
        AuditLog.at,
        AuditLog.user_id,
        AuditLog.username,
        AuditLog.action,
        AuditLog.detail,
        AuditLog.remote_addr,
    ).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if action is not None:
        stmt = stmt.where(AuditLog.action == action)
    rows = [r._mapping for r in read_rows(conn, stmt.limit(max(0, int(limit))))]
    return [{**row, "at": as_utc(row["at"])} for row in rows]
