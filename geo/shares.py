"""Area shares of divided legacy communes in their July-2025 successors.

A legacy commune divided between several new communes carries its pre-reform
figures (cases and children alike) to its successors in proportion to the part of
its area each of them took (``data.reform.inheritance``).  That part is measured
here, from stored boundaries, only where it can be: the legacy commune's polygon
and every successor's polygon must be real (``boundary.approximate`` false).  The
share of a successor is the area of (legacy polygon ∩ successor polygon) over the
sum of those areas for all successors, so the shares of one legacy commune sum to
1.  Areas are planar in degrees: within one commune the latitude factor is the
same for every piece and cancels in the ratio.  A divided commune with any
approximate (or missing) polygon, or whose polygon meets none of its successors',
gets no shares: all its figures go to its default successor.

Where the successors were themselves derived from the legacy polygons
(``geo.derive``), their dividing edges are the stated Voronoi split, so the shares
are those of that split: as estimated as the edges the map draws.
"""

from __future__ import annotations

import pandas as pd
import shapely
from sqlalchemy.orm import Session

from data.boundaries import load_boundaries
from data.metrics.dataset import record_facts_changed
from data.metrics.summary import refresh_incidents
from data.reform import crosswalk_frame, store_area_shares
from data.reform.load import LEGACY_TREE, NEW_TREE

SHARE_COLUMNS = ["legacy_code", "new_code", "area_share"]


def area_shares(pairs: pd.DataFrame, legacy: pd.Series, new: pd.Series) -> pd.DataFrame:
    """(legacy_code, new_code, area_share) of every divided legacy commune whose
    polygon and successors' polygons are all known (``legacy`` and ``new``: real
    geometries by code)."""
    rows = []
    divided = pairs[pairs["divided"].astype(bool)]
    for legacy_code, group in divided.groupby("legacy_code", sort=True):
        heirs = sorted(set(group["new_code"]))
        if legacy_code not in legacy.index or not all(h in new.index for h in heirs):
            continue
        polygon = shapely.make_valid(legacy[legacy_code])
        pieces = [
            shapely.area(shapely.intersection(polygon, shapely.make_valid(new[h])))
            for h in heirs
        ]
        total = float(sum(pieces))
        if total <= 0:
            continue
        rows += [
            (legacy_code, heir, float(area) / total)
            for heir, area in zip(heirs, pieces, strict=True)
        ]
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


def _real(frame: pd.DataFrame) -> pd.Series:
    real = frame[~frame["approximate"].astype(bool)]
    return pd.Series(
        shapely.from_wkb(real["geom_wkb"].to_numpy()),
        index=real["code"].to_numpy(),
        dtype=object,
    )


def refresh_area_shares(session: Session) -> int:
    """Recompute and store the area shares from the boundaries stored now (in the
    caller's transaction); returns how many divided legacy communes have shares.
    Shares that change move the figures on: the case sums are rebuilt
    (``data.metrics.summary``) and cached aggregates go stale
    (``record_facts_changed``)."""
    conn = session.connection()
    pairs = crosswalk_frame(conn)
    wanted = pairs[pairs["divided"]] if not pairs.empty else pairs
    if wanted.empty:
        return 0
    legacy = load_boundaries(conn, tree=LEGACY_TREE, level="commune")
    new = load_boundaries(conn, tree=NEW_TREE, level="commune")
    legacy = legacy[legacy["code"].isin(wanted["legacy_code"])]
    new = new[new["code"].isin(wanted["new_code"])]
    shares = area_shares(wanted, _real(legacy), _real(new))
    if store_area_shares(session, shares):
        # every successor's share of the cases moves: rebuild their sums
        refresh_incidents(session)
        record_facts_changed(session)
    return int(shares["legacy_code"].nunique())
