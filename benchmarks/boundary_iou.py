"""How good are the approximate boundaries?  IoU against real ones, per extent method.

Builds everything from scratch in a temporary SQLite database:

1. Gia Lai alone: the approximate boundaries for each extent method, compared with
   the real files shipped in ``geo/boundaries/`` (communes dissolved by
   ``code_2025``; districts), plus the size of the map's GeoJSON layers;
2. the whole country (skip with ``--gia-lai-only``): one Voronoi over 10,040
   points, timed, again compared on Gia Lai, and its 63 provinces compared with
   the raw 2013 national file (vietnam_communes_2013.gpkg dissolved by province).
   That file (7.9 MB) is not in the repository: it is read from ``$SHARED_GEO_DIR``
   or else ``../shared/geo/`` beside the checkout;
3. the new Gia Lai of July 2025 (always run): its 135 communes as approximate
   Voronoi cells against the same communes derived from the real legacy files
   shipped for old Gia Lai and old Bình Định (geo/derive.py), and old Bình Định's
   155 approximate communes against its shipped real ones.

Run:  python benchmarks/boundary_iou.py [--gia-lai-only]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import Engine

from data.boundaries import load_boundaries
from data.db import make_engine, transaction
from data.models import Base
from data.reform import load_2025_tree
from data.units import load_legacy_tree, units_frame
from geo.extent import DEFAULT_EXTENT, EXTENTS
from geo.geojson import level_geojson
from geo.matching import keyed_units, match_names
from geo.pipeline import build_approximate, derive_reform, import_boundaries
from geo.quality import iou_per_unit, summarise
from geo.shipped import BINH_DINH_COMMUNES, GIA_LAI_COMMUNES, GIA_LAI_DISTRICTS

# Only the national file lives outside the repository.
NATIONAL_FILE = (
    Path(
        os.environ.get(
            "SHARED_GEO_DIR", Path(__file__).resolve().parents[2] / "shared" / "geo"
        )
    )
    / "vietnam_communes_2013.gpkg"
)
# The package already calls it "Thành phố Huế" (a city under the centre since 2025).
PROVINCE_ALIASES = {"Thừa Thiên Huế": "Huế"}


def fresh_engine(folder: Path, name: str) -> Engine:
    """An empty SQLite database with the schema."""
    engine = make_engine(f"sqlite:///{folder / name}")
    Base.metadata.create_all(engine)
    return engine


def load_units(engine: Engine, provinces: list[str] | None) -> float:
    """Load the legacy units; returns the seconds it took."""
    started = time.perf_counter()
    with transaction(engine) as session:
        load_legacy_tree(session, provinces)
    return time.perf_counter() - started


def stored_frame(engine: Engine, level: str, tree: str = "legacy") -> gpd.GeoDataFrame:
    """The stored boundaries of one level as a GeoDataFrame."""
    with engine.connect() as conn:
        frame = load_boundaries(conn, tree=tree, level=level)
    geoms = shapely.from_wkb(frame["geom_wkb"].to_numpy())
    return gpd.GeoDataFrame(
        frame[["code", "name", "parent_code", "source"]], geometry=geoms, crs=4326
    )


def real_gia_lai(engine: Engine) -> dict[str, gpd.GeoDataFrame]:
    """The shipped real files, read through the importer (then undone by the caller)."""
    import_boundaries(engine, [GIA_LAI_COMMUNES])
    communes = stored_frame(engine, "commune")
    import_boundaries(engine, [GIA_LAI_DISTRICTS])
    return {
        "commune": communes,
        "district": stored_frame(engine, "district"),
        "province": stored_frame(engine, "province"),
    }


def score(engine: Engine, real: dict[str, gpd.GeoDataFrame]) -> dict[str, object]:
    """IoU summaries of the stored boundaries against the real ones."""
    tables = {
        level: iou_per_unit(stored_frame(engine, level), real[level])
        for level in ("commune", "district", "province")
    }
    return {
        **{level: summarise(table) for level, table in tables.items()},
        "poor": int((tables["commune"]["iou"] < 0.1).sum()),
    }


def timed_build(engine: Engine, method: str) -> float:
    """Build and store approximate boundaries; returns the seconds it took."""
    started = time.perf_counter()
    build_approximate(engine, extent=method)
    return time.perf_counter() - started


def layer_bytes(engine: Engine) -> dict[str, int]:
    """Size of the compact GeoJSON the map gets per level."""
    with engine.connect() as conn:
        return {
            level: len(
                json.dumps(
                    level_geojson(conn, tree="legacy", level=level),
                    separators=(",", ":"),
                )
            )
            for level in ("province", "district", "commune")
        }


def gia_lai_section(folder: Path) -> tuple[list[dict], dict]:
    """Gia Lai alone: every extent method against the real files."""
    engine = fresh_engine(folder, "gia_lai.db")
    load_units(engine, ["64"])
    real = real_gia_lai(engine)
    sizes = {"real": layer_bytes(engine)}
    rows = []
    for method in EXTENTS:
        seconds = timed_build(engine, method)
        rows.append(
            {
                "scope": "Gia Lai",
                "extent": method,
                "seconds": seconds,
                **score(engine, real),
            }
        )
        if method == DEFAULT_EXTENT:
            sizes["approximate"] = layer_bytes(engine)
    return rows, {"real": real, "sizes": sizes}


def reference_provinces(units: pd.DataFrame) -> gpd.GeoDataFrame:
    """The 2013 national file dissolved by province, coded by name match."""
    raw = gpd.read_file(NATIONAL_FILE)
    raw["geometry"] = shapely.make_valid(raw.geometry.to_numpy())
    provinces = raw.dissolve("province_vn").reset_index()
    names = provinces["province_vn"].replace(PROVINCE_ALIASES)
    candidates = units[units["level"] == "province"]
    country = units.loc[units["level"] == "country", "id"].iloc[0]
    parents = pd.Series(float(country), index=names.index, dtype="Float64")
    ids, _ = match_names(names, parents, keyed_units(candidates))
    codes = ids.map(candidates.set_index("id")["code"])
    return gpd.GeoDataFrame({"code": codes}, geometry=provinces.geometry, crs=4326)


def national_section(folder: Path, real: dict) -> list[dict]:
    """The whole country: timing, Gia Lai inside it, and the 63 provinces."""
    engine = fresh_engine(folder, "national.db")
    load_seconds = load_units(engine, None)
    with engine.connect() as conn:
        units = units_frame(conn)
    provinces = reference_provinces(units).dropna(subset=["code"])
    rows = []
    for method in EXTENTS:
        seconds = timed_build(engine, method)
        approx = stored_frame(engine, "province")
        province_iou = summarise(iou_per_unit(approx, provinces))
        rows.append(
            {
                "scope": "Viet Nam",
                "extent": method,
                "seconds": seconds,
                **score(engine, real),
                "nation": province_iou,
            }
        )
    print(
        f"whole-country unit load: {load_seconds:.1f} s; provinces matched to the "
        f"2013 file: {len(provinces)} of 63"
    )
    return rows


def reform_section(folder: Path) -> None:
    """The new Gia Lai: approximate cells against communes derived from real ones."""
    engine = fresh_engine(folder, "reform.db")
    with transaction(engine) as session:
        load_2025_tree(session, ["52"])
    build_approximate(engine, tree="legacy")
    build_approximate(engine, tree="2025")
    approx_new = stored_frame(engine, "commune", "2025")
    approx_old = stored_frame(engine, "commune")
    approx_outline = stored_frame(engine, "province", "2025")
    started = time.perf_counter()
    report = import_boundaries(
        engine, [GIA_LAI_COMMUNES, BINH_DINH_COMMUNES], level="commune"
    )
    imported = time.perf_counter() - started
    started = time.perf_counter()
    derive_reform(engine)
    derived_s = time.perf_counter() - started
    derived = stored_frame(engine, "commune", "2025")
    real_old = stored_frame(engine, "commune")
    split = derived["source"].str.contains("edge approximate")
    binh_dinh = approx_old["code"].isin(
        real_old.loc[real_old["source"] == BINH_DINH_COMMUNES.name, "code"]
    )
    rows = {
        "new Gia Lai, 135 communes (2025)": iou_per_unit(approx_new, derived),
        "  of which 5 with a split edge": iou_per_unit(approx_new, derived[split]),
        "old Bình Định, 155 communes": iou_per_unit(approx_old[binh_dinh], real_old),
        "new Gia Lai outline": iou_per_unit(
            approx_outline, stored_frame(engine, "province", "2025")
        ),
    }
    print("\nJuly-2025 tree: approximate cells vs derived from real legacy polygons")
    for label, table in rows.items():
        summary = summarise(table)
        print(f"  {label:36} {_triple(summary)}  worst: {summary.worst_name}")
    print(
        f"  import of both shipped files {imported:.2f} s (derivation included; "
        f"derivation alone {derived_s:.2f} s); {report.derived.format()}"
    )
    engine.dispose()


def _triple(summary) -> str:  # noqa: ANN001 - an IouSummary
    return f"{summary.mean:.3f}/{summary.median:.3f}/{summary.worst:.3f}"


def print_table(rows: list[dict]) -> None:
    """One line per scope and extent method."""
    print(
        "IoU as mean/median/worst; 'poor' = communes with IoU < 0.1; 'GL' = the "
        "Gia Lai outline; 'VN provinces' = 63 provinces vs the 2013 file"
    )
    print(
        f"{'scope':9} {'extent':13} {'build s':>7}  {'communes':19} {'poor':>4}  "
        f"{'districts':19} {'GL':>5}  VN provinces"
    )
    for row in rows:
        nation = row.get("nation")
        print(
            f"{row['scope']:9} {row['extent']:13} {row['seconds']:7.2f}  "
            f"{_triple(row['commune']):19} {row['poor']:4d}  "
            f"{_triple(row['district']):19} {row['province'].mean:5.3f}  "
            + (f"{_triple(nation)} (worst: {nation.worst_name})" if nation else "-")
        )
    for row in rows:
        if row["extent"] == DEFAULT_EXTENT:
            print(
                f"{row['scope']}, {DEFAULT_EXTENT}: worst commune "
                f"{row['commune'].worst_name} ({row['commune'].worst:.3f}), "
                f"worst district {row['district'].worst_name} "
                f"({row['district'].worst:.3f})"
            )


def main() -> None:
    """Run both sections and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gia-lai-only", action="store_true")
    args = parser.parse_args()
    if not args.gia_lai_only and not NATIONAL_FILE.exists():
        raise SystemExit(
            f"missing {NATIONAL_FILE} (set SHARED_GEO_DIR, or use --gia-lai-only)"
        )
    with tempfile.TemporaryDirectory() as folder:
        rows, extra = gia_lai_section(Path(folder))
        if not args.gia_lai_only:
            rows += national_section(Path(folder), extra["real"])
        print_table(rows)
        reform_section(Path(folder))
    print(f"default extent: {DEFAULT_EXTENT}")
    for kind, sizes in extra["sizes"].items():
        print(
            f"GeoJSON bytes, Gia Lai {kind}: "
            + ", ".join(f"{level} {n:,}" for level, n in sizes.items())
        )


if __name__ == "__main__":
    main()
