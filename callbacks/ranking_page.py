"""Callback of the ranking page: rank the units under the chosen place."""

from __future__ import annotations

from dash import ALL, Input, Output, State, html, no_update
from dash.exceptions import PreventUpdate
from flask import request

from callbacks import context
from callbacks.context import asking, cached, conn
from callbacks.inputs import parse_period, preferred_provinces, unit
from callbacks.registry import Declared, declare
from data import places, published, ranking
from data.db import Busy, transaction
from data.periods import Period, today_vn
from data.reform import FORMER_DISTRICT, LEGACY_TREE, NEW_TREE
from data.scope import FULL_ROLES
from layouts import ids, ranking_page
from layouts.formatting import period_label, place_label, to_day
from layouts.i18n import language

_declared: list[Declared] = []
# what is ranked under each place: districts of a province (after the reform its
# former-district groups), communes of a district or group
RANKED = {"province": "district", "district": "commune", FORMER_DISTRICT: "commune"}
RAW = {"child_friendly": "%", "fund": "%", "timeliness": "%"}


def ranked_place(
    code: str,
    tree: str,
    from_tree: str | None = None,
    prefer: tuple[str, ...] = (),
) -> tuple[dict, str]:
    """The place whose units are ranked (on ``tree``) and their level.

    ``code`` is a place of ``from_tree`` (default ``tree``): on the other tree it
    becomes its counterpart there (``places.counterpart``: the province that
    contains it, its successor or predecessor, the first of ``prefer`` when
    several), never the unit that merely has the same code."""
    source = from_tree if from_tree in (LEGACY_TREE, NEW_TREE) else tree
    prefer = tuple(prefer)
    moved = cached(
        places.counterpart, code=code, from_tree=source, to_tree=tree, prefer=prefer
    )
    if moved is None and source == tree:  # a code of the other tree in the URL
        other = LEGACY_TREE if tree == NEW_TREE else NEW_TREE
        moved = cached(
            places.counterpart, code=code, from_tree=other, to_tree=tree, prefer=prefer
        )
    shown = unit(moved or "", tree)
    level = RANKED.get(shown["level"])
    if level is None:
        raise PreventUpdate
    if tree == NEW_TREE and level == "district":
        level = FORMER_DISTRICT
    return shown, level


def anchor(data: object) -> tuple[str, str | None]:
    """(code, tree) of the page's place store: {"tree", "code"}; a bare code
    (older pages) is taken on the period's tree."""
    if isinstance(data, dict):
        tree = data.get("tree")
        return str(data.get("code") or ""), tree if isinstance(tree, str) else None
    return str(data or ""), None


def shown_for(period, data, scope):
    """(period, tree, place shown, level ranked) for the period chosen and the
    place the page was opened on, carried across the reform by its tree."""
    parsed, tree = parse_period(period)
    code, from_tree = anchor(data)
    shown, level = ranked_place(code, tree, from_tree, preferred_provinces(scope, tree))
    return parsed, tree, shown, level


@declare(
    _declared,
    Output(ids.RANK_TITLE, "children"),
    Output(ids.RANK_INFORMAL, "children"),
    Output(ids.RANK_BACK, "href"),
    Input(ids.RANK_PERIOD, "value"),
    State(ids.RANK_UNIT, "data"),
    State(ids.RANK_LANG, "data"),
)
def heading(period, data, lang):
    """The name of the place ranked for the period chosen (across the reform the
    place becomes its counterpart on the period's tree), and the link to its map."""
    scope = asking()
    lang = language(lang)
    _parsed, tree, shown, _level = shown_for(period, data, scope)
    return (
        ranking_page.title(place_label(shown, lang), lang),
        ranking_page.informal_note(
            tree == NEW_TREE and shown["level"] == "province", lang
        ),
        ranking_page.map_href(shown["code"], tree, str(period)),
    )


@declare(
    _declared,
    Output(ids.RANK_TABLE, "children"),
    Output(ids.RANK_GAPS, "children"),
    Output(ids.RANK_FUNNEL, "children"),
    Input(ids.RANK_PERIOD, "value"),
    Input({"type": ids.RANK_WEIGHT, "component": ALL}, "value"),
    Input(ids.RANK_SAVED, "data"),
    State(ids.RANK_UNIT, "data"),
    State(ids.RANK_LANG, "data"),
)
def update_ranking(period, weights, _saved, code, lang):
    """The ranking for the period and weights; the signed-in district user's row
    highlighted, with what moves its rank; districts' published ranks as given."""
    scope = asking()
    lang = language(lang)
    parsed, tree, shown, level = shown_for(period, code, scope)
    values = [0 if w is None else w for w in (weights or [])]
    try:
        chosen = dict(zip(ranking.COMPONENTS, map(float, values), strict=True))
        frame = cached(
            ranking.ranked,
            tree=tree,
            level=level,
            parent_code=shown["code"],
            period=parsed,
            today=today_vn(),
            scope=scope,
            weights=tuple(sorted(ranking.check_weights(chosen).items())),
        )
    except (TypeError, ValueError) as exc:
        raise PreventUpdate from exc
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    own = _own_code(scope, frame, tree)
    table = ranking_page.table(
        rows, lang, own, RAW, _published_column(tree, level, shown, frame)
    )
    overall = frame.attrs.get("overall") or {}
    place = place_label(shown, lang)
    table = html.Div(
        [
            coverage(frame, parsed, lang),
            table,
            ranking_page.uncertainty_note(overall, place, not scope.exact, lang),
        ]
    )
    funnel = ranking_page.funnel(rows, overall, place, lang)
    if own is None:
        return table, None, funnel
    gaps = ranking.gaps(frame, own)
    names = dict(zip(frame["code"], frame["name"], strict=True))
    above = gaps.attrs["above"]
    card = ranking_page.gaps_card(
        names[own],
        gaps.astype(object).where(gaps.notna(), None).to_dict("records"),
        names.get(above) if above else None,
        lang,
    )
    return table, card, funnel


