"""What the map callbacks show, assembled from data/ aggregates and layouts/ panels.

Every browser input is validated here: a crafted request with an unknown unit,
theme or period changes nothing (PreventUpdate) instead of reaching the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from dash.exceptions import PreventUpdate

from callbacks.context import asking, cache_together, cached, conn
from callbacks.detail_views import panel
from callbacks.inputs import (
    CATEGORIES,
    CHILD_LEVEL,
    MEASURES,
    child_level,
    parse_period,
    unit,
    view_tree,
)
from callbacks.themes import (
    THEMES,
    Query,
    incident_args,
    timeliness_args,
)
from data import demo_marks, metrics, places
from data.periods import Period, today_vn
from data.reform import FORMER_DISTRICT, LEGACY_TREE, NEW_TREE, tree_for
from data.scope import Scope
from data.vocabulary import (
    ABUSE_TYPES,
    INJURY_TYPES,
)
from layouts import map_panels
from layouts.formatting import display_name, period_label, place_label
from layouts.i18n import language, t
from layouts.legend import CLASS_METHODS


def query(view, theme, period, category, types, measure, classes, lang) -> Query:
    """A validated Query from the page's inputs."""
    if theme not in THEMES:
        raise PreventUpdate
    scope = asking()
    parsed, tree = view_tree(view, period)
    shown = unit((view or {}).get("unit", ""), tree)
    level = child_level(tree, shown, bool((view or {}).get("groups")))
    category = category if category in CATEGORIES else "both"
    allowed = {"abuse": ABUSE_TYPES, "injury": INJURY_TYPES}.get(
        category, ABUSE_TYPES + INJURY_TYPES
    )
    return Query(
        theme=theme,
        tree=tree,
        unit=shown["code"],
        level=level,
        period=parsed,
        today=today_vn(),
        lang=language(lang),
        scope=scope,
        category=category,
        types=tuple(c for c in (types or ()) if c in allowed),
        measure=measure if measure in MEASURES else "rate",
        method=classes if classes in CLASS_METHODS else "quantile",
    )


def _unit_row(q: Query, func: Callable, args: dict) -> dict:
    """The shown unit's own row of ``func`` (its row in its parent's listing,
    computed alone), or for the root its children's totals."""
    shown = unit(q.unit, q.tree)
    if shown["parent_code"] is None:
        return metrics.totals(cached(func, **args))
    return metrics.own_row(cached(func, **{**args, **_own(shown)}))


def _own(shown: dict) -> dict:
    """A listing's arguments for the row of ``shown`` alone."""
    return {
        "level": shown["level"],
        "parent_code": shown["parent_code"],
        "only": shown["code"],
    }


DROP = ("level", "parent_code")  # a unit's own row: by code, not by listing

# Per theme whose headline is the shown unit's row of its listing (``_unit_row``):
# the listing, the same read with that row (``*_with_unit``), the listing's
# arguments.  Fund has a headline of its own; child-friendly communes show a
# status, not the share of the headline.
OWN_ROW: dict[str, tuple[Callable, Callable, Callable[[Query], dict]]] = {
    "child_friendly": (
        metrics.child_friendly_share,
        metrics.child_friendly_share_with_unit,
        Query.args,
    ),
    "timeliness": (metrics.timeliness, metrics.timeliness_with_unit, timeliness_args),
}


def read_together(q: Query) -> None:
    """The view's listing and its headline (``summary``), when one is not
    cached, read by one statement (``metrics.*_with_unit``) and cached each
    under its own key (``cache_together``), where the theme view and the
    summary then find them."""
    if q.theme == "incidents":
        args = incident_args(q)
        own = {k: v for k, v in args.items() if k not in DROP}
        parts: list[tuple[Callable, dict]] = [
            (metrics.incidents, args),
            (metrics.incidents_of_unit, {"code": q.unit, **own}),
        ]
        cache_together(metrics.incidents_with_unit, parts, **args)
        return
    if q.theme not in OWN_ROW or (q.theme == "child_friendly" and q.level == "commune"):
        return
    shown = unit(q.unit, q.tree)
    if shown["parent_code"] is None:  # the root's headline: its listing's totals
        return
    listing, together, args_of = OWN_ROW[q.theme]
    args = args_of(q)
    parts = [(listing, args), (listing, {**args, **_own(shown)})]
    where = {"unit_level": shown["level"], "unit_parent": shown["parent_code"]}
    cache_together(together, parts, **args, **where)


