"""Numbers, yen, hours, percentages and dates written the Japanese way (or the English way)."""

from __future__ import annotations

import datetime as _dt
import math

LANGS = ("ja", "en")
DEFAULT_LANG = "ja"


def _lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def _finite(x: float | None) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def fmt_number(x: float | None, digits: int = 0) -> str:
    if not _finite(x):
        return "—"
    return f"{x:,.{digits}f}"


def fmt_yen(x: float | None, lang: str | None = DEFAULT_LANG) -> str:
    """``1234567 -> "1,234,567円"`` (ja) or ``"¥1,234,567"`` (en)."""
    if not _finite(x):
        return "—"
    value = round(x)
    sign = "-" if value < 0 else ""
    body = f"{abs(value):,}"
    return f"{sign}{body}円" if _lang(lang) == "ja" else f"{sign}¥{body}"


def fmt_hours(x: float | None, lang: str | None = DEFAULT_LANG, digits: int = 1) -> str:
    if not _finite(x):
        return "—"
    return f"{x:,.{digits}f}時間" if _lang(lang) == "ja" else f"{x:,.{digits}f} h"


def fmt_percent(x: float | None, digits: int = 0) -> str:
    if not _finite(x):
        return "—"
    return f"{x * 100:.{digits}f}%"


def fmt_date(d: _dt.date | str | None, lang: str | None = DEFAULT_LANG) -> str:
    """``2026-11-26 -> "2026年11月26日"`` (ja) or ``"26 Nov 2026"`` (en)."""
    if d is None or d == "":
        return "—"
    if isinstance(d, str):
        d = _dt.date.fromisoformat(d)
    if _lang(lang) == "ja":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.strftime("%d %b %Y").lstrip("0")
