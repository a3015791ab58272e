"""Page registration.  Each page's layout is a pure function in layouts/; the
wrappers here read the URL, validate it, gather what the page needs from the
database (within the request) and pass it in."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import dash
from dash import Dash, html
from dash.exceptions import PreventUpdate
from flask import current_app

from callbacks import context, inputs
from callbacks import import_page as import_callbacks
from callbacks import present_page as present_callbacks
from callbacks import ranking_page as ranking_callbacks
from callbacks import reports_page as reports_callbacks
from callbacks import status as status_callbacks
from callbacks import tables_page as tables_callbacks
from callbacks.context import cached, sees_exact
from callbacks.context import conn as get_conn
from callbacks.inputs import (
    CATEGORIES,
    CHILD_LEVEL,
    MEASURES,
    preferred_provinces,
    type_labels,
)
from callbacks.map_views import shows_demo, theme_check
from callbacks.themes import GLOSSARY, THEMES
from dashboard import auth
from data import (
    approvals,
    audit,
    fact_import,
    metrics,
    places,
    ranking,
    submissions,
    tables,
    users,
)
from data.demo import indicators as plan_indicators
from data.fact_import import spec as fact_spec
from data.periods import Period, today_vn
from data.reform import FORMER_DISTRICT, LEGACY_TREE, NEW_TREE, tree_for
from data.units import source_label
from data.vocabulary import INCIDENT_CATEGORY_TERMS, ROLE_TERMS, names
from layouts import (
    admin_page,
    glossary,
    import_page,
    map_page,
    present_page,
    ranking_page,
    reports_page,
    shell,
    tables_page,
)
from layouts.formatting import period_label, place_label
from layouts.i18n import t
from layouts.legend import CLASS_METHODS

AUDIT_ROWS = 200  # newest first


def _pick(value: str | None, allowed: tuple[str, ...], default: str) -> str:
    return value if value in allowed else default


def _label(key: str, lang: str) -> str:
    period = Period.parse(key)
    end = period.end(today_vn()) if period.ytd else None
    return period_label(period.year, lang, quarter=period.quarter, ytd_end=end)


def _place(
    conn,
    tree: str,
    unit: str | None,
    sel: str | None,
    default: str,
    unit_tree: str | None = None,
) -> tuple[str, str | None]:
    """(place whose children are shown, selected commune) from the URL, validated
    on ``tree``; a unit of the other tree is taken to the same area on this one
    (the URL's ``unit_tree`` says which tree its code is of: codes repeat)."""
    if unit and unit_tree in (LEGACY_TREE, NEW_TREE) and unit_tree != tree:
        if places.place(conn, tree=unit_tree, code=unit) is None:
            return default, None
        code, chosen = places.translate(conn, code=unit, selected=sel, to_tree=tree)
        return code or default, chosen
    row = places.place(conn, tree=tree, code=unit) if unit else None
    if row is None and unit:
        other = LEGACY_TREE if tree == NEW_TREE else NEW_TREE
        if places.place(conn, tree=other, code=unit) is not None:
            code, chosen = places.translate(conn, code=unit, selected=sel, to_tree=tree)
            return code or default, chosen
    if row is None:
        return default, None
    if row["level"] == "commune":  # a commune in the URL: its parent, selected
        return row["parent_code"], row["code"]
    if row["level"] not in CHILD_LEVEL[tree]:
        return default, None
    picked = places.place(conn, tree=tree, code=sel) if sel else None
    if picked is None or not places.is_under(conn, picked, row):
        return row["code"], None
    return row["code"], picked["code"]


def opening_period(
    periods: list[str],
    kind: str = "year",
    has_data: Callable[[Period], bool] | None = None,
) -> str:
    """The period a page opens on when the URL names none (``default_period``)."""
    chosen = metrics.default_period(
        periods, kind=kind, today=today_vn(), has_data=has_data
    )
    return chosen or periods[0]


def map_has_data(theme: str) -> Callable[[Period], bool] | None:
    """The map's check of a period for ``theme``; None for nobody."""
    scope = context.scope()
    return None if scope is None else theme_check(theme, scope)


def map_state(conn, periods: list[str], q: dict) -> map_page.MapState:
    """The view the URL asks for; anything unknown falls back to the default (the
    latest year with data for the theme)."""
    theme = _pick(q.get("theme"), THEMES, "child_friendly")
    period = q.get("period")
    if period not in periods:
        period = opening_period(periods, has_data=map_has_data(theme))
    tree = tree_for(Period.parse(period), today_vn())
    default = places.default_root(conn, tree) or "VN"
    wanted = [c for c in context.configured_provinces() or [] if c != "VN"]
    if (
        default == "VN"
        and len(wanted) == 1
        and places.place(conn, tree=tree, code=wanted[0])
    ):
        default = wanted[0]  # the one province configured (e.g. 2024's Gia Lai)
    unit, selected = _place(
        conn, tree, q.get("unit"), q.get("sel"), default, q.get("tree")
    )
    shown = places.place(conn, tree=tree, code=unit)
    in_group = shown is not None and shown["level"] == FORMER_DISTRICT
    category = _pick(q.get("cat"), CATEGORIES, "both")
    allowed = type_labels(category, "vi", sees_exact())
    types = tuple(c for c in str(q.get("types") or "").split(",") if c in allowed)
    return map_page.MapState(
        unit=unit,
        selected=selected,
        period=period,
        tree=tree,
        groups=tree == NEW_TREE and (in_group or q.get("groups") == "1"),
        can_group=tree == NEW_TREE,
        theme=theme,
        category=category,
        types=types,
        measure=_pick(q.get("measure"), MEASURES, "rate"),
        classes=_pick(q.get("classes"), CLASS_METHODS, "quantile"),
    )


def map_view(**query: Any) -> html.Div:
    """The map page for the view the URL describes."""
    conn = get_conn()
    lang = context.language(query.get("lang"))
    info, periods = _dataset()
    state = map_state(conn, periods, query) if periods and info.provinces else None
    page = _page_info(conn, lang, info=info, periods=periods)
    page = dataclasses.replace(
        page,
        types=type_labels(state.category if state else "both", lang, sees_exact()),
        is_demo=page.is_demo
        and (state is None or shows_demo({"tree": state.tree, "unit": state.unit})),
    )
    return map_page.layout(state, page)


def _dataset() -> tuple[metrics.DatasetInfo, list[str]]:
    """What every page's frame says of the data, and the periods it offers:
    cached with the figures (keyed by the facts version, which every writer of
    facts, units, reports and sign-offs moves)."""
    info = cached(metrics.dataset_info, tree=LEGACY_TREE)
    return info, cached(metrics.available_periods, today=today_vn())


def _page_info(
    conn,
    lang: str,
    info: metrics.DatasetInfo | None = None,
    periods: list[str] | None = None,
) -> shell.PageInfo:
    """What every page's frame says: periods, demo data, approximate boundaries,
    the signed-in user."""
    if info is None or periods is None:
        info, periods = _dataset()
    if not info.provinces:
        periods = []
    return shell.PageInfo(
        lang=lang,
        title=t("app_title", lang),
        periods=[(key, _label(key, lang)) for key in periods],
        is_demo=info.is_demo,
        approximate=info.approximate_boundaries,
        units_source=source_label(),
        categories=names(INCIDENT_CATEGORY_TERMS, lang),
        signed_in_as=_signed_in_as(lang),
        csrf_token=auth.csrf_token(),
        is_admin=_is_admin(),
        sees_tables=_sees_tables(),
        can_submit=_sees_tables(),  # the same roles submit reports
        can_import=import_callbacks.allowed(context.scope()),
        waiting=_waiting(conn),
    )


def _waiting(conn) -> int | None:
    """Reports awaiting the signed-in user's sign-off (None: signs off none)."""
    scope = context.scope()
    return None if scope is None else approvals.waiting_count(conn, scope)


def _sees_tables() -> bool:
    scope = context.scope()
    return scope is None or scope.sees_tables


def _is_admin() -> bool:
    who = context.user()
    return who is not None and who.role == "admin"


def admin_view(
    action: str | None = None, lang: str | None = None, **_: Any
) -> html.Div:
    """Users and the audit log, for admins; a refusal for anyone else (nothing is
    read from the database for them)."""
    lang = context.language(lang)
    info = shell.PageInfo(
        lang=lang,
        title=t("app_title", lang),
        periods=[],
        is_demo=False,
        approximate=False,
        units_source="",
        signed_in_as=_signed_in_as(lang),
        csrf_token=auth.csrf_token(),
        is_admin=_is_admin(),
    )
    if not _is_admin():
        return admin_page.forbidden(info)
    conn = get_conn()
    roles = names(ROLE_TERMS, lang)
    accounts = [
        admin_page.UserRow(
            username=a.username,
            role=roles.get(a.role, a.role),
            unit=f"{a.scope_tree} {a.scope_code}" if a.scope_code else "",
            active=a.active,
            locked_until=a.locked_until,
        )
        for a in users.list_accounts(conn)
    ]
    chosen = action if action in audit.ACTIONS else None
    logged = [
        admin_page.AuditRow(
            at=r["at"],
            username=r["username"],
            action=r["action"],
            detail=r["detail"],
            remote_addr=r["remote_addr"],
        )
        for r in audit.rows(conn, limit=AUDIT_ROWS, action=chosen)
    ]
    return admin_page.layout(info, accounts, logged, audit.ACTIONS, chosen)


def _signed_in_as(lang: str) -> str:
    who = context.user()
    if who is None:
        return ""
    role = names(ROLE_TERMS, lang)[who.role]
    return t("signed_in_as", lang, name=who.username, role=role)


def ranking_view(
    unit: str | None = None,
    period: str | None = None,
    lang: str | None = None,
    tree: str | None = None,
    **_: Any,
) -> html.Div:
    """The ranking page for the place and period the URL names (validated)."""
    conn = get_conn()
    lang = context.language(lang)
    info = _page_info(conn, lang)
    periods = [key for key, _label in info.periods]
    if not periods:
        return map_page.layout(None, info)
    chosen = period if period in periods else None
    chosen = chosen or opening_period(periods, has_data=_ranking_has_data(conn, unit))
    unit_tree = tree  # the tree ``unit`` is a code of, when the URL says
    tree = tree_for(Period.parse(chosen), today_vn())
    code = unit or _home_province(conn, tree)
    prefer = preferred_provinces(context.scope(), tree)
    try:
        shown, _level = ranking_callbacks.ranked_place(
            code, tree, unit_tree if unit else None, prefer
        )
    except PreventUpdate:
        shown, _level = ranking_callbacks.ranked_place(_home_province(conn, tree), tree)
    state = ranking_page.RankingState(
        tree=tree,
        unit=shown["code"],
        unit_name=place_label(shown, lang),
        period=chosen,
        informal=tree == NEW_TREE and shown["level"] == "province",
        can_enter=ranking_callbacks.may_enter_ranks(),
    )
    return ranking_page.layout(state, info)


def _ranking_has_data(conn, unit: str | None) -> Callable[[Period], bool] | None:
    """Whether every component of the ranking the page opens on has a value for
    some unit in a period; None for nobody."""
    scope = context.scope()
    if scope is None:
        return None

    def check(period: Period) -> bool:
        tree = tree_for(period, today_vn())
        try:
            shown, level = ranking_callbacks.ranked_place(
                unit or _home_province(conn, tree), tree
            )
        except PreventUpdate:
            return False
        frame = cached(
            ranking.components,
            tree=tree,
            level=level,
            parent_code=shown["code"],
            period=period,
            today=today_vn(),
            scope=scope,
        )
        return all(frame[c].notna().any() for c in ranking.COMPONENTS)

    return check


def _home_province(conn, tree: str) -> str:
    """The province a ranking opens on: the signed-in user's, else the first of
    PROVINCES loaded in ``tree``, else the tree's first province."""
    who = context.user()
    if who is not None and who.account.scope_code:
        own = places.place(
            conn, tree=str(who.account.scope_tree), code=who.account.scope_code
        )
        while own is not None and own["level"] not in ("province", "country"):
            own = places.place(
                conn, tree=str(who.account.scope_tree), code=own["parent_code"]
            )
        if own is not None and own["level"] == "province":
            code, _sel = (
                places.translate(conn, code=own["code"], selected=None, to_tree=tree)
                if who.account.scope_tree != tree
                else (own["code"], None)
            )
            if code:
                return code
    loaded = places.provinces(conn, tree)
    wanted = [c for c in context.configured_provinces() or [] if c in loaded]
    return (wanted or loaded or ["VN"])[0]


def tables_view(
    table: str | None = None,
    unit: str | None = None,
    period: str | None = None,
    lang: str | None = None,
    tree: str | None = None,
    type: str | None = None,  # noqa: A002 (the URL's parameter)
    status: str | None = None,
    **_: Any,
) -> html.Div:
    """The tables page for the table, place and period the URL names (validated;
    anything unknown falls back to the user's own area and the latest year)."""
    conn = get_conn()
    lang = context.language(lang)
    info = _page_info(conn, lang)
    scope = context.scope()
    if scope is None or not scope.sees_tables:
        return tables_page.layout(None, info, t("tables_not_for_viewer", lang))
    periods = [key for key, _label in info.periods]
    if not periods:
        return map_page.layout(None, info)

    def has_rows(candidate: Period) -> bool:
        try:
            shown = tables_callbacks.state(
                scope, lang, table=table, unit=unit, period=candidate.key
            )
            filters = tables.resolve(
                conn,
                shown.table,
                **_filters(shown.query),
                scope=scope,
                today=today_vn(),
            )
        except ValueError:
            return False
        return cached(
            tables.has_rows,
            table=shown.table,
            filters=filters,
            scope=scope,
            today=today_vn(),
        )

    chosen = period if period in periods else opening_period(periods, has_data=has_rows)
    try:
        state = tables_callbacks.state(
            scope,
            lang,
            table=table,
            unit=unit,
            period=chosen,
            from_tree=tree if tree in (LEGACY_TREE, NEW_TREE) else None,
            type_=type if isinstance(type, str) else None,
            status=status if isinstance(status, str) else None,
        )
    except ValueError:
        state = tables_callbacks.state(
            scope, lang, table=None, unit=None, period=chosen
        )
    tree = tree_for(Period.parse(state.period), today_vn())
    demo = info.is_demo and shows_demo({"tree": tree, "unit": state.unit})
    return tables_page.layout(state, dataclasses.replace(info, is_demo=demo))


def _filters(query: dict) -> dict:
    return {k: query.get(k) for k in ("unit", "period", "type", "status")}


def reports_view(
    year: str | None = None, lang: str | None = None, **_: Any
) -> html.Div:
    """The report submission page: the reports the user may submit in a year
    (default: this year)."""
    conn = get_conn()
    lang = context.language(lang)
    info = _page_info(conn, lang)
    scope = context.scope()
    if scope is None or not scope.sees_tables:
        return reports_page.layout(None, info, t("reports_not_for_viewer", lang))
    this = today_vn().year
    years = submissions.schedule_years(conn) or [this]
    chosen = int(str(year)) if str(year).isdigit() and int(str(year)) in years else None
    chosen = chosen or (this if this in years else years[0])
    state = reports_page.ReportsState(
        year=chosen,
        years=years,
        choices=reports_callbacks.choices(scope, chosen, lang),
        overdue=reports_callbacks.overdue(scope, chosen, lang),
        max_bytes=reports_callbacks.upload_limit(
            current_app.config["MAX_CONTENT_LENGTH"]
        ),
        queue=reports_callbacks.queue(scope, lang),
        countdown=status_callbacks.countdown(scope, chosen, lang),
    )
    return reports_page.layout(state, info)


def import_view(
    kind: str | None = None,
    lang: str | None = None,
    job: str | None = None,
    **_: Any,
) -> html.Div:
    """The import page: for the roles that import (a refusal for the others,
    nothing read for them)."""
    lang = context.language(lang)
    scope = context.scope()
    if scope is None or not import_callbacks.allowed(scope):
        info = _page_info(get_conn(), lang)
        return import_page.layout(None, info, t("import_not_allowed", lang))
    kinds = import_callbacks.kinds(lang)
    keys = tuple(key for key, _label in kinds)
    chosen = _pick(kind, keys, keys[0])
    state = import_page.ImportState(
        kinds=kinds,
        kind=chosen,
        max_bytes=inputs.upload_limit(
            current_app.config["MAX_CONTENT_LENGTH"], fact_spec.MAX_BYTES
        ),
        refused=import_callbacks.export_refused(scope, fact_import.KINDS[chosen], lang),
        job=job if isinstance(job, str) and job.isalnum() and len(job) == 32 else None,
        years=range(today_vn().year, fact_spec.FIRST_DAY.year - 1, -1),
    )
    return import_page.layout(state, _page_info(get_conn(), lang))


def _quarters(periods: list[str], lang: str) -> list[tuple[str, str]]:
    keys = [p for p in periods if "-Q" in p]
    return [(key, _label(key, lang)) for key in keys]


def present_view(
    quarter: str | None = None,
    province: str | None = None,
    lang: str | None = None,
    tree: str | None = None,
    **_: Any,
) -> html.Div:
    """The quarterly review as slides (every role; the figures as the user's
    scope may see them)."""
    conn = get_conn()
    lang = context.language(lang)
    scope = context.scope()
    quarters = _quarters(metrics.available_periods(conn), lang)
    if scope is None or not quarters:
        return present_page.layout(None, lang)
    keys = tuple(key for key, _label in quarters)
    last = opening_period(list(keys), kind="quarter")  # the last complete quarter
    chosen = Period.parse(_pick(quarter, keys, last))
    tree_given = tree
    tree = tree_for(chosen, today_vn())
    home = _home_province(conn, tree)
    # the province of the tree the URL names (the quarter's when it names none):
    # across 1 July 2025 it becomes its counterpart, never the unit with its code
    moved = (
        present_callbacks.same_province(province, tree_given, tree, scope)
        if province
        else ""
    )
    shown = places.place(conn, tree=tree, code=moved) if moved else None
    code = moved if shown is not None and shown["level"] == "province" else home
    try:
        state = present_callbacks.state(scope, chosen, code, lang, quarters)
    except ValueError as exc:
        return present_page.layout(None, lang, str(exc))
    return present_page.layout(state, lang)


def glossary_sections() -> list[tuple[str, tuple[str, ...]]]:
    """The glossary's sections and their entries, from the code's own lists: the
    map themes' measures, the ranking's composite (its components are the map's
    measures) and the plan targets' indicators."""
    themes = tuple(key for theme in THEMES for key in GLOSSARY[theme])
    return [
        ("gloss_section_themes", themes),
        ("gloss_section_ranking", (ranking_page.COMPOSITE_GLOSSARY,)),
        ("gloss_section_plan", plan_indicators.CODES),
    ]


def glossary_view(lang: str | None = None, **_: Any) -> html.Div:
    """The indicator glossary (/chi-so): text only, no figures."""
    lang = context.language(lang)
    info = _page_info(get_conn(), lang)
    components = tuple(ranking_page.COMPONENT_GLOSSARY.values())
    return glossary.layout(glossary_sections(), info, components)


def register(app: Dash) -> None:
    dash.register_page("map", path="/", name="Bản đồ", layout=map_view)
    dash.register_page("admin", path="/admin", name="Quản trị", layout=admin_view)
    dash.register_page("ranking", path="/ranking", name="Xếp hạng", layout=ranking_view)
    dash.register_page(
        "tables", path="/tables", name="Bảng số liệu", layout=tables_view
    )
    dash.register_page(
        "reports", path="/reports", name="Nộp báo cáo", layout=reports_view
    )
    dash.register_page(
        "import", path="/import", name="Nhập số liệu", layout=import_view
    )
    dash.register_page(
        "present", path="/present", name="Họp giao ban quý", layout=present_view
    )
    dash.register_page(
        "glossary", path=glossary.PATH, name="Chỉ số", layout=glossary_view
    )
    app.layout = shell.layout
