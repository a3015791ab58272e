"""Numbers, money and percentages the Vietnamese way (1.234.567 đ; 62,5%), via Babel."""

from __future__ import annotations

from babel.numbers import format_decimal

_LOCALE = {"vi": "vi_VN", "en": "en_US"}
BILLION = 1_000_000_000


def number(value: float | int, lang: str = "vi", decimals: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=_LOCALE[lang])


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
