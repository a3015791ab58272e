"""Tables of facts for the tables page and the exports.

``stream`` yields the rows of one table for the page's filters, the user's scope
and the grid's column filters and sort, chunk by chunk, as they are displayed;
``page`` takes one block of them for the grid with the total count.  The grid and
both file formats read the same stream, so an export holds exactly the rows the
grid shows, in the same order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Generator
from contextlib import closing
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, case, or_, select

from data import places
from data.db import read_chunks, read_rows
from data.metrics.report_timeliness import utc_now
from data.metrics.rollup import UNIT, valid_on
from data.periods import VN_TZ, Period, start_of_day_vn
from data.reform import (
    FORMER_DISTRICT,
    NEW_TREE,
    former_district_membership,
    tree_for,
)
from data.scope import Scope, commune_rows_allowed
from data.tables import queries
from data.tables.grid import apply_filters, check_filter_model, check_sort_model
from data.tables.queries import Filters, check_filters, status_codes, type_codes
from data.tables.shape import SUPPRESSED, labels, shape
from data.tables.spec import ABOLISHED_ON, TABLES, Column, Table
from data.vocabulary import CF_REGIME_TERMS, FUND_KIND_TERMS, REPORT_TYPE_TERMS

CHUNK = 20_000
MAX_COMMUNE_AREAS = 2_000  # more communes than this: the area list stops at districts
UNIT_CODE = re.compile(r"[A-Za-z0-9-]{1,16}")  # units, and groups "MIXED-52"

__all__ = [
    "ABOLISHED_ON",
    "areas",
    "CHUNK",
    "SUPPRESSED",
    "TABLES",
    "Column",
    "Filters",
    "Table",
    "check_filter_model",
    "check_filters",
    "check_sort_model",
    "page",
    "page_with_sums",
    "resolve",
    "SUMMED",
    "status_options",
    "type_options",
    "status_codes",
    "stream",
    "type_codes",
]


def _built(
    conn: Connection, table: str, filters: Filters, scope: Scope, now: dt.datetime
) -> queries.Built:
    today = now.astimezone(VN_TZ).date()
    span = (filters.period.start, filters.period.as_of(today))
    if table == "reports":
        return queries.reports(conn, filters, scope, span, now)
    return getattr(queries, table)(conn, filters, scope, span)


def _order(
    built: queries.Built, table: str, lang: str, sort: list[tuple[str, bool]]
) -> list[ColumnElement[Any]]:
    """ORDER BY: the grid's sort (code columns in the order of their labels),
    then the table's natural order so that blocks never overlap."""
    by_label = labels(table, lang)
    order: list[ColumnElement[Any]] = []
    for key, ascending in sort:
        expr = built.sort[key]
        if key in by_label:
            ranks = {
                code: i
                for i, (code, _l) in enumerate(
                    sorted(by_label[key].items(), key=lambda item: item[1].lower())
                )
            }
            expr = case(ranks, value=expr, else_=len(ranks))
        order.append(expr.asc() if ascending else expr.desc())
    return [*order, *built.natural]


def stream(
    conn: Connection,
    table: str,
    filters: Filters,
    scope: Scope,
    *,
    lang: str = "vi",
    filter_model: dict[str, Any] | None = None,
    sort_model: list[tuple[str, bool]] | None = None,
    now: dt.datetime | None = None,
    chunk: int = CHUNK,
) -> Generator[pd.DataFrame, None, None]:
    """The displayed rows of ``table``, chunk by chunk (checked models only),
    with the table's hidden columns and ``SUPPRESSED``."""
    spec = TABLES[table]
    check_filters(table, filters, scope)
    now = utc_now(now)
    built = _built(conn, table, filters, scope, now)
    stmt = built.stmt.order_by(*_order(built, table, lang, sort_model or []))
    keys, chunks = read_chunks(conn, stmt, chunk)
    for rows in chunks:
        # plain tuples: pandas probes each SQLAlchemy Row for attributes (slow)
        plain = pd.DataFrame.from_records([tuple(r) for r in rows], columns=keys)
        frame = shape(table, plain, lang, scope)
        frame = apply_filters(frame, spec, filter_model or {})
        if not frame.empty:
            yield frame[[*spec.keys, *spec.hidden, SUPPRESSED]]


# Columns whose sum over the listed rows means something (the grid shows it).
SUMMED = {"incidents": ("count",), "fund": ("contributions", "amount", "counted")}


def page(
    conn: Connection,
    table: str,
    filters: Filters,
    scope: Scope,
    start: int,
    end: int,
    **kwargs: Any,
) -> tuple[pd.DataFrame, int]:
    """Rows ``start`` to ``end`` (excluded) of the stream, and how many there are."""
    rows, total, _sums = page_with_sums(
        conn, table, filters, scope, start, end, **kwargs
    )
    return rows, total


def page_with_sums(
    conn: Connection,
    table: str,
    filters: Filters,
    scope: Scope,
    start: int,
    end: int,
    **kwargs: Any,
) -> tuple[pd.DataFrame, int, dict[str, int | float]]:
    """``page`` and the sums of the ``SUMMED`` columns over every row of the
    stream: the rows listed, with the values shown (for a user who sees no exact
    abuse figures, the perturbed counts of the rows listed: never an exact count)."""
    taken, total = [], 0
    summed = SUMMED.get(table, ())
    sums: dict[str, int | float] = dict.fromkeys(summed, 0)
    for frame in stream(conn, table, filters, scope, **kwargs):
        lo, hi = max(start - total, 0), max(min(end - total, len(frame)), 0)
        if lo < hi:
            taken.append(frame.iloc[lo:hi])
        total += len(frame)
        for key in summed:
            sums[key] += pd.to_numeric(frame[key], errors="coerce").fillna(0).sum()
    spec = TABLES[table]
    columns = [*spec.keys, *spec.hidden, SUPPRESSED]
    rows = pd.concat(taken) if taken else pd.DataFrame(columns=columns)
    plain = {k: v.item() if hasattr(v, "item") else v for k, v in sums.items()}
    return rows, total, plain


