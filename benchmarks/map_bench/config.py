"""The constants the parts of the map-interactions benchmark share.

Where things are (the repository, the shared folder holding the real 2013 national
commune file, the default work folder), which views are measured (the legacy tree,
Gia Lai and its district Chư Sê, the map's pixel size, the language), the Dash
endpoint every callback is posted to, the goals of the issue the verdicts check,
and the two boundary sets with their database file names.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SHARED_GEO_DIR", REPO.parent / "shared" / "geo"))
NATIONAL_FILE = SHARED / "vietnam_communes_2013.gpkg"
DEFAULT_WORKDIR = Path("/tmp/cpd-bench")
TREE = "legacy"
PROVINCE = "64"  # Gia Lai
DISTRICT = "633"  # Chư Sê (else Gia Lai's district with the most communes)
MAP_SIZE = [900, 550]  # the map's pixel size the page reports (ids.MAP_SIZE)
LANG = "vi"
UPDATE = "/_dash-update-component"
# The goals of the issue.
GOAL_BYTES_RATIO = 20.0  # naive bytes / app bytes on theme and period changes
GOAL_TIME_RATIO = 5.0  # naive time / app time on theme and period changes, drills
GOAL_FLOOR_RATIO = 2.0  # app bytes / floor bytes
GOAL_FIRST_LOAD = 1_500_000  # callback + GeoJSON bytes of a level's first load
# Facts N times (--facts-scale): the cold server time of a theme or period change
# at country level grows by at most this factor when the facts grow tenfold.
GOAL_SCALE_RATIO = 2.0
VALUE_STEPS = ("theme", "period")  # the interactions that only recolour
DRILL_STEPS = ("province", "district")  # the interactions that go down a level
BOUNDARY_SETS = {"approximate": "approximate.db", "real 2013": "real2013.db"}
