"""Building blocks shared by the demo themes: random streams, units, dates, sampling.

Dates travel through the themes as ``int64`` day numbers (days since 1970-01-01, the
unit of ``datetime64[D]``) and datetimes as ``int64`` seconds since the epoch in
UTC: vectorised arithmetic stays cheap, and ``data.demo.store`` turns them into
``datetime.date`` / aware ``datetime`` objects only when rows are written.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from data.cells import CellValue
from data.units import CENTRALLY_RUN, units_frame


class DemoError(RuntimeError):
    """The demo generator refused to run (e.g. facts already exist)."""


def stream(seed: int, theme: str, key: str) -> np.random.Generator:
    """An independent generator for one theme and one key (a province code).

    The spawn key is a hash of the names, not a position, so adding a theme or a
    province never shifts the numbers another theme or province receives.
    """
    spawn_key = (zlib.crc32(theme.encode()), zlib.crc32(key.encode()))
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=spawn_key))


@dataclass(frozen=True)
class Province:
    """A province with its districts and communes, each ordered by code.

    ``districts``: columns id, code, kind. ``communes``: id, code, kind and
    ``district``, the row position of the commune's district in ``districts``.
    ``valid_to``: the last day (day number) the province's tree is valid, None when
    open-ended (the legacy tree ends on 30 June 2025, the eve of the reform).
    """

    id: int
    code: str
    kind: str
    districts: pd.DataFrame
    communes: pd.DataFrame
    valid_to: int | None = None

    @property
    def centrally_run(self) -> bool:
        return self.kind == CENTRALLY_RUN

    @property
    def district_of(self) -> np.ndarray:
        """Position of each commune's district (aligned with ``communes``)."""
        return self.communes["district"].to_numpy()


@dataclass(frozen=True)
class Communes:
    """Communes as the themes draw them: ids, children under 16 and a grouping.

    ``group`` is each commune's group position (its district before the reform;
    after it, with no district, each commune is its own group), ``n_groups`` the
    number of groups.
    """

    ids: np.ndarray
    kids: np.ndarray
    group: np.ndarray
    n_groups: int

    @classmethod
    def of(cls, prov: Province, kids: np.ndarray) -> Communes:
        """The communes of a legacy province, grouped by district."""
        return cls(
            prov.communes["id"].to_numpy(), kids, prov.district_of, len(prov.districts)
        )

    @classmethod
    def ungrouped(cls, ids: np.ndarray, kids: np.ndarray) -> Communes:
        """Communes with no district above them: each its own group."""
        return cls(ids, kids, np.arange(len(ids)), len(ids))


def load_provinces(conn: Connection) -> list[Province]:
    """Every legacy province that has at least one commune, ordered by code."""
    units = units_frame(conn, tree="legacy")
    units = units[["id", "code", "level", "kind", "parent_id", "valid_to"]].copy()
    units["parent_id"] = units["parent_id"].fillna(-1).astype("int64")
    provinces = units[units.level == "province"].sort_values("code")
    districts = units[units.level == "district"].sort_values("code")
    communes = units[units.level == "commune"]
    out = [_province(p, districts, communes) for p in provinces.itertuples()]
    return [p for p in out if len(p.communes)]


def _province(p: Any, districts: pd.DataFrame, communes: pd.DataFrame) -> Province:
    own = districts[districts.parent_id == p.id].reset_index(drop=True)
    position = pd.Series(np.arange(len(own)), index=own["id"].to_numpy())
    mine = communes[communes.parent_id.isin(own["id"])].copy()
    mine["district"] = position.loc[mine["parent_id"]].to_numpy()
    mine = mine.sort_values(["district", "code"]).reset_index(drop=True)
    return Province(
        id=int(p.id),
        code=str(p.code),
        kind=str(p.kind),
        districts=own[["id", "code", "kind"]],
        communes=mine[["id", "code", "kind", "district"]],
        valid_to=day_or_none(p.valid_to),
    )


def check_years(years: Iterable[int]) -> tuple[int, ...]:
    """The requested years as a sorted tuple; refuses an empty or odd range."""
    out = tuple(sorted({int(y) for y in years}))
    if not out:
        raise DemoError("no years to generate")
    if out[0] < 2000 or out[-1] > 2100:
        raise DemoError(f"years out of range: {out[0]}-{out[-1]}")
    return out


# --- dates ------------------------------------------------------------------------


def day(year: int, month: int, dom: int) -> int:
    """Day number of a calendar date."""
    return int(np.datetime64(dt.date(year, month, dom), "D").astype("int64"))


def day_of(date: dt.date) -> int:
    return int(np.datetime64(date, "D").astype("int64"))


def day_or_none(value: CellValue) -> int | None:
    """Day number of a date read from the database; None for NULL."""
    return None if value is None or pd.isna(value) else day_of(value)


def year_days(year: int) -> tuple[int, int]:
    """Day numbers of 1 January and 31 December of ``year``."""
    return day(year, 1, 1), day(year, 12, 31)


def weekday(days: np.ndarray) -> np.ndarray:
    """Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday)."""
    return (days + 3) % 7


def month_starts(years: np.ndarray) -> np.ndarray:
    """Day numbers of the 1st of each month, shape (years, 13); column 12: next Jan."""
    first = np.asarray(years, dtype="int64") - 1970
    months = first[:, None] * 12 + np.arange(13)[None, :]
    return months.astype("datetime64[M]").astype("datetime64[D]").astype("int64")


def dates_by_month(
    rng: np.random.Generator, years: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """One day per row of ``years``, month drawn from ``weights`` (rows x 12 or 12)."""
    weights = np.broadcast_to(weights, (len(years), 12))
    month = pick_rows(rng, weights / weights.sum(1, keepdims=True))
    uniq, inv = np.unique(years, return_inverse=True)
    starts = month_starts(uniq)[inv]
    rows = np.arange(len(years))
    first, nxt = starts[rows, month], starts[rows, month + 1]
    return first + np.floor(rng.random(len(years)) * (nxt - first)).astype("int64")


# --- sampling ---------------------------------------------------------------------


def pick(
    rng: np.random.Generator, probs: Sequence[float] | np.ndarray, size: int
) -> np.ndarray:
    """Indices drawn from one categorical distribution."""
    probs = np.asarray(probs, dtype=float)
    return rng.choice(len(probs), size=size, p=probs / probs.sum())


def pick_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One index per row of ``probs`` (each row a distribution summing to 1)."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(1), probs.shape[1] - 1)


def lognormal_mean1(rng: np.random.Generator, sigma: float, size: int) -> np.ndarray:
    """Multiplicative noise with mean 1."""
    return rng.lognormal(-sigma * sigma / 2, sigma, size)


def district_sums(values: np.ndarray, district: np.ndarray, n: int) -> np.ndarray:
    """Sum of a per-commune array over each district."""
    return np.bincount(district, weights=values, minlength=n)
