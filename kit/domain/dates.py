"""Dates as Japanese sheets and forms write them, read into ISO text (``2027-04-01``).

``2027-04-01``, ``2027/4/1``, ``2027.4.1``, ``2027年4月1日``, ``令和9年4月1日`` / ``R9.4.1``
(also 平成/H, 元年), full-width digits, an Excel date cell (read as ``2027-04-01T00:00:00``)
and an Excel serial number (``46478``; day 1 = 1900-01-01, Excel's 1900 leap-year bug
included). Pure: returns the ISO text, ``""`` for blank, or the value unchanged for the
caller to reject with a message naming it.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import Any

ERAS = {"令和": 2018, "r": 2018, "平成": 1988, "h": 1988}
_WESTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_ERA = re.compile(r"^(令和|平成|r|h)\s*(\d{1,2}|元)\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*"
                  r"(\d{1,2})\s*日?$", re.I)
_SERIAL = re.compile(r"^\d{4,5}(\.0+)?$")
EXCEL_EPOCH = _dt.date(1899, 12, 30)
SERIAL_RANGE = (20000, 80000)        # 1954 .. 2119: beyond is not a date someone typed


def to_iso_date(value: Any) -> Any:
    """``value`` as ``YYYY-MM-DD``; ``""`` for blank; unchanged when it is not a date."""
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(float(value), value)
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return ""
    if "T" in text and text[:4].isdigit():          # an Excel date cell: 2027-04-01T00:00:00
        text = text.split("T", 1)[0]
    if _SERIAL.match(text):
        return _serial(float(text), value)
    match = _WESTERN.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _make(year, month, day, value)
    match = _ERA.match(text)
    if match:
        era, year, month, day = match.groups()
        offset = ERAS[era.lower()] if era.isascii() else ERAS[era]
        return _make(offset + (1 if year == "元" else int(year)), int(month), int(day), value)
    return value


def _make(year: int, month: int, day: int, original: Any) -> Any:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return original


def _serial(number: float, original: Any) -> Any:
    if not number.is_integer() or not SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]:
        return original
    return (EXCEL_EPOCH + _dt.timedelta(days=int(number))).isoformat()


def check_date(value: Any) -> str:
    """A pydantic validator: ISO text or ``""``; anything else raises ``ValueError("date")``."""
    iso = to_iso_date(value)
    if not isinstance(iso, str) or (iso and not _is_iso(iso)):
        raise ValueError("date")
    return iso


def _is_iso(text: str) -> bool:
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def as_date(value: str | _dt.date | None) -> _dt.date | None:
    if not value:
        return None
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(value)
