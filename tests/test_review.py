"""The quarterly review: figures hand-computed on a small fixture ("cùng kỳ"),
the same figures as the database's aggregates on the demo, the slides, and what
each role sees of them."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from sqlalchemy import Engine, insert, text

from data import calendar, review
from data.db import make_engine, transaction
from data.metrics.summary import refresh_fund, refresh_incidents
from data.models import ChildFriendlyAssessment, FundContribution, FundTarget, Incident
from data.periods import Period
from data.scope import FULL, Scope
from layouts import review_slides
from tests.conftest import TEST_USERS

TODAY = dt.date(2026, 11, 30)
Q3 = Period(2024, 3)
TOWN, IA_TIEM = "23941", "23944"  # communes of Chư Sê (633), Gia Lai (64)


def _id(engine: Engine, code: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT id FROM admin_unit WHERE tree = 'legacy' AND code = :c"),
            {"c": code},
        ).scalar_one()


# (commune, day, type): what the "cùng kỳ" figures are computed from
CASES = [
    (TOWN, dt.date(2024, 8, 10), "INJ_DROWN"),
    (TOWN, dt.date(2024, 9, 30), "INJ_DROWN"),
    (IA_TIEM, dt.date(2024, 10, 1), "INJ_DROWN"),  # Q4: not in Q3 nor its YTD
    (TOWN, dt.date(2023, 8, 5), "INJ_DROWN"),
    (TOWN, dt.date(2024, 3, 1), "INJ_FALL"),
    (TOWN, dt.date(2024, 3, 2), "INJ_FALL"),
    (TOWN, dt.date(2024, 3, 3), "INJ_FALL"),
    (TOWN, dt.date(2023, 2, 1), "INJ_FALL"),
    (TOWN, dt.date(2023, 10, 9), "INJ_FALL"),  # after Q3 2023: not "cùng kỳ"
    (IA_TIEM, dt.date(2024, 7, 1), "AB_SEX"),
    (IA_TIEM, dt.date(2024, 7, 2), "AB_SEX"),
    (IA_TIEM, dt.date(2024, 7, 3), "AB_VIOL"),
]
# (unit, day, đồng)
MONEY = [
    ("64", dt.date(2024, 2, 1), 1_000_000_000),
    ("633", dt.date(2024, 8, 1), 500_000_000),
    (TOWN, dt.date(2024, 9, 30), 20_000_000),
    (TOWN, dt.date(2024, 10, 1), 99_000_000),  # Q4
    ("64", dt.date(2023, 5, 1), 700_000_000),
    ("64", dt.date(2023, 11, 1), 800_000_000),  # after 30/9/2023
]


@pytest.fixture
def small(gia_lai: Engine) -> Engine:
    with transaction(gia_lai) as session:
        calendar.load(session, calendar.read(), [2023, 2024])
        session.execute(
            insert(Incident),
            [
                {
                    "unit_id": _id(gia_lai, unit),
                    "occurred_on": day,
                    "category": "abuse" if code.startswith("AB_") else "injury",
                    "type_code": code,
                    "sex": "F",
                    "age_band": "6_10",
                }
                for unit, day, code in CASES
            ],
        )
        refresh_incidents(session)
        session.execute(
            insert(FundContribution),
            [
                {
                    "unit_id": _id(gia_lai, unit),
                    "contributed_on": day,
                    "kind": "cash",
                    "source_type": "individual",
                    "amount_dong": amount,
                }
                for unit, day, amount in MONEY
            ],
        )
        refresh_fund(session)
        session.execute(
            insert(FundTarget),
            {"unit_id": _id(gia_lai, "64"), "year": 2024, "amount_dong": 4_000_000_000},
        )
        session.execute(
            insert(ChildFriendlyAssessment),
            [
                {
                    "unit_id": _id(gia_lai, unit),
                    "regime": "QD06_2019",
                    "round_date": day,
                    "status": status,
                    "total_score": 800,
                    "threshold": 800,
                    "decided_on": day + dt.timedelta(days=40),  # in December
                }
                for unit, day, status in [
                    (TOWN, dt.date(2023, 11, 1), "RECOGNISED_NEW"),
                    (TOWN, dt.date(2024, 11, 1), "NOT_RECOGNISED"),  # lost
                    (IA_TIEM, dt.date(2023, 11, 1), "RECOGNISED_NEW"),
                    (IA_TIEM, dt.date(2024, 11, 1), "RECOGNISED_MAINTAINED"),
                ]
            ],
        )
    return gia_lai


def _review(engine: Engine, quarter: Period = Q3, scope: Scope = FULL):
    with engine.connect() as conn:
        return review.review(
            conn, province="64", quarter=quarter, today=TODAY, scope=scope
        )


def test_same_period_last_year_hand_computed(small: Engine) -> None:
    r = _review(small)
    cases = r.incidents.set_index("type_code")
    # Q3 2024: drowning 10/8 and 30/9; Q3 2023: 5/8; YTD to 30/9: the same
    # drownings; falls: none in either Q3, 3 in 2024 and 1 in 2023 to 30/9
    assert cases.loc["INJ_DROWN", list(review.PERIODS)].tolist() == [2, 1, 2, 1]
    assert cases.loc["INJ_FALL", list(review.PERIODS)].tolist() == [0, 0, 3, 1]
    assert cases.loc["AB_SEX", "now"] == 2 and cases.loc["AB_VIOL", "now"] == 1
    assert set(cases.index) == {"INJ_DROWN", "INJ_FALL", "AB_SEX", "AB_VIOL"}
    assert r.headline["incidents"] == 2 + 3  # two drownings, three abuse cases
    # fund: 1.000 + 500 + 20 million to 30/9/2024, 520 million in Q3; last year
    # to 30/9/2023: 700 million
    assert r.fund["total"] == 1_520_000_000
    assert r.fund["quarter_total"] == 520_000_000
    assert r.fund["last_year_total"] == 700_000_000
    assert r.headline["fund"] == pytest.approx(100 * 1_520_000_000 / 4_000_000_000)
    elapsed = (dt.date(2024, 9, 30) - dt.date(2024, 1, 1)).days + 1
    assert r.fund["expected"] == round(4_000_000_000 * elapsed / 366)
    assert r.fund["projection"] == round(1_520_000_000 / (elapsed / 366))
    assert (r.as_of, r.quarter) == (dt.date(2024, 9, 30), Q3)


def test_a_restricted_user_sees_abuse_as_one_rounded_row(small: Engine) -> None:
    district = Scope("district", _id(small, "633"))
    r = _review(small, scope=district)
    cases = r.incidents.set_index("type_code")
    assert review.ABUSE_ALL in cases.index and "AB_SEX" not in cases.index
    assert pd.isna(cases.loc[review.ABUSE_ALL, "now"])  # 3 cases: "<5"
    assert cases.loc["INJ_DROWN", "now"] == 2  # injuries stay exact
    # the total shows the injuries only, as "at least": its abuse part is "<5"
    assert r.headline["incidents"] == 2 and r.headline["incidents_partial"]
    hidden = r.maps["incidents"].set_index("code")["suppressed"]
    # Chư Sê's 3 abuse cases and every district without any: "<5" alike
    assert hidden["633"] and hidden["622"]
    empty = {"type": "FeatureCollection", "features": []}
    figure = review_slides.map_figure(
        r, "incidents", empty, ({"lon": 108.0, "lat": 14.0}, 7.0), "vi"
    )
    assert "<5 (ẩn)" in figure.data[1].colorbar.ticktext
    lines = " ".join(
        line
        for slide in review_slides.slides(r, "vi", lambda theme: None)
        for line in slide.lines
    )
    assert "<5" in lines and "AB_SEX" not in lines


def test_communes_that_lost_recognition(small: Engine) -> None:
    q4 = Period(2024, 4)
    admin = _review(small, q4)
    assert admin.lost_total == 1 and admin.lost["code"].tolist() == [TOWN]
    assert ("point_lost_cf", {"count": 1, "names": ["Thị trấn Chư Sê"]}) in admin.points
    viewer = _review(small, q4, Scope("viewer"))
    assert viewer.lost_total == 1 and viewer.lost.empty  # a count, no commune
    # reports overdue: the same count for everyone, only district rows listed
    assert viewer.overdue_total == admin.overdue_total > len(admin.overdue) > 0
    assert all(
        u.startswith(("Huyện", "Thị xã", "Thành phố")) for u in viewer.overdue["unit"]
    )
    other = Scope("district", _id(small, "622"))  # another district: no name
    assert _review(small, q4, other).lost.empty
    assert _review(small, Q3).lost_total == 0  # the round of November


def test_the_slides_in_order_with_the_footer_everywhere(small: Engine) -> None:
    r = _review(small)
    slides = review_slides.slides(r, "vi", lambda theme: None)
    assert [s.key for s in slides] == [
        "title",
        "map_child_friendly",
        "map_fund",
        "map_incidents",
        "map_timeliness",
        "fund",
        "incidents",
        "incidents_table",
        "timeliness",
        "ranking",
        "funnel",
        "scorecard",
        "points",
    ]
    assert all("Số liệu đến" in s.footer and "Nguồn" in s.footer for s in slides)
    assert slides[0].title == "Sơ kết công tác trẻ em Quý 3/2024"
    assert slides[5].big == "1,5 tỷ đồng"
    table = dict((row[0], row[1:]) for row in slides[7].table[1])
    assert table["TNTT: Đuối nước"] == ["2", "1", "+1", "2", "1"]
    funnel = slides[10]  # this province has no children figures: no rates
    assert funnel.title.startswith("Vụ việc / 100.000") and funnel.figure is None
    assert funnel.lines == ["Chưa có tỷ lệ vụ việc để vẽ biểu đồ phễu."]
    english = review_slides.slides(r, "en", lambda theme: None)
    assert english[0].title == "Child protection review, Q3 2024"


def test_the_review_is_of_a_quarter_of_a_province(small: Engine) -> None:
    with small.connect() as conn:
        with pytest.raises(ValueError, match="not a quarter"):
            review.review(conn, province="64", quarter=Period(2024), today=TODAY)
        with pytest.raises(ValueError, match="no province"):
            review.review(conn, province="633", quarter=Q3, today=TODAY)


# legacy Gia Lai, its districts and their communes
IN_GIA_LAI = (
    "SELECT id FROM admin_unit WHERE tree = 'legacy' AND (code = '64' "
    "OR parent_id IN (SELECT id FROM admin_unit WHERE tree = 'legacy' AND code = '64') "
    "OR parent_id IN (SELECT d.id FROM admin_unit d JOIN admin_unit p "
    "ON p.id = d.parent_id WHERE p.tree = 'legacy' AND p.code = '64'))"
)


def test_the_figures_equal_the_databases_aggregates(seeded) -> None:
    engine = make_engine(seeded["DATABASE_URL"])
    with engine.connect() as conn:
        r = review.review(conn, province="64", quarter=Q3, today=TODAY)
        by_type = dict(
            conn.execute(
                text(
                    "SELECT i.type_code, COUNT(*) FROM incident i "
                    f"WHERE i.unit_id IN ({IN_GIA_LAI}) "
                    "AND i.occurred_on BETWEEN '2024-07-01' AND '2024-09-30' "
                    "GROUP BY i.type_code"
                )
            ).all()
        )
        quarter_fund = conn.execute(
            text(
                "SELECT SUM(amount_dong) FROM fund_contribution f "
                f"WHERE f.unit_id IN ({IN_GIA_LAI}) "
                # the demo's transfers move money within the province
                "AND f.transfer_from_unit_id IS NULL "
                "AND f.contributed_on BETWEEN '2024-07-01' AND '2024-09-30'"
            )
        ).scalar()
    engine.dispose()
    shown = r.incidents.set_index("type_code")["now"]
    assert {k: int(v) for k, v in shown.items() if v} == by_type
    assert r.fund["quarter_total"] == int(quarter_fund)
    assert len(r.ranking) == 17 and sorted(r.ranking["rank"]) == list(range(1, 18))
    # the funnel slide: every district's rate around the province's
    assert (r.ranking["rank_low"] <= r.ranking["rank"]).all()
    assert (r.ranking["rank"] <= r.ranking["rank_high"]).all()
    slide = next(
        s for s in review_slides.slides(r, "vi", lambda _t: None) if s.key == "funnel"
    )
    assert slide.figure is not None and len(slide.figure.data[-1].x) == 17
    assert "Tỉnh Gia Lai" in slide.subtitle


def _page(app, role: str, **query: str) -> str:
    from flask_login import login_user
    from plotly.utils import PlotlyJSONEncoder

    from callbacks.context import SignedIn
    from callbacks.context import conn as get_conn
    from dashboard.pages import present_view
    from data import users

    with app.server.test_request_context("/present"):
        account = users.get_account(get_conn(), username=TEST_USERS[role][0])
        login_user(SignedIn(account))
        return json.dumps(
            present_view(**query), cls=PlotlyJSONEncoder, ensure_ascii=False
        )


def test_the_presentation_view_for_each_role(seeded_sqlite, make_app) -> None:
    app = make_app(seeded_sqlite)
    admin = _page(app, "admin", quarter="2024-Q3")
    assert admin.count('"className": "slide') >= 13
    assert "đơn vị nào khác thường thật sự" in admin  # the funnel slide
    assert "Sơ kết công tác trẻ em Quý 3/2024" in admin and "DỮ LIỆU MẪU" in admin
    assert "/geo/legacy/district/64.json" in admin
    viewer = _page(app, "viewer", quarter="2024-Q3")
    assert "Sơ kết công tác trẻ em Quý 3/2024" in viewer
    assert (
        "Xâm hại (mọi hình thức)" in viewer
        and "Xâm hại: Xâm hại tình dục" not in viewer
    )
    # no commune row for the meeting room: the overdue list names none
    assert "Phường Hội Thương" in admin and "Phường Hội Thương" not in viewer
    english = _page(app, "province", quarter="2024-Q3", lang="en")
    assert "Child protection review, Q3 2024" in english
