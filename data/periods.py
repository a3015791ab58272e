"""Reporting periods and deadlines, in Viet Nam's time zone.

A period is a whole year (``2024``), a quarter (``2024-Q2``) or a year to date
(``2024-YTD``: 1 January to the same day and month as today, so that a past year
can be compared with this one "cùng kỳ").  Deadlines of plans are local dates;
``deadline_instant`` turns one into the first UTC instant that counts as late.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_PATTERN = re.compile(r"^(\d{4})(?:-(Q[1-4]|YTD))?$")


def today_vn() -> dt.date:
    return dt.datetime.now(VN_TZ).date()


def start_of_day_vn(day: dt.date) -> dt.datetime:
    """The instant ``day`` begins in Viet Nam (UTC): "now" at day granularity, as
    reports are judged on the map, in the detail panel, the review and the
    ranking.  A report due that day ("vào ngày") is not late yet; one due
    "trước ngày" that day already is."""
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=VN_TZ).astimezone(dt.UTC)


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None
    ytd: bool = False

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2024', '2024-Q2' or '2024-YTD'; ValueError for anything else."""
        match = _PATTERN.match((text or "").strip().upper())
        if not match:
            raise ValueError(f"not a period: {text!r} (use 2024, 2024-Q2 or 2024-YTD)")
        year, part = int(match.group(1)), match.group(2)
        if part == "YTD":
            return cls(year, ytd=True)
        return cls(year, int(part[1]) if part else None)

    @property
    def key(self) -> str:
        if self.ytd:
            return f"{self.year}-YTD"
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def start(self) -> dt.date:
        month = 3 * (self.quarter - 1) + 1 if self.quarter else 1
        return dt.date(self.year, month, 1)

    def end(self, today: dt.date | None = None) -> dt.date:
        """Last day of the period (for YTD: today's day and month in that year)."""
        if self.quarter:
            first_of_next = dt.date(
                self.year + (self.quarter == 4), 3 * self.quarter % 12 + 1, 1
            )
            return first_of_next - dt.timedelta(days=1)
        if self.ytd:
            now = today or today_vn()
            day = 28 if (now.month, now.day) == (2, 29) else now.day
            return dt.date(self.year, now.month, day)
        return dt.date(self.year, 12, 31)

    def as_of(self, today: dt.date | None = None) -> dt.date:
        """The reference date: the period's end, but never after today."""
        return min(self.end(today), today or today_vn())

    def same_period_last_year(self) -> Period:
        return Period(self.year - 1, self.quarter, self.ytd)

    def in_progress(self, today: dt.date | None = None) -> bool:
        """True while the period has begun and its last day is still ahead."""
        now = today or today_vn()
        return self.start <= now < self.end(now)

    def comparison_today(
        self, earlier: Period, today: dt.date | None = None
    ) -> dt.date:
        """The "today" to compute ``earlier`` with so that it covers the same days
        as this period has run: while this period is in progress, the day as far
        into ``earlier`` as today is into this one (the same calendar day for the
        same period a year before); else ``today`` (whole periods compared)."""
        now = today or today_vn()
        if not self.in_progress(now):
            return now
        if earlier == self.same_period_last_year():
            return same_day_last_year(now)
        return min(earlier.start + (now - self.start), earlier.end(now))


def same_day_last_year(day: dt.date) -> dt.date:
    """The same day and month a year earlier (29 February: the 28th)."""
    if (day.month, day.day) == (2, 29):
        return dt.date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def deadline_instant(due: dt.date, inclusive: bool) -> dt.datetime:
    """First UTC instant that is late for a report due on local date ``due``.

    "vào ngày X" / "chậm nhất ngày X" (inclusive): all of day X still counts.
    "trước ngày X" (exclusive): day X itself is already late.
    """
    late_day = due + dt.timedelta(days=1) if inclusive else due
    local = dt.datetime.combine(late_day, dt.time(0, 0), tzinfo=VN_TZ)
    return local.astimezone(dt.UTC)
