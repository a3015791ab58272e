"""The administration page: users and the audit log (admins only).

Pure functions of what the caller read from the database; the wrapper in
``dashboard/pages.py`` checks the role before reading anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import html

from layouts import ids
from layouts.i18n import t
from layouts.shell import PageInfo, navbar

VN = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class UserRow:
    username: str
    role: str  # display name
    unit: str  # "legacy 633" or ""
    active: bool
    locked_until: dt.datetime | None


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    username: str | None
    action: str
    detail: str | None
    remote_addr: str | None


def layout(
    info: PageInfo,
    users: Sequence[UserRow],
    audit: Sequence[AuditRow],
    actions: Sequence[str],
    chosen: str | None,
) -> html.Div:
    lang = info.lang
    filters = [
        html.A(
            t("admin_all", lang) if action is None else action,
            href="/admin" if action is None else f"/admin?action={action}",
            className="btn btn-sm me-1 mb-1 "
            + ("btn-primary" if action == chosen else "btn-outline-primary"),
        )
        for action in (None, *actions)
    ]
    body = dbc.Container(
        [
            html.H1(t("admin_title", lang), className="h4 mt-3"),
            html.A(t("admin_back", lang), href="/", className="small"),
            html.H2(t("admin_users", lang), className="h5 mt-3"),
            users_table(users, lang),
            html.H2(t("admin_audit", lang), className="h5 mt-4"),
            html.Div(filters, className="mb-2"),
            audit_table(audit, lang),
        ],
        fluid=True,
    )
    return html.Div([navbar(info, lang, _other(lang, "/admin")), body], id=ids.ADMIN)


def forbidden(info: PageInfo) -> html.Div:
    lang = info.lang
    return html.Div(
        [
            navbar(info, lang, _other(lang, "/admin")),
            dbc.Container(
                dbc.Alert(t("admin_forbidden", lang), color="warning", className="mt-3")
            ),
        ],
        id=ids.ADMIN,
    )


def _local(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(VN).strftime("%d/%m/%Y %H:%M:%S")


def users_table(rows: Sequence[UserRow], lang: str) -> dbc.Table:
    now = dt.datetime.now(dt.UTC)
    head = html.Thead(
        html.Tr(
            [
                html.Th(t(key, lang))
                for key in ("col_username", "col_role", "col_unit", "col_state")
            ]
        )
    )
    body = []
    for row in rows:
        locked = row.locked_until is not None and row.locked_until > now
        state = (
            t("state_inactive", lang)
            if not row.active
            else t("state_locked", lang, until=_local(row.locked_until))
            if locked
            else t("state_active", lang)
        )
        body.append(
            html.Tr(
                [
                    html.Td(row.username),
                    html.Td(row.role),
                    html.Td(row.unit),
                    html.Td(state),
                ]
            )
        )
    return dbc.Table(
        [head, html.Tbody(body)], size="sm", striped=True, id=ids.ADMIN_USERS
    )


def audit_table(rows: Sequence[AuditRow], lang: str) -> dbc.Table:
    keys = ("col_time", "col_username", "col_action", "col_detail", "col_address")
    head = html.Thead(html.Tr([html.Th(t(key, lang)) for key in keys]))
    body = [
        html.Tr(
            [
                html.Td(_local(row.at), className="text-nowrap"),
                html.Td(row.username or "–"),
                html.Td(row.action),
                html.Td(row.detail or "", className="small text-break"),
                html.Td(row.remote_addr or ""),
            ]
        )
        for row in rows
    ]
    return dbc.Table(
        [head, html.Tbody(body)], size="sm", striped=True, id=ids.ADMIN_AUDIT
    )


def _other(lang: str, path: str) -> str:
    return f"{path}?lang={'en' if lang == 'vi' else 'vi'}"
