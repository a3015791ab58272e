"""Callback of the ranking page: rank the units under the chosen place."""

from __future__ import annotations

from dash import ALL, Input, Output, State
from dash.exceptions import PreventUpdate

from callbacks.map_views import asking, conn, parse_period, unit
from callbacks.registry import Declared, declare
from dashboard.aggregates import cached
from data import places, ranking
from data.periods import today_vn
from data.reform import FORMER_DISTRICT, NEW_TREE
from layouts import ids, ranking_page
from layouts.i18n import LANGUAGES

_declared: list[Declared] = []
# what is ranked under each place: districts of a province (after the reform its
# former-district groups), communes of a district or group
RANKED = {"province": "district", "district": "commune", FORMER_DISTRICT: "commune"}
RAW = {"child_friendly": "%", "fund": "%", "timeliness": "%"}


def ranked_place(code: str, tree: str) -> tuple[dict, str]:
    """The place whose units are ranked (on ``tree``) and their level."""
    shown = places.place(conn(), tree=tree, code=code)
    if shown is None:
        other, _ = places.translate(conn(), code=code, selected=None, to_tree=tree)
        shown = unit(other or "", tree)
    level = RANKED.get(shown["level"])
    if level is None:
        raise PreventUpdate
    if tree == NEW_TREE and level == "district":
        level = FORMER_DISTRICT
    return shown, level


@declare(
    _declared,
    Output(ids.RANK_TABLE, "children"),
    Output(ids.RANK_GAPS, "children"),
    Input(ids.RANK_PERIOD, "value"),
    Input({"type": ids.RANK_WEIGHT, "component": ALL}, "value"),
    State(ids.RANK_UNIT, "data"),
    State(ids.RANK_LANG, "data"),
)
def update_ranking(period, weights, code, lang):  # type: ignore[no-untyped-def]
    """The ranking for the period and weights; the signed-in district user's row
    highlighted, with what moves its rank."""
    scope = asking()
    lang = lang if lang in LANGUAGES else "vi"
    parsed, tree = parse_period(period)
    shown, level = ranked_place(str(code or ""), tree)
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
    own = _own_code(scope, frame)
    table = ranking_page.table(rows, lang, own, RAW)
    if own is None:
        return table, None
    gaps = ranking.gaps(frame, own)
    names = dict(zip(frame["code"], frame["name"], strict=True))
    above = gaps.attrs["above"]
    card = ranking_page.gaps_card(
        names[own],
        gaps.astype(object).where(gaps.notna(), None).to_dict("records"),
        names.get(above) if above else None,
        lang,
    )
    return table, card


def _own_code(scope, frame) -> str | None:  # type: ignore[no-untyped-def]
    """The code of the signed-in user's own unit among the ranked ones."""
    if scope.unit_id is None:
        return None
    own = places.code_of(conn(), scope.unit_id)
    return own if own in set(frame["code"]) else None


CALLBACKS = tuple(_declared)
