"""The real boundary files shipped with the package: ``geo/boundaries/``.

Gia Lai (old province 64) as of about 2013, communes and districts; origin, licence
(MIT) and attribution in ``geo/boundaries/LICENSE``.
"""

from __future__ import annotations

from pathlib import Path

BOUNDARY_DIR = Path(__file__).resolve().parent / "boundaries"
GIA_LAI_COMMUNES = BOUNDARY_DIR / "gia_lai_communes.geojson"
GIA_LAI_DISTRICTS = BOUNDARY_DIR / "gia_lai_districts.geojson"
