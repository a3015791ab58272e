"""A map's listing and its headline read by one statement (``*_with_unit``,
``data.metrics.rollup.read_with_unit``) are the frames read apart: the
listing of the units under a place, and the place's own row."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Connection

from data import metrics, places
from data.metrics.reported import UNAPPROVED
from data.metrics.rollup import read_with_unit, targets_under
from data.periods import Period, start_of_day_vn
from tests.test_incident_summary import FILTERS, TODAY, _listings, _scopes

PERIODS = [Period(2024), Period(2025, ytd=True), Period(2025, 3)]


def _same(got: pd.DataFrame, expected: pd.DataFrame, what: object) -> None:
    # (an empty frame's column types are those of the empty read)
    pd.testing.assert_frame_equal(
        got,
        expected,
        check_dtype=not expected.empty,
        check_index_type=not expected.empty,
        obj=str(what),
    )
    assert got.attrs == expected.attrs, what


def _cases(conn: Connection):
    """(tree, level, parent code, period, scope) over both trees, every level
    (former-district groups included: read apart), three period kinds."""
    for tree, level, parent in _listings(conn):
        for period in PERIODS:
            for scope in _scopes(conn):
                yield tree, level, parent, period, scope


def test_incidents_together_equal_them_apart(conn: Connection) -> None:
    compared = 0
    for tree, level, parent, period, scope in _cases(conn):
        for categories, types in FILTERS[2:]:
            args = {
                "tree": tree,
                "period": period,
                "categories": categories,
                "types": types,
                "today": TODAY,
                "scope": scope,
            }
            what = (tree, level, parent, period.key, scope, types)
            listing, own = metrics.incidents_with_unit(
                conn, level=level, parent_code=parent, **args
            )
            apart = metrics.incidents(conn, level=level, parent_code=parent, **args)
            _same(listing, apart, what)
            _same(own, metrics.incidents_of_unit(conn, code=parent, **args), what)
            compared += int(apart["count"].sum() > 0)
    assert compared > 20  # real figures, not zeros


def _own_args(conn: Connection, tree: str, code: str) -> dict | None:
    shown = places.place(conn, tree=tree, code=code)
    assert shown is not None
    if shown["parent_code"] is None:
        return None  # the root's headline is its listing's totals
    return {"level": shown["level"], "parent_code": shown["parent_code"]}


def test_shares_and_timeliness_together_equal_them_apart(conn: Connection) -> None:
    compared = 0
    for tree, level, parent, period, scope in _cases(conn):
        own = _own_args(conn, tree, parent)
        if own is None:
            continue
        where = {"unit_level": own["level"], "unit_parent": own["parent_code"]}
        now = start_of_day_vn(TODAY)
        for func, together, args in (
            (
                metrics.child_friendly_share,
                metrics.child_friendly_share_with_unit,
                {"period": period, "today": TODAY},
            ),
            (
                metrics.timeliness,
                metrics.timeliness_with_unit,
                {"period": period, "now": now},
            ),
        ):
            listed = {"tree": tree, "level": level, "parent_code": parent}
            what = (func.__name__, tree, level, parent, period.key, scope)
            listing, row = together(conn, **listed, **args, **where, scope=scope)
            apart = func(conn, **listed, **args, scope=scope)
            _same(listing, apart, what)
            alone = func(conn, tree=tree, **own, only=parent, **args, scope=scope)
            _same(row, alone, what)
            compared += int(len(row) == 1 and len(apart) > 0)
    assert compared > 20


def test_each_frame_keeps_its_own_codes_of_an_attrs_set() -> None:
    """Split apart, each frame names only its own units as counting an
    unapproved report (``reported.UNAPPROVED``); the other attrs go to both."""
    day = dt.date(2024, 12, 31)
    listed = targets_under("legacy", "district", "64", day)
    head = targets_under("legacy", "province", "VN", day, "64")
    read = pd.DataFrame({"code": ["633", "64", "634"], "count": [1, 9, 2]})
    read.attrs = {UNAPPROVED: frozenset({"64", "634"}), "note": "kept"}
    listing, own = read_with_unit(
        listed, head, "64", lambda targets: read, code_sets=(UNAPPROVED,)
    )
    assert listing["code"].tolist() == ["633", "634"]
    assert own["code"].tolist() == ["64"] and own.index.tolist() == [0]
    assert listing.attrs == {UNAPPROVED: {"634"}, "note": "kept"}
    assert own.attrs == {UNAPPROVED: {"64"}, "note": "kept"}


@pytest.mark.parametrize("at", [0, 1, 3])
def test_the_split_is_the_same_wherever_the_units_row_comes(at: int) -> None:
    """The unit's own row first, last or between its listing's rows (a slice or
    a take): the listing in its order and the row, each indexed from 0, and a
    change to one changes neither the other nor the frame read."""
    day = dt.date(2024, 12, 31)
    listed = targets_under("legacy", "district", "64", day)
    head = targets_under("legacy", "province", "VN", day, "64")
    codes = ["633", "634", "635"]
    codes.insert(at, "64")
    read = pd.DataFrame({"code": codes, "count": range(4)})
    listing, own = read_with_unit(listed, head, "64", lambda targets: read)
    assert listing["code"].tolist() == ["633", "634", "635"]
    assert listing.index.tolist() == [0, 1, 2] and own.index.tolist() == [0]
    assert own["count"].tolist() == [at]
    listing.loc[0, "count"] = 99
    own.loc[0, "count"] = 98
    assert read["count"].tolist() == [0, 1, 2, 3]


def test_groups_are_read_apart(conn: Connection) -> None:
    """Former-district groups have their own roll-up: their listing and their
    province's row are two reads, not one union."""
    seen: list[int] = []

    def frame_of(targets):
        seen.append(id(targets))
        return pd.DataFrame({"code": []})

    for tree, level, parent in _listings(conn):
        if level != "former_district":
            continue
        day = dt.date(2025, 8, 14)
        listed = targets_under(tree, level, parent, day)
        own = _own_args(conn, tree, parent)
        assert own is not None
        head = targets_under(tree, own["level"], own["parent_code"], day, parent)
        read_with_unit(listed, head, parent, frame_of)
        assert seen == [id(listed), id(head)]
        return
    raise AssertionError("no former-district listing")
