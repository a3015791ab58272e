"""The recognition rule (data.recognition): one writer, statuses that follow the
scores, decisions that take effect on their date, on the small tree.

The small tree (tests.test_metrics_tree) holds, all under Quyết định 06/QĐ-TTg,
threshold 800 (communes "xã" of a province), decided on 10 December:

    91101  2022 RECOGNISED_NEW 880        2024 RECOGNISED_MAINTAINED 910
    91102  2022 REGISTERED                2024 NOT_RECOGNISED 820, CF03 and CF05 at 0
    91201  2024 RECOGNISED_NEW 860
    91103 (district 911) and 91202 (district 912, from 1/4/2024): no round
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from data import audit, metrics, recognition
from data.db import transaction
from data.demo import store
from data.models import ChildFriendlyAssessment, ChildFriendlyScore
from data.periods import Period
from data.problems import ProblemError
from data.vocabulary import QD06_CRITERIA
from tests.test_metrics_tree import TREE, build_small

ROUND = dt.date(2024, 11, 1)
DECIDED = dt.date(2024, 12, 12)
TODAY = dt.date(2025, 1, 15)
MAXIMA = {c.code: c.max_points for c in QD06_CRITERIA}  # 1,000 in all


def scores(**changes: int) -> dict[str, int]:
    """Every criterion at its maximum (1,000 points) but those given."""
    return {**MAXIMA, **{code.upper(): points for code, points in changes.items()}}


# 1,000 - 100 (CF05 at 0) - 40 (CF01 at 60) = 860, one criterion at 0
ZERO_860 = scores(cf05=0, cf01=60)
# 1,000 - (50 + 50 + 60 + 50) = 790, nothing at 0: below the tier of 800
LOW_790 = scores(cf01=50, cf03=50, cf05=40, cf13=50)
# 1,000 - 40 (CF01 at 60) - 100 (CF06 at 25) = 860, nothing at 0
PASS_860 = scores(cf01=60, cf06=25)


def test_the_score_sets_add_up_as_written() -> None:
    assert sum(MAXIMA.values()) == 1000
    assert sum(ZERO_860.values()) == 860 and ZERO_860["CF05"] == 0
    assert sum(LOW_790.values()) == 790 and min(LOW_790.values()) > 0
    assert sum(PASS_860.values()) == 860 and min(PASS_860.values()) > 0


# --- the rule, the regime, the tier ---------------------------------------------------


def test_the_regime_in_force_on_the_round_date() -> None:
    on = recognition.regime_on
    assert on(dt.date(2010, 4, 21)) is None
    assert on(dt.date(2010, 4, 22)) is recognition.QD37
    assert on(dt.date(2014, 7, 14)) is recognition.QD37
    assert on(dt.date(2014, 7, 15)) is recognition.QD34
    assert on(dt.date(2019, 1, 2)) is recognition.QD34
    assert on(dt.date(2019, 1, 3)) is recognition.QD06
    assert on(dt.date(2024, 11, 1)) is recognition.QD06


def test_the_tier_by_unit_kind_and_province() -> None:
    tier, qd06 = recognition.default_tier, recognition.QD06
    assert [tier(qd06, k, False) for k in ("phường", "xã", "thị trấn")] == [
        850,
        800,
        800,
    ]
    assert [tier(qd06, k, True) for k in ("phường", "xã", "huyện đảo")] == [
        900,
        850,
        800,
    ]
    assert tier(recognition.QD37, "phường", True) == 850
    assert tier(recognition.QD37, "huyện đảo", False) == 650
    assert tier(recognition.QD37, "xã", False) is None  # 750 or 650: give it
    assert tier(recognition.QD34, "xã", False) is None  # lower tiers not known


def test_the_rule_of_each_regime() -> None:
    meets, qd06, qd34 = recognition.meets, recognition.QD06, recognition.QD34
    assert meets(qd06, 860, 850, False) is True
    assert meets(qd06, 860, 850, True) is False  # a criterion at 0
    assert meets(qd06, 849, 850, False) is False
    assert meets(qd34, 849, 850, None) is False  # below the threshold: known
    assert meets(qd34, 900, 850, None) is None  # above it: the rest is not known


# --- the writer -----------------------------------------------------------------------


@pytest.fixture
def small(engine: Engine) -> Engine:
    build_small(engine)
    with transaction(engine) as session:  # PostgreSQL: ids past the explicit ones
        store.reset_sequences(session)
    return engine


def unit(engine: Engine, code: str) -> int:
    with engine.connect() as conn:
        return recognition.unit_id_of(conn, tree=TREE, code=code)  # type: ignore[arg-type, unused-ignore]


def record(engine: Engine, code: str, points: dict[str, int], **entry):
    entry.setdefault("decided_on", DECIDED)
    with transaction(engine) as session:
        return recognition.record_assessment(
            session,
            unit_id=recognition.unit_id_of(session, tree=TREE, code=code),
            round_date=ROUND,
            scores=points,
            today=TODAY,
            **entry,
        )


def rounds(engine: Engine, code: str) -> list[tuple]:
    a = ChildFriendlyAssessment
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(a.round_date, a.status, a.total_score, a.contradicts_scores)
                .where(a.unit_id == unit(engine, code))
                .order_by(a.round_date)
            )
        ]


@pytest.mark.parametrize(
    ("points", "why"),
    [
        (ZERO_860, "tiêu chí CF05 0 điểm — không thể công nhận"),
        (LOW_790, "tổng 790 điểm dưới ngưỡng 800 — không thể công nhận"),
    ],
)
def test_a_stated_recognition_its_scores_refuse(
    small: Engine, points: dict, why: str
) -> None:
    with pytest.raises(recognition.RecognitionError) as refused:
        record(small, "91103", points, status="RECOGNISED_NEW")
    assert refused.value.problem == "contradicts"
    assert refused.value.message("vi") == f"Unit 91103, đợt 01/11/2024: {why}"
    assert rounds(small, "91103") == []  # nothing written


def test_a_stated_refusal_its_scores_contradict_is_refused_too(small: Engine) -> None:
    with pytest.raises(recognition.RecognitionError) as refused:
        record(small, "91103", PASS_860, status="NOT_RECOGNISED")
    assert refused.value.message("en") == (
        "Unit 91103, round 01/11/2024: total 860 points reaches the threshold 800 "
        "and no criterion scored 0 — the scores require recognition, cannot "
        "record «Not recognised»"
    )
    assert rounds(small, "91103") == []


def test_without_a_stated_status_the_scores_decide(small: Engine) -> None:
    done = record(small, "91103", ZERO_860)
    assert (done.status, done.total, done.threshold) == ("NOT_RECOGNISED", 860, 800)
    assert done.zero_criteria == ("CF05",) and done.contradicts_scores is False
    done = record(small, "91202", PASS_860)
    assert done.status == "RECOGNISED_NEW"
    # 91101 was recognised in 2022: a new 2024 record of it is "maintained"
    done = record(small, "91101", PASS_860)
    assert done.status == "RECOGNISED_MAINTAINED" and done.replaced is not None
    with small.connect() as conn:
        stored = conn.execute(
            select(ChildFriendlyScore.criterion_code, ChildFriendlyScore.score).where(
                ChildFriendlyScore.assessment_id == done.id
            )
        ).all()
        logged = audit.rows(conn, action="child_friendly_assessment")
    assert dict(stored) == PASS_860  # the earlier round's one score row is gone
    assert len(logged) == 3


def test_decisions_need_their_date_and_maintained_its_past(small: Engine) -> None:
    cases = [
        ({"status": "RECOGNISED_NEW", "decided_on": None}, "decided_on"),
        ({"decided_on": dt.date(2024, 10, 31)}, "decided_on"),  # before the round
        ({"decided_on": dt.date(2025, 1, 16)}, "decided_on"),  # after "today"
        ({"status": "RECOGNISED_MAINTAINED"}, "status"),  # 91103 never recognised
        ({"threshold": 750}, "tier"),  # not a tier of 06/QĐ-TTg
    ]
    for entry, problem in cases:
        with pytest.raises(recognition.RecognitionError) as refused:
            record(small, "91103", PASS_860, **entry)
        assert refused.value.problem == problem, entry
    with pytest.raises(recognition.RecognitionError, match="CF05"):
        record(small, "91103", {k: v for k, v in PASS_860.items() if k != "CF05"})
    with pytest.raises(recognition.RecognitionError, match="CF06: 126"):
        record(small, "91103", {**PASS_860, "CF06": 126})
    assert rounds(small, "91103") == []
    # without a decision date the scores are a stage, counted nowhere yet
    done = record(small, "91103", ZERO_860, decided_on=None)
    assert (done.status, done.decided_on) == ("SUBMITTED", None)


def test_a_refusal_is_said_in_either_language(small: Engine) -> None:
    with pytest.raises(recognition.RecognitionError) as refused:
        record(small, "91103", PASS_860, decided_on=dt.date(2025, 1, 16))
    assert isinstance(refused.value, ProblemError)
    assert (refused.value.problem, refused.value.code) == ("decided_on", "cf_at")
    assert refused.value.values["why"].code == "cf_decision_date_future"
    assert str(refused.value) == (
        "Unit 91103, đợt 01/11/2024: ngày quyết định 16/01/2025 chưa tới"
    )
    assert refused.value.message("en") == (
        "Unit 91103, round 01/11/2024: decision date 16/01/2025 is in the future"
    )
    # the act's name is given in both languages, the allowed tiers as numbers
    with pytest.raises(recognition.RecognitionError) as refused:
        record(small, "91103", PASS_860, threshold=750)
    assert str(refused.value) == (
        "Unit 91103, đợt 01/11/2024: ngưỡng 750 không có trong Quyết định "
        "06/QĐ-TTg ngày 3/1/2019 của Thủ tướng Chính phủ (800/850/900)"
    )
    assert refused.value.message("en") == (
        "Unit 91103, round 01/11/2024: threshold 750 is not one of Decision "
        "06/QD-TTg of 3 January 2019 of the Prime Minister (800/850/900)"
    )
    assert rounds(small, "91103") == []


def test_a_decision_recorded_as_given_is_kept_flagged_and_counted(
    small: Engine,
) -> None:
    # district 912 in 2024: 91201 recognised (fixture); 91202 recognised by the
    # chairman although CF05 is at 0 -> as decided, 2 of 2 = 100 %
    done = record(small, "91202", ZERO_860, status="RECOGNISED_NEW", as_decided=True)
    assert (done.status, done.contradicts_scores) == ("RECOGNISED_NEW", True)
    # district 911: 91101 maintained (fixture), 91102 not recognised, and 91103
    # refused by the chairman with passing scores -> 1 of 3
    record(small, "91103", PASS_860, status="NOT_RECOGNISED", as_decided=True)
    assert rounds(small, "91202") == [(ROUND, "RECOGNISED_NEW", 860, True)]
    with small.connect() as conn:
        share = metrics.child_friendly_share(
            conn, tree=TREE, level="district", parent_code="91", as_of=TODAY
        ).set_index("code")
        status = metrics.child_friendly_status(
            conn, tree=TREE, parent_code="912", period=Period(2024), today=TODAY
        ).set_index("code")
    assert share.loc["912", ["communes", "recognised", "share"]].tolist() == [
        2,
        2,
        100.0,
    ]
    assert share.loc["911", ["communes", "recognised"]].tolist() == [3, 1]
    flagged = status.loc["91202"]
    assert (flagged["status"], flagged["contradicts_scores"]) == (
        "RECOGNISED_NEW",
        True,
    )
    assert flagged["zero_criteria"] == "CF05"
    assert status.loc["91201", "contradicts_scores"] is False


def test_the_schema_refuses_a_row_the_rule_refuses(small: Engine) -> None:
    row = {
        "unit_id": unit(small, "91103"),
        "regime": "QD06_2019",
        "round_date": ROUND,
        "status": "RECOGNISED_NEW",
        "total_score": 860,
        "threshold": 800,
        "has_zero_criterion": True,
        "decided_on": DECIDED,
    }
    refused = [
        {},  # a criterion at 0
        {"has_zero_criterion": False, "total_score": 790},  # below the tier
        {"has_zero_criterion": False, "decided_on": None},  # a decision, no date
        {"has_zero_criterion": False, "threshold": 750},  # no such tier
        {"status": "NOT_RECOGNISED", "has_zero_criterion": False},  # it passes
    ]
    for change in refused:
        with pytest.raises(IntegrityError), small.begin() as conn:
            conn.execute(insert(ChildFriendlyAssessment), {**row, **change})
    with small.begin() as conn:  # the same, flagged as a decision given
        conn.execute(
            insert(ChildFriendlyAssessment), {**row, "contradicts_scores": True}
        )
    assert rounds(small, "91103") == [(ROUND, "RECOGNISED_NEW", 860, True)]


# --- decisions take effect on their date ----------------------------------------------


def status_on(engine: Engine, parent: str, today: dt.date) -> dict:
    with engine.connect() as conn:
        frame = metrics.child_friendly_status(
            conn, tree=TREE, parent_code=parent, period=Period(2024), today=today
        )
    return {r["code"]: r for r in frame.to_dict("records")}


def share_on(engine: Engine, day: dt.date) -> dict:
    with engine.connect() as conn:
        frame = metrics.child_friendly_share(
            conn, tree=TREE, level="district", parent_code="91", as_of=day
        )
    return {
        r["code"]: (r["communes"], r["recognised"]) for r in frame.to_dict("records")
    }


def test_between_round_and_decision_the_earlier_round_holds(small: Engine) -> None:
    # 20 November 2024: the November round is held, decided on 10 December
    rows = status_on(small, "911", dt.date(2024, 11, 20))
    kept, waiting = rows["91101"], rows["91102"]
    assert (kept["status"], kept["round_date"]) == (
        "RECOGNISED_NEW",
        dt.date(2022, 11, 1),
    )
    assert kept["total_score"] == 880 and kept["decided_on"] == dt.date(2022, 12, 10)
    assert kept["awaiting_round"] == ROUND
    assert (waiting["status"], waiting["status_class"]) == ("REGISTERED", 1)
    assert waiting["zero_criteria"] == "" and waiting["awaiting_round"] == ROUND
    assert rows["91103"]["awaiting_round"] is None
    # 91201's first round awaits its decision: no status yet, a round in progress
    first = status_on(small, "912", dt.date(2024, 11, 20))["91201"]
    assert first["status"] is None and first["status_class"] == 1
    assert first["awaiting_round"] == ROUND
    # the shares: 911 counts 91101's 2022 recognition, 912 nothing yet
    assert share_on(small, dt.date(2024, 11, 20)) == {"911": (3, 1), "912": (2, 0)}
    assert share_on(small, dt.date(2024, 12, 9)) == {"911": (3, 1), "912": (2, 0)}


def test_from_the_decision_date_the_new_round_holds(small: Engine) -> None:
    rows = status_on(small, "911", dt.date(2024, 12, 10))
    assert rows["91101"]["status"] == "RECOGNISED_MAINTAINED"
    assert rows["91101"]["round_date"] == ROUND
    assert rows["91102"]["status"] == "NOT_RECOGNISED"
    assert rows["91102"]["zero_criteria"] == "CF03,CF05"
    assert all(r["awaiting_round"] is None for r in rows.values())
    first = status_on(small, "912", dt.date(2024, 12, 10))["91201"]
    assert (first["status"], first["status_class"]) == ("RECOGNISED_NEW", 3)
    assert share_on(small, dt.date(2024, 12, 10)) == {"911": (3, 1), "912": (2, 1)}


def test_the_shown_label_says_awaiting_and_flagged() -> None:
    from layouts.map_panels import cf_status_label

    waiting = cf_status_label("Công nhận mới", ROUND, False, "vi")
    assert waiting == "Công nhận mới · đợt 11/2024 đã đánh giá, chờ quyết định"
    alone = cf_status_label(None, ROUND, None, "en")
    assert alone == "Round 11/2024 assessed, awaiting decision"
    flagged = cf_status_label("Công nhận mới", None, True, "vi")
    assert flagged == "Công nhận mới (quyết định khác với điểm chấm)"
    assert cf_status_label(None, None, None, "vi") is None


# --- the command line -----------------------------------------------------------------

IA_TIEM = "23944"  # Xã Ia Tiêm, huyện Chư Sê, tỉnh Gia Lai: tier 800


@pytest.fixture
def run(gia_lai_cli):
    base = ["record-assessment", "--commune", IA_TIEM, "--round", "01/11/2024"]
    return lambda *args: gia_lai_cli(*base, *args)


def as_option(points: dict[str, int]) -> str:
    return ",".join(f"{code}={value}" for code, value in points.items())


def test_the_command_refuses_in_words_and_keeps_a_decision_as_given(
    run,
    gia_lai: Engine,
    tmp_path: Path,
) -> None:
    decided = ("--decided-on", "10/12/2024", "--status", "RECOGNISED_NEW")
    refused = run("--scores", as_option(ZERO_860), *decided)
    assert refused.exit_code != 0
    assert (
        "Xã Ia Tiêm, đợt 01/11/2024: tiêu chí CF05 0 điểm — không thể công nhận."
        in refused.output
    )
    assert "--as-decided" in refused.output and "Không ghi gì." in refused.output
    assert rounds(gia_lai, IA_TIEM) == []

    kept = run("--scores", as_option(ZERO_860), *decided, "--as-decided")
    assert kept.exit_code == 0, kept.output
    assert "Xã Ia Tiêm (legacy 23944), round 01/11/2024: 860 points" in kept.output
    assert "quyết định khác với điểm chấm" in kept.output
    assert rounds(gia_lai, IA_TIEM) == [(ROUND, "RECOGNISED_NEW", 860, True)]

    sheet = tmp_path / "scores.csv"
    sheet.write_text(
        "criterion,score\n" + "".join(f"{c},{v}\n" for c, v in PASS_860.items())
    )
    again = run("--scores-csv", str(sheet), "--decided-on", "2024-12-10")
    assert again.exit_code == 0, again.output
    assert "→ Công nhận mới, decided 10/12/2024." in again.output
    assert "replaced the round's earlier record (RECOGNISED_NEW)" in again.output
    assert rounds(gia_lai, IA_TIEM) == [(ROUND, "RECOGNISED_NEW", 860, False)]


# --- migration 0010 -------------------------------------------------------------------


def scores_kept(engine: Engine) -> list[tuple]:
    s = ChildFriendlyScore.__table__
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(s.c.assessment_id, s.c.criterion_code, s.c.score)
            )
        ]


def test_0010_flags_stored_rows_that_contradict_their_scores(backend_url: str) -> None:
    import sqlalchemy as sa

    from data import migrate
    from data.db import make_engine
    from data.metrics.dataset import facts_version
    from data.models import AdminUnit, Meta

    engine = make_engine(backend_url)
    old = sa.MetaData()  # the table as 0009 left it
    cfa = sa.Table(
        "child_friendly_assessment",
        old,
        *(sa.Column(n, sa.Integer) for n in ("id", "unit_id", "total_score")),
        *(sa.Column(n, sa.String) for n in ("regime", "status")),
        sa.Column("threshold", sa.Integer),
        sa.Column("round_date", sa.Date),
        sa.Column("decided_on", sa.Date),
        sa.Column("has_zero_criterion", sa.Boolean),
    )
    score = sa.Table(
        "child_friendly_score",
        old,
        *(sa.Column(n, sa.Integer) for n in ("assessment_id", "score")),
        sa.Column("criterion_code", sa.String),
    )
    unit = {
        "id": 1,
        "tree": "legacy",
        "code": "64",
        "level": "province",
        "kind": "tỉnh",
        "name": "Tỉnh Gia Lai",
        "short_name": "Gia Lai",
        "source": "test",
    }
    base = {"unit_id": 1, "regime": "QD06_2019", "threshold": 800}
    rows = [  # id, status, total, zero flag as stored, decided on
        (1, "RECOGNISED_NEW", 860, False, DECIDED),  # but CF05 is 0 below
        (2, "RECOGNISED_NEW", 790, False, DECIDED),  # below the tier
        (3, "NOT_RECOGNISED", 860, False, DECIDED),  # it passes
        (4, "RECOGNISED_NEW", 900, False, None),  # no decision date
        (5, "NOT_RECOGNISED", 820, True, DECIDED),  # agrees
    ]
    try:
        migrate.upgrade(engine, "0009")
        with engine.begin() as conn:
            conn.execute(insert(AdminUnit.__table__), [unit])
            conn.execute(
                insert(Meta.__table__), [{"key": "facts_version", "value": "7"}]
            )
            conn.execute(
                insert(cfa),
                [
                    {
                        **base,
                        "id": i,
                        "status": s,
                        "total_score": total,
                        "has_zero_criterion": zero,
                        "decided_on": decided,
                        "round_date": dt.date(2010 + i, 11, 1),
                    }
                    for i, s, total, zero, decided in rows
                ],
            )
            conn.execute(
                insert(score),
                [{"assessment_id": 1, "criterion_code": "CF05", "score": 0}],
            )
        migrate.upgrade(engine)
        a = ChildFriendlyAssessment.__table__
        with engine.connect() as conn:
            got = {
                r.id: (r.contradicts_scores, r.has_zero_criterion, r.decided_on)
                for r in conn.execute(select(a).order_by(a.c.id))
            }
        assert got == {
            1: (True, True, DECIDED),
            2: (True, False, DECIDED),
            3: (True, False, DECIDED),
            4: (False, False, dt.date(2014, 11, 1)),  # its round date
            5: (False, True, DECIDED),
        }
        with engine.connect() as conn:  # figures cached under the old rule go stale
            assert facts_version(conn) == "8"
        # SQLite copies the table to add its CHECKs: the scores stay, both ways
        assert scores_kept(engine) == [(1, "CF05", 0)]
        migrate.downgrade(engine, "0009")
        assert scores_kept(engine) == [(1, "CF05", 0)]
    finally:
        engine.dispose()
