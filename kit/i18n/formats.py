"""Numbers, yen, hours, percentages and dates written the Japanese way (or the English way)."""

from __future__ import annotations

import datetime as _dt
import math
from decimal import ROUND_HALF_UP, Decimal

LANGS = ("ja", "en")
DEFAULT_LANG = "ja"


def _lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def _finite(x: float | None) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def round_half_up(x: float, digits: int = 0) -> float:
    """四捨五入 as Japanese documents and Excel's ROUND do: 2.5 -> 3, -2.5 -> -3, 0.125 -> 0.13.

    Python's ``round`` and ``format`` round halves to even (2.5 -> 2); the decimal text of the
    float is rounded instead, so 1.005 (stored as 1.00499…) still gives 1.01 like Excel.
    """
    if not _finite(x) or math.isinf(x):
        return x
    q = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def fmt_number(x: float | None, digits: int = 0) -> str:
    """``1234.5 -> "1,235"``: comma groups, rounded half up to ``digits`` decimals."""
    if not _finite(x):
        return "—"
    value = round_half_up(x, digits)
    return f"{value + 0.0:,.{digits}f}"          # + 0.0: no "-0"


def fmt_yen(x: float | None, lang: str | None = DEFAULT_LANG) -> str:
    """``1234567 -> "1,234,567円"`` (ja) or ``"¥1,234,567"`` (en), rounded half up."""
    if not _finite(x):
        return "—"
    value = int(round_half_up(x))
    sign = "-" if value < 0 else ""
    body = f"{abs(value):,}"
    return f"{sign}{body}円" if _lang(lang) == "ja" else f"{sign}¥{body}"


def fmt_hours(x: float | None, lang: str | None = DEFAULT_LANG, digits: int = 1) -> str:
    if not _finite(x):
        return "—"
    text = fmt_number(x, digits)
    return f"{text}時間" if _lang(lang) == "ja" else f"{text} h"


def fmt_percent(x: float | None, digits: int = 0) -> str:
    if not _finite(x):
        return "—"
    return f"{round_half_up(x * 100, digits) + 0.0:.{digits}f}%"


def fmt_date(d: _dt.date | str | None, lang: str | None = DEFAULT_LANG) -> str:
    """``2026-11-26 -> "2026年11月26日"`` (ja) or ``"26 Nov 2026"`` (en)."""
    if d is None or d == "":
        return "—"
    if isinstance(d, str):
        d = _dt.date.fromisoformat(d)
    if _lang(lang) == "ja":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.strftime("%d %b %Y").lstrip("0")