def resolve(
    conn: Connection,
    table: str,
    *,
    unit: object,
    period: object,
    type: object = None,  # noqa: A002 - the page's "type" filter
    status: object = None,
    scope: Scope,
    today: dt.date,
    unit_tree: object = None,
) -> Filters:
    """The page's filters from what the browser sent, checked one by one; a
    ValueError names the first field that is not acceptable.  ``unit_tree``: the
    tree the unit code belongs to, when the link says (codes repeat across the
    reform: a code of the other tree is refused, never read on this one)."""
    if table not in TABLES:
        raise ValueError(f"table: unknown table {str(table)[:30]!r}")
    try:
        parsed = Period.parse(str(period or ""))
    except ValueError as exc:
        raise ValueError(f"period: {exc}") from exc
    tree = tree_for(parsed, today)
    if unit_tree not in (None, "", tree):
        raise ValueError(
            f"unit: a unit of the {str(unit_tree)[:10]} tree for a period shown "
            f"on the {tree} tree"
        )
    code = str(unit or "")
    known = UNIT_CODE.fullmatch(code) and places.place(conn, tree=tree, code=code)
    if not known:
        raise ValueError(f"unit: no unit {code[:20]!r} in the {tree} tree")
    filters = Filters(
        tree=tree,
        unit=code,
        period=parsed,
        type=str(type) if type else None,
        status=str(status) if status else None,
    )
    return check_filters(table, filters, scope)


def type_options(table: str, scope: Scope, lang: str) -> list[tuple[str, str]]:
    """(code, label) of the "type" filter's values for ``table``."""
    names = {
        **dict(
            (t.code, t.vi if lang == "vi" else t.en)
            for t in (*CF_REGIME_TERMS, *FUND_KIND_TERMS, *REPORT_TYPE_TERMS)
        ),
        **labels("incidents", lang)["category"],
        **labels("incidents", lang)["type"],
    }
    return [(code, names[code]) for code in type_codes(table, scope)]


def status_options(table: str, lang: str) -> list[tuple[str, str]]:
    """(code, label) of the "status" filter's values for ``table``."""
    names = {
        "child_friendly": labels("child_friendly", lang).get("status", {}),
        "reports": labels("reports", lang).get("status", {}),
        "scorecard": labels("scorecard", lang).get("met", {}),
    }.get(table, {})
    return [(code, names[code]) for code in status_codes(table)]


def areas(
    conn: Connection, tree: str, scope: Scope, day: dt.date
) -> list[dict[str, Any]]:
    """The places the "area" filter offers on ``tree``: the country when several
    provinces are loaded, provinces, their districts
    (on the July-2025 tree the former-district groups) and communes valid on
    ``day`` whose rows ``scope`` may see, in tree order (code, name, level,
    parent name).  A district or commune user gets the province, their own
    district and their communes; a whole country offers no single communes."""
    u, parent = UNIT.alias("a"), UNIT.alias("ap")
    stmt = (
        select(u.c.code, u.c.name, u.c.level, parent.c.name.label("parent"))
        .select_from(u.outerjoin(parent, parent.c.id == u.c.parent_id))
        .where(
            u.c.tree == tree,
            u.c.level.in_(("country", "province", "district", "commune")),
            valid_on(u, day),
        )
        .order_by(u.c.code)
    )
    allowed = commune_rows_allowed(scope, u.c.id, u.c.level)
    if allowed is not None:
        own = select(UNIT.c.parent_id).where(UNIT.c.id == scope.unit_id)
        stmt = stmt.where(
            allowed,
            or_(
                u.c.level != "district",
                u.c.id == scope.unit_id,
                u.c.id.in_(own),
            ),
        )
    rows = [dict(r._mapping) for r in read_rows(conn, stmt)]
    if scope.all_communes and tree == NEW_TREE:
        m = former_district_membership()
        groups = read_rows(
            conn,
            select(m.c.group_code, m.c.group_name, m.c.new_province_code)
            .where(valid_on(m, day))
            .distinct()
            .order_by(m.c.new_province_code, m.c.group_code),
        )
        rows += [
            {"code": g.group_code, "name": g.group_name, "level": FORMER_DISTRICT}
            for g in groups
        ]
    communes = [r for r in rows if r["level"] == "commune"]
    if len(communes) > MAX_COMMUNE_AREAS:
        rows = [r for r in rows if r["level"] != "commune"]
    if sum(r["level"] == "province" for r in rows) < 2:  # the country adds nothing
        rows = [r for r in rows if r["level"] != "country"]
    order = {"country": -1, "province": 0, "district": 1, FORMER_DISTRICT: 1}
    order["commune"] = 2
    return sorted(rows, key=lambda r: order[r["level"]])


def has_rows(
    conn: Connection, table: str, filters: Filters, scope: Scope, today: dt.date
) -> bool:
    """Whether ``table`` has any row for ``filters`` as ``scope`` may see it."""
    now = start_of_day_vn(today)
    with closing(stream(conn, table, filters, scope, now=now)) as frames:
        return next(frames, None) is not None
