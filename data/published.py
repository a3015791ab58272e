"""Ranks published by others and entered by hand: the provincial child-rights index
(PCRI, DOMAIN.md section 8).

Its method (normalisation, weights, sub-indices) is not published, so it is never
recomputed here: a province enters the rank it was given, and the app shows it as
entered, beside (never inside) its own composite ranking.  One row per unit, index
and round; entering the same round again replaces the row (and the audit log keeps
what it replaced).

Errors are ``PublishedRankError``: ``field`` names the field at fault and
``problem`` what is wrong, both language-free codes that the layouts translate
(``str()`` is "field: problem").  Functions that write take a Session and only
flush: the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeGuard

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from data import audit, places
from data.db import as_utc, lock, read_one, read_rows, read_scalar, read_scalars
from data.models import AdminUnit, PublishedRank, User
from data.periods import VN_TZ
from data.reform import LEGACY_TREE, NEW_TREE
from data.scope import FULL_ROLES, Scope
from data.vocabulary import PUBLISHED_INDEXES

PCRI = "pcri"
# Units an index is published for: provinces, and districts where a province
# published a district-level index (Thanh Hóa, 2020).
LEVELS = ("province", "district")
MAX_OUT_OF = 10_000  # more units than any level of Viet Nam has
MAX_SOURCE = 255
FIRST_YEAR, LAST_YEAR = 1990, 2100
MAX_ROUND_YEARS = 5
# "2016", "2016–2017", "2016-2017", "2016 / 2017": one year or a span of years,
# stored with an en dash so that the same round is recognised however typed.
_ROUND = re.compile(r"(\d{4})(?:\s*[-–—/]\s*(\d{4}))?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_unit = AdminUnit.__table__
_rank = PublishedRank.__table__


class PublishedRankError(ValueError):
    """An entry that cannot be saved; nothing was written."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Entered:
    """What ``enter_rank`` saved, and the rank it replaced (if any)."""

    id: int
    unit_code: str
    unit_tree: str
    unit_name: str
    index_code: str
    round_label: str
    rank: int
    out_of: int
    source: str
    replaced: dict[str, Any] | None  # {"rank", "out_of", "source"} of the row replaced


# --- validation -----------------------------------------------------------------------


def round_years(label: Any) -> tuple[int, int]:
    """(first, last) year of a round label; PublishedRankError when malformed."""
    found = _ROUND.fullmatch(label.strip()) if isinstance(label, str) else None
    if found is None:
        problem = "missing" if not str(label or "").strip() else "format"
        raise PublishedRankError("round", problem)
    first = int(found.group(1))
    last = int(found.group(2) or first)
    if not (FIRST_YEAR <= first <= last <= LAST_YEAR) or (
        last - first > MAX_ROUND_YEARS
    ):
        raise PublishedRankError("round", "format")
    return first, last


def normal_round(label: Any) -> str:
    """The stored form of a round: "2016" or "2016–2017" (en dash)."""
    first, last = round_years(label)
    return str(first) if first == last else f"{first}–{last}"


