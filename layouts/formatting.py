"""Numbers, money and percentages the Vietnamese way (1.234.567 đ; 62,5%), via Babel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from math import isfinite

import numpy as np
from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from data import uncertainty
from data.reform import FORMER_DISTRICT, MIXED_PREFIX
from data.suppression import THRESHOLD
from layouts.i18n import t

_LOCALE = {"vi": "vi_VN", "en": "en_US"}
BILLION = 1_000_000_000


def number(value: float | int, lang: str = "vi", decimals: int = 0) -> str:
    """Babel's ``format_decimal`` of ``value`` with ``decimals`` fixed decimals.

    A finite int or float is formatted here, the way Babel does it, without its
    pattern machinery (a map's hover texts format about 200 numbers a call; this
    is about 3x faster): its decimal text (``str``) rounded half to even, grouped
    by three, with the locale's symbols.  Anything else (NaN, infinities, NumPy
    integers, Decimals) goes through Babel itself.  ``babel_number`` is the
    reference a test compares this with."""
    if type(value) in _PLAIN and isfinite(value):
        symbols = _SYMBOLS.get(lang)
        if symbols is not None and decimals in _QUANTUM:
            text = f"{Decimal(str(value)).quantize(_QUANTUM[decimals]):,f}"
            return text.translate(symbols)
    return babel_number(value, lang, decimals)


def babel_number(value: float | int, lang: str = "vi", decimals: int = 0) -> str:
    """Babel's ``format_decimal`` with the locale and pattern parsed once."""
    pattern, locale = _pattern(lang, decimals)
    return pattern.apply(value, locale)


# float subclasses such as NumPy's float64 keep str() and so Babel's text
_PLAIN = (int, float, np.float64)
_QUANTUM = {d: Decimal(1).scaleb(-d) for d in range(7)}
# Decimal's "," grouping and "." point to the language's (vi: 1.234,5)
_SYMBOLS = {"vi": str.maketrans({",": ".", ".": ","}), "en": str.maketrans({})}


@lru_cache(maxsize=32)
def _pattern(lang: str, decimals: int) -> tuple[NumberPattern, Locale]:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return parse_pattern(pattern), Locale.parse(_LOCALE[lang])


SUPPRESSED = "<5"


def counted(
    value: float | int | None,
    lang: str = "vi",
    rounded: bool = False,
    partial: bool = False,
) -> str:
    """A count as a restricted user sees it: "<5" when suppressed (None/NaN),
    "≈ 25" when perturbed (``data.suppression``), "≥ 53" when it is a lower bound
    (a total whose abuse part shows "<5"), else the exact number."""
    if value is None or value != value:
        return SUPPRESSED
    if partial:
        return at_least(value, lang) or SUPPRESSED
    text = number(value, lang)
    return f"≈ {text}" if rounded and value else text


def at_least(value: float | None, lang: str = "vi", decimals: int = 0) -> str | None:
    """A lower bound: "≥ 53" (a total whose abuse part shows "<5")."""
    if value is None or value != value:
        return None
    return f"≥ {number(value, lang, decimals)}"


def rate_text(value: float | None, lang: str = "vi") -> str:
    """A rate per 100,000 with one decimal; "–" when there is none."""
    return "–" if value is None or value != value else number(value, lang, 1)


def rate_interval_text(
    count: object,
    children: object,
    lang: str = "vi",
    *,
    suppressed: object = False,
    partial: object = False,
) -> str | None:
    """ "khoảng tin cậy 95%: 12,3–45,6": the exact Poisson interval of a rate
    per 100,000 from the count as its user sees it (a "<5" abuse count, alone
    or inside a total: computed for 0-4, and the text says so); None without
    children or count (``data.uncertainty``)."""
    hidden = bool(suppressed) or bool(partial)
    shown = uncertainty.shown_range(count, suppressed, partial, THRESHOLD - 1)
    if shown is None:
        return None
    interval = uncertainty.rate_interval(shown[0], shown[1], children)
    if interval is None:
        return None
    low, high = (number(v, lang, 1) for v in interval)
    return t("ci95_hidden" if hidden else "ci95", lang, low=low, high=high)


