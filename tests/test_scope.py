"""Each role sees its area: the data layer leaves out commune rows outside it, on
both trees, and keeps every aggregate."""

from __future__ import annotations

import datetime as dt

import pytest

from data import metrics, users
from data.periods import Period
from data.reform import successor_of
from data.scope import FULL, Scope
from tests.conftest import TEST_USERS

TODAY = dt.date(2026, 11, 30)
Y2024, Y2026 = Period(2024), Period(2026)


def scope_of(conn, role: str) -> Scope:
    account = users.get_account(conn, username=TEST_USERS[role][0])
    assert account is not None
    return Scope(account.role, account.scope_unit_id)


def codes(conn, scope, parent, level="commune", tree="legacy", period=Y2024):
    frame = metrics.incidents(
        conn,
        tree=tree,
        level=level,
        parent_code=parent,
        period=period,
        today=TODAY,
        scope=scope,
    )
    return list(frame["code"])


def test_commune_rows_by_role_on_the_legacy_tree(conn) -> None:
    district, commune = scope_of(conn, "district"), scope_of(conn, "commune")
    viewer, province = scope_of(conn, "viewer"), scope_of(conn, "province")
    chu_se = codes(conn, FULL, "633")
    assert len(chu_se) == 15
    assert codes(conn, province, "633") == chu_se
    assert codes(conn, district, "633") == chu_se  # their own district
    assert codes(conn, district, "622") == []  # Pleiku: not theirs
    assert codes(conn, commune, "633") == ["23941"]  # their commune only
    assert codes(conn, viewer, "633") == []  # meeting rooms: aggregates only
    for scope in (district, commune, viewer):  # every aggregate stays
        assert len(codes(conn, scope, "64", level="district")) == 17


def test_commune_rows_by_role_on_the_new_tree(conn) -> None:
    district, commune = scope_of(conn, "district"), scope_of(conn, "commune")
    everyone = codes(conn, FULL, "52", tree="2025", period=Y2026)
    theirs = codes(conn, district, "52", tree="2025", period=Y2026)
    assert len(everyone) == 135 and 0 < len(theirs) < 15
    # the commune user's commune went to its default successor
    assert codes(conn, commune, "52", tree="2025", period=Y2026) == [
        successor_of(conn, "23941")
    ]
    groups = metrics.incidents(
        conn,
        tree="2025",
        level=metrics.FORMER_DISTRICT,
        parent_code="52",
        period=Y2026,
        today=TODAY,
        scope=scope_of(conn, "viewer"),
    )
    assert len(groups) == 29  # former-district groups are aggregates


def test_detail_and_trend_of_a_commune_outside_the_area(conn) -> None:
    district = scope_of(conn, "district")
    args = {"tree": "legacy", "period": Y2024, "today": TODAY}
    assert metrics.unit_detail(conn, code="23944", scope=district, **args) is not None
    assert metrics.unit_detail(conn, code="23557", scope=district, **args) is None
    assert metrics.unit_detail(conn, code="633", scope=district, **args) is not None
    viewer = scope_of(conn, "viewer")
    assert metrics.unit_detail(conn, code="23944", scope=viewer, **args) is None
    with pytest.raises(PermissionError):
        metrics.unit_trend(
            conn, tree="legacy", code="23557", years=[2024], scope=district
        )


def test_other_themes_follow_the_same_rule(conn) -> None:
    district = scope_of(conn, "district")
    args = {"tree": "legacy", "parent_code": "622", "period": Y2024, "today": TODAY}
    assert metrics.fund_progress(conn, level="commune", scope=district, **args).empty
    assert metrics.child_friendly_share(
        conn, level="commune", scope=district, **args
    ).empty
    assert metrics.child_friendly_status(conn, scope=district, **args).empty
    now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    reports = metrics.timeliness(
        conn,
        tree="legacy",
        level="commune",
        parent_code="622",
        period=Y2024,
        now=now,
        scope=district,
    )
    assert reports.empty
