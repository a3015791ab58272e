"""The fund's rows (DOMAIN.md 4): yearly targets and bookings.

- a target: a unit (province, district or commune) and a year, the amount in
  whole đồng (not negative); the unit must exist in that year;
- a booking: its reference, the day, the unit that raised it (any level), kind,
  source and amount (whole đồng, more than 0); a transfer (source ``transfer``)
  names the giving unit's fund, and only a transfer does.  The giving unit need
  not be in the importer's area (the province fund handing money to a district,
  the national fund "VN"), but it must exist on that day and not be the unit
  itself (``data.models.FundContribution``'s constraints).
"""

from __future__ import annotations

import datetime as dt

from data.fact_import.check import LEVELS, Bad, Record, RowCheck
from data.vocabulary import FUND_SOURCE_TERMS, FUND_TRANSFER

TRANSFER_NAME = next(t.vi for t in FUND_SOURCE_TERMS if t.code == FUND_TRANSFER)


class TargetCheck(RowCheck):
    """A unit's target of a year; a unit and year given once per file."""

    def record(self, row: int, values: dict[str, object], bad: Bad) -> Record | None:
        year = self._year("year", values.get("year"), bad)
        amount = self._amount("amount_dong", values.get("amount_dong"), bad, zero=True)
        span = None if year is None else (dt.date(year, 1, 1), dt.date(year, 12, 31))
        unit = self._unit("unit_code", values.get("unit_code"), span, bad)
        if unit is None or year is None or amount is None:
            return None
        first = self.refs.setdefault(f"{unit.id}/{year}", row)
        if first != row:
            bad("year", "fact_target_twice", code=unit.code, year=year, first=first)
            return None
        return Record(row, {"unit_id": unit.id, "year": year, "amount_dong": amount})


class BookingCheck(RowCheck):
    """A booking of money raised, or of a transfer from another fund."""

    def record(self, row: int, values: dict[str, object], bad: Bad) -> Record | None:
        ref = self._ref("booking_ref", values.get("booking_ref"), row, bad)
        day = self._date("contributed_on", values.get("contributed_on"), bad)
        kind = self._coded("kind", values.get("kind"), bad)
        source = self._coded("source_type", values.get("source_type"), bad)
        amount = self._amount("amount_dong", values.get("amount_dong"), bad, zero=False)
        span = None if day is None else (day, day)
        unit = self._unit("unit_code", values.get("unit_code"), span, bad)
        giver_code = values.get("giver_code")
        giver = None
        if giver_code is None:
            if source == FUND_TRANSFER:
                bad("giver_code", "fact_giver_missing", transfer=TRANSFER_NAME)
        elif source is not None and source != FUND_TRANSFER:
            bad("giver_code", "fact_giver_not_transfer", transfer=TRANSFER_NAME)
        else:
            giver = self._unit(
                "giver_code", giver_code, span, bad, levels=LEVELS, own=False
            )
            if giver is not None and unit is not None and giver.id == unit.id:
                bad("giver_code", "fact_giver_itself", code=giver.code)
                return None
        if unit is None or ref is None or (giver_code is not None and giver is None):
            return None
        return Record(
            row,
            {
                "unit_id": unit.id,
                "booking_ref": ref,
                "contributed_on": day,
                "kind": kind,
                "source_type": source,
                "amount_dong": amount,
                "transfer_from_unit_id": None if giver is None else giver.id,
            },
        )
