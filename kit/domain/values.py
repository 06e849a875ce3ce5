"""Reading values the way city-hall sheets and forms write them.

Full-width digits (１５), units (15分, 1,200件), percent strings (20%), 約8 / 8程度 and ranges
10〜15 (midpoint; :func:`read_range`), minutes as typed (0:10, 1時間半: :func:`to_minutes`),
yes/no words (はい,
○, あり), tag lists (``online; rpa、ocr``) and the matching key of a column header. Pure
functions: each returns the parsed value, or the input unchanged for the caller to reject
with a message naming it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")   # no control characters in text
_UNIT_RE = re.compile(r"(分|件|円|日|時間|人|回|min|mins|minutes|days?|yen|cases?)$", re.I)


def to_number(value: Any) -> Any:
    """Read what real sheets contain: full-width digits, '1,200件', '15分', '20%', and what
    clerks type around a number: '約8', '8程度', '8分くらい' → 8; a range '10〜15' / '10-15'
    → its midpoint 12.5 (:func:`to_clerk_number`; ``-5`` and dates stay as they were).

    Returns a float for anything that reads as a number, else the value unchanged (the field
    validator then rejects it with a message naming the value).
    """
    return to_clerk_number(value)


def _plain_number(value: Any) -> Any:
    """A number as written (digits, units, percent), else the value unchanged."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip().replace(",", "").replace(" ", "")
    text = text.replace("−", "-").replace("ー", "-") if text[:1] in "−ー" else text
    percent = text.endswith("%")
    text = _UNIT_RE.sub("", text.rstrip("%"))
    try:
        number = float(text)
    except ValueError:
        return value
    return number / 100 if percent else number


def to_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().lower()
        if text in ("はい", "yes", "y", "true", "1", "○", "◯", "有", "あり"):
            return True
        if text in ("いいえ", "no", "n", "false", "0", "", "×", "無", "なし", "-"):
            return False
    return value


def clean_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


_TAG_SPLIT_RE = re.compile(r"[;；、，,\s]+")


def split_tags(text: str) -> list[str]:
    """``"online; rpa、ocr" -> ["online", "rpa", "ocr"]`` (lower case, order kept)."""
    seen: list[str] = []
    for tag in _TAG_SPLIT_RE.split(unicodedata.normalize("NFKC", text or "").lower()):
        if tag and tag not in seen:
            seen.append(tag)
    return seen


_LIST_SPLIT_RE = re.compile(r"[;；、，,\n]+")


def split_list(text: str) -> list[str]:
    """``"山田; 佐藤、鈴木" -> ["山田", "佐藤", "鈴木"]``: items of a list cell, stripped, blanks
    dropped (names may hold spaces; a line break separates too)."""
    return [item.strip() for item in _LIST_SPLIT_RE.split(text or "") if item.strip()]


def clean_line(value: Any) -> Any:
    """A one-line name: like clean_text, with tabs and line breaks collapsed to one space."""
    value = clean_text(value)
    return " ".join(value.split()) if isinstance(value, str) else value


def header_key(text: Any) -> str:
    """Matching key of a header or label: NFKC, lower case, no spaces, '_' or '-'."""
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", str(text)).lower())


# --- values as clerks type them (docs/inputs.md "Values as clerks type them") -------------
_APPROX_RE = re.compile(r"^(?:約|およそ|凡そ|概ね|おおむね|大体|だいたい)?(.+?)"
                        r"(?:程度|くらい|ぐらい|位|前後|ほど|ばかり)?$")
_RANGE_RE = re.compile(r"^(\d+(?:\.\d+)?)([^\d~〜～\-]*)[~〜～\-]"
                       r"(\d+(?:\.\d+)?)([^\d]*)$")
_CLOCK_RE = re.compile(r"^(\d{1,4}):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?$")
_HOURS_RE = re.compile(r"^(\d+(?:\.\d+)?)(?:時間|h|hours?|hrs?)"
                       r"(半|(\d+(?:\.\d+)?)(?:分|m|min|mins)?)?$", re.I)
MINUTES_WARN = 240          # a step over 4 hours is worth a look (a 10:00 cell is 600)


def one_line(text: str) -> str:
    """A header or cell on one line: line breaks dropped between Japanese text, a space
    between Latin words (``所要時間\\n（分）`` → ``所要時間（分）``)."""
    parts = [p.strip() for p in re.split(r"[\r\n]+", str(text)) if p.strip()]
    out = ""
    for part in parts:
        latin = out[-1:].isascii() and out[-1:].isalnum() and part[:1].isascii() \
            and part[:1].isalnum()
        out += (" " if latin else "") + part
    return out


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    return re.sub(r"\s+", "", text)


def _approx(text: str) -> str:
    match = _APPROX_RE.match(text)
    return match.group(1) if match else text


def _unitless(text: str) -> str:
    return _UNIT_RE.sub("", text)


def read_range(value: Any) -> tuple[float, float] | None:
    """``10〜15`` / ``10-15`` / ``10～15分`` / ``約10〜15`` → (10, 15); None when it is not a
    range of two non-negative numbers, the first not above the second (``-5`` and
    ``2024-05-01`` are no range)."""
    if not isinstance(value, str):
        return None
    match = _RANGE_RE.match(_approx(_plain(value)))
    if not match:
        return None
    low, unit1, high, unit2 = match.groups()
    if _unitless(unit1) or _unitless(_approx(unit2)).rstrip("%"):
        return None
    low_f, high_f = float(low), float(high)
    if low_f > high_f:
        return None
    scale = 0.01 if unit2.endswith("%") else 1
    return low_f * scale, high_f * scale


def to_clerk_number(value: Any) -> Any:
    """:func:`to_number`, and what clerks type around a number: ``約8``, ``8程度``,
    ``8分くらい`` → 8; a range ``10〜15`` → its midpoint 12.5."""
    number = _plain_number(value)
    if not isinstance(value, str) or isinstance(number, float):
        return number
    span = read_range(value)
    if span is not None:
        return round((span[0] + span[1]) / 2, 12)
    stripped = _approx(_plain(value))
    if stripped != _plain(value):
        number = _plain_number(stripped)
        return number if isinstance(number, float) else value
    return value


def to_minutes(value: Any) -> Any:
    """Minutes as clerks type them: a time cell ``0:10`` → 10, ``1:30`` → 90, ``10:00`` →
    600; ``1時間`` → 60, ``1時間半`` / ``1時間30分`` / ``1.5時間`` → 90; and all of
    :func:`to_clerk_number` (``約8`` → 8, ``10〜15`` → 12.5)."""
    if isinstance(value, str):
        text = _approx(_plain(value))
        clock = _CLOCK_RE.match(text)
        if clock:
            hours, minutes, seconds = clock.groups()
            return int(hours) * 60 + int(minutes) + int(seconds or 0) / 60
        hours = _HOURS_RE.match(text)
        if hours:
            whole, extra, mins = hours.groups()
            added = 30.0 if extra == "半" else float(mins) if mins else 0.0
            return float(whole) * 60 + added
    return to_clerk_number(value)


def reading_kind(value: Any, number: Any) -> str:
    """How a cell was read: ``""`` (a plain number or not read), ``range``, ``time``,
    ``hours`` or ``approx``."""
    if not isinstance(value, str) or not isinstance(number, float):
        return ""
    text = _approx(_plain(value))
    if _CLOCK_RE.match(text):
        return "time"
    if _HOURS_RE.match(text) and number != _plain_number(value):
        return "hours"
    if isinstance(_plain_number(value), float):
        return ""
    if read_range(value) is not None:
        return "range"
    return "approx"