def _whole(value: Any, field: str) -> int:
    """A whole number from an int, a whole float (number inputs) or digits."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise PublishedRankError(field, "missing")
    if isinstance(value, bool):
        raise PublishedRankError(field, "not_whole")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    raise PublishedRankError(field, "not_whole")


def check_rank(rank: Any, out_of: Any) -> tuple[int, int]:
    """(rank, out_of) as whole numbers with 1 <= rank <= out_of <= MAX_OUT_OF."""
    rank = _whole(rank, "rank")
    if rank < 1:
        raise PublishedRankError("rank", "too_small")
    out_of = _whole(out_of, "out_of")
    if out_of < rank:
        raise PublishedRankError("out_of", "below_rank")
    if out_of > MAX_OUT_OF:
        raise PublishedRankError("out_of", "too_large")
    return rank, out_of


def check_source(source: Any) -> str:
    """Who published the rank, and when (required, at most MAX_SOURCE characters)."""
    text = source.strip() if isinstance(source, str) else ""
    if not text:
        raise PublishedRankError("source", "missing")
    if len(text) > MAX_SOURCE:
        raise PublishedRankError("source", "too_long")
    return text


def _unit_row(session: Session, unit_id: Any) -> Any:
    row = None
    if isinstance(unit_id, int) and not isinstance(unit_id, bool):
        row = read_one(
            session,
            select(
                _unit.c.id,
                _unit.c.tree,
                _unit.c.code,
                _unit.c.name,
                _unit.c.level,
                _unit.c.valid_from,
                _unit.c.valid_to,
            ).where(_unit.c.id == unit_id),
        )
    if row is None:
        raise PublishedRankError("unit", "unknown")
    if row.level not in LEVELS:
        raise PublishedRankError("unit", "level")
    return row


def _check_round_in_life(unit: Any, first: int, last: int) -> None:
    """The round must overlap the unit's existence: a province formed on 1 July
    2025 has no rank for 2016–2017 (its predecessors do)."""
    if unit.valid_from is not None and last < unit.valid_from.year:
        raise PublishedRankError("round", "outside_unit")
    if unit.valid_to is not None and first > unit.valid_to.year:
        raise PublishedRankError("round", "outside_unit")


# --- writing --------------------------------------------------------------------------


def enter_rank(
    session: Session,
    *,
    unit_id: int,
    round_label: str,
    rank: int,
    out_of: int,
    source: str,
    user_id: int | None,
    index_code: str = PCRI,
    remote_addr: str | None = None,
) -> Entered:
    """Save a published rank as given (replacing the same unit, index and round)
    and audit it.  Every check runs before anything is written; saves of the
    same round wait for each other (db.Busy when kept waiting too long)."""
    if index_code not in PUBLISHED_INDEXES:
        raise PublishedRankError("index", "unknown")
    unit = _unit_row(session, unit_id)
    first, last = round_years(round_label)
    _check_round_in_life(unit, first, last)
    label = normal_round(round_label)
    rank, out_of = check_rank(rank, out_of)
    source = check_source(source)
    username = None
    if user_id is not None:
        username = read_scalar(session, select(User.username).where(User.id == user_id))
        if username is None:
            raise PublishedRankError("user", "unknown")
    # one save of this unit, index and round at a time: the row replaced is read
    # under the lock, so the audit names what was really there before
    lock(session, "published_rank", unit.id, index_code, label)
    row = read_scalar(
        session,
        select(PublishedRank)
        .where(
            PublishedRank.unit_id == unit.id,
            PublishedRank.index_code == index_code,
            PublishedRank.round_label == label,
        )
        .execution_options(populate_existing=True),
    )
    replaced = None
    if row is None:
        row = PublishedRank(unit_id=unit.id, index_code=index_code, round_label=label)
        session.add(row)
    else:
        replaced = {"rank": row.rank, "out_of": row.out_of, "source": row.source}
    row.rank, row.out_of, row.source = rank, out_of, source
    row.entered_by_id = user_id
    row.entered_at = dt.datetime.now(dt.UTC)
    session.flush()
    detail = {
        "index": index_code,
        "unit": unit.code,
        "tree": unit.tree,
        "round": label,
        "rank": rank,
        "out_of": out_of,
        "source": source,
    }
    if replaced is not None:
        detail["replaced"] = replaced
    audit.record(
        session,
        "published_rank",
        user_id=user_id,
        username=username,
        detail=detail,
        remote_addr=remote_addr,
    )
    return Entered(
        id=row.id,
        unit_code=unit.code,
        unit_tree=unit.tree,
        unit_name=unit.name,
        index_code=index_code,
        round_label=label,
        rank=rank,
        out_of=out_of,
        source=source,
        replaced=replaced,
    )


# --- reading --------------------------------------------------------------------------


def published_ranks(
    conn: Connection | Session, unit_ids: Iterable[int], index_code: str = PCRI
) -> list[dict[str, Any]]:
    """The ranks entered for ``unit_ids``, as given, newest round first: dicts of
    unit_id, code, name, round_label, rank, out_of, source, entered_at (UTC),
    entered_on (its date in Viet Nam) and entered_by (username or None)."""
    wanted = sorted({int(i) for i in unit_ids})
    if not wanted:
        return []
    stmt = (
        select(
            _rank.c.unit_id,
            _unit.c.code,
            _unit.c.name,
            _rank.c.round_label,
            _rank.c.rank,
            _rank.c.out_of,
            _rank.c.source,
            _rank.c.entered_at,
            User.username.label("entered_by"),
        )
        .select_from(
            _rank.join(_unit, _unit.c.id == _rank.c.unit_id).outerjoin(
                User.__table__, User.id == _rank.c.entered_by_id
            )
        )
        .where(_rank.c.unit_id.in_(wanted), _rank.c.index_code == index_code)
    )
    rows = []
    for row in [r._mapping for r in read_rows(conn, stmt)]:
        at = as_utc(row["entered_at"])
        rows.append(
            {**row, "entered_at": at, "entered_on": at.astimezone(VN_TZ).date()}
        )
    # newest round first (by its years: text order is not reliable across
    # collations), then the latest entered
    rows.sort(key=lambda r: r["entered_at"], reverse=True)
    rows.sort(key=lambda r: round_years(r["round_label"]), reverse=True)
    return rows


def unit_id_of(conn: Connection | Session, *, tree: str, code: str) -> int | None:
    """The id of unit ``code`` of ``tree`` (None when there is none)."""
    stmt = select(_unit.c.id).where(_unit.c.tree == tree, _unit.c.code == str(code))
    return read_scalar(conn, stmt)


def published_under(
    conn: Connection, *, tree: str, parent_code: str, index_code: str = PCRI
) -> dict[str, list[dict[str, Any]]]:
    """{code: its published ranks, newest first} for the units under
    ``parent_code`` (e.g. the districts of a province) that have any."""
    parent = unit_id_of(conn, tree=tree, code=parent_code)
    if parent is None:
        return {}
    children = read_scalars(conn, select(_unit.c.id).where(_unit.c.parent_id == parent))
    out: dict[str, list[dict[str, Any]]] = {}
    for row in published_ranks(conn, children, index_code):
        out.setdefault(row["code"], []).append(row)
    return out


# --- who may enter, and for which units -----------------------------------------------


def _own_provinces(conn: Connection | Session, scope: Scope) -> set[int] | None:
    """Ids of the provinces a province account may enter ranks for (its province
    and the same area on the other tree); None: any province."""
    if scope.role == "admin" or scope.unit_id is None:
        return None
    own = read_one(
        conn, select(_unit.c.tree, _unit.c.code).where(_unit.c.id == scope.unit_id)
    )
    if own is None:
        return set()
    other = NEW_TREE if own.tree == LEGACY_TREE else LEGACY_TREE
    same, _sel = places.translate(conn, code=own.code, selected=None, to_tree=other)
    heir = unit_id_of(conn, tree=other, code=same) if same else None
    return {scope.unit_id} | ({heir} if heir is not None else set())


def _allowed(row: Any, provinces: set[int] | None) -> bool:
    """Whether the unit ``row`` (id, level, parent_id) lies in ``provinces``."""
    if row.level not in LEVELS:
        return False
    province = row.id if row.level == "province" else row.parent_id
    return provinces is None or province in provinces


def _may(scope: Scope | None) -> TypeGuard[Scope]:
    return scope is not None and scope.role in FULL_ROLES


def may_enter(conn: Connection | Session, scope: Scope | None, unit: int) -> bool:
    """Whether ``scope`` may enter a published rank for unit id ``unit``: admins
    for any province or district, province accounts for their own province and
    its districts; nobody else."""
    if not _may(scope):
        return False
    row = read_one(
        conn,
        select(_unit.c.id, _unit.c.level, _unit.c.parent_id).where(_unit.c.id == unit),
    )
    return row is not None and _allowed(row, _own_provinces(conn, scope))


def entry_units(
    conn: Connection, scope: Scope | None, *, tree: str, code: str
) -> list[dict[str, Any]]:
    """The units a rank may be entered for from the page of place ``code``: its
    province and that province's districts (those ``scope`` may enter), province
    first: dicts of id, code, name, level."""
    if not _may(scope):
        return []
    here = places.place(conn, tree=tree, code=code)
    while here is not None and here["level"] not in ("province", "country"):
        here = places.place(conn, tree=tree, code=here["parent_code"])
    if here is None or here["level"] != "province":
        return []
    province = unit_id_of(conn, tree=tree, code=here["code"])
    stmt = (
        select(_unit.c.id, _unit.c.code, _unit.c.name, _unit.c.level, _unit.c.parent_id)
        .where(
            (_unit.c.id == province)
            | ((_unit.c.parent_id == province) & (_unit.c.level == "district"))
        )
        .order_by(_unit.c.level != "province", _unit.c.name)
    )
    allowed = _own_provinces(conn, scope)
    return [
        {"id": row.id, "code": row.code, "name": row.name, "level": row.level}
        for row in read_rows(conn, stmt)
        if _allowed(row, allowed)
    ]
