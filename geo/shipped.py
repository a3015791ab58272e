"""The real boundary files shipped with the package: ``geo/boundaries/``.

Gia Lai (old province 64) as of about 2013, communes and districts, and Bình Định
(old province 52) communes, cut from the same national source by
``python -m dashboard extract-boundaries``; origin, licence (MIT) and attribution
in ``geo/boundaries/LICENSE``.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

BOUNDARY_DIR = Path(__file__).resolve().parent / "boundaries"
GIA_LAI_COMMUNES = BOUNDARY_DIR / "gia_lai_communes.geojson"
GIA_LAI_DISTRICTS = BOUNDARY_DIR / "gia_lai_districts.geojson"
BINH_DINH_COMMUNES = BOUNDARY_DIR / "binh_dinh_communes.geojson"
# Legacy province code -> its shipped commune file (first-run setup imports them).
SHIPPED_COMMUNES = MappingProxyType({"52": BINH_DINH_COMMUNES, "64": GIA_LAI_COMMUNES})
