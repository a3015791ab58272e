"""Who may see what: the signed-in user's role and area, as every query gets it.

Roles (DOMAIN: province department, district and commune offices, meeting rooms):

- ``admin``, ``province``: everything in the database, exact figures;
- ``district``: every aggregate (country, province, district, former-district
  group), and commune rows (map, detail, exports) only inside their own district;
- ``commune``: every aggregate, and commune rows of their own commune only;
- ``viewer`` (meeting rooms): aggregates only, no commune rows at all.

Across the July-2025 reform a district user keeps the communes of their legacy
district and the new communes those went to (as default successor); a commune
user their commune and its default successor (or, for a user of a new commune, the
legacy communes it continues).

The scope is built on the server from the signed-in account; nothing the browser
sends can widen it.  ``exact`` says whether small abuse counts may be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select

from data.db import AnySelect
from data.models import AdminUnit, UnitCrosswalk

_unit = AdminUnit.__table__
_cw = UnitCrosswalk.__table__
FULL_ROLES = ("admin", "province")


@dataclass(frozen=True)
class Scope:
    """A role and, for district and commune users, their unit's id."""

    role: str
    unit_id: int | None = None

    @property
    def all_communes(self) -> bool:
        return self.role in FULL_ROLES

    @property
    def sees_tables(self) -> bool:
        """Tables of rows and their exports (meeting rooms see the map only)."""
        return self.role != "viewer"

    @property
    def exact(self) -> bool:
        """Exact abuse counts (no small-count suppression)."""
        return self.role in FULL_ROLES


FULL = Scope("admin")


def figures_scope(scope: Scope) -> Scope:
    """The scope as far as figures go: every full role (admin, province, with
    or without a unit) sees every commune and exact counts, the same figures, so
    one cached figure serves them all (``FULL``)."""
    return FULL if scope.all_communes else scope


def visible_communes(scope: Scope) -> AnySelect | None:
    """Ids of the commune-level units whose own rows ``scope`` may see (both
    trees); None when it may see every commune."""
    if scope.all_communes:
        return None
    if scope.role not in ("district", "commune") or scope.unit_id is None:
        return select(_unit.c.id).where(false())
    if scope.role == "district":
        own = select(_unit.c.id).where(_unit.c.parent_id == scope.unit_id)
    else:
        own = select(_unit.c.id).where(_unit.c.id == scope.unit_id)
    forward = select(_cw.c.new_unit_id).where(
        _cw.c.is_default, _cw.c.legacy_unit_id.in_(own)
    )
    backward = select(_cw.c.legacy_unit_id).where(
        _cw.c.is_default, _cw.c.new_unit_id.in_(own)
    )
    return select(_unit.c.id).where(
        or_(_unit.c.id.in_(own), _unit.c.id.in_(forward), _unit.c.id.in_(backward)),
        _unit.c.level == "commune",
    )


def commune_rows_allowed(
    scope: Scope, unit_id: ColumnElement[Any], level: ColumnElement[Any]
) -> ColumnElement[bool] | None:
    """SQL condition on a unit listing: aggregates always, communes in scope only
    (None: no condition)."""
    visible = visible_communes(scope)
    if visible is None:
        return None
    return or_(level != "commune", unit_id.in_(visible))
