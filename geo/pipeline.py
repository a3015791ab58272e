"""Entry points for the CLI: build approximate boundaries, import real ones.

Both run all their writes in one transaction: either everything is stored or,
on any error, nothing is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import shapely
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from data.boundaries import delete_boundaries, replace_boundaries
from data.db import transaction
from data.reform.load import NEW_TREE
from data.units import source_label, units_frame
from geo.approximate import ApproximateReport, approximate_boundaries
from geo.approximate_2025 import build_reform_approximate
from geo.derive import DeriveReport, derive_rows
from geo.extent import DEFAULT_EXTENT
from geo.fields import Fields
from geo.import_report import ImportReport
from geo.importer import plan_import
from geo.reading import BoundaryImportError, PlacementError
from geo.shares import refresh_area_shares

__all__ = [
    "BoundaryImportError",
    "ImportReport",
    "PlacementError",
    "ApproximateReport",
    "DeriveReport",
    "build_approximate",
    "derive_reform",
    "import_boundaries",
]

Progress = Callable[[str, int, int], None]

APPROXIMATE_SOURCE = "approximate: Voronoi of {label} centroids ({extent} extent)"


def _step(progress: Progress | None, step: str, done: int, total: int) -> None:
    if progress is not None:
        progress(step, done, total)


def build_approximate(
    engine: Engine,
    tree: str = "legacy",
    progress: Progress | None = None,
    *,
    extent: str = DEFAULT_EXTENT,
) -> ApproximateReport:
    """Build and store approximate boundaries for every loaded unit of ``tree``.

    Replaces the stored boundary of every unit of the tree, imported ones included
    (import real boundaries after this, not before).  The July-2025 tree is cut
    from its legacy predecessors' stored outlines: build the legacy tree first;
    its provinces whose predecessors all have real boundaries are then derived
    from those instead (geo/derive.py; ``report.derived``).
    ``progress(step, done, total)`` is called between the steps: read, build, store.
    """
    _step(progress, "read units", 0, 3)
    with engine.connect() as conn:
        units = units_frame(conn, tree=tree)
        if units.empty:
            raise ValueError(f"no units of tree {tree!r} are loaded")
        _step(progress, "build polygons", 1, 3)
        # The July-2025 tree has no boxes of its own: it borrows its predecessors'
        # boxes and outlines (geo/approximate_2025.py), so it needs the connection.
        report: ApproximateReport
        if tree == NEW_TREE:
            frame, report = build_reform_approximate(conn, units, extent_method=extent)
        else:
            frame, report = approximate_boundaries(units, extent_method=extent)
    _step(progress, "store", 2, 3)
    source = APPROXIMATE_SOURCE.format(
        label=source_label(), extent=report.extent_method
    )
    rows = [
        {"unit_id": uid, "geom_wkb": wkb, "approximate": True, "source": source}
        for uid, wkb in zip(
            frame["unit_id"].astype(int),
            shapely.to_wkb(frame.geometry.to_numpy()),
            strict=True,
        )
    ]
    with transaction(engine) as session:
        stale = set(units["id"].astype(int)) - set(frame["unit_id"].astype(int))
        delete_boundaries(session, stale)
        replace_boundaries(session, rows)
        if tree == NEW_TREE:  # real predecessors beat Voronoi cells where known
            report.derived = _derive(session)
        refresh_area_shares(session)  # divided communes: real shares or none
    _step(progress, "done", 3, 3)
    return report


def _derive(session: Session) -> DeriveReport:
    """Write the July-2025 boundaries derivable from real legacy ones, and the
    area shares of divided communes they allow (geo/shares.py)."""
    rows, report = derive_rows(session.connection())
    replace_boundaries(session, rows)
    refresh_area_shares(session)
    return report


def derive_reform(engine: Engine) -> DeriveReport:
    """Redraw the July-2025 communes of every new province whose legacy communes
    all have real boundaries from those (one transaction)."""
    with transaction(engine) as session:
        return _derive(session)


def import_boundaries(
    engine: Engine,
    paths: Sequence[str | Path],
    *,
    level: str | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
    district_field: str | None = None,
    crs: str | None = None,
    tree: str = "legacy",
    dry_run: bool = False,
    force: bool = False,
) -> ImportReport:
    """Import real boundaries from GeoJSON / Shapefile (.shp or .zip) / GeoPackage.

    ``level``: "commune" or "district" (``None``: whichever matches more units).
    ``code_field`` / ``name_field``: the properties holding unit codes or names
    (``None``: the property that matches best).  ``district_field``: the property
    with the parent's code or name (district for communes, province for
    districts), used to match names.  ``crs``: the CRS of the coordinates when the
    file declares none (or a wrong one).  Raises ``BoundaryImportError`` naming the
    file and the row or field for bad input, and ``PlacementError`` (one) when more
    than ``geo.quality.MISPLACED_MAX_SHARE`` of the matched units lie outside their
    official boxes, naming the CRS assumed and the one that would fit; ``force``
    imports such files anyway (``report.placement_forced``).  Nothing is written
    unless all files are read, matched and placed, and nothing at all with
    ``dry_run``.  An import into the legacy tree then redraws the July-2025
    communes that can now be derived from real predecessors (``derive_reform``).
    """
    fields = Fields(code=code_field, name=name_field, parent=district_field)
    with engine.connect() as conn:
        plan = plan_import(
            conn,
            list(paths),
            level=level,
            fields=fields,
            crs=crs,
            tree=tree,
            force=force,
        )
    plan.report.dry_run = dry_run
    if not dry_run:
        with transaction(engine) as session:
            delete_boundaries(session, plan.delete_ids)
            replace_boundaries(session, plan.rows)
            if tree != NEW_TREE:  # the new tree follows its real predecessors
                plan.report.derived = _derive(session)
            else:
                refresh_area_shares(session)
    return plan.report