def summary(q: Query) -> list:
    """The headline card of the unit whose children are on the map."""
    name = display_name(q.unit, unit(q.unit, q.tree)["name"], q.lang)
    if q.theme == "fund":
        head = cached(
            metrics.fund_headline,
            tree=q.tree,
            unit_code=q.unit,
            year=q.period.year,
            today=q.today,
            scope=q.scope,
        )
        return map_panels.summary_fund(name, head, q.lang)
    if q.theme == "incidents":
        args = {k: v for k, v in incident_args(q).items() if k not in DROP}
        frame = cached(metrics.incidents_of_unit, code=q.unit, **args)
        if frame.empty:
            raise PreventUpdate
        row = frame.iloc[0].to_dict()
        return map_panels.summary_incidents(name, row, q.lang, q.measure)
    if q.theme == "timeliness":
        row = _unit_row(q, metrics.timeliness, timeliness_args(q))
        return map_panels.summary_timeliness(name, row, q.lang)
    row = _unit_row(q, metrics.child_friendly_share, q.args())
    return map_panels.summary_share(name, row, q.lang)


def breadcrumb(
    q: Query, selected: dict | None, unit_names: Sequence[str], codes: Sequence[str]
) -> object:
    chain = [
        (u["code"], place_label(u, q.lang))
        for u in cached(places.chain, tree=q.tree, code=q.unit)
        if u["level"] != "country" or _many_provinces(q.tree)
    ]
    code = (selected or {}).get("code")
    name = dict(zip(codes, unit_names, strict=True)).get(code) if code else None
    return map_panels.breadcrumb(chain, name)


def _many_provinces(tree: str) -> bool:
    return len(cached(places.provinces, tree=tree)) > 1


HINTS = {
    "province": "click_hint_province",
    "commune": "click_hint_commune",
    FORMER_DISTRICT: "click_hint_group",
}


def hint(q: Query) -> str:
    return t(HINTS.get(q.level, "click_hint_district"), q.lang)


def clicked_code(click: dict | None) -> str | None:
    points = (click or {}).get("points") or []
    location = points[0].get("location") if points else None
    return str(location) if location else None


def drill(view: dict, code: str) -> tuple:
    """District (or province, or former-district group) clicked: show its
    children; commune: its details."""
    view = view or {}
    tree = view.get("tree", LEGACY_TREE)
    clicked = unit(code, tree)
    current = unit(view.get("unit", ""), tree)
    if not places.is_under(conn(), clicked, current):
        raise PreventUpdate  # a stale click from the previous level
    if clicked["level"] == "commune":
        return {**view, "unit": current["code"]}, {"code": code}
    return {**view, "unit": code}, {"code": None}


def follow(view: dict | None, selected: dict | None, period: str) -> tuple:
    """The view and selection on the tree of ``period``: unchanged when the view
    is on it already (PreventUpdate), else the same area on the other tree."""
    view = view or {}
    _, tree = parse_period(period)
    if view.get("tree", LEGACY_TREE) == tree:
        raise PreventUpdate
    code, chosen = places.translate(
        conn(),
        code=str(view.get("unit", "")),
        selected=(selected or {}).get("code"),
        to_tree=tree,
    )
    if code is None:
        raise PreventUpdate
    groups = tree == NEW_TREE and unit(code, tree)["level"] == FORMER_DISTRICT
    return (
        {"unit": code, "tree": tree, "groups": groups or bool(view.get("groups"))},
        {"code": chosen},
    )


def with_groups(view: dict | None, on: bool) -> dict:
    """The view with former-district groups on or off (leaving a group when off)."""
    view = dict(view or {})
    tree = view.get("tree", LEGACY_TREE)
    if tree != NEW_TREE or bool(view.get("groups")) == on:
        raise PreventUpdate
    shown = unit(view.get("unit", ""), tree)
    if not on and shown["level"] == FORMER_DISTRICT:
        view["unit"] = shown["parent_code"]
    return {**view, "groups": on}


def _reform_loaded() -> bool:
    return cached(places.default_places)[NEW_TREE] is not None


def detail(code: str, view: dict | None, period: str, lang: str) -> object:
    scope = asking()
    parsed, tree = view_tree(view, period)
    shown = unit(code, tree)
    return panel(shown, tree, parsed, language(lang), scope)


def shows_demo(view: dict | None) -> bool:
    """Whether the view's province (or, for the country, any province of its
    tree) still holds demo data (``data.demo_marks``)."""
    view = view or {}
    tree = str(view.get("tree") or LEGACY_TREE)
    unit = view.get("unit")
    return cached(demo_marks.in_view, tree=tree, code=str(unit) if unit else None)


