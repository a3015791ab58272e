"""Browser inputs checked before anything reaches the database: places, periods
and their tree, the map's levels and filters.  A crafted request with an unknown
unit, theme or period changes nothing (PreventUpdate)."""

from __future__ import annotations

import base64
import binascii

from dash.exceptions import PreventUpdate

from callbacks.context import cached, configured_provinces, conn
from data import places
from data.periods import Period, today_vn
from data.reform import FORMER_DISTRICT, LEGACY_TREE, NEW_TREE, tree_for
from data.scope import Scope
from data.vocabulary import ABUSE_TYPE_TERMS, INJURY_TYPE_TERMS, names

# The level shown under each level, per tree; on the July-2025 tree a province
# shows its communes, or its former-district groups when the view asks for them.
CHILD_LEVEL = {
    LEGACY_TREE: {
        "country": "province",
        "province": "district",
        "district": "commune",
    },
    NEW_TREE: {
        "country": "province",
        "province": "commune",
        FORMER_DISTRICT: "commune",
    },
}


CATEGORIES = ("both", "abuse", "injury")


MEASURES = ("rate", "count")


def preferred_provinces(scope: Scope | None, tree: str) -> tuple[str, ...]:
    """Provinces of ``tree`` a page prefers when a new province stands for
    several legacy ones: the user's own, then those the app was set up with."""
    own = (
        places.province_of(conn(), scope.unit_id, tree)
        if scope is not None and scope.unit_id is not None
        else None
    )
    configured = configured_provinces() or []
    return tuple(c for c in (own, *configured) if c)


def unit(code: str, tree: str) -> dict:
    """The place ``code`` of ``tree`` with its parent's code (a unit, or on the
    July-2025 tree a former-district group); PreventUpdate when unknown."""
    row = cached(places.place, tree=tree if tree in CHILD_LEVEL else "", code=str(code))
    if row is None:
        raise PreventUpdate
    return row


def child_level(tree: str, shown: dict, groups: bool) -> str:
    """The level on the map under ``shown`` (PreventUpdate: nothing under it)."""
    if tree == NEW_TREE and shown["level"] == "province" and groups:
        return FORMER_DISTRICT
    level = CHILD_LEVEL[tree].get(shown["level"])
    if level is None:
        raise PreventUpdate
    return level


def parse_period(period: str) -> tuple[Period, str]:
    """The period and the tree it is shown on (PreventUpdate when malformed)."""
    try:
        parsed = Period.parse(period)
    except (TypeError, ValueError) as exc:
        raise PreventUpdate from exc
    return parsed, tree_for(parsed, today_vn())


def view_tree(view: dict | None, period: str) -> tuple[Period, str]:
    """The period and its tree, when the view is on that tree; PreventUpdate while
    the view has not followed the period across the reform yet (``follow``)."""
    parsed, tree = parse_period(period)
    if (view or {}).get("tree", LEGACY_TREE) != tree:
        raise PreventUpdate
    return parsed, tree


def type_labels(category: str, lang: str, exact: bool = True) -> dict[str, str]:
    """Incident types offered as filters; abuse types only to users who see exact
    counts (``data.suppression``: no abuse breakdown for the others)."""
    abuse = ABUSE_TYPE_TERMS if exact else ()
    terms = {"abuse": abuse, "injury": INJURY_TYPE_TERMS}.get(
        category, abuse + INJURY_TYPE_TERMS
    )
    return names(terms, lang)


# --- uploads (dcc.Upload's contents: "data:<type>;base64,<data>") ------------------


def upload_limit(max_content_length: int, largest: int) -> int:
    """The largest file an upload box takes: ``largest``, or less when the request
    limit (``MAX_CONTENT_LENGTH``) would not carry it base64-encoded in a
    callback's JSON (4 characters per 3 bytes, and room for the rest)."""
    room = max(0, max_content_length - 64 * 1024)
    return max(1, min(largest, room * 3 // 4))


def encoded_upload(contents: object) -> str:
    """The base64 part of an upload's contents (PreventUpdate: none)."""
    if not isinstance(contents, str) or "," not in contents:
        raise PreventUpdate
    return contents.split(",", 1)[1]


def decoded_size(encoded: str) -> int:
    """What ``encoded`` decodes to, give or take the padding."""
    return len(encoded) * 3 // 4


def decode_upload(encoded: str) -> bytes:
    """The uploaded file's bytes (PreventUpdate: not base64)."""
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PreventUpdate from exc
