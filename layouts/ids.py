"""Component ids, shared by layouts, callbacks and browser tests."""

MAP = "map"
MAP_SIZE = "map-size"
# {"unit": code whose children are on the map, "tree": its tree,
#  "groups": July-2025 tree only, show a province's former-district groups}
VIEW = "view"
SELECTED = "selected"  # {"code": commune whose detail panel is open, or None}
LANG = "lang"
LANG_LINK = "lang-link"
THEME = "theme"
PERIOD = "period"
CATEGORY = "category"
TYPES = "types"
MEASURE = "measure"
CLASSES = "classes"
INCIDENT_CONTROLS = "incident-controls"
BREADCRUMB = "breadcrumb"
CRUMB = "crumb"  # pattern-matching: {"type": CRUMB, "unit": code}
SUMMARY = "summary"
RANKING = "ranking"
DETAIL = "detail"
DETAIL_BOX = "detail-box"
DETAIL_CLOSE = "detail-close"
HINT = "hint"
NOTES = "notes"
GROUPS = "groups"  # switch: former-district groups on the July-2025 tree
GROUPS_BOX = "groups-box"
REFORM_NOTES = "reform-notes"
LOGOUT = "logout"
ADMIN = "admin"
ADMIN_USERS = "admin-users"
ADMIN_AUDIT = "admin-audit"
ADMIN_LINK = "admin-link"