def view_notes(view: dict | None, period: str, theme: str, lang: str) -> list[str]:
    """What the map says about this view: the period when it has no figures for
    the theme (or is not this year's for that reason), the user's area when
    commune figures are left out, and the July-2025 reform (figures carried over,
    the rule for divided communes, recognition not carried over, the informal
    grouping)."""
    lang = language(lang)
    scope = asking()
    notes = [] if scope.all_communes else [t(f"scope_note_{scope.role}", lang)]
    data = _data_notes(period, theme, lang, scope) if theme in THEMES else []
    return data + notes + _reform_notes(view, period, theme, lang)


def theme_check(theme: str, scope: Scope) -> Callable[[Period], bool]:
    """Whether the map of ``theme``, opened on its default place, shows any value
    for a period (as ``scope`` may see it)."""

    def check(period: Period) -> bool:
        tree = tree_for(period, today_vn())
        root = cached(places.default_places).get(tree)
        if root is None:
            return False
        level = CHILD_LEVEL[tree].get(root["level"])
        if level is None:
            return False
        listing, args = metrics.theme_listing(
            theme,
            tree=tree,
            level=level,
            parent_code=root["code"],
            period=period,
            today=today_vn(),
            scope=scope,
        )  # the map's own listing: one cache entry serves the map and the check
        return metrics.has_values(theme, cached(listing, **args), level)

    return check


def _label(period: Period, lang: str) -> str:
    ytd_end = period.end(today_vn()) if period.ytd else None
    return period_label(period.year, lang, quarter=period.quarter, ytd_end=ytd_end)


def _inline(label: str, lang: str) -> str:
    """A label inside a Vietnamese sentence: 'năm 2024', 'xã, phường ...'."""
    return label[:1].lower() + label[1:] if lang == "vi" else label


def _data_notes(period: str, theme: str, lang: str, scope: Scope) -> list[str]:
    """Why the map shows this period: the period has no figures for the theme
    (and which has), or this year has none yet; for child-friendly communes the
    latest assessment round and the next one under QĐ 06."""
    parsed, _tree = parse_period(period)
    today = today_vn()
    check = theme_check(theme, scope)
    what = _inline(t(f"theme_{theme}", lang), lang)
    this_year = Period(today.year)
    notes = []
    if not check(parsed):
        periods = metrics.available_periods(conn(), today=today)
        latest = metrics.default_period(periods, today=today, has_data=check)
        found = Period.parse(latest) if latest is not None else None
        if found is not None and not check(found):
            found = None
        key = "map_no_data_period" if found is not None else "map_no_data_at_all"
        shown = _label(found, lang) if found is not None else ""
        notes.append(
            t(
                key,
                lang,
                period=_inline(_label(parsed, lang), lang),
                theme=what,
                latest=shown,
            )
        )
    elif parsed.year < today.year and not check(this_year):
        notes.append(
            t(
                "map_latest_with_data",
                lang,
                period=_inline(_label(parsed, lang), lang),
                theme=what,
                year=today.year,
            )
        )
    if notes and theme == "child_friendly":
        notes.append(cf_round_note(lang))
    return notes


def cf_round_note(lang: str) -> str:
    """The latest child-friendly assessment round held and the next one due
    (QĐ 06/QĐ-TTg: November of year 2 and 4 of each 5-year plan)."""
    today = today_vn()
    rounds = cached(metrics.last_rounds, tree=NEW_TREE)
    last, new_tree = rounds["last"], rounds["last_here"]
    upcoming = metrics.next_round(today)
    following = f"{upcoming.month:02d}/{upcoming.year}"
    if last is None:
        return t("cf_no_round", lang, next=following)
    key = "cf_no_round_since_reform" if new_tree is None else "cf_last_round"
    done = f"{last.month:02d}/{last.year}"
    return t(key, lang, last=done, next=following)


def _reform_notes(view: dict | None, period: str, theme: str, lang: str) -> list[str]:
    parsed, tree = view_tree(view, period)
    if tree != NEW_TREE:
        return [t("reform_legacy_view", lang)] if _reform_loaded() else []
    notes = []
    if metrics.spans_reform(parsed, today_vn()):
        notes += [t("reform_carried", lang), t("reform_divided", lang)]
    if theme == "child_friendly":
        notes.append(t("reform_cf_not_carried", lang))
    if (view or {}).get("groups"):
        notes.append(t("reform_groups_informal", lang))
    return notes
