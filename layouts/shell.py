"""The frame around every page: the page container, and what every page's top bar
shows (each page draws its own, in its own language): ``PageInfo`` and ``navbar``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import ids
from layouts.busy import busy
from layouts.i18n import t


def layout() -> html.Div:
    # a page that takes a while to build (the review's slides) shows it is coming
    return html.Div([busy(dash.page_container, {"_pages_content": "children"}, None)])


@dataclass(frozen=True)
class PageInfo:
    """What the page says about the data (from the database, via the caller)."""

    lang: str
    title: str
    periods: Sequence[tuple[str, str]]  # (key, label), newest first
    is_demo: bool
    approximate: bool
    units_source: str
    categories: dict[str, str] = field(default_factory=dict)  # code -> label
    types: dict[str, str] = field(default_factory=dict)  # offered type code -> label
    notes: tuple[str, ...] = field(default_factory=tuple)
    signed_in_as: str = ""  # "name (role)" for the navbar
    csrf_token: str = ""  # for the sign-out form
    is_admin: bool = False  # the navbar links to the administration page
    sees_tables: bool = True  # the navbar links to the tables page
    can_submit: bool = True  # the navbar links to the report submission page
    can_import: bool = False  # the navbar links to the import page
    waiting: int | None = None  # reports awaiting the user's sign-off (None: none)


def navbar(
    info: PageInfo, lang: str, lang_href: str | None = None, lang_id: str | None = None
) -> dbc.Navbar:
    """The top bar.  The map page keeps its language link in step with the view
    (a callback on ``ids.LANG_LINK``); other pages give ``lang_href``."""
    brand = dbc.NavbarBrand(info.title, className="text-wrap me-auto")
    items: list = []
    if info.signed_in_as:
        items.append(
            html.Span(info.signed_in_as, className="navbar-text small me-2 text-white")
        )
    if lang_href is None:
        items.append(_button(t("other_language", lang), "?", ids.LANG_LINK))
    else:
        items.append(_button(t("other_language", lang), lang_href, lang_id))
    if info.signed_in_as:
        items.append(_button(t("rank_link", lang), "/ranking", ids.RANK_LINK))
        items.append(_button(t("review_nav", lang), f"/present?lang={lang}"))
        if info.sees_tables:
            items.append(_button(t("tables_link", lang), "/tables", ids.TABLES_LINK))
        if info.can_submit:
            items.append(_button(t("reports_link", lang), "/reports", ids.REPORTS_LINK))
        items.append(waiting_badge(info.waiting, lang))
        if info.can_import:
            items.append(_button(t("import_link", lang), "/import", ids.IMPORT_LINK))
        items.append(
            _button(t("gloss_link", lang), f"/chi-so?lang={lang}", ids.GLOSSARY_LINK)
        )
    if info.is_admin:
        items.append(_button(t("admin_link", lang), "/admin", ids.ADMIN_LINK))
    if info.signed_in_as:
        items.append(sign_out(info.csrf_token, lang))
    # on phones the buttons make one row that scrolls sideways (assets/app.css)
    row = html.Div(items, className="topbar-items")
    return dbc.Navbar(
        dbc.Container([brand, row], fluid=True, className="topbar"),
        color="primary",
        dark=True,
    )


def waiting_badge(waiting: int | None, lang: str) -> html.A:
    """The count of reports awaiting the user's sign-off, a link to the queue on
    the reports page (hidden for users who sign off nothing)."""
    return html.A(
        t("approval_nav", lang, n=waiting or 0),
        href=f"/reports?lang={lang}",
        id=ids.APPROVAL_COUNT,
        className="btn btn-warning btn-sm me-2"
        if waiting
        else ("btn btn-outline-light btn-sm me-2"),
        hidden=waiting is None,
    )


def _button(label: str, href: str, component_id: str | None = None) -> html.A:
    extra = {"id": component_id} if component_id else {}
    return html.A(
        label, href=href, className="btn btn-outline-light btn-sm me-2", **extra
    )


def sign_out(csrf_token: str, lang: str) -> html.Form:
    """A plain POST form: the server checks the token and ends the session."""
    return html.Form(
        [
            dcc.Input(type="hidden", name="csrf_token", value=csrf_token),
            dcc.Input(type="hidden", name="lang", value=lang),
            html.Button(
                t("logout", lang), id=ids.LOGOUT, className="btn btn-light btn-sm"
            ),
        ],
        action="/logout",
        method="POST",
        className="mb-0",
    )
