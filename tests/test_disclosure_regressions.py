"""The ways small abuse counts were once worked out, each tried again through the
app's own links and callbacks on the demo (the attacker test combines them all)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from urllib.parse import urlencode

import pandas as pd
from sqlalchemy import select

from data import metrics, review
from data.models import Indicator
from data.periods import Period
from data.scope import FULL, Scope
from data.suppression import ABUSE_SHARE_INDICATORS, THRESHOLD
from layouts import ids
from tests.test_app import callback_payload, patched

TODAY = dt.date(2026, 12, 2)


def test_sorting_by_count_orders_shown_values_only(client_as) -> None:
    """Sorting the district's incident rows by count once put every "<5" abuse
    row inside the block of injury rows with the same exact count."""
    for direction in ("asc", "desc"):
        query = urlencode(
            {
                "unit": "633",
                "period": "2024",
                "sort": json.dumps([{"colId": "count", "sort": direction}]),
            }
        )
        response = client_as("district").get(f"/export/incidents.csv?{query}")
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
        header, body = rows[0], rows[1:]
        count = header.index("Số vụ")
        category = header.index("Loại")
        values = [int(r[count]) for r in body]
        assert values == sorted(values, reverse=direction == "desc")
        abuse = [int(r[count]) for r in body if r[category] == "Xâm hại"]
        assert all(v >= THRESHOLD for v in abuse)  # no "<5" row to place


def test_one_screen_of_districts_gives_no_count_away(client_as, db) -> None:
    """The province "<5" and four districts "<5" once meant each was exactly 1:
    now a district without any case shows "<5" as well."""
    body = client_as("district").post(
        "/_dash-update-component",
        json=callback_payload(
            f"{ids.MAP_SIZE}.data",
            view={"unit": "64", "tree": "legacy"},
            theme="incidents",
            category="abuse",
            measure="count",
            period="2023-Q2",
        ),
    )
    figure = patched(body.get_json()["response"][ids.MAP]["figure"])
    codes = figure["data"]["0"]["locations"]
    values = [r[0] for r in figure["data"]["1"]["customdata"]]
    shown = dict(zip(codes, values, strict=True))
    exact = metrics.incidents(
        db,
        tree="legacy",
        level="district",
        parent_code="64",
        period=Period(2023, 2),
        categories=("abuse",),
        today=TODAY,
        scope=FULL,
    ).set_index("code")["abuse"]
    zero = [c for c, n in exact.items() if n == 0]
    small = [c for c, n in exact.items() if 1 <= n <= 4]
    assert zero and small  # both kinds exist in that quarter
    for code in zero + small:
        assert shown[code] == "<5", code


def test_the_scorecard_shows_no_exact_count_of_abused_children(client_as, db) -> None:
    """The scorecard once gave every role the exact number of abused children and
    district shares such as 33.3 % or 75 % of them."""
    response = client_as("district").get("/export/scorecard.csv?unit=64&period=2024")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    names = dict(db.execute(select(Indicator.name_vi, Indicator.code)).all())
    value, assessment = header.index("Kết quả"), header.index("Đánh giá")
    shares = [r for r in body if names.get(r[0]) in ABUSE_SHARE_INDICATORS]
    assert shares
    assert all(r[value] == "" for r in shares)
    assert {r[assessment] for r in shares} <= {"Ẩn để bảo vệ trẻ em", "Chưa có số liệu"}


def test_the_review_as_the_meeting_room_role(db) -> None:
    """The review slide the meeting-room role opens: abuse is one perturbed row,
    the scorecard's shares of abused children are hidden."""
    viewer = review.review(
        db, province="64", quarter=Period(2024, 3), today=TODAY, scope=Scope("viewer")
    )
    admin = review.review(db, province="64", quarter=Period(2024, 3), today=TODAY)
    abuse = viewer.incidents[viewer.incidents["category"] == "abuse"]
    assert abuse["type_code"].tolist() == [review.ABUSE_ALL]
    exact = admin.incidents[admin.incidents["category"] == "abuse"]["now"].sum()
    shown = abuse["now"].iloc[0]
    assert pd.isna(shown) or (shown >= THRESHOLD and abs(shown - exact) <= 2)
    shares = viewer.scorecard[viewer.scorecard["met"] == "hidden"]
    assert len(shares) and shares["value"].isna().all()
    assert not (admin.scorecard["met"] == "hidden").any()
