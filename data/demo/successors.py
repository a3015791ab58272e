"""Provinces of a later tree (July 2025) as the demo sees them, and what they inherit.

A province of a later tree has its communes directly under it (no district) and
is valid from its tree's first day.  Its communes inherit from their predecessors
through ``unit_crosswalk``, weighted by the children each predecessor brings:

- children under 16: a new commune has the sum of its predecessors' children
  (whole legacy communes), plus, for a legacy commune divided between several new
  communes, a part of its children in proportion to each successor's area
  (``area_km2``).  The area is the successor's WHOLE area: the area of the piece it
  took is not known, so this is an approximation.  When the area of any successor
  of a divided commune is missing (or 0), its default successor (``is_default``)
  takes all its children (with no default flagged: equal parts).  Parts are whole
  children (largest remainders), so each legacy commune's children are carried
  exactly and a new province has exactly its predecessors' children, as long as
  every legacy commune has a successor.  This demo split differs on purpose from
  the carrying rule for recorded figures (``data.reform``: everything to the
  default successor): it makes up population, it does not move recorded facts;
- a new commune with no predecessor at all (a crosswalk gap) gets the expected
  size of its kind (``population.expected_size``), relative risk 1 and the
  average report tendency: an assumption, never met with complete crosswalks;
- incident risk and report tendency: the children-weighted mean of its
  predecessors' (the predecessors' values are drawn again from the legacy
  provinces' own streams, so they are the values the legacy years used).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, cast

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from data.cells import CellValue
from data.db import read_df
from data.demo import incidents, population, reports
from data.demo.sampling import Province, day_or_none
from data.demo.sampling import stream as _stream
from data.models import AdminUnit, UnitCrosswalk

LEGACY_TREE = "legacy"


@dataclass(frozen=True)
class NewProvince:
    """A province of a later tree with its communes and their predecessors.

    ``communes``: id, code, kind, area_km2, ordered by code.  ``pairs``: one row
    per (legacy commune, new commune) of the crosswalk, ordered by legacy then new
    id: ``legacy`` (position in the concatenated communes of the legacy provinces,
    in ``load_provinces`` order), ``commune`` (position in ``communes``),
    ``share`` (of the legacy commune's children that goes to this commune).
    ``predecessors``: positions of its predecessor provinces in the legacy list.
    """

    id: int
    code: str
    tree: str
    valid_from: int
    valid_to: int | None
    communes: pd.DataFrame
    pairs: pd.DataFrame
    predecessors: tuple[int, ...]

    @property
    def key(self) -> str:
        """Key of its random streams: the tree is in it, so that the new "52"
        never draws the numbers of the legacy "52"."""
        return f"{self.tree}/{self.code}"

    def days(self, today: int) -> tuple[int, int]:
        """[first, end) day numbers of its facts: its validity, before ``today``."""
        end = today if self.valid_to is None else min(today, self.valid_to + 1)
        return self.valid_from, end


@dataclass(frozen=True)
class Inheritance:
    """What a new province's communes inherit (aligned with its ``communes``)."""

    kids: np.ndarray
    risk: tuple[np.ndarray, np.ndarray]  # abuse (n), injury (n x injury types)
    tendency: np.ndarray  # (n x 3): on time, late, missing


def _new_units(conn: Connection) -> pd.DataFrame:
    u = AdminUnit.__table__
    cols = ["id", "tree", "code", "level", "kind", "parent_id", "valid_from"]
    stmt = (
        select(*(u.c[c] for c in cols), u.c.valid_to, u.c.area_km2)
        .where(u.c.tree != LEGACY_TREE, u.c.level.in_(["province", "commune"]))
        .order_by(u.c.tree, u.c.code)
    )
    return read_df(conn, stmt)


def _crosswalk(conn: Connection, legacy: Sequence[Province]) -> pd.DataFrame:
    """Crosswalk rows whose legacy commune is loaded: legacy position, share."""
    cw = UnitCrosswalk.__table__
    stmt = select(cw.c.legacy_unit_id, cw.c.new_unit_id, cw.c.is_default).order_by(
        cw.c.legacy_unit_id, cw.c.new_unit_id
    )
    rows = read_df(conn, stmt)
    ids = np.concatenate([p.communes["id"].to_numpy() for p in legacy])
    owner = np.repeat(np.arange(len(legacy)), [len(p.communes) for p in legacy])
    where = pd.Series(np.arange(len(ids)), index=ids)
    rows = rows[rows["legacy_unit_id"].isin(ids)].reset_index(drop=True)
    rows["legacy"] = where.loc[rows["legacy_unit_id"]].to_numpy()
    rows["province"] = owner[rows["legacy"]]
    return rows


def shares(legacy: np.ndarray, area: np.ndarray, default: np.ndarray) -> np.ndarray:
    """Share of each legacy commune's children going to each of its successors.

    ``legacy`` groups the pairs (one group per legacy commune); by area when every
    successor of the group has one, else to the default successor(s).
    """
    group = pd.factorize(legacy)[0]
    area = np.nan_to_num(np.asarray(area, dtype=float), nan=0.0)
    complete = pd.Series(area > 0).groupby(group).all().to_numpy()
    area_sum = np.bincount(group, area)
    default = np.asarray(default, dtype=float)
    default_sum = np.bincount(group, default)
    n = np.bincount(group)
    by_default = np.where(
        default_sum[group] > 0,
        default / np.maximum(default_sum[group], 1),
        1 / n[group],
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        by_area = area / area_sum[group]
    return np.where(complete[group], by_area, by_default)


def split_whole(total: np.ndarray, group: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Whole parts of ``total[group]`` by ``share`` that add up to each total exactly.

    Largest remainders within each group (ties: the earlier pair); ``total`` is
    indexed by group, ``group`` must be 0..G-1.
    """
    exact = total[group] * share
    part = np.floor(exact).astype("int64")
    short = total - np.bincount(group, part, minlength=len(total)).astype("int64")
    order = np.lexsort((np.arange(len(part)), part - exact, group))
    ranked = group[order]
    rank = np.arange(len(order)) - np.searchsorted(ranked, ranked, side="left")
    part[order] += (rank < short[ranked]).astype("int64")
    return part


class _UnitRow(Protocol):
    """A row of ``_new_units`` (pandas' ``itertuples``: untyped fields)."""

    id: int
    code: str
    tree: str
    valid_from: CellValue
    valid_to: CellValue


def load(conn: Connection, legacy: Sequence[Province]) -> list[NewProvince]:
    """Every province of a later tree that has communes, ordered by tree and code."""
    units = _new_units(conn)
    communes = units[units["level"] == "commune"]
    cw = _crosswalk(conn, legacy)
    area = communes.set_index("id")["area_km2"]
    cw["share"] = shares(
        cw["legacy"].to_numpy(),
        area.reindex(cw["new_unit_id"]).to_numpy(dtype=float),
        cw["is_default"].to_numpy(dtype=bool),
    )
    out = []
    for p in cast(
        "Iterator[_UnitRow]", units[units["level"] == "province"].itertuples()
    ):
        own = communes[communes["parent_id"] == p.id].reset_index(drop=True)
        if not len(own):
            continue
        where = pd.Series(np.arange(len(own)), index=own["id"].to_numpy())
        pairs = cw[cw["new_unit_id"].isin(own["id"])]
        out.append(
            NewProvince(
                id=int(p.id),
                code=str(p.code),
                tree=str(p.tree),
                valid_from=int(day_or_none(p.valid_from) or 0),
                valid_to=day_or_none(p.valid_to),
                communes=own[["id", "code", "kind", "area_km2"]],
                pairs=pd.DataFrame(
                    {
                        "legacy": pairs["legacy"].to_numpy(),
                        "commune": where.loc[pairs["new_unit_id"]].to_numpy(),
                        "share": pairs["share"].to_numpy(),
                    }
                ),
                predecessors=tuple(sorted(set(pairs["province"].tolist()))),
            )
        )
    return out


def _weighted(
    values: np.ndarray, pairs: pd.DataFrame, carried: np.ndarray, n: int
) -> np.ndarray:
    """Children-weighted mean of the predecessors' ``values`` (NaN: none)."""
    values = values.reshape(len(values), -1)
    commune, legacy = pairs["commune"].to_numpy(), pairs["legacy"].to_numpy()
    out = np.zeros((n, values.shape[1]))
    np.add.at(out, commune, carried[:, None] * values[legacy])
    weight = np.bincount(commune, carried, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return out / weight[:, None]


def carried(successors: Sequence[NewProvince], kids: np.ndarray) -> list[np.ndarray]:
    """Children each crosswalk pair carries, per new province (``split_whole``).

    ``kids``: the legacy communes' children, concatenated like ``pairs["legacy"]``.
    Split over the pairs of all new provinces at once, so that a legacy commune
    divided across a provincial border is still carried exactly once.
    """
    if not successors:
        return []
    legacy = np.concatenate([s.pairs["legacy"].to_numpy() for s in successors])
    share = np.concatenate([s.pairs["share"].to_numpy() for s in successors])
    parts = split_whole(np.asarray(kids, dtype="int64"), legacy, share)
    ends = np.cumsum([len(s.pairs) for s in successors])
    return np.split(parts, ends[:-1])


def inherit(
    new: NewProvince,
    carried: np.ndarray,
    risk: tuple[np.ndarray, np.ndarray],
    tendency: np.ndarray,
) -> Inheritance:
    """Children, risks and report tendencies of ``new``'s communes.

    ``carried``: children each of ``new.pairs`` carries; ``risk`` and ``tendency``:
    the legacy communes' (concatenated like ``pairs["legacy"]``).
    """
    n, pairs = len(new.communes), new.pairs
    kids = np.bincount(pairs["commune"], carried, minlength=n).astype("int64")
    orphan = np.bincount(pairs["commune"], minlength=n) == 0
    if orphan.any():
        kinds = new.communes["kind"].to_numpy()[orphan]
        kids[orphan] = [round(population.expected_size(k, False)) for k in kinds]
    abuse = np.nan_to_num(_weighted(risk[0], pairs, carried, n)[:, 0], nan=1.0)
    injury = np.nan_to_num(_weighted(risk[1], pairs, carried, n), nan=1.0)
    mean = reports.TENDENCY / reports.TENDENCY.sum()
    odds = _weighted(tendency, pairs, carried, n)
    odds = np.where(np.isnan(odds), mean[None, :], odds)
    return Inheritance(kids, (abuse, injury), odds)


def legacy_traits(
    seed: int, legacy: Sequence[Province], kids: Sequence[np.ndarray]
) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """Incident risks and report tendencies of every legacy commune (concatenated).

    Drawn again from each legacy province's own streams: the first draws of its
    incident and report streams, i.e. the values its legacy years used.
    """
    abuse, injury, tendency = [], [], []
    for prov, k in zip(legacy, kids, strict=True):
        a, i = incidents.risks(_stream(seed, "incidents", prov.code), prov, k)
        abuse.append(a)
        injury.append(i)
        table = reports.tendencies(prov, _stream(seed, "reports", prov.code))
        tendency.append(table["commune"])
    return (np.concatenate(abuse), np.concatenate(injury)), np.concatenate(tendency)
