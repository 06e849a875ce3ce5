"""Reading values the way city-hall sheets and forms write them.

Full-width digits (１５), units (15分, 1,200件), percent strings (20%), yes/no words (はい,
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
    """Read what real sheets contain: full-width digits, '1,200件', '15分', '20%'.

    Returns a float for anything that reads as a number, else the value unchanged (the field
    validator then rejects it with a message naming the value).
    """
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