def percent(value: float | None, lang: str = "vi", decimals: int = 1) -> str:
    """``value`` is already in percent (62.5 -> '62,5%')."""
    if value is None or value != value:  # None or NaN
        return "–"
    return number(value, lang, decimals) + "%"


def dong(value: int, lang: str = "vi") -> str:
    """Whole đồng: 1.234.567 đ."""
    return number(value, lang) + (" đ" if lang == "vi" else " VND")


def billions(value: int, lang: str = "vi", decimals: int = 1) -> str:
    """Large amounts: 4,2 tỷ đồng."""
    amount = number(value / BILLION, lang, decimals)
    return f"{amount} tỷ đồng" if lang == "vi" else f"{amount} billion VND"


def period_label(
    year: int, lang: str, *, quarter: int | None = None, ytd_end: dt.date | None = None
) -> str:
    """'Năm 2024', 'Quý 2/2024', 'Từ đầu năm 2024 đến 30/11' (and in English)."""
    if quarter:
        return t("period_quarter", lang, q=quarter, year=year)
    if ytd_end:
        day = (
            f"{ytd_end.day}/{ytd_end.month}"
            if lang == "vi"
            else ytd_end.strftime("%d %b")
        )
        return t("period_ytd", lang, year=year, day=day)
    return t("period_year", lang, year=year)


def to_day(label: str, day: dt.date | None, lang: str) -> str:
    """'Quý 4/2026 đến ngày 02/12' ('Q4 2026 to 2 Dec'): a period counted only to
    ``day``, for a period in progress and the same days of the one it is set
    against; ``label`` alone when ``day`` is None (whole periods)."""
    if day is None:
        return label
    shown = f"{day.day:02d}/{day.month:02d}" if lang == "vi" else f"{day.day} {day:%b}"
    return t("period_to_day", lang, period=label, day=shown)


def filed_by_note(abolished_on: dt.date, filer: str, lang: str) -> str:
    """ "(đã giải thể 01/07/2025) — do Tỉnh Gia Lai nộp thay": the report of a
    unit abolished before its due date, which its successor ``filer`` files."""
    day = abolished_on.strftime("%d/%m/%Y")
    return t("filed_by_note", lang, day=day, filer=filer)


def filed_by(filer: object, abolished_on: object, lang: str) -> str | None:
    """``filed_by_note`` of a row of the reports table (its ``filed_by`` and
    ``abolished_on``, missing as None, NaN or NaT); None when the unit files its
    own report."""
    if not isinstance(filer, str) or not filer:
        return None
    if not isinstance(abolished_on, dt.date) or abolished_on != abolished_on:
        return None
    return filed_by_note(abolished_on, filer, lang)


def unit_and_filer(unit: str, filer: object, abolished_on: object, lang: str) -> str:
    """A unit's name, then who files its report for it when it was abolished
    before the due date (``filed_by``)."""
    note = filed_by(filer, abolished_on, lang)
    return f"{unit} {note}" if note else unit


# --- names of places ----------------------------------------------------------------


def display_name(code: str, name: str, lang: str) -> str:
    """A place's name in ``lang``: unit names are proper nouns; the group of
    communes spanning several former districts has a name of its own."""
    return t("mixed_group", lang) if code.startswith(MIXED_PREFIX) else name


def display_names(codes: Sequence[str], names: Sequence[str], lang: str) -> list[str]:
    return [display_name(c, n, lang) for c, n in zip(codes, names, strict=True)]


def place_label(place: dict, lang: str) -> str:
    """A place's name for headings: former districts say so."""
    name = display_name(place["code"], place["name"], lang)
    if place["level"] == FORMER_DISTRICT and not place["code"].startswith(MIXED_PREFIX):
        return t("former_district_crumb", lang, name=name)
    return name
