"""Component ids, shared by layouts, callbacks and browser tests."""

MAP = "map"
YEAR = "year"
LANG = "lang"
UNIT = "unit"
KPI = "kpi"
DISTRICT_TABLE = "district-table"
NOTES = "notes"