def coverage(frame, period: Period, lang: str):
    """The note on components without figures and on a period in progress."""
    missing = [c for c in ranking.COMPONENTS if frame[c].isna().all()]
    earlier = ranking.previous(period)
    cut = period.comparison_today(earlier, today_vn())
    compared = None
    if period.in_progress(today_vn()):
        label = period_label(earlier.year, lang, quarter=earlier.quarter)
        compared = to_day(label, cut, lang)
    return ranking_page.coverage_note(missing, lang, compared)


def _published_column(tree, level, shown, frame) -> dict | None:
    """Published ranks of the districts ranked (legacy districts only: former-
    district groups and communes have none)."""
    if tree != LEGACY_TREE or level != "district":
        return None
    given = published.published_under(conn(), tree=tree, parent_code=shown["code"])
    ranked = set(frame["code"])
    return {code: rows for code, rows in given.items() if code in ranked}


@declare(
    _declared,
    Output(ids.RANK_PUBLISHED, "children"),
    Input(ids.RANK_PERIOD, "value"),
    Input(ids.RANK_SAVED, "data"),
    State(ids.RANK_UNIT, "data"),
    State(ids.RANK_LANG, "data"),
)
def show_published(period, _saved, code, lang):
    """The published (PCRI) ranks of the place shown, exactly as entered."""
    scope = asking()
    lang = language(lang)
    _parsed, tree, shown, _level = shown_for(period, code, scope)
    found = published.unit_id_of(conn(), tree=tree, code=shown["code"])
    rows = published.published_ranks(conn(), [found] if found is not None else [])
    return ranking_page.published_lines(rows, lang)


@declare(
    _declared,
    Output(ids.RANK_PR_UNIT, "options"),
    Output(ids.RANK_PR_UNIT, "value"),
    Input(ids.RANK_PERIOD, "value"),
    State(ids.RANK_UNIT, "data"),
)
def entry_choices(period, code):
    """The units the signed-in admin or province user may enter a published rank
    for: the province of the place shown (on the period's tree) and its
    districts."""
    scope = asking()
    if scope.role not in FULL_ROLES:
        raise PreventUpdate
    _parsed, tree, shown, _level = shown_for(period, code, scope)
    units = published.entry_units(conn(), scope, tree=tree, code=shown["code"])
    choices = [(f"{tree}:{u['code']}", u["name"]) for u in units]
    return ranking_page.unit_options(choices), choices[0][0] if choices else None


@declare(
    _declared,
    Output(ids.RANK_PR_MESSAGE, "children"),
    Output(ids.RANK_SAVED, "data"),
    Input(ids.RANK_PR_SAVE, "n_clicks"),
    State(ids.RANK_PR_UNIT, "value"),
    State(ids.RANK_PR_ROUND, "value"),
    State(ids.RANK_PR_RANK, "value"),
    State(ids.RANK_PR_OUT_OF, "value"),
    State(ids.RANK_PR_SOURCE, "value"),
    State(ids.RANK_SAVED, "data"),
    State(ids.RANK_LANG, "data"),
)
def save_published(clicks, choice, round_label, rank, out_of, source, saved, lang):
    """Save a published rank as given: admin and province accounts only (checked
    here, on the server), for a unit of their area."""
    scope = asking()
    if not clicks or scope.role not in FULL_ROLES:
        raise PreventUpdate
    lang = language(lang)
    who = context.user()
    try:
        with transaction(context.engine()) as session:
            unit_id = _chosen_unit(session, choice)
            if not published.may_enter(session, scope, unit_id):
                raise published.PublishedRankError("unit", "forbidden")
            done = published.enter_rank(
                session,
                unit_id=unit_id,
                round_label=round_label,
                rank=rank,
                out_of=out_of,
                source=source,
                user_id=who.account.id if who is not None else None,
                remote_addr=request.remote_addr,
            )
    except published.PublishedRankError as exc:
        return ranking_page.error_message(exc.field, exc.problem, lang), no_update
    except Busy:
        return ranking_page.error_message("database", "busy", lang), no_update
    message = ranking_page.saved_message(
        done.unit_name, done.round_label, done.rank, done.out_of, done.replaced, lang
    )
    return message, (saved if isinstance(saved, int) else 0) + 1


def may_enter_ranks() -> bool:
    """Whether the signed-in user may enter published ranks (the page shows the
    form); ``save_published`` checks again on every request."""
    scope = context.scope()
    return scope is not None and scope.role in FULL_ROLES


def _chosen_unit(session, choice) -> int:
    """The unit id of a dropdown value "tree:code" (PublishedRankError if none)."""
    tree, _sep, code = str(choice or "").partition(":")
    found = published.unit_id_of(session, tree=tree, code=code)
    if found is None:
        raise published.PublishedRankError("unit", "unknown")
    return found


def _own_code(scope, frame, tree: str) -> str | None:
    """The code of the signed-in user's own unit among the ranked ones (on
    ``tree``: a legacy district is its former-district group on the new tree)."""
    if scope.unit_id is None:
        return None
    own = places.on_tree(conn(), scope.unit_id, tree)
    return own if own in set(frame["code"]) else None


CALLBACKS = tuple(_declared)
