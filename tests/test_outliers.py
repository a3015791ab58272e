"""Outlier flags for the approver (``data.outliers``): a hand-made history of one
commune's first-quarter reports and its peers, the modified z-score, the MAD = 0
rule, bounds, what a district approver is not shown, and the approval recording
the flags seen."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import Engine, insert, select

from data import approvals, outliers
from data.models import (
    AdminUnit,
    AuditLog,
    ReportApproval,
    ReportFigure,
    ReportSchedule,
    ReportSubmission,
)
from data.scope import Scope

RULES = outliers.Rules()
PROVINCE, DISTRICT, OWN = 1, 2, 10
PEERS = (11, 12, 13, 14, 15, 16)
# the commune's figures of Q1 2020-2023 (approved), then of Q1 2024 (pending)
HISTORY = {
    ("group", "ORPHAN"): ([10, 11, 9, 10], 40),  # 4x the median: flagged
    ("group", "LAW_VIOL"): ([10, 11, 9, 10], 12),  # ordinary
    ("group", "DISABLED"): ([2, 2, 2, 2], 6),  # MAD = 0, 3x the median: flagged
    ("group", "NO_CARER"): ([2, 2, 2, 2], 5),  # MAD = 0, 2.5x: not flagged
    ("group", "HIV"): ([0, 0, 0, 0], 3),  # median 0: flagged from 3
    ("group", "DRUG"): ([0, 0, 0, 0], 2),  # median 0: 2 is not flagged
    ("case", "AB_SEX"): ([0, 0, 0, 0], 4),  # an abuse figure
}
PEER_ORPHANS = (9, 10, 11, 10, 12, 10)  # per 1,000 children each


def _unit(uid: int, level: str, parent: int | None, children: int | None) -> dict:
    return {
        "id": uid,
        "tree": "legacy",
        "code": str(uid),
        "level": level,
        "kind": level,
        "name": f"Unit {uid}",
        "short_name": f"Unit {uid}",
        "parent_id": parent,
        "children_u16": children,
        "source": "test",
    }


def _schedule(year: int) -> dict:
    due = dt.date(year, 3, 20)
    return {
        "id": year,
        "plan_code": "P",
        "report_type": "Q1",
        "period_start": dt.date(year, 1, 1),
        "period_end": dt.date(year, 3, 31),
        "from_level": "commune",
        "to_level": "district",
        "due_date": due,
        "due_inclusive": True,
        "deadline_at": dt.datetime(year, 3, 20, 17, tzinfo=dt.UTC),
        "jurisdiction_id": PROVINCE,
    }


def _sent(conn, sid: int, year: int, unit: int, state: str, figures: dict) -> None:
    conn.execute(
        insert(ReportSubmission.__table__),
        [
            {
                "id": sid,
                "schedule_id": year,
                "unit_id": unit,
                "version": 1,
                "submitted_at": dt.datetime(year, 3, 10, tzinfo=dt.UTC),
                "approval": state,
            }
        ],
    )
    rows = [
        {
            "submission_id": sid,
            "section": section,
            "code": code,
            "sex": "F" if section == "case" else None,
            "age_band": "11_15" if section == "case" else None,
            "value": value,
        }
        for (section, code), value in figures.items()
    ]
    conn.execute(insert(ReportFigure.__table__), rows)


SUBMITTED = 100  # the commune's Q1 2024 version


@pytest.fixture
def reports(engine: Engine) -> Engine:
    with engine.begin() as conn:
        units = [
            _unit(PROVINCE, "province", None, None),
            _unit(DISTRICT, "district", PROVINCE, None),
            _unit(OWN, "commune", DISTRICT, 1000),
            *(_unit(p, "commune", DISTRICT, 1000) for p in PEERS),
        ]
        conn.execute(insert(AdminUnit.__table__), units)
        conn.execute(
            insert(ReportSchedule.__table__),
            [_schedule(y) for y in range(2019, 2025)],
        )
        for n, year in enumerate(range(2020, 2024)):
            past = {key: values[n] for key, (values, _now) in HISTORY.items()}
            _sent(conn, year, year, OWN, "approved", past)
        # a returned version never counts: its figures would move every median
        _sent(conn, 2019, 2019, OWN, "returned", dict.fromkeys(HISTORY, 1000))
        _sent(
            conn, SUBMITTED, 2024, OWN, "pending", {k: v[1] for k, v in HISTORY.items()}
        )
        for n, (peer, orphans) in enumerate(zip(PEERS, PEER_ORPHANS, strict=True)):
            _sent(conn, 200 + n, 2024, peer, "approved", {("group", "ORPHAN"): orphans})
    return engine


def _by_code(found: list[outliers.Flag]) -> dict[str, set[str]]:
    shown: dict[str, set[str]] = {}
    for flag in found:
        shown.setdefault(flag.code, set()).add(flag.kind)
    return shown


def test_the_modified_z_score_and_the_mad_zero_rule() -> None:
    assert outliers.judge(40, [10, 11, 9, 10], RULES) == ("high", 10, 40.47)
    assert outliers.judge(12, [10, 11, 9, 10], RULES) is None
    assert outliers.judge(0, [10, 11, 9, 10], RULES)[0] == "low"
    assert outliers.judge(6, [2, 2, 2, 2], RULES) == ("high", 2, None)
    assert outliers.judge(5, [2, 2, 2, 2], RULES) is None
    assert outliers.judge(0, [3, 3, 3], RULES) == ("low", 3, None)
    assert outliers.judge(3, [0, 0, 0, 0], RULES) == ("high", 0, None)
    assert outliers.judge(2, [0, 0, 0, 0], RULES) is None


def test_history_and_peers_flag_the_unusual_figures_only(reports: Engine) -> None:
    with reports.connect() as conn:
        found = outliers.flags(conn, SUBMITTED, Scope("admin"), RULES)
    assert _by_code(found) == {
        "ORPHAN": {"history", "peers"},
        "DISABLED": {"history"},
        "HIV": {"history"},
        "AB_SEX": {"history"},
    }
    orphan = next(f for f in found if f.code == "ORPHAN" and f.kind == "history")
    assert (orphan.direction, orphan.centre, orphan.n) == ("high", 10, 4)
    assert orphan.ratio == 4.0
    peers = next(f for f in found if f.kind == "peers")
    # 40 per 1,000 children = 4,000 per 100,000 against a median of 1,000
    assert (peers.rate, peers.centre, peers.n, peers.ratio) == (4000, 1000, 6, 4)
    assert next(f for f in found if f.code == "HIV").centre == 0


def test_too_short_a_history_flags_nothing(reports: Engine) -> None:
    strict = outliers.Rules(min_history=5, min_peers=7)
    with reports.connect() as conn:
        assert outliers.flags(conn, SUBMITTED, None, strict) == []


def test_a_district_is_not_shown_abuse_flags(reports: Engine) -> None:
    with reports.connect() as conn:
        found = outliers.flags(conn, SUBMITTED, Scope("district", DISTRICT), RULES)
    assert "AB_SEX" not in _by_code(found)
    assert "ORPHAN" in _by_code(found)


def test_bounds_from_the_rules_file() -> None:
    rules = outliers.parse(
        """
        [method]
        threshold = 4
        [[bounds]]
        section = "group"
        code = "LAW_VIOL"
        max = 11
        [[bounds]]
        section = "group"
        code = "LAW_VIOL"
        level = "district"
        min = 1
        """
    )
    assert rules.threshold == 4.0
    assert rules.bound("group", "LAW_VIOL", "commune").maximum == 11
    assert rules.bound("group", "LAW_VIOL", "district").minimum == 1
    with pytest.raises(ValueError) as refused:
        outliers.parse(
            '[method]\nthreshold = "x"\n[[bounds]]\nsection = "group"\ncode = "A"\n'
            '[[bounds]]\nsection = "group"\ncode = "B"\nmin = 5\nmax = 1\nfoo = 1'
        )
    said = str(refused.value)
    assert "[method] threshold" in said
    assert "entry 1: min or max is required" in said
    assert "entry 2, foo: unknown field" in said
    assert "entry 2: min 5 is above max 1" in said


def test_a_bound_flags_the_figure(reports: Engine) -> None:
    rules = outliers.Rules(
        bounds=(outliers.Bound("group", "LAW_VIOL", maximum=11, level="commune"),)
    )
    with reports.connect() as conn:
        found = outliers.flags(conn, SUBMITTED, None, rules)
    law = [f for f in found if f.code == "LAW_VIOL"]
    assert [(f.kind, f.direction, f.bound) for f in law] == [("max", "high", 11)]


def test_the_approval_records_the_flags_seen(reports: Engine) -> None:
    district = Scope("district", DISTRICT)
    with reports.connect() as conn:
        expected = outliers.seen(outliers.flags(conn, SUBMITTED, district))
    assert {f["figure"] for f in expected} == {
        "group:ORPHAN::",
        "group:DISABLED::",
        "group:HIV::",
    }
    approvals.decide(
        reports,
        submission_id=SUBMITTED,
        action=approvals.APPROVE,
        scope=district,
        user_id=None,
        username="district office",
    )
    step = ReportApproval.__table__
    with reports.connect() as conn:
        recorded = conn.execute(
            select(step.c.action, step.c.flags_seen).where(
                step.c.submission_id == SUBMITTED
            )
        ).one()
        detail = conn.execute(
            select(AuditLog.detail).where(AuditLog.action == "report_approved")
        ).scalar_one()
    assert recorded.action == "approve"
    assert sorted(recorded.flags_seen, key=str) == sorted(expected, key=str)
    said = json.loads(detail)
    assert said["flags_seen"] == len(expected) == 4
    assert "group:ORPHAN:: history high" in said["flagged"]
    with reports.connect() as conn:
        shown = approvals.steps(conn, 2024, OWN)
    assert len(shown[0]["flags_seen"]) == 4


def test_a_flag_in_words_vietnamese_first(reports: Engine) -> None:
    from layouts.reports_page import flag_line, flag_reason

    with reports.connect() as conn:
        found = outliers.flags(conn, SUBMITTED, Scope("admin"), RULES)
    orphan = next(f for f in found if f.code == "ORPHAN" and f.kind == "history")
    assert flag_reason(orphan, "vi") == (
        "gấp 4,0 lần trung vị 4 năm trước (10) (z hiệu chỉnh 40,5)"
    )
    assert flag_reason(orphan, "en").startswith("4.0 times the median of the 4 years")
    peers = next(f for f in found if f.kind == "peers")
    assert "trung vị của 6 đơn vị cùng cấp" in flag_reason(peers, "vi")
    assert "(4.000 so với 1.000)" in flag_reason(peers, "vi")
    hiv = next(f for f in found if f.code == "HIV")
    assert flag_reason(hiv, "vi") == "3 trong khi trung vị 4 năm trước là 0"
    case = next(f for f in found if f.code == "AB_SEX")
    assert flag_line(case, "vi").startswith("Xâm hại tình dục, Nữ, 11–15 tuổi: 4 — ")
